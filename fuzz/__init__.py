"""Mutation fuzzer for ``lovande parse`` (not shipped; see fuzz/README.md and ``python -m fuzz --help``).

Seeds are filled guides built by the project itself; mutants are a seed plus a short list of
replayable mutation steps (byte-level, .docx and .odt structure, ZIP container, PDF objects). Each mutant is
read by the real command in a forked process with CPU-time and memory limits, and the outcome is
classified (fuzz/outcome.py). Failing mutants are reduced to the fewest steps that still fail and
saved as reproducers.
"""
