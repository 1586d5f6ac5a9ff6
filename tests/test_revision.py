"""Versions side by side and the change report: the fixture revision, crafted mistakes, both
report formats, the registry's ordering and `lovande build --model-version`."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner

from lovande_docs import cli
from lovande_docs.cli import main
from lovande_docs.model import load_model, load_model_text
from lovande_docs.paths import CONTENT_DIR, DEFAULT_CONTENT
from lovande_docs.readers.registry import build_registry, load_registry
from lovande_docs.revision import compare, question_mapping, word_diff
from lovande_docs.revision.docx import write_docx_report
from lovande_docs.revision.markdown import render_markdown
from lovande_docs.versions import content_files, split_ref, version_key

from conftest import FIXTURES

CONTENT = DEFAULT_CONTENT.read_text(encoding="utf-8")
VERSIONS = FIXTURES / "versions"
REVISED = VERSIONS / "lovande-arbetssatt" / "2027.1.yaml"
EDITS = yaml.safe_load((FIXTURES / "revision-2027.1-edits.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def revised():
    return load_model(REVISED)


@pytest.fixture(scope="module")
def changes(model, revised):
    return compare(model, revised)


def edited(*replacements: tuple[str, str]):
    """The shipped content with text replacements applied (each must match exactly once)."""
    text = CONTENT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return load_model_text(text, "content/edited.yaml")


# --- the fixture revision ---------------------------------------------------------------------

def test_fixture_is_a_valid_hypothetical_later_version(model, revised):
    assert (revised.id, revised.version) == (model.id, "2027.1")
    assert version_key(revised.version) > version_key(model.version)
    assert not any(Path(p).is_relative_to(VERSIONS) for p in content_files(CONTENT_DIR))
    result = CliRunner().invoke(main, ["validate", str(REVISED)])
    assert result.exit_code == 0 and "version 2027.1" in result.output


def test_diff_of_the_fixture_lists_exactly_the_edits_made(changes):
    expected = {(e["kind"], e["subject"], e["id"]) for e in EDITS["edits"]}
    assert changes.keys() == expected
    assert len(changes.items) == len(EDITS["edits"])
    assert changes.warnings == ()
    by_key = {c.key: c for c in changes.items}
    for edit in EDITS["edits"]:
        change = by_key[(edit["kind"], edit["subject"], edit["id"])]
        if "from" in edit:
            assert change.old_place.ref == edit["from"], edit
        if "to" in edit:
            assert change.new_place.ref == edit["to"], edit
        if "old" in edit:
            assert change.old == edit["old"], edit
        if "new" in edit:
            assert change.new == edit["new"], edit


def test_versions_of_the_same_content_have_no_changes(model):
    assert not compare(model, model)
    same = load_model_text("# only a comment differs\n" + CONTENT, "content/copy.yaml")
    changes = compare(model, same)
    assert changes.items == () and changes.warnings == ()
    assert "No changes." in render_markdown(changes)


def test_question_mapping_says_what_became_of_every_question(model, revised):
    mapping = question_mapping(model, revised)
    new_ids = [n.question.id for n in revised.numbered_questions()]
    assert set(new_ids) <= set(mapping.questions)
    assert mapping.removed == ("jamforelse-av-kostnader",)
    assert mapping.status("introduktion-av-nya-medarbetare") == "new"
    assert mapping.status("uppfoljning-over-tid") == "reworded"
    assert mapping.status("samtycke-till-mal") == "moved"
    assert mapping.questions["delmal"].renumbered and mapping.status("delmal") == "unchanged"
    assert mapping.questions["samtycke-till-mal"].carries_answers
    assert not mapping.questions["uppfoljning-over-tid"].carries_answers
    assert not mapping.questions["tidigare-dokumentation"].carries_answers  # a heading with parts
    assert mapping.questions["studie-samma-malgrupp"].carries_answers
    unchanged = [i for i in new_ids if mapping.status(i) == "unchanged"]
    assert len(unchanged) == 47
    assert mapping.probably_renamed == {} and mapping.meaning_changed == ()


# --- crafted pairs: the two warnings and the other kinds of change -------------------------------

def test_reused_id_for_a_new_meaning_is_warned_about(model):
    new = edited(("text: Får medarbetarna handledning eller annan form av professionell coaching kring arbetssättet?",
                  "text: Finns det en budget för lokaler och resor till brukarnas aktiviteter?"))
    changes = compare(model, new)
    assert ("reworded", "question", "handledning") in changes.keys()
    (warning,) = changes.warnings
    assert (warning.kind, warning.id, warning.old_id) == ("meaning-changed", "handledning", "handledning")
    assert warning.similarity < 0.5
    assert question_mapping(model, new).meaning_changed == ("handledning",)
    assert "keeps its id" in render_markdown(changes)


def test_renamed_id_with_near_identical_text_is_warned_about(model):
    new = edited(("- id: handledning\n", "- id: handledning-och-coaching\n"),
                 ("handledning eller annan form av professionell coaching kring arbetssättet?",
                  "handledning eller annan form av professionell coaching i arbetssättet?"))
    changes = compare(model, new)
    assert {("removed", "question", "handledning"), ("added", "question", "handledning-och-coaching")} <= changes.keys()
    (warning,) = changes.warnings
    assert (warning.kind, warning.id, warning.old_id) == ("id-renamed", "handledning-och-coaching", "handledning")
    assert warning.similarity > 0.8
    assert question_mapping(model, new).probably_renamed == {"handledning": "handledning-och-coaching"}


def test_small_rewording_raises_no_warning(model):
    new = edited(("Följs brukarens utveckling upp över tid?", "Följs brukarens utveckling upp över längre tid?"))
    assert compare(model, new).warnings == ()


def test_every_other_kind_of_change_is_found(model):
    new = edited(
        ("  tip: 'Tips:'", "  tip: 'Tips!'"),
        ("        label: Ej relevant", "        label: Inte relevant"),
        ("      label: Beskrivning\n", "      label: Beskrivning och motivering\n"),
        ("    heading: Planering\n", "    heading: Planera\n"),
        ("    title: Utveckling\n", "    title: Utveckling och lärande\n"),
        ("Vetenskaplig studie av arbetssättet för denna målgrupp.",
         "Vetenskaplig studie av arbetssättet för just denna målgrupp."),
        ("            tip: Använd exempelvis SMART-kriterier för att bedöma detta.",
         "            tip: Använd exempelvis SMART-kriterier.\n            central: true"),
        ("    text: Vetenskapligt förhållningssätt hos SBU, se vidare",
         "    text: Vetenskapligt förhållningssätt hos SBU"),
        ("      - code: klar\n        label: Klar\n", ""),
    )
    assert compare(model, new).keys() == {
        ("changed", "label", "tip"),
        ("relabelled", "option", "answer:ej_relevant"),
        ("changed", "field", "question.description"),
        ("renamed", "section", "planering"),
        ("renamed", "category", "utveckling"),
        ("reworded", "part", "studie-samma-malgrupp"),
        ("tip-changed", "question", "bedombara-mal"),
        ("attribute-changed", "question", "bedombara-mal"),
        ("text-changed", "footnote", "sbu-vetenskapligt-forhallningssatt"),
        ("removed", "option", "question-status:klar"),
    }


def test_word_diff_marks_deleted_and_inserted_words():
    tokens = word_diff("Finns det en nedskrivna beskrivning?", "Finns det en nedskriven beskrivning av arbetssättet?")
    assert [(t.op, t.text) for t in tokens] == [
        ("same", "Finns det en"), ("del", "nedskrivna beskrivning?"), ("ins", "nedskriven beskrivning av arbetssättet?")]


# --- the reports -------------------------------------------------------------------------------

def test_markdown_report_has_a_heading_per_kind_and_word_markup(changes):
    text = render_markdown(changes)
    for heading in ("## Metadata", "## Added", "## Removed", "## Moved", "## Renumbered", "## Renamed",
                    "## Reworded", "## Options"):
        assert heading in text
    assert "Följs brukarens utveckling upp {+vid flera tillfällen+} över tid?" in text
    assert "Överförbarhet {+och spridning+}" in text
    assert "element 4 (Mål), question 5 → element 9 (Individuell anpassning och delaktighet), question 6" in text


def test_docx_report_opens_and_shows_the_changes_struck_and_underlined(changes, model, revised, tmp_path):
    path = tmp_path / "andringar.docx"
    write_docx_report(changes, path)
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Publikationsuppgifter", "Tillagt", "Borttaget", "Flyttat", "Omnumrerat",
                        "Nya namn och rubriker", "Omformulerade frågor", "Svarsalternativ"]
    text = "\n".join(p.text for p in document.paragraphs)
    for change in changes.items:
        assert change.id in text or change.subject == "model"
    assert document.paragraphs[0].text == "Ändringar i Lovande arbetssätt 2026.1 → 2027.1"
    inserted = [r.text for p in document.paragraphs for r in p.runs if r.font.underline]
    assert "vid flera tillfällen" in inserted

    backwards = tmp_path / "bakat.docx"
    write_docx_report(compare(revised, model), backwards)
    struck = [r.text for p in docx.Document(str(backwards)).paragraphs for r in p.runs if r.font.strike]
    assert "vid flera tillfällen" in struck


# --- registry and version layout ---------------------------------------------------------------

def test_versions_order_numerically():
    versions = ["2027.1", "2026.10", "2026.9", "2026.1", "2027.1-rc1", "2027.1.1"]
    assert sorted(versions, key=version_key) == ["2026.1", "2026.9", "2026.10", "2027.1-rc1", "2027.1", "2027.1.1"]
    assert split_ref("lovande-arbetssatt@2026.1") == ("lovande-arbetssatt", "2026.1")
    assert split_ref("content/x.yaml") is None


def test_registry_knows_every_version_and_defaults_to_the_latest(model):
    shipped = load_registry()
    assert [m.version for m in shipped.versions("lovande-arbetssatt")] == ["2026.1"]
    assert shipped.latest(None) is None and shipped.versions("other-model") == ()
    assert shipped.default.content_hash == model.content_hash
    both = load_registry(VERSIONS.resolve())
    assert [m.version for m in both.versions("lovande-arbetssatt")] == ["2026.1", "2027.1"]
    assert both.latest("lovande-arbetssatt").version == both.default.version == "2027.1"
    assert both.by_version("lovande-arbetssatt", "2026.1").content_hash == model.content_hash
    assert both.by_hash(model.content_hash).version == "2026.1"
    assert both.by_version("lovande-arbetssatt", "2025.1") is None


def test_registry_orders_by_version_not_by_file_and_reports_broken_files(tmp_path):
    folder = tmp_path / "lovande-arbetssatt"
    folder.mkdir()
    for version in ("2026.9", "2026.10"):
        (folder / f"{version}.yaml").write_text(CONTENT.replace("version: '2026.1'", f"version: '{version}'"),
                                                encoding="utf-8")
    (folder / "2027.1.yaml").write_text(CONTENT.replace("version: '2026.1'", "version: '2027.2'"), encoding="utf-8")
    (folder / "2028.1.yaml").write_text(CONTENT.replace("    text: ", "    txet: ", 1), encoding="utf-8")
    registry = build_registry([DEFAULT_CONTENT, *content_files(tmp_path)])
    assert [m.version for m in registry.versions("lovande-arbetssatt")] == ["2026.1", "2026.9", "2026.10", "2027.2"]
    assert registry.default.version == "2027.2"
    (broken,) = registry.broken
    assert broken.path.name == "2028.1.yaml" and "unknown key 'txet'" in broken.messages[0]
    assert any("file name says version 2027.1" in issue for issue in registry.issues)


# --- the commands ------------------------------------------------------------------------------

@pytest.fixture
def fake_build(monkeypatch):
    """`lovande build` with the renderers and layout stubbed: which model would be built."""
    built = []

    def render(model, layout, target):
        built.append(model)
        Path(target).write_bytes(b"stub")

    monkeypatch.setattr(cli, "renderer", lambda name: render)
    monkeypatch.setattr(cli, "load_layout", lambda path: None)
    return built


def test_build_picks_the_latest_or_the_requested_version(fake_build, tmp_path):
    runner = CliRunner()
    base = ["build", "--format", "docx", "-o", str(tmp_path)]
    assert runner.invoke(main, base).exit_code == 0
    assert fake_build[-1].version == "2026.1" and Path(fake_build[-1].source) == DEFAULT_CONTENT
    result = runner.invoke(main, base + ["--content-dir", str(VERSIONS)])
    assert result.exit_code == 0 and fake_build[-1].version == "2027.1"
    result = runner.invoke(main, base + ["--content-dir", str(VERSIONS), "--model-version", "2026.1"])
    assert result.exit_code == 0 and fake_build[-1].version == "2026.1"
    result = runner.invoke(main, base + ["--content-dir", str(VERSIONS), "--model-version", "lovande-arbetssatt@2027.1"])
    assert result.exit_code == 0 and Path(fake_build[-1].source) == REVISED.resolve()
    result = runner.invoke(main, base + ["--content", str(REVISED)])
    assert result.exit_code == 0 and fake_build[-1].version == "2027.1"


def test_build_refuses_an_unknown_version_or_two_choices(fake_build, tmp_path):
    runner = CliRunner()
    base = ["build", "--format", "docx", "-o", str(tmp_path)]
    result = runner.invoke(main, base + ["--model-version", "2099.1"])
    assert result.exit_code == 1 and "unknown version" in result.output and "2026.1" in result.output
    result = runner.invoke(main, base + ["--model-version", "2026.1", "--content", str(REVISED)])
    assert result.exit_code == 1 and "either --content or --model-version" in result.output
    assert fake_build == []


def test_diff_command_prints_markdown_and_writes_docx(tmp_path):
    target = tmp_path / "report.docx"
    result = CliRunner().invoke(main, ["diff", "lovande-arbetssatt@2026.1", "lovande-arbetssatt@2027.1",
                                       "--content-dir", str(VERSIONS), "--docx", str(target)])
    assert result.exit_code == 0, result.output
    assert "# Changes in Lovande arbetssätt: 2026.1 → 2027.1" in result.output
    assert "`samtycke-till-mal`" in result.output
    assert "Tillagt" in [p.text for p in docx.Document(str(target)).paragraphs]


def test_diff_command_reports_a_broken_file_with_its_location(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(CONTENT.replace("      - id: rekommenderat-av-experter\n            text: ",
                                      "      - id: rekommenderat-av-experter\n            txet: ", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(DEFAULT_CONTENT), str(broken)])
    assert result.exit_code == 1
    assert f"{broken}:" in result.output and "categories[0].elements[0].questions[2]" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["diff", "lovande-arbetssatt@1999.1", str(DEFAULT_CONTENT)])
    assert result.exit_code == 1 and "unknown version" in result.output


def test_help_names_the_new_options():
    runner = CliRunner()
    assert "diff" in runner.invoke(main, ["--help"]).output
    diff_help = runner.invoke(main, ["diff", "--help"]).output
    assert "OLD" in diff_help and "--docx" in diff_help
    assert "--model-version" in runner.invoke(main, ["build", "--help"]).output


def test_validate_checks_version_folders_and_their_file_names(tmp_path):
    folder = tmp_path / "lovande-arbetssatt"
    folder.mkdir()
    (folder / "2027.1.yaml").write_text(REVISED.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 0 and "version 2027.1" in result.output
    (folder / "2027.2.yaml").write_text(REVISED.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1 and "file name says version 2027.2, but model.version is 2027.1" in result.output


def test_structural_edits_move_and_renumber_elements_and_parts(model):
    data = yaml.safe_load(CONTENT)
    koncept, yrke = data["categories"][1], data["categories"][2]
    economy = koncept["elements"].pop(3)
    yrke["elements"].append(economy)
    parts = data["categories"][0]["elements"][1]["questions"][1]["parts"]
    parts[:] = [p for p in parts if p["id"] != "extern-utvardering"]
    data["sections"].append({"id": "nytt-avsnitt", "heading": "Nytt avsnitt", "level": 2,
                             "blocks": [{"paragraph": "Text."}]})
    new = load_model_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "content/structure.yaml")
    changes = compare(model, new)
    assert changes.keys() == {
        ("moved", "element", "ekonomi"),
        ("renumbered", "element", "professionell-reflektion"),
        ("renumbered", "element", "relationellt-samarbete"),
        ("renumbered", "element", "individuell-anpassning-och-delaktighet"),
        ("removed", "part", "extern-utvardering"),
        ("renumbered", "part", "intern-uppfoljning"),
        ("added", "section", "nytt-avsnitt"),
    }
    moved = next(c for c in changes.items if c.kind == "moved")
    assert (moved.old_place.category_letter, moved.new_place.category_letter) == ("B", "C")
    assert (moved.old, moved.new) == ("6", "9")
    renumbered = next(c for c in changes.items if c.id == "intern-uppfoljning")
    assert (renumbered.old, renumbered.new) == ("2.2e", "2.2d")
    mapping = question_mapping(model, new)
    assert mapping.status("tydliga-kostnader") == "unchanged"  # its element moved, the question did not


def test_build_refuses_to_guess_the_latest_when_a_version_is_broken(fake_build, tmp_path):
    folder = tmp_path / "versions" / "lovande-arbetssatt"
    folder.mkdir(parents=True)
    (folder / "2027.1.yaml").write_text(CONTENT.replace("version: '2026.1'", "version: '2027.1'")
                                        .replace("      - id: rekommenderat-av-experter\n            text: ",
                                                 "      - id: rekommenderat-av-experter\n            txet: ", 1),
                                        encoding="utf-8")
    base = ["build", "--format", "docx", "-o", str(tmp_path / "out"), "--content-dir", str(tmp_path / "versions")]
    result = CliRunner().invoke(main, base)
    assert result.exit_code == 1 and "2027.1.yaml:" in result.output and "missing required key 'text'" in result.output
    assert "Traceback" not in result.output and fake_build == []
    result = CliRunner().invoke(main, base + ["--model-version", "2026.1"])
    assert result.exit_code == 0 and fake_build[-1].version == "2026.1"
