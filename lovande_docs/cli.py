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


def _fail_content(error: ContentError, what: str, consequence: str) -> None:
    """Every located error of a content file, then one closing line; exit 1."""
    for message in error.messages:
        click.echo(message, err=True)
    _fail(f"{what}: {len(error.messages)} error(s); {consequence}")


def _content_files(path: Path) -> list[Path]:
    if path.is_dir():
        from lovande_docs.versions import content_files

        return content_files(path)  # with the <model-id>/<version>.yaml files below
    return [path]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lovande")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Keep the model Lovande arbetssätt in one YAML source and build the guide from it."""
    if ctx.invoked_subcommand in ("parse", "compile"):  # their one way to end on a signal (interrupts.py)
        from lovande_docs.interrupts import defer

        defer()


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path), default=None)
def validate(path: Path | None) -> None:
    """Check content YAML (a file, or every .yaml in a folder and its version folders) and print a
    summary of each model.

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
        from lovande_docs.versions import declared_by_path

        if (claimed := declared_by_path(file, model.id)) not in (None, model.version):
            failed = True
            click.echo(f"{file}: the file name says version {claimed}, but model.version is {model.version}", err=True)
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
        "  option lists " + ", ".join(f"{o.id} ({len(o.items)})" for o in model.options.values()),
    ]
    return "\n".join(lines)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["all", *RENDERERS]), default="all", show_default=True,
              help="Which document(s) to build.")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
              default=DEFAULT_OUTPUT, show_default=True, help="Folder for the built files.")
@click.option("--content", "content_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Content YAML of the model version to build (default: the latest version under content/).")
@click.option("--model-version", "model_version", default=None, metavar="VERSION",
              help="Build this known version (e.g. 2026.1, or MODEL-ID@VERSION) instead of the latest.")
@click.option("--content-dir", "content_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Another folder of model versions, laid out like content/ (may be repeated).")
@click.option("--layout", "layout_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Layout YAML (default: layouts/socialstyrelsen.yaml).")
@click.option("--prefill", "prefill_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Carry a unit's earlier answers into the guide: a filled .docx, .odt or .pdf, or an answers file (JSON).")
def build(fmt: str, output_dir: Path, content_path: Path | None, model_version: str | None,
          content_dirs: tuple[Path, ...], layout_path: Path | None, prefill_path: Path | None) -> None:
    """Build the guide as an editable Word document, a fillable PDF and a fillable web page (HTML).

    Builds the latest version of the model under content/ unless --model-version or --content
    names another. With --prefill, the guide comes filled in with a unit's earlier answers
    (from any version, either format), mapped by id; new and reworded questions are marked and
    answers to removed questions are listed in an appendix.
    """
    from lovande_docs import selection

    try:
        model = selection.for_build(content_path, model_version, content_dirs)
    except selection.SelectionError as error:
        _fail(str(error))
    except ContentError as error:
        _fail_content(error, str(content_path or "content"), "nothing built")
    try:
        layout = load_layout(layout_path)
    except LayoutError as error:
        _fail(str(error))
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(f"{output_dir}: cannot create output folder: {error.strerror or error}")
    plan = _prefill_plan(prefill_path, model, content_dirs) if prefill_path else None
    formats = list(RENDERERS) if fmt == "all" else [fmt]
    for name in formats:
        target = output_dir / f"{OUTPUT_STEM}.{name}"
        started = time.perf_counter()
        try:
            if plan is None:
                renderer(name)(model, layout, target)
            else:
                from lovande_docs.fill import write_prefilled

                write_prefilled(name, model, layout, target, plan)
        except LayoutError as error:
            _fail(str(error))
        except OSError as error:
            _fail(f"{target}: cannot write: {error.strerror or error}")
        elapsed = time.perf_counter() - started
        click.echo(f"{target}  ({model.id} {model.version}, {target.stat().st_size // 1024} KiB, {elapsed:.2f} s)")


def _prefill_plan(path: Path, model: Model, content_dirs: tuple[Path, ...]):
    from lovande_docs.prefill import PrefillError, load_answers, plan_prefill
    from lovande_docs.readers.registry import load_registry

    try:
        plan = plan_prefill(load_answers(path), model, load_registry(*content_dirs), path.name)
    except PrefillError as error:
        _fail(str(error))
    revisit = len(plan.revisions.notes)
    click.echo(f"{path}: {plan.carried} answer(s) carried from {plan.source_model.id} {plan.source_model.version} "
               f"into {model.version}; {revisit} question(s) marked to revisit; "
               f"{len(plan.revisions.removed)} answer(s) to removed questions in the appendix")
    for name in plan.dropped:
        click.echo(f"{path}: {name}: the earlier value is not an option in {model.version}; left empty", err=True)
    return plan


@main.command()
@click.argument("old")
@click.argument("new")
@click.option("--docx", "docx_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as a Word document (in Swedish) for the revision notes.")
@click.option("--content-dir", "content_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Another folder of model versions to look MODEL-ID@VERSION up in (may be repeated).")
def diff(old: str, new: str, docx_path: Path | None, content_dirs: tuple[Path, ...]) -> None:
    """Report what changed between two versions of the model, matched by id.

    OLD and NEW are content files or known versions (lovande-arbetssatt@2026.1). Prints Markdown;
    the exit status is 0 whatever changed, 1 only if a version cannot be loaded.
    """
    from lovande_docs import selection
    from lovande_docs.revision import compare
    from lovande_docs.revision.markdown import render_markdown

    models = []
    for spec in (old, new):
        try:
            models.append(selection.from_spec(spec, content_dirs))
        except selection.SelectionError as error:
            _fail(str(error))
        except ContentError as error:
            _fail_content(error, spec, "nothing compared")
    changes = compare(*models)
    click.echo(render_markdown(changes), nl=False)
    if docx_path is not None:
        from lovande_docs.revision.docx import write_docx_report

        try:
            write_docx_report(changes, docx_path)
        except OSError as error:
            _fail(f"{docx_path}: cannot write: {error.strerror or error}")
        click.echo(f"{docx_path}  ({len(changes.items)} change(s), {len(changes.warnings)} warning(s))", err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["json", "yaml", "csv"]), default="json", show_default=True,
              help="json/yaml: a list of answers structures (lovande-answers/1); csv: one row per form and field.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")
def parse(files: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Read filled-in guides (.docx, .odt or .pdf, and the web edition's answers files) back into
    structured answers.

    A file that cannot be read gets one line on standard error naming it and the problem; the
    others are still read, and the exit status is 1 if any file failed.
    """
    from lovande_docs.interrupts import settle
    from lovande_docs.parsing import run_parse

    code = run_parse(files, fmt, output)
    settle()
    sys.exit(code)


