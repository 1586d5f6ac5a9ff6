"""Each change and warning as a line of styled segments, in English (terminal) or Swedish (.docx).

The Markdown and Word renderers only turn segments into their own markup, so both reports say
the same thing in the same order.
"""
from __future__ import annotations

from dataclasses import dataclass

from lovande_docs.revision.changes import Change, Place, RevisionWarning


@dataclass(frozen=True)
class Segment:
    text: str
    style: str = "plain"  # "plain", "strong" (what changed), "code" (an id), "del", "ins"


WORDS = {
    "en": {
        "title": "Changes in {model}: {old} → {new}",
        "old": "Old", "new": "New", "none": "No changes.",
        "count": "{changes} change(s), {warnings} warning(s).",
        "warnings": "Warnings",
        "groups": {
            "model": "Metadata", "added": "Added", "removed": "Removed", "moved": "Moved",
            "renumbered": "Renumbered", "renamed": "Renamed", "reworded": "Reworded",
            "tip-changed": "Tips changed", "text-changed": "Texts changed",
            "attribute-changed": "Properties changed", "options": "Options", "labels": "Labels",
            "fields": "Fields",
        },
        "subjects": {
            "model": "Model", "category": "Category", "element": "Element", "question": "Question",
            "part": "Part", "section": "Section", "footnote": "Footnote", "option-list": "Option list",
            "option": "Option", "label": "Label", "field": "Field",
        },
        "kinds": {"added": "added", "removed": "removed", "relabelled": "relabelled", "changed": "changed",
                  "attribute-changed": "changed"},
        "category": "category {letter}", "element": "element {number} ({title})", "question": "question {number}",
        "was": "was",
        "attributes": {},
        "meaning-changed": ("`{id}` keeps its id, but its text is only {percent} % alike. If it now asks "
                            "something else, give it a new id; otherwise answers to the old question "
                            "are counted as answers to the new one."),
        "id-renamed": ("`{old_id}` was removed and `{id}` added with near-identical text ({percent} % alike). "
                       "If it is the same question, keep the id `{old_id}`; otherwise every answer already "
                       "given to it is disconnected."),
        "old-text": "old", "new-text": "new",
    },
    "sv": {
        "title": "Ändringar i {model} {old} → {new}",
        "old": "Tidigare version", "new": "Ny version", "none": "Inga ändringar.",
        "count": "{changes} ändring(ar), {warnings} varning(ar).",
        "warnings": "Varningar",
        "groups": {
            "model": "Publikationsuppgifter", "added": "Tillagt", "removed": "Borttaget", "moved": "Flyttat",
            "renumbered": "Omnumrerat", "renamed": "Nya namn och rubriker", "reworded": "Omformulerade frågor",
            "tip-changed": "Ändrade tips", "text-changed": "Ändrade texter",
            "attribute-changed": "Ändrade egenskaper", "options": "Svarsalternativ", "labels": "Etiketter",
            "fields": "Fält",
        },
        "subjects": {
            "model": "Modell", "category": "Kategori", "element": "Element", "question": "Stödfråga",
            "part": "Delfråga", "section": "Avsnitt", "footnote": "Fotnot", "option-list": "Svarslista",
            "option": "Svarsalternativ", "label": "Etikett", "field": "Fält",
        },
        "kinds": {"added": "tillagt", "removed": "borttaget", "relabelled": "ny text", "changed": "ändrat",
                  "attribute-changed": "ändrat"},
        "category": "kategori {letter}", "element": "element {number} ({title})", "question": "stödfråga {number}",
        "was": "tidigare",
        "attributes": {
            "title": "rubrik", "text": "text", "tip": "tips", "lead": "ingress", "body": "brödtext",
            "questions_intro": "inledning till stödfrågorna", "summary_statement": "sammanfattning",
            "intro": "inledning", "describe.heading": "rubrik för beskrivningen",
            "describe.text": "text för beskrivningen", "heading": "rubrik", "blocks": "text", "level": "rubriknivå",
            "central": "central fråga", "scope": "gäller", "condition": "villkor", "placeholder": "platshållare",
            "order": "ordning", "label": "text", "kind": "typ", "options": "svarslista", "hint": "hjälptext",
            "url": "webbadress", "letter": "bokstav", "version": "version", "published.month": "publiceringsmånad",
            "published.place": "publiceringsplats", "article_number": "artikelnummer", "subtitle": "undertitel",
            "notice": "upphovsrätt och alternativa format", "back_cover": "baksida", "language": "språk",
        },
        "meaning-changed": ("”{id}” har kvar sitt id, men texten liknar den tidigare bara till {percent} %. "
                            "Om frågan nu frågar efter något annat behöver den ett nytt id, annars räknas "
                            "svar på den gamla frågan som svar på den nya."),
        "id-renamed": ("”{old_id}” har tagits bort och ”{id}” lagts till med nästan samma text ({percent} % lika). "
                       "Om det är samma fråga bör id:t ”{old_id}” behållas, annars tappar alla svar som redan "
                       "getts på frågan kopplingen."),
        "old-text": "tidigare", "new-text": "ny",
    },
}

