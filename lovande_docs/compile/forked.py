"""Run one piece of the compile in a forked child while the main process goes on with the rest.

The compile's last steps run in the main process alone while the other cores idle: writing the
Svar sheet's rows is the largest of them. On Linux a forked child, sharing everything the main
process has built, can write them meanwhile. The child sends back what its work returns (pickled)
and ends with ``os._exit`` (no atexit handlers, no buffers of the parent's files flushed twice).
If forking is not available or the child fails, ``join`` says so and the caller does the work
itself, so the result never depends on whether a child was used.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

from lovande_docs.lifeline import die_with_parent

FAILED = object()  # what join returns when the child did not finish its work


def fork_available() -> bool:
    return (hasattr(os, "fork") and sys.platform.startswith("linux")
            and os.environ.get("LOVANDE_NO_FORK") != "1")


class Forked:
    """``Forked(work).start()`` runs ``work()`` in a child; ``join()`` returns its result or FAILED."""

    def __init__(self, work: Callable[[], Any]):
        self.work = work
        self.pid: int | None = None
        self.reply: int | None = None

    def start(self) -> Forked:
        if not fork_available():
            return self
        readable, writable = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (its coverage is not collected)
            code = 1
            try:
                die_with_parent(parent)
                os.close(readable)
                payload = pickle.dumps(self.work(), protocol=pickle.HIGHEST_PROTOCOL)
                with open(writable, "wb") as pipe:
                    pipe.write(payload)
                code = 0
            except BaseException:  # noqa: BLE001 - the parent does the work itself
                pass
            finally:
                os._exit(code)
        os.close(writable)
        self.pid, self.reply = pid, readable
        return self

    def join(self) -> Any:
        if self.pid is None:
            return FAILED
        try:
            with open(self.reply, "rb", closefd=False) as pipe:
                payload = pipe.read()
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                return FAILED
            return pickle.loads(payload)
        finally:
            self.close()

    def close(self) -> None:
        """Stop a child that is still running (the caller gave up) and free the pipe."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = None
        if self.reply is not None:
            os.close(self.reply)
            self.reply = None