@main.command("compile")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The workbook to write (.xlsx).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a report: .docx or .pdf.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the long table (one row per form and question) as CSV.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the long table as JSON.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Cache folder (default: .lovande-cache beside the workbook).")
@click.option("--no-cache", is_flag=True, help="Read every file afresh and keep no cache.")
@click.option("--quotes", default=None, metavar="N|all",
              help="Report: quote N units' texts per element (default: a small sample), or all of them.")
@click.option("--title", default=None, help="Report: its title (cover and document metadata).")
@click.option("--author", default=None, help="Report: who sends it, e.g. the FoU unit (cover and metadata).")
@click.option("--date", default=None, metavar="YYYY-MM-DD", help="Report: its date (default: today).")
@click.option("--report-meta", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Report: a YAML file with title, author and date (the options above win).")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Report: state the changes since this earlier compile's summary (.json; default: "
                   "the last compile that wrote the same report, kept in the cache).")
def compile_command(inputs: tuple[Path, ...], output: Path, report: Path | None, csv_path: Path | None,
                    json_path: Path | None, jobs: int | None, cache_dir: Path | None, no_cache: bool,
                    quotes: str | None, title: str | None, author: str | None, date: str | None,
                    report_meta: Path | None, previous: Path | None) -> None:
    """Compile filled-in guides (files and folders; .docx, .odt, .pdf and the web edition's .json
    answers files) into one workbook for FoU staff.

    Duplicates are counted once, a unit's later revision replaces its earlier ones, and forms of
    different model versions are combined by question. A file that cannot be read is listed on the
    Problem sheet and on standard error; the exit status is 1 if any file failed.
    """
    from lovande_docs.compile.cli import run_compile
    from lovande_docs.interrupts import settle

    code = run_compile(inputs, output, report, csv_path, json_path, jobs, cache_dir, no_cache, quotes,
                       title, author, date, report_meta, previous)
    settle()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
