"""The web edition as built (no browser): the same text, order, ids and field names as the other
editions, a policy that allows no request, reproducible; and answers files read like any form."""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import re

import lxml.html
import pytest
from click.testing import CliRunner

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers_strategies import SAMPLE, answer_sets, expected, strip_answers
from lovande_docs import document as d
from lovande_docs import fields as field_ids
from lovande_docs import markup
from lovande_docs.cli import main
from lovande_docs.readers import ReadError, read_form
from lovande_docs.render import renderer
from lovande_docs.render.html import inline as html_inline
from lovande_docs.render.html.labels import ui_labels


@pytest.fixture(scope="module")
def built_html(model, layout, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "lovande-arbetssatt.html"
    renderer("html")(model, layout, path)
    return path


@pytest.fixture(scope="module")
def tree(built_html):
    return lxml.html.fromstring(built_html.read_bytes())


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_field_has_its_shared_name_and_each_question_is_one_fieldset(tree, model):
    names = [e.get("name") for e in tree.iter("input", "select", "textarea") if e.get("name")]
    assert list(dict.fromkeys(names)) == [f.name for f in field_ids.all_fields(model)]
    for definition in field_ids.all_fields(model):
        if definition.kind == "choice":
            boxes = tree.xpath(f'//input[@name="{definition.name}"]')
            assert [b.get("value") for b in boxes] == list(definition.options.codes)
            assert [b.get("id") for b in boxes] == [definition.box_name(c) for c in definition.options.codes]
            assert all(tree.xpath(f'//label[@for="{b.get("id")}"]') for b in boxes)
        else:
            assert tree.xpath(f'//label[@for="{definition.name}"]'), definition.name
    for numbered in model.numbered_questions():
        [fieldset] = tree.xpath(f'//fieldset[@data-question="{numbered.question.id}"]')
        assert fieldset.find("legend") is not None and not fieldset.xpath(".//fieldset")
        assert {e.get("name") for e in fieldset.iter("input", "select", "textarea")} == {
            f.name for f in field_ids.question_fields(model, numbered)}


def test_headings_anchors_and_text_follow_the_block_sequence(tree, model):
    blocks = d.build_document(model)
    headings = [b for b in blocks if isinstance(b, d.Heading)]
    found = tree.xpath("//form[@id='guide']//*[self::h1 or self::h2 or self::h3]")
    assert [(h.tag, h.get("id"), _words(h.text_content())) for h in found] == [
        (f"h{b.level}", b.anchor, _words(markup.plain(b.text))) for b in headings]
    toc = [a.get("href") for a in tree.xpath("//nav[@aria-labelledby='toc-heading']//a")]
    assert toc == ["#" + b.anchor for b in headings if b.in_toc]
    # every text of the guide, in the order of the blocks (footnote markers aside, as markup.plain does)
    body = copy.deepcopy(tree.xpath("//body")[0])
    for marker in body.xpath('.//a[@class="fnref" or @class="pageref"]'):
        marker.drop_tree()
    page = _words(body.text_content())
    position = 0
    for block in blocks:
        texts = {d.Para: lambda b: [b.text], d.BulletList: lambda b: list(b.items),
                 d.QuestionBlock: lambda b: [b.text, *b.tip], d.BoxBlock: lambda b: [b.title, *b.paragraphs, *b.bullets],
                 d.ElementSummary: lambda b: [b.name, b.statement]}.get(type(block), lambda b: [])(block)
        for text in texts:
            wanted = _words(_as_on_the_web(text, model))
            found_at = page.find(wanted, position)
            assert found_at >= 0, wanted[:80]
            position = found_at + len(wanted)


def test_links_reach_their_anchors_and_footnotes(tree, model):
    ids = set(tree.xpath("//@id"))
    internal = [h[1:] for h in tree.xpath("//a/@href") if h.startswith("#")]
    assert internal and set(internal) <= ids
    notes = tree.xpath("//div[@class='notes']//li")
    assert len(notes) == len(model.footnote_order())
    assert len(tree.xpath("//nav[@class='strip']")) == len(model.elements)
    assert tree.get("lang") == "sv" and tree.xpath("//a[@class='skip']/@href") == ["#main"]
    assert tree.xpath("//header") and tree.xpath("//main") and tree.xpath("//footer")


def _as_on_the_web(text: str, model) -> str:
    """A text as the page shows it, its page references left out with the words leading up to them."""
    page_words = html_inline.Inline(model, ui_labels()).page_words
    *before, last = markup.plain(text, page_of=lambda _: "\x00").split("\x00")
    return "".join(page_words.sub("", part) + " " for part in before) + last


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_the_policy_allows_only_the_pages_own_style_and_script(built_html):
    text = built_html.read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    [style] = re.findall(r"<style>(.*?)</style>", text, re.S)
    [script] = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert policy == (f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)}; "
                      "font-src data:; img-src data:; form-action 'none'; base-uri 'none'")
    assert not re.search(r"<(img|link|iframe|object|embed)\b", text) and " style=" not in text
    assert re.findall(r"url\((?!data:)", style) == []
    assert style.count("@font-face") == 4


def test_the_build_is_reproducible(model, layout, tmp_path):
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    renderer("html")(model, layout, first)
    renderer("html")(model, layout, second)
    assert first.read_bytes() == second.read_bytes()


