"""The Svar sheet written by a forked child (compile/forked.py) while the compile goes on: the same
workbook as written in one process, also when the child fails half way; a child is never left
behind."""
from __future__ import annotations

import os
import random
import time
import zipfile
from pathlib import Path

import pytest
from corpus import generate_answers, synthetic_reader, write_synthetic

from lovande_docs.compile import compile_forms
from lovande_docs.compile import workbook as workbook_module
from lovande_docs.compile.forked import FAILED, Forked, fork_available
from lovande_docs.readers.registry import Registry

pytestmark = pytest.mark.skipif(not fork_available(), reason="the child is forked on Linux only")


@pytest.fixture
def folder(tmp_path, model):
    folder = tmp_path / "inkommet"
    for index in range(12):
        answers = generate_answers(model, random.Random(index), organisation=f"Kommun {index}",
                                   practice=f"Arbetssätt {index}", date=f"2026-0{index % 9 + 1}-01")
        write_synthetic(folder / f"enhet-{index}.{'pdf' if index % 2 else 'docx'}", answers)
    return folder


def _compile(folder: Path, target: Path, model) -> dict[str, bytes]:
    compile_forms([folder], target, use_cache=False, reader=synthetic_reader, registry=Registry((model,), model),
                  jobs=1)
    with zipfile.ZipFile(target) as book:
        return {name: book.read(name) for name in book.namelist() if name.startswith("xl/worksheets/")}


def test_the_child_writes_what_one_process_writes(folder, tmp_path, model, monkeypatch):
    forked = _compile(folder, tmp_path / "forked.xlsx", model)
    monkeypatch.setenv("LOVANDE_NO_FORK", "1")
    serial = _compile(folder, tmp_path / "serial.xlsx", model)
    assert forked == serial
    assert forked["xl/worksheets/sheet2.xml"].count(b"<row ") == 1 + 12 * 50  # header, 50 questions a form


def test_a_child_that_fails_half_way_is_replaced_by_the_main_process(folder, tmp_path, model, monkeypatch):
    monkeypatch.setenv("LOVANDE_NO_FORK", "1")
    serial = _compile(folder, tmp_path / "serial.xlsx", model)
    monkeypatch.delenv("LOVANDE_NO_FORK")
    main = os.getpid()
    written = []
    real = workbook_module.SummaryWorkbook.answer_rows

    def failing_in_the_child(self, record, answers, asked):
        real(self, record, answers, asked)
        written.append(record.file)
        if os.getpid() != main and len(written) == 5:  # five forms' rows are in the file
            self.answers.ws.fh.flush()
            raise RuntimeError("the child fails")

    monkeypatch.setattr(workbook_module.SummaryWorkbook, "answer_rows", failing_in_the_child)
    assert _compile(folder, tmp_path / "after-failure.xlsx", model) == serial
    assert len(written) == 12  # in this process: every form, once


def test_a_child_is_stopped_when_the_run_stops():
    job = Forked(lambda: time.sleep(60)).start()
    assert job.pid is not None
    pid = job.pid
    started = time.monotonic()
    job.close()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left


def test_a_child_returns_its_result_or_failed(monkeypatch):
    assert Forked(lambda: {"rows": 3}).start().join() == {"rows": 3}
    assert Forked(lambda: 1 / 0).start().join() is FAILED
    monkeypatch.setenv("LOVANDE_NO_FORK", "1")
    assert Forked(lambda: 5).start().join() is FAILED  # no child: the caller does the work
