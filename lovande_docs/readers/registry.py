"""The model versions this tool knows, so a filled form can be mapped back by id, version and hash,
and so ``lovande build`` and ``lovande diff`` can name a version instead of a file.

Versions come from ``content/`` (see :mod:`lovande_docs.versions` for the layout) and from any extra
content folder a caller passes (an archive of old versions, a test fixture).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lovande_docs.model import ContentError, Model, load_model
from lovande_docs.paths import CONTENT_DIR, DEFAULT_CONTENT
from lovande_docs.versions import content_files, declared_by_path, version_key


@dataclass(frozen=True)
class Broken:
    """A content file that did not load; ``messages`` are the loader's located errors."""

    path: Path
    messages: tuple[str, ...]


@dataclass(frozen=True)
class Registry:
    models: tuple[Model, ...]  # oldest first within each model id
    default: Model  # the latest version of the shipped model: built by default, used when a form names none known
    broken: tuple[Broken, ...] = ()
    issues: tuple[str, ...] = ()  # duplicate versions, file names that disagree with model.version

    def by_hash(self, content_hash: str | None) -> Model | None:
        return next((m for m in self.models if m.content_hash == content_hash), None)

    def by_version(self, model_id: str | None, version: str | None) -> Model | None:
        return next((m for m in self.models if m.id == model_id and m.version == version), None)

    def versions(self, model_id: str | None) -> tuple[Model, ...]:
        """Every known version of a model, oldest first (none for an unknown or missing id)."""
        return tuple(m for m in self.models if m.id == model_id)

    def latest(self, model_id: str | None) -> Model | None:
        versions = self.versions(model_id)
        return versions[-1] if versions else None


def build_registry(files: list[Path], default_file: Path | None = DEFAULT_CONTENT) -> Registry:
    """A registry of the given files, earlier files winning when two claim the same id and version.

    The default is the latest version of the model that ``default_file`` holds (or, if that file
    is not among them, of the first model found).
    """
    models: list[Model] = []
    broken: list[Broken] = []
    issues: list[str] = []
    for path in files:
        try:
            model = load_model(path)
        except ContentError as error:
            broken.append(Broken(path, tuple(error.messages)))
            continue
        claimed = declared_by_path(path, model.id)
        if claimed is not None and claimed != model.version:
            issues.append(f"{path}: the file name says version {claimed}, but model.version is {model.version}")
        if any(m.content_hash == model.content_hash for m in models):
            continue  # the same content twice (say, a copy in an extra folder)
        if (same := next((m for m in models if (m.id, m.version) == (model.id, model.version)), None)):
            issues.append(f"{path}: {model.id} {model.version} is also in {same.source} with different "
                          "content; the first one is used")
            continue
        models.append(model)
    default_id = next((m.id for m in models if default_file and Path(m.source) == Path(default_file)),
                      next((m.id for m in models), None))
    models.sort(key=lambda m: (m.id, version_key(m.version)))
    candidates = [m for m in models if m.id == default_id]
    if not candidates:
        raise ContentError([message for b in broken for message in b.messages]
                           or [f"no valid version of {default_id or 'any model'} found"])
    return Registry(tuple(models), candidates[-1], tuple(broken), tuple(issues))


@lru_cache(maxsize=8)
def load_registry(*extra_dirs: Path, content_dir: Path = CONTENT_DIR) -> Registry:
    """Every model file under ``content_dir`` and then under each extra folder.

    Broken files are skipped but kept in ``broken`` (``lovande validate`` reports them in full);
    the default is the latest version of the model the shipped content file holds.
    """
    files = content_files(content_dir)
    for folder in extra_dirs:
        files += [f for f in content_files(Path(folder)) if f not in files]
    return build_registry(files, DEFAULT_CONTENT)
