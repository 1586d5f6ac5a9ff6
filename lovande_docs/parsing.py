"""What ``lovande parse`` does, kept out of lovande_docs/cli.py so that stays a thin command.

Its output is written as compile writes its outputs (compile/output.py): ``-o`` to a staged file
renamed into place only when complete, checked before any file is read (not an input, writable);
standard output only once everything is read, in one piece, with signals held back, so an
interrupt never leaves half a JSON document. An interrupt ends it as it ends compile
(interrupts.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from lovande_docs.compile.output import OutputClash, atomic_outputs, check_distinct, held_signals
from lovande_docs.filenames import shown
from lovande_docs.interrupts import run_command


def run_parse(files: tuple[Path, ...], fmt: str, output: Path | None) -> int:
    """Read ``files``, write the answers in ``fmt`` to ``output`` or stdout; the exit status."""
    from lovande_docs.compile import output as staging

    written: list[bool] = []
    before = staging.commits

    def interrupted() -> str:
        if written or staging.commits != before:
            return "the output was written before the interrupt"
        return "nothing was written" + (", the previous output is unchanged" if output else "")

    return run_command(lambda: _parse(files, fmt, output, written), interrupted)


def _parse(files: tuple[Path, ...], fmt: str, output: Path | None, written: list[bool]) -> int:
    from lovande_docs.export import WRITERS
    from lovande_docs.readers import ReadError
    from lovande_docs.readers.guard import read_guarded
    from lovande_docs.readers.registry import load_registry

    if output is not None:
        try:
            check_distinct(files, {"the output": output})
        except OutputClash as error:
            click.echo(str(error), err=True)
            return 2
    registry = load_registry()  # once, before the per-file reading processes are forked
    try:
        with atomic_outputs() as staged:
            target = staged.path(output)  # a file that cannot be written fails before any reading
            forms, failed = [], 0
            for file in files:
                try:
                    forms.append(read_guarded(file, registry))
                except ReadError as error:
                    failed += 1
                    click.echo(f"{shown(file)}: {error}", err=True)
            text = WRITERS[fmt](forms)
            if target is not None:
                target.write_text(text, encoding="utf-8")
            else:
                with held_signals():
                    click.echo(text, nl=False)
                    sys.stdout.flush()
                    written.append(True)
    except OSError as error:
        if output is None:
            raise  # standard output closed (a pipe's reader gone): as Python reports it
        click.echo(f"{shown(error.filename or output)}: cannot write: {error.strerror or error}", err=True)
        return 1
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) could not be read", err=True)
    return 1 if failed else 0
