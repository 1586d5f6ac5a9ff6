"""One way for an interrupt to end ``lovande parse`` and ``lovande compile``.

SIGINT (Ctrl-C) and SIGTERM become KeyboardInterrupt in the command's process, so clean-up code
runs as for any error; whatever the signal hits — reading, writing a sheet, matplotlib drawing
the report, a library's destructor — the command ends with one line on stderr, no traceback, and
the exit status of the signal: 130 for SIGINT, 143 for SIGTERM (128 + its number, as a shell
reports a process the signal killed). An interrupt that some library swallowed (it printed
"Exception ignored …" and went on) still ends the command so. A signal after the command has
decided its exit status (its outputs written, its last line printed) is ignored.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_state: dict[str, int | bool | None] = {"signal": None, "ending": False, "deferred": False}
_timers: list[threading.Timer] = []  # signals to be sent again (see _again); cancelled at the end


def exit_status(signum: int) -> int:
    return 128 + int(signum)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _handler(owner: int):
    """Turns the signal into KeyboardInterrupt in the process that installed it. A forked child
    (a worker, a reader) inherits it but must die of the signal as usual: caught there, a child
    that its parent stops would carry on with half-finished work."""
    def handler(signum, frame) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        _state["signal"] = _state["signal"] or signum
        if not _state["ending"]:
            raise KeyboardInterrupt(signal.Signals(signum).name)
    return handler


@contextmanager
def raising() -> Iterator[None]:
    """SIGINT and SIGTERM (even where they were ignored) raise KeyboardInterrupt inside the block;
    the previous handlers come back after it. A no-op outside the main thread."""
    if not _main_thread():
        yield
        return
    previous = {s: signal.getsignal(s) for s in SIGNALS}
    handler = _handler(os.getpid())
    for s in SIGNALS:
        signal.signal(s, handler)
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old if old is not None else signal.SIG_DFL)


def _quiet(unraisable) -> None:
    """An interrupt that reached a destructor or callback (where Python can only print it and go
    on) is not printed, but raised again, so that it reaches the command's own code."""
    if not isinstance(unraisable.exc_value, KeyboardInterrupt):
        sys.__unraisablehook__(unraisable)
    elif _state["signal"] is not None and not _state["ending"] and sys.platform != "win32":
        _again(_state["signal"])


def _again(signum: int) -> None:
    """The signal sent again a moment later (from a timer thread), when the destructor that
    swallowed it has returned; a signal that comes meanwhile is only recorded (it will come)."""
    while True:
        try:
            timer = threading.Timer(0.05, os.kill, (os.getpid(), signum))
            timer.daemon = True
            _timers.append(timer)
            timer.start()
            return
        except KeyboardInterrupt:
            continue


@contextmanager
def recorded() -> Iterator[None]:
    """Within the block a signal is only recorded; after it, one that came is raised. The portable
    way to hold SIGINT and SIGTERM over a clean-up, where no signal mask exists (Windows)."""
    if not _main_thread() or _state["ending"]:
        yield
        return
    before = _state["signal"]
    _state["ending"] = True
    try:
        yield
    finally:
        _state["ending"] = False
    if before is None and _state["signal"] is not None:
        raise KeyboardInterrupt(signal.Signals(_state["signal"]).name)


def run_command(body: Callable[[], int], message: Callable[[], str]) -> int:
    """``body()``'s exit status, or, if a signal came, ``message()`` printed as "interrupted: …"
    on stderr and the signal's exit status. In the main thread only; signals are recorded, not
    raised, once the status is decided."""
    if not _state.get("deferred"):
        _state["signal"] = None  # only a signal recorded while this command started (defer) is kept
    _state.update(ending=False, deferred=False)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet
    try:
        with raising():
            try:
                if _state["signal"] is not None:
                    raise KeyboardInterrupt
                code = body()
            except BaseException as error:  # noqa: BLE001 - sorted out just below
                _state["ending"] = True
                if _state["signal"] is None and not isinstance(error, KeyboardInterrupt):
                    raise
                if _state["signal"] is None:  # Ctrl-C met before our handler was installed
                    _state["signal"] = signal.SIGINT
            _state["ending"] = True
            signum = _state["signal"]
            if signum is not None:
                sys.stderr.write(f"interrupted: {message()}\n")
                sys.stderr.flush()
                return exit_status(signum)
            return code
    finally:
        sys.unraisablehook = previous_hook
        while _timers:
            _timers.pop().cancel()


def defer() -> None:
    """From a command's first moment (before its imports) until ``run_command``: a signal is
    recorded, not raised, and ``run_command`` ends the command with it at once."""
    if _main_thread():
        _state.update(signal=None, ending=True, deferred=True)
        handler = _handler(os.getpid())
        for s in SIGNALS:
            signal.signal(s, handler)


def settle() -> None:
    """After a command has decided its exit status: a late signal is recorded, not raised (the
    interpreter's shutdown prints no traceback); forked children still die of it as usual."""
    if _main_thread():
        _state["ending"] = True
        handler = _handler(os.getpid())
        for s in SIGNALS:
            signal.signal(s, handler)