def test_page_references_link_to_their_sections_without_page_words(tree, model):
    """A web page has no pages: each of the guide's page references is a link to its heading, named
    by it, and the printed words that led up to a number ("på s.", "sida") are gone."""
    refs = tree.xpath("//a[@class='pageref']")
    expected_count = sum(len(markup.page_references(text)) for text in _all_texts(model))
    assert expected_count and len(refs) == expected_count
    headings = {h.get("id"): _words(h.text_content()).rstrip(":") for h in tree.xpath("//h1|//h2|//h3")}
    for ref in refs:
        target = ref.get("href")[1:]
        assert target in headings
        assert ref.get("aria-label").endswith(headings[target])
        before = (ref.getprevious().tail if ref.getprevious() is not None else ref.getparent().text) or ""
        assert not re.search(r"(?:\bs\.|\bsida)\s*$", before)


def _all_texts(model):
    for block in d.build_document(model):
        yield from (value for value in vars(block).values() if isinstance(value, str))


# --- answers files ------------------------------------------------------------------------------------

def _answers_file(model, answers: dict, **changes) -> dict:
    doc = {"schema": "lovande-answers/1",
           "source": {"file": "svar.json", "sha256": "0" * 64, "format": "html", "size": 1},
           "model": {"id": model.id, "version": model.version, "content_hash": model.content_hash,
                     "generator": "lovande-docs 0.1.0", "known": True, "read_with": f"{model.id} {model.version}"},
           **expected(model, answers), "problems": []}
    doc.update(changes)
    return doc


def test_an_answers_file_is_read_like_a_form_by_content_not_name(model, tmp_path):
    path = tmp_path / "enhet-a.txt"
    path.write_text(json.dumps(_answers_file(model, SAMPLE), ensure_ascii=False), encoding="utf-8")
    form = read_form(path).to_dict()
    assert strip_answers(form) == expected(model, SAMPLE)
    assert form["source"]["format"] == "html" and form["model"]["known"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_answers_file_reads_back_exactly(model, tmp_path, data):
    entered = data.draw(answer_sets(model, long_text=True))
    path = tmp_path / "svar.json"
    path.write_text(json.dumps(_answers_file(model, entered), ensure_ascii=False), encoding="utf-8")
    assert strip_answers(read_form(path).to_dict()) == expected(model, entered)


def test_problems_are_found_afresh_not_taken_from_the_file(model, tmp_path):
    answers = {"questions": {"namngivna-teorier": {"answer": None, "status": None, "description": "Text."},
                             "forandringsteori": {"answer": "kanske", "status": None, "description": None}}}
    doc = _answers_file(model, answers, problems=[{"field": None, "kind": "conflict", "message": "planted"}])
    del doc["questions"]["studie-annan-malgrupp"]
    path = tmp_path / "svar.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    form = read_form(path).to_dict()
    kinds = {(p["kind"], p["field"]) for p in form["problems"]}
    assert kinds == {("description_without_answer", "namngivna-teorier__answer"),
                     ("unknown_value", "forandringsteori__answer"),
                     ("missing_field", "studie-annan-malgrupp__answer"),
                     ("missing_field", "studie-annan-malgrupp__status"),
                     ("missing_field", "studie-annan-malgrupp__description")}


@pytest.mark.parametrize("content, message", [
    (b'{"schema": "lovande-answers/1", "questions": {', "damaged answers file: not valid JSON (line 1, column"),
    (b'{"a": 1}', "a JSON file, but not answers in the lovande-answers/1 format"),
    (b"[]", "an answers file with 0 forms"),
    (b'[{"schema": "lovande-answers/1"}, {"schema": "lovande-answers/1"}]', "an answers file with 2 forms"),
    (b'[{"file": "a.docx", "question_id": "x"}]', "a JSON file, but not answers in the lovande-answers/1 format"),
    (b'{"schema": "lovande-answers/1"}', "not in the lovande-answers/1 format: at the top level: 'source' is a required"),
    (b'{"schema": "lovande-answers/1", "x": "\xff"}', "damaged answers file: the text is not UTF-8"),
    (b"[" * 100000, "damaged answers file"),
])
def test_a_bad_answers_file_is_one_line(content, message, tmp_path):
    path = tmp_path / "svar.json"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=re.escape(message)):
        read_form(path)
    result = CliRunner(mix_stderr=False).invoke(main, ["parse", str(path)]) if _mix_stderr() else \
        CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line for line in (getattr(result, "stderr", None) or result.output).splitlines() if line.startswith(str(path))]
    assert len(lines) == 1 and message in lines[0]


def _mix_stderr() -> bool:
    import inspect

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def test_a_wrong_value_type_is_named_where_it_is(model, tmp_path):
    doc = _answers_file(model, SAMPLE)
    doc["questions"]["namngivna-teorier"]["answer"] = 3
    path = tmp_path / "svar.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ReadError, match="at questions/namngivna-teorier/answer: 3 is not of type"):
        read_form(path)


def test_the_web_page_itself_is_told_to_save_its_answers(built_html, tmp_path):
    with pytest.raises(ReadError, match="the web edition of the guide itself.*Spara som fil"):
        read_form(built_html)


def test_prefill_writes_the_answers_into_the_page(model, tmp_path):
    source = tmp_path / "svar.json"
    source.write_text(json.dumps(_answers_file(model, SAMPLE), ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--format", "html", "-o", str(tmp_path / "ut"), "--prefill", str(source)])
    assert result.exit_code == 0, result.output
    page = lxml.html.fromstring((tmp_path / "ut" / "lovande-arbetssatt.html").read_bytes())
    assert page.xpath('//input[@name="namngivna-teorier__answer"][@checked]/@value') == ["ja"]
    assert page.xpath('//select[@name="namngivna-teorier__status"]/option[@selected]/@value') == ["klar"]
    assert page.xpath('//textarea[@name="namngivna-teorier__description"]/text()') == ["KBT och MI.\nSe manualen, s. 4–5."]
    assert page.xpath('//input[@name="var-bedomning__organisation"]/@value') == ["Exempels kommun"]
