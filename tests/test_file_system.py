"""What a folder holds cannot hang, crash or overwrite anything (issue #22): non-regular files,
any file name, outputs that never replace inputs, unwritable outputs, interrupts, orphans.

Each test runs the real ``lovande`` command in a child process where signals, locales and file
descriptors matter, on the guide built and filled by the project's own code.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from corpus import fill_guides
from openpyxl import load_workbook

from lovande_docs.compile.output import OWNER_FILE, PRIVATE_PREFIX, remove_dead_runs
from lovande_docs.filenames import shown
from lovande_docs.readers import ReadError
from lovande_docs.readers.safety import read_bounded

LOVANDE = [sys.executable, "-c", "import sys; from lovande_docs.cli import main; sys.argv[0] = 'lovande'; main()"]
ODD = b"enhet-\xe5\xe4.docx"  # Latin-1 bytes: not valid UTF-8
ODD_SHOWN = "enhet-\\xe5\\xe4.docx"


@pytest.fixture(scope="module")
def filled(model, built_docx, built_pdf, tmp_path_factory):
    return fill_guides(model, {"docx": built_docx, "pdf": built_pdf}, tmp_path_factory.mktemp("filled"), 22)


def lovande(*args, cwd: Path, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*LOVANDE, *args], cwd=cwd, capture_output=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def lines(stream: bytes) -> list[str]:
    return stream.decode("utf-8").splitlines()


# --- 1. anything that is not a regular file is refused at once ------------------------------------

def test_reading_a_fifo_or_device_is_refused_without_reading(tmp_path):
    os.mkfifo(tmp_path / "x.docx")  # opening it for reading alone would block for ever
    os.symlink("/dev/zero", tmp_path / "z.pdf")  # reading it never ends
    for name, kind in (("x.docx", "FIFO"), ("z.pdf", "character device")):
        with pytest.raises(ReadError, match=f"not a regular file: it is .*{kind}"):
            read_bounded(tmp_path / name)


def test_a_fifo_swapped_in_after_the_check_is_refused_without_blocking(tmp_path, monkeypatch, filled):
    """stat said a regular file (the name was one a moment ago); the open file is checked again,
    and opening a FIFO without a writer does not block (O_NONBLOCK)."""
    os.mkfifo(tmp_path / "x.docx")
    regular = os.stat(filled["docx"])
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda path, *a, **k: regular if str(path).endswith("x.docx") else real_stat(path, *a, **k))
    started = time.monotonic()
    with pytest.raises(ReadError, match="not a regular file: it is a named pipe"):
        read_bounded(tmp_path / "x.docx")
    assert time.monotonic() - started < 5


def test_a_file_that_grew_since_its_size_was_taken_is_read_whole_and_bounded(tmp_path, monkeypatch):
    """fstat saw a smaller file than there is to read: the rest is read too, byte for byte, and a
    file that grows past the limit is still refused."""
    from lovande_docs.readers import safety

    grown = tmp_path / "grown.pdf"
    grown.write_bytes(b"ABCDEFGHIJ")
    real_fstat = os.fstat

    def smaller(fd):
        found = real_fstat(fd)
        return os.stat_result((found.st_mode, *tuple(found)[1:6], 6, *tuple(found)[7:]))

    monkeypatch.setattr(os, "fstat", smaller)
    assert read_bounded(grown) == b"ABCDEFGHIJ"
    monkeypatch.setattr(safety, "MAX_FILE_BYTES", 8)
    with pytest.raises(ReadError, match="file is too large"):
        read_bounded(grown)


def test_parse_refuses_fifo_and_device_at_once_and_reads_the_rest(tmp_path, filled):
    os.mkfifo(tmp_path / "x.docx")
    os.symlink("/dev/zero", tmp_path / "z.pdf")
    shutil.copy(filled["docx"], tmp_path / "good.docx")
    done = lovande("parse", "x.docx", "z.pdf", "good.docx", cwd=tmp_path, timeout=30)
    assert done.returncode == 1
    assert lines(done.stderr) == ["x.docx: not a regular file: it is a named pipe (FIFO); refused",
                                  "z.pdf: not a regular file: it is a character device; refused",
                                  "2 of 3 file(s) could not be read"]
    assert [f["source"]["file"] for f in json.loads(done.stdout)] == ["good.docx"]


def test_compile_lists_non_regular_files_in_folders_and_on_the_command_line(tmp_path, filled):
    forms = tmp_path / "forms"
    forms.mkdir()
    os.mkfifo(forms / "x.docx")
    os.symlink("/dev/zero", forms / "z.pdf")
    os.symlink(forms / "gone.docx", forms / "broken.docx")
    os.symlink(forms / "loop-b.pdf", forms / "loop-a.pdf")  # links in a loop
    os.symlink(forms / "loop-a.pdf", forms / "loop-b.pdf")
    shutil.copy(filled["docx"], forms / "good.docx")
    os.mkfifo(tmp_path / "y.odt")
    done = lovande("compile", "forms", "y.odt", "-o", "out.xlsx", "--no-cache", cwd=tmp_path, timeout=60)
    assert done.returncode == 1, done.stderr
    errors = lines(done.stderr)
    assert "forms/x.docx: not a regular file: it is a named pipe (FIFO); refused" in errors
    assert "forms/z.pdf: not a regular file: it is a character device; refused" in errors
    assert "y.odt: not a regular file: it is a named pipe (FIFO); refused" in errors
    assert any(e.startswith("forms/broken.docx: cannot read") for e in errors)
    assert any(e.startswith("forms/loop-a.pdf: cannot read: Too many levels of symbolic links") for e in errors)
    assert lines(done.stdout)[-1].startswith("1 of 7 file(s) read, 6 failed")
    problems = [row for row in load_workbook(tmp_path / "out.xlsx")["Problem"].iter_rows(values_only=True)]
    assert sum(1 for row in problems if any(str(c).startswith("Inte en vanlig fil") for c in row)) == 3  # in Swedish


# --- 2, 3. any file name, shown legibly on one line --------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("enhet.docx", "enhet.docx"),
    ("Enhet Åäö – 1.pdf", "Enhet Åäö – 1.pdf"),
    (ODD, ODD_SHOWN),
    (os.fsdecode(ODD), ODD_SHOWN),
    ("a\nb\rc\td\x1b.docx", "a\\nb\\rc\\td\\x1b.docx"),
    ("line\u2028break.pdf", "line\\u2028break.pdf"),
    (Path("mapp") / "fil.odt", str(Path("mapp") / "fil.odt")),
])
def test_a_name_is_shown_as_one_printable_line(name, expected):
    assert shown(name) == expected
    assert shown(name).isprintable()
    shown(name).encode("utf-8")  # writable by any UTF-8 writer


def _odd_copy(source: Path, folder: Path, name: bytes = ODD) -> None:
    shutil.copy(source, os.path.join(os.fsencode(folder), name))


def test_parse_shows_an_undecodable_name_in_json_and_yaml_on_a_strict_utf8_stdout(tmp_path, filled):
    _odd_copy(filled["docx"], tmp_path)
    strict = {"PYTHONIOENCODING": "utf-8"}  # as in a UTF-8 locale or on Windows: no surrogates pass
    done = lovande("parse", os.fsdecode(ODD), cwd=tmp_path, env=strict)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))[0]["source"]["file"] == ODD_SHOWN
    done = lovande("parse", "--format", "yaml", os.fsdecode(ODD), cwd=tmp_path, env=strict)
    assert yaml.safe_load(done.stdout.decode("utf-8"))[0]["source"]["file"] == ODD_SHOWN
    (tmp_path / "out.json").write_text("previous")
    done = lovande("parse", os.fsdecode(ODD), "-o", "out.json", cwd=tmp_path, env=strict)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "out.json").read_text("utf-8"))[0]["source"]["file"] == ODD_SHOWN


def test_an_error_about_a_name_with_line_breaks_stays_one_line(tmp_path):
    (tmp_path / "bad\nline\r.docx").write_bytes(b"not a form")
    done = lovande("parse", "bad\nline\r.docx", cwd=tmp_path)
    assert lines(done.stderr) == ["bad\\nline\\r.docx: not a .docx, .odt or .pdf file",
                                  "1 of 1 file(s) could not be read"]


def test_compile_writes_every_output_and_its_cache_for_odd_names(tmp_path, filled):
    forms = tmp_path / "forms"
    forms.mkdir()
    _odd_copy(filled["docx"], forms)
    _odd_copy(filled["pdf"], forms, b"pdf-\xff\n.pdf")
    (forms / "tom\t.docx").write_bytes(b"")  # an error line about it
    args = ("compile", "forms", "-o", "out.xlsx", "--report", "r.pdf", "--csv", "s.csv", "--json", "s.json")
    for run in ("cold", "warm"):  # the second run takes the files from the cache's file index
        done = lovande(*args, cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8"})
        assert done.returncode == 1, done.stderr
        assert lines(done.stderr) == ["forms/tom\\t.docx: the file is empty"], run
        assert lines(done.stdout)[-1].startswith("2 of 3 file(s) read, 1 failed"), run
    overview = [row for row in load_workbook(tmp_path / "out.xlsx")["Översikt"].iter_rows(values_only=True)]
    names = {row[0] for row in overview[1:]}
    assert {ODD_SHOWN, "pdf-\\xff\\n.pdf", "tom\\t.docx"} <= names
    counted = {row["file"] for row in json.loads((tmp_path / "s.json").read_text("utf-8"))}
    assert counted and counted <= {ODD_SHOWN, "pdf-\\xff\\n.pdf"}  # one unit's two revisions: one counts
    assert counted.pop() in (tmp_path / "s.csv").read_text("utf-8-sig")
    index = next((tmp_path / ".lovande-cache").glob("*/files.json"))
    assert len(json.loads(index.read_text("utf-8"))["files"]) == 3  # the odd names stored and found again


# --- 4. no output replaces an input or another output -----------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("compile", "forms", "-o", "o.xlsx", "--report", "forms/enhet.pdf"),
     "forms/enhet.pdf: the report would replace the input file forms/enhet.pdf"),
    (("compile", "forms/enhet.pdf", "-o", "o.xlsx", "--csv", "forms/enhet.pdf"),
     "forms/enhet.pdf: the CSV file would replace the input file forms/enhet.pdf"),
    (("compile", "forms", "-o", "o.xlsx", "--json", "forms/sub/../enhet.pdf"),
     "forms/sub/../enhet.pdf: the JSON file would replace the input file forms/enhet.pdf"),
    (("compile", "forms", "-o", "o.xlsx", "--json", "hard.pdf"),  # a hard link: another name, the same file
     "hard.pdf: the JSON file would replace the input file forms/enhet.pdf"),
    (("compile", "forms", "-o", "o.xlsx", "--csv", "o.xlsx"), "o.xlsx: given as both the workbook and the CSV file"),
    (("parse", "forms/enhet.pdf", "-o", "forms/enhet.pdf"),
     "forms/enhet.pdf: the output would replace the input file forms/enhet.pdf"),
])
def test_an_output_that_is_an_input_or_another_output_is_refused_before_reading(tmp_path, filled, args, message):
    forms = tmp_path / "forms"
    (forms / "sub").mkdir(parents=True)
    shutil.copy(filled["pdf"], forms / "enhet.pdf")
    os.link(forms / "enhet.pdf", tmp_path / "hard.pdf")
    before = (forms / "enhet.pdf").read_bytes()
    done = lovande(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert lines(done.stderr)[0].startswith(message) and len(lines(done.stderr)) == 1, done.stderr
    assert (forms / "enhet.pdf").read_bytes() == before
    assert not (tmp_path / "o.xlsx").exists()


# --- 5. an output that cannot be written: one line naming it ------------------------------------------

def _unwritable(folder: Path) -> None:
    """A folder nobody may write in: the immutable flag as root (who ignores modes), else a mode."""
    folder.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("running as root on a file system without chattr +i")
    else:
        folder.chmod(0o555)


def _writable_again(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


@pytest.mark.parametrize("args, target", [
    (("-o", "ro/o.xlsx"), "ro/o.xlsx"),
    (("-o", "o.xlsx", "--report", "ro/r.pdf"), "ro/r.pdf"),
    (("-o", "o.xlsx", "--csv", "ro/s.csv"), "ro/s.csv"),
])
def test_an_unwritable_output_is_one_line_naming_it_before_reading(tmp_path, filled, args, target):
    shutil.copy(filled["docx"], tmp_path / "a.docx")
    _unwritable(tmp_path / "ro")
    try:
        done = lovande("compile", "a.docx", *args, "--no-cache", cwd=tmp_path)
    finally:
        _writable_again(tmp_path / "ro")
    assert done.returncode == 1
    assert len(lines(done.stderr)) == 1 and lines(done.stderr)[0].startswith(f"{target}: cannot write: ")
    assert not (tmp_path / "o.xlsx").exists()  # all or nothing


def test_parse_output_that_cannot_be_written_is_one_line(tmp_path, filled):
    shutil.copy(filled["docx"], tmp_path / "a.docx")
    (tmp_path / "file").write_text("not a folder")
    done = lovande("parse", "a.docx", "-o", "file/out.json", cwd=tmp_path)
    assert done.returncode == 1
    assert len(lines(done.stderr)) == 1 and lines(done.stderr)[0].startswith("file/out.json: cannot write: ")


# --- 6. children die with their parent; a dead run's temp folder goes with the next run -------------

def _with_env(tmp: Path) -> list[int]:
    """Processes whose environment holds TMPDIR=tmp: the compile and its children."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if f"TMPDIR={tmp}".encode() in environ.split(b"\0"):
            found.append(int(pid))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="looks for processes in /proc")
