"""The file index (compile/fileindex.py): a warm compile finds unchanged files without hashing or
reading them, and never takes a changed file for an unchanged one."""
from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import openpyxl
import pytest
from corpus import generate_answers, synthetic_reader, write_synthetic

from lovande_docs.compile import collect as collect_module
from lovande_docs.compile import compile_forms
from lovande_docs.compile.fileindex import INDEX_NAME, SETTLE_SECONDS
from lovande_docs.readers.guard import LimitError
from lovande_docs.readers.registry import Registry

OLD = time.time() - 3600  # an hour ago: long settled


@pytest.fixture
def registry(model):
    return Registry((model,), model)


@pytest.fixture
def hashed(monkeypatch):
    """The paths whose bytes a compile hashed (what the index saves a warm run from)."""
    seen: list[str] = []
    real = collect_module.read_file

    def counting(path):
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(collect_module, "read_file", counting)
    return seen


def _forms(folder: Path, model, count: int, mtime: float | None = OLD) -> list[Path]:
    paths = []
    for index in range(count):
        answers = generate_answers(model, random.Random(index), organisation=f"Kommun {index}",
                                   practice=f"Arbetssätt {index}", date=f"2026-0{index % 9 + 1}-01")
        path = write_synthetic(folder / f"enhet-{index}.pdf", answers)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
        paths.append(path)
    return paths


def _compile(folder: Path, target: Path, cache: Path, registry, **options):
    return compile_forms([folder], target, cache_dir=cache, reader=synthetic_reader, registry=registry, jobs=1,
                         **options)


def _organisations(workbook: Path) -> list[str]:
    sheet = openpyxl.load_workbook(workbook, read_only=True)["Översikt"]
    return sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))


def test_unchanged_files_are_neither_hashed_nor_read_again(tmp_path, model, registry, hashed):
    folder, cache = tmp_path / "inkommet", tmp_path / "cache"
    _forms(folder, model, 4)
    first = _compile(folder, tmp_path / "a.xlsx", cache, registry)
    assert first.counted == 4 and len(hashed) == 4 and first.cached == 0
    hashed.clear()
    second = _compile(folder, tmp_path / "b.xlsx", cache, registry)
    assert hashed == [] and second.cached == 4 and second.counted == 4
    assert _organisations(tmp_path / "a.xlsx") == _organisations(tmp_path / "b.xlsx")
    assert list(cache.glob(f"*/{INDEX_NAME}"))


def test_a_file_rewritten_with_the_same_size_and_time_is_read_again(tmp_path, model, registry, hashed):
    """What a copy that keeps the time (cp -p, unzip) does: only the change time and inode tell."""
    folder, cache = tmp_path / "inkommet", tmp_path / "cache"
    paths = _forms(folder, model, 3)
    _compile(folder, tmp_path / "a.xlsx", cache, registry)
    original = paths[1].read_bytes()
    changed = original.replace(b"Kommun 1", b"Kommun 7")
    assert len(changed) == len(original) and changed != original
    replacement = tmp_path / "ersattning.pdf"
    replacement.write_bytes(changed)
    os.utime(replacement, (OLD, OLD))
    os.replace(replacement, paths[1])  # same name, size and modification time; another inode
    hashed.clear()
    _compile(folder, tmp_path / "b.xlsx", cache, registry)
    assert hashed == [paths[1].name]
    assert _organisations(tmp_path / "b.xlsx") == ["Kommun 0", "Kommun 2", "Kommun 7"]


def test_a_file_recorded_moments_after_it_was_written_is_hashed_again(tmp_path, model, registry, hashed):
    """A coarse clock (FAT, network shares) cannot tell a write in the same second: not trusted."""
    folder, cache = tmp_path / "inkommet", tmp_path / "cache"
    young = _forms(folder, model, 2, mtime=None)
    os.utime(young[0], (OLD, OLD))
    _compile(folder, tmp_path / "a.xlsx", cache, registry)
    assert time.time() - young[1].stat().st_mtime < SETTLE_SECONDS
    hashed.clear()
    second = _compile(folder, tmp_path / "b.xlsx", cache, registry)
    assert hashed == [young[1].name]
    assert second.cached == 2  # its answers still came from the store, by its hash


