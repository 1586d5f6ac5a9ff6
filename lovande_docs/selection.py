"""Which model version a command works on: a file named on the command line, a version named by
number (``2027.1`` or ``lovande-arbetssatt@2027.1``), or by default the latest known version."""
from __future__ import annotations

import re
from pathlib import Path

from lovande_docs.model import ContentError, Model, load_model
from lovande_docs.readers.registry import Registry, load_registry
from lovande_docs.versions import split_ref


class SelectionError(Exception):
    """No model version fits what was asked for; the message says what is known instead."""


def registry(extra_dirs: tuple[Path, ...] = ()) -> Registry:
    return load_registry(*(Path(d).resolve() for d in extra_dirs))


def _known(reg: Registry, model_id: str) -> str:
    versions = ", ".join(m.version for m in reg.versions(model_id)) or "none"
    known = f"known versions of {model_id}: {versions}"
    if reg.broken:
        known += "; not loaded (run lovande validate): " + ", ".join(str(b.path) for b in reg.broken)
    return known


def by_version(reg: Registry, version: str) -> Model:
    """``2027.1`` (of the default model) or ``model-id@2027.1``."""
    model_id, number = split_ref(version) or (reg.default.id, version)
    model = reg.by_version(model_id, number)
    if model is None:
        raise SelectionError(f"{model_id}@{number}: unknown version ({_known(reg, model_id)})")
    return model


def latest(reg: Registry) -> Model:
    """The latest version of the default model; refuses when a content file is broken, since the
    broken file might be the latest (``--content`` or ``--model-version`` still work)."""
    if reg.broken:
        messages = [message for broken in reg.broken for message in broken.messages]
        hint = ("cannot tell which version is the latest while a content file is broken; "
                "fix it, or name a version with --model-version or a file with --content")
        raise ContentError([*messages, hint])
    return reg.default


def for_build(content: Path | None, version: str | None, extra_dirs: tuple[Path, ...] = ()) -> Model:
    """The model ``lovande build`` builds: ``--content FILE``, ``--model-version V`` or the latest."""
    if content is not None and version is not None:
        raise SelectionError("use either --content or --model-version, not both")
    if content is not None:
        return load_model(content)
    reg = registry(extra_dirs)
    return by_version(reg, version) if version is not None else latest(reg)


_BARE_VERSION = re.compile(r"[0-9][0-9A-Za-z.+-]*")


def from_spec(spec: str, extra_dirs: tuple[Path, ...] = ()) -> Model:
    """A model named on the command line: an existing content file, ``model-id@version``, or a
    bare version of the default model (``2026.1``)."""
    path = Path(spec)
    if path.exists():
        return load_model(path)
    if split_ref(spec) or (_BARE_VERSION.fullmatch(spec) and path.suffix not in (".yaml", ".yml")):
        return by_version(registry(extra_dirs), spec)
    return load_model(path)