def test_a_killed_compile_leaves_no_process_and_the_next_run_removes_its_temp_folder(tmp_path, filled):
    forms = tmp_path / "forms"
    forms.mkdir()
    data = filled["pdf"].read_bytes()
    for i in range(300):  # distinct files, each really read
        (forms / f"f{i:03d}.pdf").write_bytes(data + f"\n%{i}\n".encode())
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    child = subprocess.Popen([*LOVANDE, "compile", "forms", "-o", "o.xlsx", "--no-cache", "--jobs", "2"],
                             cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(_with_env(temp)) < 4:  # the compile, two workers and at least one reader
        assert child.poll() is None and time.monotonic() < deadline, "the compile never started reading"
        time.sleep(0.05)
    child.kill()
    child.wait()
    deadline = time.monotonic() + 10
    while _with_env(temp) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = _with_env(temp)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
    assert [p.name[:len(PRIVATE_PREFIX)] for p in temp.iterdir()] == [PRIVATE_PREFIX]  # left by the killed run
    shutil.copy(filled["docx"], tmp_path / "a.docx")
    done = lovande("compile", "a.docx", "-o", "o2.xlsx", "--no-cache", cwd=tmp_path, env={"TMPDIR": str(temp)})
    assert done.returncode == 0, done.stderr
    assert list(temp.iterdir()) == []


def test_only_the_temp_folders_of_ended_runs_are_removed(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True).stdout.strip()
    folders = {name: tmp_path / f"{PRIVATE_PREFIX}{name}" for name in ("dead", "alive", "unmarked", "reused")}
    for folder in folders.values():
        folder.mkdir()
    (folders["dead"] / OWNER_FILE).write_text(f"{ended} 12345")
    (folders["alive"] / OWNER_FILE).write_text(f"{os.getppid()}")
    (folders["reused"] / OWNER_FILE).write_text(f"{os.getppid()} 1")  # that id, started at another time
    removed = remove_dead_runs(tmp_path)
    expected = {"dead"} | ({"reused"} if sys.platform.startswith("linux") else set())
    assert {p.name[len(PRIVATE_PREFIX):] for p in removed} == expected
    assert {p.name[len(PRIVATE_PREFIX):] for p in tmp_path.iterdir()} == {"alive", "unmarked", "reused"} - expected


# --- 7, 8. parse -o is atomic; every interrupt ends both commands the same way ------------------------

def _slow_inputs(folder: Path, source: Path, count: int) -> list[str]:
    data = source.read_bytes()
    names = []
    for i in range(count):
        (folder / f"f{i:03d}.pdf").write_bytes(data + f"\n%{i}\n".encode())
        names.append(f"f{i:03d}.pdf")
    return names


def _started(child: subprocess.Popen, temp: Path) -> None:
    """Wait until the command runs (its private temp folder exists): a signal during Python's own
    start ends it as Python does, before any command could handle it."""
    deadline = time.monotonic() + 60
    while not any(temp.iterdir()):
        assert child.poll() is None and time.monotonic() < deadline, "the command never started"
        time.sleep(0.01)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.0, 0.5, 1.0, 2.0])
