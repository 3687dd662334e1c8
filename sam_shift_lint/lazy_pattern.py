"""Regular expressions compiled when first used, for module-level patterns that most runs never use.

Why: Python compiles a pattern in pure Python (``re._parser``, ``re._compiler``), 0.1-0.4 ms each; a module
that defines its patterns at import pays for them on every run, also one that checks one small template and
never reaches the code that needs them (JSON's number syntax for a YAML file, say).
"""
from __future__ import annotations

import re
from typing import Any, cast


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


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled on first use (use its methods: it is not an ``re.Pattern`` for
    ``isinstance`` or for ``re.sub(pattern, ...)``)."""
    return cast("re.Pattern[str]", LazyPattern(pattern, flags))