# Model attributes short enough to show as "old → new" rather than as a word diff.
_SHORT = {"id", "version", "language", "article_number", "published.place", "published.month"}


def place_text(place: Place | None, words: dict) -> str:
    if place is None:
        return ""
    if place.element_number is None:
        return words["category"].format(letter=place.category_letter)
    text = words["element"].format(number=place.element_number, title=place.element_title)
    if place.number is None:  # an element: say in which category, since elements can move between them
        return words["category"].format(letter=place.category_letter) + ", " + text
    return text + ", " + words["question"].format(number=place.number)


def attribute_text(attribute: str, words: dict) -> str:
    return words["attributes"].get(attribute, attribute.replace("_", " "))


def _diff(change: Change) -> list[Segment]:
    segments: list[Segment] = []
    for token in change.diff:
        if segments:
            segments.append(Segment(" "))
        segments.append(Segment(token.text, {"same": "plain", "del": "del", "ins": "ins"}[token.op]))
    return segments


def _arrow(old: str | None, new: str | None) -> list[Segment]:
    return [Segment(f"{old or '–'} → {new or '–'}")]


def describe(change: Change, language: str = "en") -> tuple[Segment, ...]:
    """One change as segments: who, where, and what became of it."""
    words = WORDS[language]
    if change.subject == "model":
        value = _arrow(change.old, change.new) if change.id in _SHORT else _diff(change)
        return (Segment(attribute_text(change.id, words), "strong"), Segment(": "), *value)
    head = [Segment(words["subjects"][change.subject], "strong"), Segment(" "), Segment(change.id, "code")]
    if change.group in ("options", "labels", "fields"):
        head.append(Segment(f" {words['kinds'].get(change.kind, change.kind)}"))
    kind = change.kind
    if kind == "added":
        where = place_text(change.new_place, words)
        return (*head, Segment(f" ({where})" if where else ""), Segment(": "), Segment(change.new or "", "ins"))
    if kind == "removed":
        where = place_text(change.old_place, words)
        where = f" ({words['was']} {where})" if where else ""
        return (*head, Segment(where), Segment(": "), Segment(change.old or "", "del"))
    if kind in ("moved", "renumbered"):
        if change.subject == "category":
            return (*head, Segment(": "), *_arrow(change.old, change.new))
        return (*head, Segment(": "), *_arrow(place_text(change.old_place, words), place_text(change.new_place, words)))
    where = place_text(change.new_place, words)
    head.append(Segment(f" ({where})" if where else ""))
    if change.attribute:
        head.append(Segment(f", {attribute_text(change.attribute, words)}"))
    head.append(Segment(": "))
    if change.diff and kind != "attribute-changed":
        return (*head, *_diff(change))
    return (*head, *_arrow(change.old, change.new))


def describe_warning(warning: RevisionWarning, language: str = "en") -> tuple[Segment, ...]:
    words = WORDS[language]
    message = words[warning.kind].format(id=warning.id, old_id=warning.old_id,
                                         percent=round(warning.similarity * 100))
    return (Segment(message), Segment(f" {words['old-text']}: "), Segment(warning.old_text, "del"),
            Segment(f" {words['new-text']}: "), Segment(warning.new_text, "ins"))
