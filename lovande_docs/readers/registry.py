"""The model versions this tool knows, so a filled form can be mapped back by id, version and hash."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lovande_docs.model import ContentError, Model, load_model
from lovande_docs.paths import CONTENT_DIR, DEFAULT_CONTENT


@dataclass(frozen=True)
class Registry:
    models: tuple[Model, ...]
    default: Model  # the current model: used when a form names none this tool knows

    def by_hash(self, content_hash: str | None) -> Model | None:
        return next((m for m in self.models if m.content_hash == content_hash), None)

    def by_version(self, model_id: str | None, version: str | None) -> Model | None:
        return next((m for m in self.models if m.id == model_id and m.version == version), None)

    def latest(self, model_id: str | None) -> Model | None:
        candidates = [m for m in self.models if m.id == model_id]
        return max(candidates, key=lambda m: _version_key(m.version)) if candidates else None


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


@lru_cache(maxsize=4)
def load_registry(content_dir: Path = CONTENT_DIR, default: Path = DEFAULT_CONTENT) -> Registry:
    """Every valid model file under ``content_dir`` (recursively); broken ones are skipped here
    (``lovande validate`` reports them)."""
    models = []
    for path in sorted(content_dir.rglob("*.yaml")):
        try:
            models.append(load_model(path))
        except ContentError:
            continue
    default_model = next((m for m in models if Path(m.source) == default), None) or load_model(default)
    return Registry(tuple(models), default_model)
