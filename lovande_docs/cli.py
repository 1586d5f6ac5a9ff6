"""The ``lovande`` command: validate the content, build the guide."""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click

from lovande_docs import __version__, fields
from lovande_docs.layout import LayoutError, load_layout
from lovande_docs.model import ContentError, Model, load_model
from lovande_docs.paths import DEFAULT_CONTENT, DEFAULT_OUTPUT
from lovande_docs.render import RENDERERS, renderer

OUTPUT_STEM = "lovande-arbetssatt"


def _fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(1)


def _content_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [path]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lovande")
def main() -> None:
    """Keep the model Lovande arbetssätt in one YAML source and build the guide from it."""


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path), default=None)
def validate(path: Path | None) -> None:
    """Check content YAML (a file, or every .yaml in a folder) and print a summary of the model.

    Every error is printed as FILE:LINE:COLUMN: PATH: MESSAGE; the exit status is 1 if any.
    """
    path = path or DEFAULT_CONTENT
    if not path.exists():
        _fail(f"{path}: no such file or folder")
    files = _content_files(path)
    if not files:
        _fail(f"{path}: no .yaml files in this folder")
    failed = False
    for index, file in enumerate(files):
        if index:
            click.echo()
        try:
            model = load_model(file)
        except ContentError as error:
            failed = True
            for message in error.messages:
                click.echo(message, err=True)
            click.echo(f"{file}: {len(error.messages)} error(s)", err=True)
            continue
        click.echo(summary(model))
    sys.exit(1 if failed else 0)


def summary(model: Model) -> str:
    """The one-screen account of a model that ``lovande validate`` prints."""
    all_fields = fields.all_fields(model)
    questions = list(model.numbered_questions())
    lines = [
        f"{model.source}: OK",
        f"  model        {model.id}, version {model.version}",
        f"  title        {model.meta.title}",
        f"  content hash sha256:{model.content_hash}",
        f"  categories   {len(model.categories)}",
        f"  elements     {len(model.elements)}",
        f"  questions    {len(questions)} answerable",
    ]
    number = 0
    for category in model.categories:
        lines.append(f"    {category.letter}  {category.title}")
        for element in category.elements:
            number += 1
            count = sum(1 for q in questions if q.element is element)
            headings = sum(1 for q in element.questions if not q.answerable)
            extra = f"  ({headings} heading with parts)" if headings else ""
            lines.append(f"       {number:>2}. {element.title:<42} {count:>2} questions{extra}")
    kinds = Counter(f.kind for f in all_fields)
    lines += [
        f"  footnotes    {len(model.footnotes)}",
        f"  fields       {len(all_fields)} (" + ", ".join(f"{k} {n}" for k, n in kinds.most_common()) + ")",
        f"  option lists " + ", ".join(f"{o.id} ({len(o.items)})" for o in model.options.values()),
    ]
    return "\n".join(lines)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["all", *RENDERERS]), default="all", show_default=True,
              help="Which document(s) to build.")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUTPUT, show_default=True, help="Folder for the built files.")
@click.option("--content", "content_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_CONTENT, show_default=True, help="Content YAML of the model version to build.")
@click.option("--layout", "layout_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Layout YAML (default: layouts/socialstyrelsen.yaml).")
def build(fmt: str, output_dir: Path, content_path: Path, layout_path: Path | None) -> None:
    """Build the guide as an editable Word document and a fillable PDF."""
    try:
        model = load_model(content_path)
    except ContentError as error:
        for message in error.messages:
            click.echo(message, err=True)
        _fail(f"{content_path}: {len(error.messages)} error(s); nothing built")
    try:
        layout = load_layout(layout_path)
    except LayoutError as error:
        _fail(str(error))
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"{output_dir}: cannot create output folder: {error.strerror or error}")
    formats = list(RENDERERS) if fmt == "all" else [fmt]
    for name in formats:
        target = output_dir / f"{OUTPUT_STEM}.{name}"
        started = time.perf_counter()
        try:
            renderer(name)(model, layout, target)
        except LayoutError as error:
            _fail(str(error))
        except OSError as error:
            _fail(f"{target}: cannot write: {error.strerror or error}")
        elapsed = time.perf_counter() - started
        click.echo(f"{target}  ({model.id} {model.version}, {target.stat().st_size // 1024} KiB, {elapsed:.2f} s)")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "yaml", "csv"]), default="json", show_default=True,
              help="json/yaml: a list of answers structures (lovande-answers/1); csv: one row per form and field.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def parse(files: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Read filled-in guides (.docx or .pdf) back into structured answers.

    A file that cannot be read gets one line on standard error naming it and the problem; the
    others are still read, and the exit status is 1 if any file failed.
    """
    from lovande_docs.export import WRITERS
    from lovande_docs.readers import ReadError, read_form

    forms, failed = [], 0
    for file in files:
        try:
            forms.append(read_form(file).to_dict())
        except ReadError as error:
            failed += 1
            click.echo(f"{file}: {error}", err=True)
    text = WRITERS[fmt](forms)
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            _fail(f"{output}: cannot write: {error.strerror or error}")
    else:
        click.echo(text, nl=False)
    if failed:
        click.echo(f"{failed} of {len(files)} file(s) could not be read", err=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
