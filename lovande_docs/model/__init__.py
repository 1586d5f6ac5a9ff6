"""The model of the guide: typed, immutable, loaded and validated from content YAML."""
from lovande_docs.model.loader import ContentError, load_model, load_model_text
from lovande_docs.model.types import Model

__all__ = ["ContentError", "Model", "load_model", "load_model_text"]
