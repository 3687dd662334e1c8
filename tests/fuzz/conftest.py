"""Make ``fuzzkit`` (the generators, mutators and oracle shared with ``scripts/fuzz.py``) importable from the
fuzz tests (the suite runs with ``--import-mode=importlib``)."""
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
