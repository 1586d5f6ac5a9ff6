"""What every built document carries so any filled copy can be mapped back to its model.

Word stores these as custom document properties, PDF in its document information dictionary
(keys prefixed with ``/``) and XMP; the readers look for the same names.
"""
from __future__ import annotations

from lovande_docs import __version__
from lovande_docs.model import Model

MODEL_ID = "LovandeModelId"
MODEL_VERSION = "LovandeModelVersion"
CONTENT_HASH = "LovandeContentHash"
GENERATOR = "LovandeGenerator"


def identity(model: Model) -> dict[str, str]:
    """The identity properties of a document built from ``model``, in a fixed order."""
    return {
        MODEL_ID: model.id,
        MODEL_VERSION: model.version,
        CONTENT_HASH: model.content_hash,
        GENERATOR: f"lovande-docs {__version__}",
    }
