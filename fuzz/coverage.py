"""Coverage-guided fuzzing of the readers with atheris (libFuzzer), as a complement to ``python -m fuzz``.

    pip install -e '.[fuzz]'
    python -m fuzz.coverage docx -max_total_time=600 -rss_limit_mb=2048 -timeout=20 CORPUS_DIR
    python -m fuzz.coverage pdf  -max_total_time=600 -rss_limit_mb=2048 -timeout=20 CORPUS_DIR
    python -m fuzz.coverage odt  -max_total_time=600 -rss_limit_mb=2048 -timeout=20 CORPUS_DIR

In-process and fast (no fork per input), guided by which branches of lovande_docs a mutant
reaches. libFuzzer's own mutations are mixed with the structure-aware steps of fuzz/mutate_*.py
(custom mutator), so inputs stay ZIPs and PDFs most of the time. A finding is any exception other
than ReadError escaping ``read_raw`` + ``interpret`` (a traceback for the user), an input slower
than -timeout (a hang) or above -rss_limit_mb (memory); libFuzzer writes it as crash-*, timeout-*
or oom-* beside the corpus. The seeds are copied into the corpus folder first.
"""
from __future__ import annotations

import random
import sys
import warnings
from pathlib import Path


def main() -> None:
    import atheris

    if len(sys.argv) < 2 or sys.argv[1] not in ("docx", "pdf", "odt"):
        raise SystemExit(__doc__)
    fmt = sys.argv.pop(1)
    warnings.simplefilter("ignore")
    with atheris.instrument_imports(include=["lovande_docs"]):
        from lovande_docs.answers import Source
        from lovande_docs.readers import ReadError, read_raw
        from lovande_docs.readers.interpret import interpret
        from lovande_docs.readers.registry import load_registry
    from fuzz.__main__ import TABLES
    from fuzz.seeds import build_seeds

    registry = load_registry()
    corpus = next((Path(a) for a in sys.argv[1:] if not a.startswith("-")), None)
    seeds = build_seeds(Path("fuzz-out") / "seeds", (fmt,))[fmt]
    if corpus is not None:
        corpus.mkdir(parents=True, exist_ok=True)
        for seed in seeds:
            (corpus / seed.name).write_bytes(seed.read_bytes())
    functions = [fn for _, _, fn in TABLES[fmt]]

    def test_one_input(data: bytes) -> None:
        try:
            raw = read_raw(data, fmt, registry)
            interpret(raw, Source("fuzz", "0" * 64, fmt, len(data)), registry)
        except ReadError:
            pass

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.5:
            try:
                mutated = rng.choice(functions)(rng, data).data
                if mutated and len(mutated) <= max_size:
                    return mutated
            except Exception:  # noqa: BLE001 - the step found nothing to change in this input
                pass
        return atheris.Mutate(data, max_size)

    atheris.Setup(sys.argv, test_one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
