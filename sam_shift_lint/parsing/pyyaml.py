"""PyYAML, imported without compiling its regular expressions before they are used.

``import yaml`` compiles ten patterns at import time: the pure-Python reader's character class over all of
Unicode (``Reader.NON_PRINTABLE``), the resolver's implicit-type patterns and the constructor's timestamp. With
Python's pure-Python ``re`` compiler that is about 70 M instructions, a fifth of a one-template run, and the
libyaml loader this tool parses with never touches the reader's pattern; a template without timestamps or
floats never needs theirs either. While PyYAML's own modules are imported, ``re.compile`` hands them a
:class:`LazyPattern` that compiles on first use; every other caller (and every later call) gets ``re.compile``
itself. If PyYAML was already imported (by cfn-lint, say) nothing changes.
"""
from __future__ import annotations

import _thread
import re
import sys
from typing import Any

from sam_shift_lint.lazy_pattern import LazyPattern

_lock = _thread.allocate_lock()  # not threading.Lock: importing threading costs more than this module saves


def _compile_for_pyyaml(real_compile: Any) -> Any:
    def compile_(pattern: Any, flags: int = 0) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if isinstance(pattern, str) and (caller == "yaml" or caller.startswith("yaml.")):
            return LazyPattern(pattern, flags)
        return real_compile(pattern, flags)

    return compile_


def import_pyyaml() -> None:
    """Import ``yaml`` (once) with its patterns compiled lazily. Callers then ``import yaml`` as usual, which
    keeps the module's types for mypy."""
    if "yaml" in sys.modules:
        return
    with _lock:  # two threads must not swap re.compile at once (the second would restore the first's wrapper)
        real_compile = re.compile
        re.compile = _compile_for_pyyaml(real_compile)
        try:
            import yaml  # noqa: F401
        finally:
            re.compile = real_compile
