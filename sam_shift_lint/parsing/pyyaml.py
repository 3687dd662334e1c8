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

_lock = _thread.allocate_lock()  # not threading.Lock: importing threading costs more than this module saves


class LazyPattern:
    """A compiled pattern that is compiled when first used; attribute lookups go to the real pattern, and each
    one is remembered, so ``pattern.match`` costs an attribute lookup after the first call."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._arguments = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name == "_arguments":  # not set yet (an instance made without __init__, as copy and pickle do)
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = re.compile(*self._arguments)
            self.__dict__["_compiled"] = compiled
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._arguments[0]!r})"


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
