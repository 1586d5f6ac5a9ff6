"""Ships the model content, the layouts and the answers schema inside the package.

Editors keep content/ and layouts/ at the repository root; a wheel (and so a wheel built from the
sdist) gets a copy under lovande_docs/_shipped/, which lovande_docs.paths finds with importlib.resources.
An editable install copies nothing: paths falls back to the repository, so edits count at once.
"""
from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = {"content": ("*.yaml", "*.yml"), "layouts": ("*.yaml", "*.yml"), "schemas": ("*.json",)}


class build_py_with_data(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, patterns in SHIPPED.items():
            source = ROOT / folder
            if not source.is_dir():
                raise SystemExit(f"{source} is missing: the package cannot be built without it")
            target = Path(self.build_lib) / "lovande_docs" / "_shipped" / folder
            if target.exists():
                shutil.rmtree(target)
            for pattern in patterns:
                for path in sorted(source.rglob(pattern)):
                    destination = target / path.relative_to(source)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, destination)


setup(cmdclass={"build_py": build_py_with_data})
