"""Compile many filled forms into one summary for FoU staff (issue #6): ``lovande compile``.

Modules, one job each: inputs (expand files and folders), collect (parallel reading through the
answers store), cache (the store), record (the small per-form record), dedupe (duplicates and
revisions), catalog (questions across model versions), tally (counts), workbook, longtable
(CSV/JSON), report (its data), chart, report_pdf, report_docx, style (from the layout), labels
(the summary's own Swedish words), run (the whole command). Generated answers for tests and the
benchmark live in tests/corpus.py, outside the package.
"""
__all__ = ["CompileResult", "compile_forms"]


def __getattr__(name: str):
    """Imported when first used: ``lovande parse`` uses compile.output alone, and a command's
    first moments must stay short (its interrupt handling starts after the imports)."""
    if name in __all__:
        from lovande_docs.compile import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
