"""The content YAML, its loader and the model: real file, every error class, fidelity to the seed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from lovande_docs import fields, markup
from lovande_docs.cli import main
from lovande_docs.model import ContentError, load_model, load_model_text
from lovande_docs.paths import DEFAULT_CONTENT

from conftest import SEED

CONTENT = DEFAULT_CONTENT.read_text(encoding="utf-8")
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"


PAGE = "\x00"  # a page reference, as folded: the seed prints a number there


def fold(text: str) -> str:
    """Whitespace folded, footnote markers of either form removed: the text as compared."""
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = re.sub(r"\[#[^\]]+\]", PAGE, text)
    text = text.translate({ord(c): None for c in SUPERSCRIPTS})
    return " ".join(text.replace("\u00a0", " ").split())


def in_seed(text: str, seed: str) -> bool:
    """The folded text stands in the folded seed, a page reference matching the printed number."""
    pattern = re.escape(fold(text)).replace(re.escape(PAGE), r"\d+")
    return re.search(pattern, seed) is not None


# --- the shipped file ----------------------------------------------------------------------------

def test_shipped_model_counts(model):
    assert model.id == "lovande-arbetssatt"
    assert len(model.categories) == 4
    assert [c.letter for c in model.categories] == ["A", "B", "C", "D"]
    assert len(model.elements) == 11
    assert len(list(model.numbered_questions())) == 50
    assert len(model.footnotes) == 7


def test_element_2_question_2_is_a_conditional_heading_with_parts_a_to_e(model):
    element = model.elements[1]
    heading = element.questions[1]
    assert not heading.answerable
    assert heading.condition.question == element.questions[0].id and heading.condition.answer == "ja"
    assert "Om **Ja** på fråga 1" in heading.text
    numbers = [n.number for n in model.numbered_questions() if n.element is element]
    assert numbers == ["1", "2a", "2b", "2c", "2d", "2e"]


def test_notes_on_central_and_scoped_questions_are_kept(model):
    first, ninth = model.elements[0], model.elements[8]
    assert [q.central for q in first.questions] == [True, True, False, False, False]
    assert "frågorna 1 och 2 de mest centrala" in first.questions_intro[0]
    assert [q.scope for q in ninth.questions] == [None, "individual", "group", None, None]


def test_content_hash_is_stable_and_ignores_comments_but_not_text():
    first = load_model_text(CONTENT)
    assert load_model_text("# a comment\n" + CONTENT).content_hash == first.content_hash
    changed = load_model_text(CONTENT.replace("Följs brukarens utveckling upp över tid?",
                                              "Följs brukarens utveckling upp?"))
    assert changed.content_hash != first.content_hash
    assert re.fullmatch(r"[0-9a-f]{64}", first.content_hash)


def test_model_is_immutable(model):
    with pytest.raises(AttributeError):
        model.meta.version = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        model.labels["tip"] = "x"  # type: ignore[index]


def test_every_label_placeholder_formats(model):
    assert model.label("question_title", element=1, number="2") == "Element 1, stödfråga 2"
    assert model.label("category_heading", letter="A", title="Kunskapsbas") == "Kategori A – Kunskapsbas"


# --- field identities ----------------------------------------------------------------------------

def test_field_names_are_unique_well_formed_and_split_back(model):
    all_fields = fields.all_fields(model)
    names = [f.name for f in all_fields]
    assert len(names) == len(set(names)) == 50 * 3 + 11 * 3 + 4 + 8
    for f in all_fields:
        assert "." not in f.name and f.name.isascii()
        owner, key, code = fields.split_name(f.name)
        assert (owner, key, code) == (f.owner_id, f.key, None)
        if f.options:
            for option in f.options.items:
                assert fields.split_name(f.box_name(option.code)) == (f.owner_id, f.key, option.code)


def test_field_titles_name_the_question_for_screen_readers(model):
    answer = fields.fields_by_name(model)["forandringsteori__answer"]
    assert answer.box_title("ja") == "Element 1, stödfråga 2 – Ja"
    assert fields.fields_by_name(model)["studie-annan-malgrupp__status"].title == "Element 2, stödfråga 2b – Status"


def test_bookmark_names_fit_word_rules_and_stay_unique(model):
    names = [fields.bookmark_name(f.name) for f in fields.all_fields(model)]
    assert len(set(names)) == len(names)
    for name in names:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name), name


def test_unset_is_not_an_option_code(model):
    for option_list in model.options.values():
        assert fields.UNSET not in option_list.codes


# --- markup --------------------------------------------------------------------------------------

@given(st.text())
def test_literal_markup_shows_any_plain_text_as_it_is(text):
    """A title made markup (the PDF's continuation headings) keeps its *, [, <, ( and \\ as typed."""
    assert markup.plain(markup.literal(text)) == text
    assert not any(span.bold or span.italic or span.link or span.footnote or span.pageref
                   for span in markup.parse(markup.literal(text)))


def test_markup_parses_emphasis_footnotes_and_links():
    spans = markup.parse("a *kursiv* och **fet**[^not] <https://x.se/a> [text](https://y.se) \\*")
    assert [(s.text, s.bold, s.italic, s.link, s.footnote) for s in spans] == [
        ("a ", False, False, None, None),
        ("kursiv", False, True, None, None),
        (" och ", False, False, None, None),
        ("fet", True, False, None, None),
        ("", False, False, None, "not"),
        (" ", False, False, None, None),
        ("https://x.se/a", False, False, "https://x.se/a", None),
        (" ", False, False, None, None),
        ("text", False, False, "https://y.se", None),
        (" *", False, False, None, None),
    ]
    assert markup.plain("Om **Ja** på fråga 1[^x]") == "Om Ja på fråga 1"


def test_markup_parses_page_references_and_mail_addresses():
    spans = markup.parse("se *s.[#var-bedomning]* och <namn@example.se>.")
    assert [(s.text, s.italic, s.link, s.pageref) for s in spans] == [
        ("se ", False, None, None),
        ("s.", True, None, None),
        ("", True, None, "var-bedomning"),
        (" och ", False, None, None),
        ("namn@example.se", False, "mailto:namn@example.se", None),
        (".", False, None, None),
    ]
    assert markup.page_references("s.[#a] och sida [#b]") == ("a", "b")
    assert markup.plain("s.[#a] och sida [#b]", {"a": "12", "b": "3"}.get) == "s.12 och sida 3"
    assert markup.plain("sida [#b]") == "sida "  # a medium without pages shows no number
    assert markup.plain("\\[#a]") == "[#a]"


@pytest.mark.parametrize("text", ["*open", "**open", "a **b* c"])
def test_markup_rejects_unclosed_emphasis(text):
    with pytest.raises(markup.MarkupError):
        markup.parse(text)


# --- fidelity to the seed text -------------------------------------------------------------------

def _seed_items() -> tuple[list[str], list[str], list[str]]:
    """Questions (Stödfråga N), parts (a.–e.) and tips, as the seed text prints them."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    content = [line for line in lines if line]
    questions, parts, tips = [], [], []
    for index, line in enumerate(content):
        if re.fullmatch(r"Stödfråga \d+", line):
            questions.append(content[index + 1])
        elif re.match(r"[a-e]\. ", line) and content[index + 1].startswith("Ja Nej"):
            parts.append(line[3:])
        elif line.startswith("Tips: "):
            tips.append(line[len("Tips: "):])
    # The tip of element 2, question 2e is printed without "Tips:" in the original, and the tip of
    # element 9, question 5 has a second paragraph.
    e2 = content.index("e. Intern uppföljning eller utvärdering av arbetssättet för denna målgrupp.")
    tips.append(content[e2 + 3])
    tips.append(next(line for line in content if line.startswith("För grupporienterad verksamhet")))
    return questions, parts, tips


def test_every_seed_question_part_and_tip_is_in_the_model_verbatim(model):
    questions, parts, tips = _seed_items()
    assert len(questions) == 46 and len(parts) == 5  # 46 numbered + 5 parts = 50 answerable + 1 heading
    assert len(tips) == 52
    model_questions = {fold(q.text) for e in model.elements for q in e.questions}
    model_parts = {fold(p.text) for e in model.elements for q in e.questions for p in q.parts}
    model_tips = {fold(t) for e in model.elements for q in e.questions for item in (q, *q.parts) for t in item.tip}
    for text in questions:
        assert fold(text) in model_questions, text
    for text in parts:
        assert fold(text) in model_parts, text
    for text in tips:
        assert fold(text) in model_tips, text


def test_every_footnote_of_the_seed_is_in_the_model(model):
    seed = SEED.read_text(encoding="utf-8")
    urls = set(re.findall(r"<(https?://[^>]+)>", seed))
    assert urls == {f.url for f in model.footnotes.values() if f.url}
    for footnote in model.footnotes.values():
        if footnote.text:
            assert fold(footnote.text) in fold(seed)


def test_every_prose_text_of_the_model_is_in_the_seed(model):
    """Nothing the reader sees in the body is invented: each text stands in the seed (folded)."""
    from lovande_docs.model.walk import texts_in_order

    seed = fold(SEED.read_text(encoding="utf-8"))
    for text in texts_in_order(model):
        assert in_seed(text, seed), text
    references = [text for text in texts_in_order(model) if markup.page_references(text)]
    assert len(references) == 4  # "s.45" twice, "sida 49", the assessment's "s.45": generated, never typed
    typed = [text for text in texts_in_order(model) if re.search(r"\b(s\.|sida )\s?\d", text)]
    assert typed == []


# --- located errors, one case per error class ---------------------------------------------------

def _line_of(text: str, snippet: str) -> int:
    return text[: text.index(snippet)].count("\n") + 1


def _errors(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_model_text(text, "content/x.yaml")
    return caught.value.messages


QUESTION_PATH = "categories[0].elements[0].questions[2]"
BREAKS = {
    # error class: (original snippet, replacement, path in message, message fragment)
    "missing required key": (
        "      - id: rekommenderat-av-experter\n            text: ",
        "      - id: rekommenderat-av-experter\n            txet: ",
        QUESTION_PATH, "missing required key 'text'"),
    "unknown key": (
        "            central: true\n          - id: rekommenderat-av-experter",
        "            central: true\n            centrl: true\n          - id: rekommenderat-av-experter",
        "categories[0].elements[0].questions[1].centrl", "unknown key 'centrl'"),
    "duplicate id": (
        "- id: rekommenderat-av-experter", "- id: namngivna-teorier",
        QUESTION_PATH + ".id", "duplicate id 'namngivna-teorier'"),
    "invalid id": (
        "- id: rekommenderat-av-experter", "- id: rekommenderat.av.experter",
        QUESTION_PATH + ".id", "invalid id"),
    "empty text": (
        "        summary_statement: Arbetssättet är förankrat i teori och aktuell kunskap.",
        "        summary_statement: ''",
        "categories[0].elements[0].summary_statement", "empty text"),
    "wrong type": (
        "    level: 2\n    blocks:\n      - paragraph: Modellen är indelad",
        "    level: två\n    blocks:\n      - paragraph: Modellen är indelad",
        "sections[1].level", "expected a whole number"),
    "undefined option list": (
        "  options: question-status", "  options: fragestatus",
        "fields.question[1].options", "unknown option list 'fragestatus'"),
    "undefined footnote": (
        "programlogik[^stod-for-utvardering-mal]", "programlogik[^saknas]",
        "categories[1].elements[1].questions_intro[0]", "undefined footnote 'saknas'"),
    "unbalanced markup": (
        "*teori och kunskap* samt", "*teori och kunskap samt",
        "categories[0].intro[0]", "unclosed '*'"),
    "duplicate option code": (
        "      - code: paborjad", "      - code: ej_paborjad",
        "options.question-status.items[1].code", "duplicate option code 'ej_paborjad'"),
    "undefined condition target": (
        "    question: dokumenterad-positiv-verkan", "    question: finns-inte",
        "categories[0].elements[1].questions[1].condition.question", "unknown question 'finns-inte'"),
    "unknown label placeholder": (
        "question_heading: Stödfråga {number}", "question_heading: Stödfråga {nummer}",
        "labels.question_heading", "unknown placeholder"),
    "reserved option code": (
        "      - code: klar", "      - code: ej_vald",
        "options.question-status.items[2].code", "reserved"),
    "unknown page reference target": (
        "på sida [#var-bedomning]", "på sida [#var-bedomnng]",
        "summary.blocks[1].paragraph", "page reference to 'var-bedomnng', which is not the id of a heading"),
    "page reference to a question": (
        "på sida [#var-bedomning]", "på sida [#namngivna-teorier]",
        "summary.blocks[1].paragraph", "page reference to 'namngivna-teorier'"),
    "duplicate yaml key": (
        "  language: sv-SE\n", "  language: sv-SE\n  language: en\n",
        "model.language", "duplicate key 'language'"),
}


@pytest.mark.parametrize("error_class", sorted(BREAKS))
def test_each_error_class_names_file_line_and_path(error_class):
    original, replacement, path, fragment = BREAKS[error_class]
    assert original in CONTENT, f"fixture snippet for {error_class!r} no longer in the content file"
    broken = CONTENT.replace(original, replacement, 1)
    messages = _errors(broken)
    matching = [m for m in messages if f": {path}: " in m and fragment in m]
    assert matching, messages
    location = re.match(r"content/x\.yaml:(\d+):(\d+): ", matching[0])
    assert location, matching[0]
    changed_line = _line_of(CONTENT, original)
    assert changed_line <= int(location.group(1)) <= changed_line + replacement.count("\n") + 1


def test_unused_footnote_is_reported():
    broken = CONTENT.replace("Kunskapsguiden[^kunskapsguiden-isu]", "Kunskapsguiden")
    assert any("footnotes[6]: footnote 'kunskapsguiden-isu' is never referenced" in m for m in _errors(broken))


def test_yaml_syntax_error_is_located():
    broken = CONTENT.replace("  language: sv-SE", "  language: [sv-SE", 1)
    (message,) = _errors(broken)
    assert re.match(r"content/x\.yaml:\d+:\d+: YAML syntax error", message)


def test_all_errors_are_reported_at_once():
    broken = CONTENT
    for name in ("missing required key", "duplicate id", "undefined footnote", "undefined option list"):
        original, replacement, _, _ = BREAKS[name]
        broken = broken.replace(original, replacement, 1)
    assert len(_errors(broken)) >= 4


def test_unsafe_yaml_tags_are_refused():
    broken = CONTENT.replace("  language: sv-SE", "  language: !!python/object/apply:os.system ['true']", 1)
    (message,) = _errors(broken)
    assert "YAML syntax error" in message or "could not determine a constructor" in message


def test_unreadable_files_are_reported(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ContentError, match="cannot read"):
        load_model(missing)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("model: å".encode("latin-1"))
    with pytest.raises(ContentError, match="not UTF-8"):
        load_model(latin1)


# --- the validate command ----------------------------------------------------------------------------

def test_validate_prints_the_summary():
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    for expected in ("lovande-arbetssatt, version 2026.1", "categories   4", "elements     11",
                     "questions    50 answerable", "footnotes    7", "sha256:", "fields       195"):
        assert expected in result.output


def test_validate_reports_errors_with_exit_1_and_no_traceback(tmp_path):
    broken = tmp_path / "broken.yaml"
    original, replacement, path, fragment = BREAKS["missing required key"]
    broken.write_text(CONTENT.replace(original, replacement, 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.output and path in result.output and fragment in result.output
    assert "Traceback" not in result.output


def test_every_command_has_help():
    runner = CliRunner()
    assert "validate" in runner.invoke(main, ["--help"]).output
    for command in main.commands:
        result = runner.invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
    assert runner.invoke(main, ["--version"]).output.startswith("lovande, version ")


def test_the_shipped_content_is_the_default(model):
    assert Path(model.source) == DEFAULT_CONTENT
