"""Byte-level mutations, blind to the format."""
from __future__ import annotations

import random

from fuzz.step import Mutated

INTERESTING = [b"\x00", b"\xff", b"\x7f", b"\x80", b"(", b")", b"<", b">", b"/", b"\\", b"0", b"9", b"-",
               b"\n", b"R", b"[", b"]", b"%", b"\"", b"'", b"&"]


def flip_bits(rng: random.Random, data: bytes) -> Mutated:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(buf))
        buf[i] ^= 1 << rng.randrange(8)
    return Mutated(bytes(buf))


def interesting_byte(rng: random.Random, data: bytes) -> Mutated:
    i = rng.randrange(len(data))
    return Mutated(data[:i] + rng.choice(INTERESTING) + data[i + 1:])


def delete_chunk(rng: random.Random, data: bytes) -> Mutated:
    i = rng.randrange(len(data))
    return Mutated(data[:i] + data[i + rng.randint(1, 512):])


def duplicate_chunk(rng: random.Random, data: bytes) -> Mutated:
    i = rng.randrange(len(data))
    chunk = data[i:i + rng.randint(1, 4096)]
    j = rng.randrange(len(data))
    return Mutated(data[:j] + chunk * rng.choice((1, 1, 2, 16)) + data[j:])


def insert_random(rng: random.Random, data: bytes) -> Mutated:
    i = rng.randrange(len(data))
    return Mutated(data[:i] + rng.randbytes(rng.randint(1, 64)) + data[i:])


def truncate(rng: random.Random, data: bytes) -> Mutated:
    return Mutated(data[:rng.randrange(1, len(data))])


def big_number(rng: random.Random, data: bytes) -> Mutated:
    """Overwrite a run of digits (an offset, a length, a count, an object number) with an extreme."""
    for _ in range(20):
        i = rng.randrange(len(data))
        if 48 <= data[i] <= 57:
            j = i
            while j < len(data) and 48 <= data[j] <= 57:
                j += 1
            value = rng.choice([b"0", b"-1", b"4294967295", b"99999999999999999999", b"2147483648", b"1" * 300])
            return Mutated(data[:i] + value + data[j:])
    return flip_bits(rng, data)


MUTATORS = [
    ("bytes.flip", 4, flip_bits),
    ("bytes.interesting", 3, interesting_byte),
    ("bytes.delete", 2, delete_chunk),
    ("bytes.duplicate", 2, duplicate_chunk),
    ("bytes.insert", 1, insert_random),
    ("bytes.truncate", 1, truncate),
    ("bytes.number", 2, big_number),
]
