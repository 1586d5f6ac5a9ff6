"""A mutant is a seed plus replayable steps; a step is (mutator name, its own random seed)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Mutated:
    """The bytes after one step, and what the step did to known fields (for the oracle):
    ``damaged`` fields now hold an invalid value (the reader must report a problem on them or
    return the seed's value); ``equivalent`` fields were re-encoded in another valid way (the
    reader must return the seed's value)."""

    data: bytes
    damaged: frozenset[str] = frozenset()
    equivalent: frozenset[str] = frozenset()


@dataclass
class Mutant:
    fmt: str
    seed: str  # the seed file's name
    steps: list[tuple[str, int]]
    data: bytes = b""
    damaged: set[str] = field(default_factory=set)
    equivalent: set[str] = field(default_factory=set)


def apply(fmt: str, seed_name: str, seed_data: bytes, steps: list[tuple[str, int]], table: dict) -> Mutant:
    """Replay ``steps`` on the seed; a step that raises (its target is gone) leaves the bytes as they were."""
    mutant = Mutant(fmt, seed_name, list(steps), seed_data)
    effective = 0
    for name, subseed in steps:
        try:
            result = table[name](random.Random(subseed), mutant.data)
        except Exception:  # noqa: BLE001 - a structure-aware step that no longer finds its target
            continue
        if not result.data:
            continue
        mutant.data = result.data
        effective += 1
        if name.startswith("bytes."):  # a blind change may have touched any field's value
            mutant.equivalent.clear()
        mutant.damaged |= result.damaged
        mutant.equivalent |= result.equivalent
    if effective > 1:
        # a step's equivalence holds against the bytes before it, but the oracle compares with the
        # seed: another step may have changed the same field (plausibly) before or after it
        mutant.equivalent.clear()
    mutant.equivalent -= mutant.damaged
    return mutant
