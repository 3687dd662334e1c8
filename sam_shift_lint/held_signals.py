"""Ctrl-C and SIGTERM held back while a file is being replaced, then delivered.

A file is replaced by writing a temporary file beside it and renaming it over the original. A signal whose
handler raises (``KeyboardInterrupt``; SIGTERM in a ``--jobs`` worker raises ``SystemExit``) can arrive at
any bytecode, including between the temporary file's creation and the ``try`` that would remove it, and then
leaves it behind. Inside :func:`signals_held` such a signal is only recorded; when the block ends, the old
handlers are back and each signal recorded is raised again, so the run stops right after the file is whole
(fixed, or untouched if the block failed) and as the signal would have stopped it.
"""
from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TypeAlias

HELD: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)
Handler: TypeAlias = Callable[[int, FrameType | None], Any] | int | signal.Handlers


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the block (those with a handler set from Python; an ignored signal stays
    ignored). Outside the main thread nothing is held: Python runs signal handlers in the main thread only,
    so no handler can interrupt the block there."""
    caught: list[int] = []

    def record(signum: int, frame: FrameType | None) -> None:
        if signum not in caught:
            caught.append(signum)

    previous: dict[int, Handler] = {}
    for signum in HELD:
        handler = signal.getsignal(signum)
        if handler is None or handler == signal.SIG_IGN:  # set outside Python (cannot be restored), or ignored
            continue
        previous[signum] = handler  # before the swap: a signal just after it is restored too
        try:
            signal.signal(signum, record)
        except ValueError:  # not the main thread
            del previous[signum]
            break
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for number in caught:
            signal.raise_signal(number)
