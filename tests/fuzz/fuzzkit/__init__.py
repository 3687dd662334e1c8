"""Fuzzing kit for sam-shift-lint: input generators (SAM templates, IAM policies), structure-aware and byte
mutations, a YAML/JSON writer with many styles, and the oracle that runs one input through check, ``--fix``
and ``--diff`` and classifies what went wrong.

Used by the CI fuzz tests (``tests/fuzz/``, seeded) and by the long-run script (``scripts/fuzz.py``). Every
generator draws its choices from a :class:`~fuzzkit.choose.Chooser`, backed either by ``random.Random`` (fast,
for long runs) or by a hypothesis ``data`` object (shrinkable, for the tests).
"""