def test_an_interrupted_parse_ends_cleanly_with_the_signals_status(tmp_path, filled, signum, delay):
    names = _slow_inputs(tmp_path, filled["pdf"], 30)
    (tmp_path / "out.json").write_text("previous")
    runs = []
    for output in (["-o", "out.json"], []):
        temp = tmp_path / f"tmp{len(runs)}"
        temp.mkdir()
        child = subprocess.Popen([*LOVANDE, "parse", *names, *output], cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(temp)})
        _started(child, temp)
        time.sleep(delay)
        child.send_signal(signum)
        out, err = child.communicate(timeout=60)
        runs.append((child.returncode, out, err.decode()))
    for code, out, err in runs:
        assert "Traceback" not in err and "Exception ignored" not in err and "Aborted" not in err, err
        if code == -signum:  # in the last instant of the exit, after Python gave the signal back
            assert "interrupted" not in err
        elif code != 0:  # else it finished before the signal came
            assert code == 128 + signum
            assert err.splitlines()[-1].startswith("interrupted: "), err
        if out:
            assert len(json.loads(out)) == 30  # standard output is whole or empty, never cut
    written = (tmp_path / "out.json").read_text()
    assert written == "previous" or len(json.loads(written)) == 30
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.0, 1.0, 2.0, 3.0, 4.0])
def test_an_interrupted_compile_ends_cleanly_at_any_point(tmp_path, filled, signum, delay):
    forms = tmp_path / "forms"
    forms.mkdir()
    _slow_inputs(forms, filled["pdf"], 30)
    temp = tmp_path / "tmp"
    temp.mkdir()
    child = subprocess.Popen([*LOVANDE, "compile", "forms", "-o", "o.xlsx", "--report", "r.pdf", "--no-cache"],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "TMPDIR": str(temp)})
    _started(child, temp)
    time.sleep(delay)
    child.send_signal(signum)
    out, err = child.communicate(timeout=120)
    err = err.decode()
    assert "Traceback" not in err and "Exception ignored" not in err, err
    if child.returncode == -signum:  # in the last instant of the exit, after Python gave the signal back
        assert b"30 of 30 file(s) read" in out and err == "", err
    elif child.returncode != 0:
        assert child.returncode == 128 + signum, err
        assert err.splitlines()[-1].startswith("interrupted: ") and len(err.splitlines()) == 1, err
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("mask", [True, False], ids=["signal mask", "no mask (Windows)"])
def test_a_clean_up_is_never_cut_short_and_the_interrupt_still_ends_the_command(capsys, monkeypatch, mask):
    """held_signals: a Ctrl-C inside the block waits for its end (the mask holds it, or where there
    is none it is recorded), then ends the command with 130."""
    from lovande_docs.compile.output import held_signals
    from lovande_docs.interrupts import run_command

    if not mask:
        monkeypatch.delattr(signal, "pthread_sigmask")
    done = []

    def body() -> int:
        with held_signals():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
            done.append("clean-up finished")
        done.append("went on after the block")
        return 0

    assert run_command(body, lambda: "nothing was written") == 130
    assert done == ["clean-up finished"]
    assert capsys.readouterr().err == "interrupted: nothing was written\n"


def test_an_interrupt_a_library_swallowed_or_turned_into_another_error_still_ends_the_command(capsys):
    """The issue's "Exception ignored" (rc 0, interrupt lost) and matplotlib's traceback (rc 1)."""
    from lovande_docs.interrupts import run_command

    def swallowed() -> int:
        class Finalised:
            def __del__(self):
                os.kill(os.getpid(), signal.SIGINT)  # the KeyboardInterrupt is raised in __del__: unraisable

        Finalised()
        return 0

    def converted() -> int:
        try:
            os.kill(os.getpid(), signal.SIGTERM)
        except KeyboardInterrupt as error:
            raise RuntimeError("a library's own error, raised while handling the interrupt") from error
        return 0

    assert run_command(swallowed, lambda: "nothing was written") == 130
    assert run_command(converted, lambda: "nothing was written") == 143
    assert run_command(lambda: 0, lambda: "nothing was written") == 0  # an earlier signal is not remembered
    err = capsys.readouterr().err
    assert err.splitlines() == ["interrupted: nothing was written"] * 2, err
