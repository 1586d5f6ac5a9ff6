"""The package as FoU staff and units get it: sdist → wheel → a fresh environment → every command,
run from an empty folder with no repository in sight.

Offline and fast: the sdist and wheel are built with setuptools' PEP 517 hooks (what `python -m
build --no-isolation` calls); the fresh venv has no pip and no packages of its own, and sees the
dependencies already installed for the tests through a .pth line (not this checkout: the editable
install's own .pth is not processed there). pip installs the wheel with --no-index, so it also
checks that the wheel's declared dependencies are met.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args, cwd: Path, env: dict | None = None, timeout: int = 300) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _hook(name: str, out: Path, cwd: Path) -> Path:
    code = f"import sys; from setuptools import build_meta; print(build_meta.{name}(sys.argv[1]))"
    made = _run([sys.executable, "-c", code, str(out)], cwd).strip().splitlines()[-1]
    return out / made


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from the sdist (so the sdist must carry everything the wheel needs)."""
    work = tmp_path_factory.mktemp("dist")
    sdist = _hook("build_sdist", work, ROOT)
    with tarfile.open(sdist) as archive:
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # Python 3.11.4+
        archive.extractall(work / "src", **safe)
    (source,) = (work / "src").iterdir()
    return _hook("build_wheel", work, source)


def test_wheel_carries_every_content_version_the_layouts_and_the_schema(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, pattern in (("content", "*.y*ml"), ("layouts", "*.y*ml"), ("schemas", "*.json")):
        shipped = {f"lovande_docs/_shipped/{folder}/{p.relative_to(ROOT / folder).as_posix()}"
                   for p in (ROOT / folder).rglob(pattern)}
        assert shipped and shipped <= names, f"{folder}: missing {sorted(shipped - names)}"
    assert "lovande_docs/compile/labels.yaml" in names
    assert not any(n.startswith(("tests/", "content/", "layouts/")) for n in names)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh venv with only the wheel installed (dependencies seen from the test environment)."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False, system_site_packages=False, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], env_dir).strip())
    dependencies = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib"),
                                  *(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))])
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(dependencies) + "\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    environ["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{environ.get('PATH', '')}"
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-index", "--quiet", str(wheel)],
         env_dir, environ)
    return {"bin": env_dir / "bin", "python": python, "env": environ, "purelib": purelib}


def test_installed_package_uses_its_own_copy_of_content_and_layouts(installed, tmp_path):
    out = _run([str(installed["python"]), "-c",
                "import lovande_docs, lovande_docs.paths as p, lovande_docs.layout as l; "
                "print(lovande_docs.__file__); print(p.CONTENT_DIR); print(l.DEFAULT_LAYOUT)"],
               tmp_path, installed["env"]).splitlines()
    assert all(Path(line).is_relative_to(installed["purelib"]) for line in out), out


def test_installed_commands_work_from_an_empty_folder(installed, tmp_path):
    lovande = str(installed["bin"] / "lovande")
    env = installed["env"]
    _run([lovande, "validate"], tmp_path, env)
    _run([lovande, "build"], tmp_path, env)
    built = sorted(p.name for p in (tmp_path / "output").iterdir())
    assert built == ["lovande-arbetssatt.docx", "lovande-arbetssatt.html", "lovande-arbetssatt.pdf"]
    parsed = _run([lovande, "parse", "output/lovande-arbetssatt.docx", "output/lovande-arbetssatt.pdf"], tmp_path, env)
    assert parsed.count('"known": true') == 2
    _run([lovande, "compile", "output", "-o", "sammanstallning.xlsx", "--no-cache"], tmp_path, env)
    assert (tmp_path / "sammanstallning.xlsx").stat().st_size > 0
    diff = _run([lovande, "diff", "lovande-arbetssatt@2026.1", "lovande-arbetssatt@2026.1"], tmp_path, env)
    assert "2026.1" in diff
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "sammanstallning.xlsx"]
