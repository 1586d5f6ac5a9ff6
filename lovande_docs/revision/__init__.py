"""Revisions of the model: what changed between two versions, and which question is which.

``compare`` gives the change report's content (rendered by ``markdown`` and ``docx``);
``question_mapping`` is the id matching that prefill and cross-version compiling reuse.
"""
from lovande_docs.revision.changes import Change, Changes, Place, RevisionWarning, VersionRef
from lovande_docs.revision.compare import compare
from lovande_docs.revision.mapping import QuestionMapping, QuestionMatch, locate_questions, question_mapping
from lovande_docs.revision.wording import Token, similarity, word_diff

__all__ = [
    "Change", "Changes", "Place", "QuestionMapping", "QuestionMatch", "RevisionWarning", "Token", "VersionRef",
    "compare", "locate_questions", "question_mapping", "similarity", "word_diff",
]
