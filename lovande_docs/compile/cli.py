"""What ``lovande compile`` prints, kept out of lovande_docs/cli.py so that stays a thin command."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from lovande_docs.compile.reportmeta import ReportMeta, ReportMetaError, load_report_meta
from lovande_docs.compile.run import REPORT_SUFFIXES, compile_forms
from lovande_docs.compile.snapshot import SnapshotError, read_snapshot
from lovande_docs.filenames import shown
from lovande_docs.interrupts import run_command
from lovande_docs.layout import LayoutError


def run_compile(inputs, output: Path, report: Path | None, csv_path: Path | None, json_path: Path | None,
                jobs: int | None, cache_dir: Path | None, no_cache: bool, quotes: str | None = None,
                title: str | None = None, author: str | None = None, date: str | None = None,
                report_meta: Path | None = None, previous: Path | None = None) -> int:
    """Run the compiler; print outputs, failures and a last line with the counts. Exit status."""
    if output.suffix.lower() != ".xlsx":
        click.echo(f"{shown(output)}: the workbook must be an .xlsx file", err=True)
        return 2
    if report is not None and report.suffix.lower() not in REPORT_SUFFIXES:
        click.echo(f"{shown(report)}: the report must be a .docx or a .pdf file", err=True)
        return 2
    if quotes is not None and quotes != "all" and not (quotes.isdigit()):
        click.echo(f"--quotes {quotes}: give a number or 'all'", err=True)
        return 2
    if no_cache and cache_dir is not None:
        click.echo("--cache and --no-cache cannot be used together", err=True)
        return 2
    from lovande_docs.compile import output as staging

    before = staging.commits

    def interrupted() -> str:
        if staging.commits != before:
            return "the outputs were written before the interrupt"
        return "nothing was written, the previous outputs are unchanged"

    def compile_and_report() -> int:
        """The compile itself, inside run_command's interrupt handling."""
        from xlsxwriter.exceptions import FileCreateError

        from lovande_docs.compile.output import OutputClash

        try:
            meta = load_report_meta(report_meta) if report_meta else ReportMeta()
        except ReportMetaError as error:
            click.echo(f"{shown(report_meta)}: {error}", err=True)
            return 2
        try:
            meta = meta.updated(title, author, date)
        except ReportMetaError as error:
            click.echo(f"--date: {error}", err=True)
            return 2
        try:
            earlier = read_snapshot(previous) if previous else None
        except (OSError, SnapshotError) as error:
            click.echo(f"{shown(previous)}: {getattr(error, 'strerror', None) or error}", err=True)
            return 2
        try:
            result = compile_forms(inputs, output, report=report, csv_path=csv_path, json_path=json_path, jobs=jobs,
                                   cache_dir=cache_dir, use_cache=not no_cache, progress=sys.stderr.isatty(),
                                   quotes=int(quotes) if quotes and quotes.isdigit() else quotes,
                                   today=meta.date, report_meta=meta, previous=earlier)
        except OutputClash as error:
            click.echo(str(error), err=True)
            return 2
        except FileCreateError as error:  # XlsxWriter's wrapper of the OSError met writing the workbook
            cause = error.args[0] if error.args and isinstance(error.args[0], OSError) else None
            reason = (cause.strerror if cause is not None else None) or str(cause or error)
            click.echo(f"{shown(output)}: cannot write: {reason}", err=True)
            return 1
        except OSError as error:
            click.echo(f"{shown(error.filename or output)}: cannot write: {error.strerror or error}", err=True)
            return 1
        except LayoutError as error:  # e.g. no font to measure the workbook's text with
            click.echo(str(error), err=True)
            return 1
        for path, message in result.failures:
            click.echo(f"{path}: {message}", err=True)
        for path in result.outputs:
            click.echo(shown(path))
        extra = []
        if result.duplicates:
            extra.append(f"{result.duplicates} duplicate(s)")
        if result.superseded:
            extra.append(f"{result.superseded} earlier revision(s)")
        if result.cached:
            extra.append(f"{result.cached} from cache")
        details = f" ({', '.join(extra)})" if extra else ""
        click.echo(f"{result.read} of {result.files} file(s) read, {result.failed} failed; "
                   f"{result.counted} form(s) counted{details}")
        return 1 if result.failed else 0

    return run_command(compile_and_report, interrupted)