def test_a_damaged_index_is_ignored(tmp_path, model, registry, hashed):
    folder, cache = tmp_path / "inkommet", tmp_path / "cache"
    _forms(folder, model, 2)
    _compile(folder, tmp_path / "a.xlsx", cache, registry)
    (index,) = cache.glob(f"*/{INDEX_NAME}")
    for damage in (b"{\"version\": 1, \"files\": {", b"[]", json.dumps(
            {"version": 1, "files": {str(p): {"signature": "x", "record": 5} for p in folder.iterdir()}}).encode()):
        index.write_bytes(damage)
        hashed.clear()
        result = _compile(folder, tmp_path / "b.xlsx", cache, registry)
        assert result.counted == 2 and sorted(hashed) == ["enhet-0.pdf", "enhet-1.pdf"]
        index.write_bytes(damage)  # the run rewrote it; damage it again for the next kind


def test_an_entry_of_the_wrong_shape_is_ignored(tmp_path, model, registry, hashed):
    folder, cache = tmp_path / "inkommet", tmp_path / "cache"
    _forms(folder, model, 1)
    _compile(folder, tmp_path / "a.xlsx", cache, registry)
    (index,) = cache.glob(f"*/{INDEX_NAME}")
    good = json.loads(index.read_text(encoding="utf-8"))
    for damage in ("a value too many", "a field the record does not have", "not a list"):
        data = json.loads(json.dumps(good))
        (entry,) = data["files"].values()
        if damage == "a value too many":
            entry[2].append(1)
        elif damage == "a field the record does not have":
            data["fields"][0] = "no_such_field"
        else:
            data["files"] = {key: 5 for key in data["files"]}
        index.write_text(json.dumps(data), encoding="utf-8")
        hashed.clear()
        assert _compile(folder, tmp_path / "b.xlsx", cache, registry).counted == 1
        assert hashed == ["enhet-0.pdf"], damage


def limited_reader(path: Path, data: bytes, sha256: str):
    if "enhet-0" in Path(path).name:
        raise LimitError("reading took longer than the limit per file (120 s); refused")
    return synthetic_reader(path, data, sha256)


def test_a_limit_is_not_remembered(tmp_path, model, registry, hashed):
    """A time or memory limit may pass on a calmer machine: the file is tried again next time."""
    folder, cache = tmp_path / "inkommet", tmp_path / "cache"
    _forms(folder, model, 2)
    first = compile_forms([folder], tmp_path / "a.xlsx", cache_dir=cache, reader=limited_reader,
                          registry=registry, jobs=1)
    assert first.failed == 1
    hashed.clear()
    second = compile_forms([folder], tmp_path / "b.xlsx", cache_dir=cache, reader=limited_reader,
                           registry=registry, jobs=1)
    assert hashed == ["enhet-0.pdf"] and second.failed == 1


def test_no_cache_leaves_no_index(tmp_path, model, registry):
    folder = tmp_path / "inkommet"
    _forms(folder, model, 1)
    compile_forms([folder], tmp_path / "a.xlsx", use_cache=False, reader=synthetic_reader, registry=registry, jobs=1)
    assert not list(tmp_path.rglob(INDEX_NAME))


def test_folders_of_other_tool_versions_go_once_unused(tmp_path, model, registry):
    folder, cache = tmp_path / "inkommet", tmp_path / "cache"
    _forms(folder, model, 1)
    stale, recent, foreign = cache / ("a" * 20), cache / ("b" * 20), cache / "mine"
    for other in (stale, recent, foreign):
        (other / "ab").mkdir(parents=True)
        (other / "ab" / "entry.json").write_text("{}")
    month = 86_400 * 30
    for path in (stale, stale / "ab", stale / "ab" / "entry.json", foreign):
        os.utime(path, (time.time() - 3 * month, time.time() - 3 * month))
    os.utime(recent, (time.time() - month, time.time() - month))
    _compile(folder, tmp_path / "a.xlsx", cache, registry)
    assert not stale.exists() and recent.exists() and foreign.exists()
    assert len(list(cache.glob(f"*/{INDEX_NAME}"))) == 1
