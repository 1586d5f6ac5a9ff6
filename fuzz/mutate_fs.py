"""File-system mutants: what a folder may hold besides a file's bytes (issue #22).

Each mutator places one entry in a fresh folder, made from a seed: a FIFO, a device, a socket,
symbolic links (to the seed, dangling, in a loop, to a device), a folder with a form's name, and
copies of the seed under odd names (bytes that are not UTF-8, line breaks, control characters, a
line separator, 255 bytes, decomposed Unicode). It returns the path to give ``lovande parse`` and
what must come of it: ``("refused", fragment)`` — one line naming the file (shown printable) with
that fragment — or ``("same", None)``: the seed's answers. Anything else is a failure
(``unexpected``), besides the runner's own classes (a hang, a traceback, noise).
"""
from __future__ import annotations

import os
import random
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

Expect = tuple[str, str | None]
NOT_REGULAR = "not a regular file"


def _suffix(seed: Path) -> str:
    return seed.suffix


def fifo(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    path = folder / f"pipe{_suffix(seed)}"
    os.mkfifo(path)
    return os.fsencode(path), ("refused", NOT_REGULAR)


def device(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    path = folder / f"device{_suffix(seed)}"
    os.symlink(rng.choice(("/dev/zero", "/dev/null", "/dev/urandom", "/dev/full")), path)
    return os.fsencode(path), ("refused", NOT_REGULAR)


def unix_socket(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    path = folder / f"s{_suffix(seed)}"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
    finally:
        server.close()  # the socket file stays
    return os.fsencode(path), ("refused", NOT_REGULAR)


def symlink(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    path = folder / f"link{_suffix(seed)}"
    target = folder / f"target{_suffix(seed)}"
    shutil.copy(seed, target)
    os.symlink(target.name if rng.random() < 0.5 else target, path)
    return os.fsencode(path), ("same", None)


def dangling(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    path = folder / f"gone{_suffix(seed)}"
    os.symlink(folder / "nothing-here", path)
    return os.fsencode(path), ("refused", "cannot read")


def loop(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    first, second = folder / f"a{_suffix(seed)}", folder / f"b{_suffix(seed)}"
    os.symlink(second, first)
    os.symlink(first, second)
    return os.fsencode(first), ("refused", "cannot read")


def folder_named_like_a_form(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    path = folder / f"mapp{_suffix(seed)}"
    path.mkdir()
    return os.fsencode(path), ("refused", "is a folder")


_ODD_NAMES = (b"enhet-\xe5\xe4\xf6", b"\xff\xfe", b"rad\nbrytning", b"vagn\rretur", b"tab\tb", b"esc\x1b[31m",
              "linje\u2028skift".encode(), "sa\u0308rskild".encode(), b"-leading dash", b" spaces ",
              b"x" * 200, "\u202eevil".encode())


def odd_name(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    stem = rng.choice(_ODD_NAMES)
    suffix = os.fsencode(_suffix(seed))
    name = (stem + suffix)[-255:] if len(stem + suffix) > 255 else stem + suffix
    path = os.path.join(os.fsencode(folder), name)
    shutil.copy(seed, path)
    return path, ("same", None)


def hard_link(rng: random.Random, seed: Path, folder: Path) -> tuple[bytes, Expect]:
    target = folder / f"original{_suffix(seed)}"
    shutil.copy(seed, target)
    path = folder / f"hard link{_suffix(seed)}"
    os.link(target, path)
    return os.fsencode(path), ("same", None)


MUTATORS: list[tuple[str, int, Callable]] = [
    ("fs.fifo", 2, fifo),
    ("fs.device", 2, device),
    ("fs.socket", 1, unix_socket),
    ("fs.symlink", 2, symlink),
    ("fs.dangling", 1, dangling),
    ("fs.loop", 1, loop),
    ("fs.folder", 1, folder_named_like_a_form),
    ("fs.odd_name", 5, odd_name),
    ("fs.hard_link", 1, hard_link),
]
