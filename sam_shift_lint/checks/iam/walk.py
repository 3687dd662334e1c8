"""Walking IAM policy documents as they are written: statements, and the values of a statement's keys, through
``Fn::If`` branches and lists, each with its path in the file."""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.model.intrinsics import if_branches
from sam_shift_lint.parsing.nodes import Mapping, Node, PathItem, Sequence

PathTuple = tuple[PathItem, ...]


def _branches(node: Node, path: PathTuple) -> Iterator[tuple[Node, PathTuple]]:
    for value, _, extra in if_branches(node):
        yield value, path + extra


def iter_statements(document: Mapping, path: PathTuple) -> Iterator[tuple[Mapping, PathTuple]]:
    """Each statement of a policy document (a single statement may stand without a list)."""
    statements = document.get("Statement")
    if statements is None:
        return
    items = list(enumerate(statements.items)) if isinstance(statements, Sequence) else [(None, statements)]
    for index, item in items:
        here = path + ("Statement",) + ((index,) if index is not None else ())
        for statement, statement_path in _branches(item, here):
            if isinstance(statement, Mapping) and statement.intrinsic() is None:
                yield statement, statement_path


def iter_values(container: Mapping, key: str, path: PathTuple) -> Iterator[tuple[Node, PathTuple]]:
    """Each value of ``container[key]``, a single value or a list."""
    value = container.get(key)
    if value is None:
        return
    for node, here in _branches(value, path + (key,)):
        if isinstance(node, Sequence):
            for index, item in enumerate(node.items):
                yield from _branches(item, here + (index,))
        else:
            yield node, here


def principal_values(statement: Mapping, path: PathTuple) -> Iterator[tuple[Node, PathTuple]]:
    """The ``AWS`` principals of ``Principal`` and ``NotPrincipal``."""
    for key in ("Principal", "NotPrincipal"):
        principal = statement.get(key)
        if isinstance(principal, Mapping) and principal.intrinsic() is None:
            yield from iter_values(principal, "AWS", path + (key,))
