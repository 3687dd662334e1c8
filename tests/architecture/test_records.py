"""``@record`` behaves as ``@dataclass`` does for everything the package uses (it replaces it for speed)."""
from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint import records
from sam_shift_lint.records import BOUND_CONSTRUCTIONS, FrozenInstanceError, field, record, replace


def _pair(frozen: bool) -> tuple[Any, Any]:
    """The same class declared with @dataclass and with @record."""

    def declare(decorator: Any, field_of: Any) -> Any:
        @decorator
        class Point:
            """A point."""

            x: int
            y: str = "y"
            tags: list[str] = field_of(default_factory=list)
            note: Any = field_of(default=None, compare=False, repr=False)

        return Point

    return declare(dataclasses.dataclass(frozen=frozen), dataclasses.field), declare(record(frozen=frozen), field)


def _values(instance: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


@pytest.mark.parametrize("frozen", [True, False])
def test_construction_equality_repr_match_dataclasses(frozen: bool) -> None:
    reference, ours = _pair(frozen)
    names = [f.name for f in dataclasses.fields(reference)]
    assert [f.name for f in records.fields(ours)] == names
    assert ours.__match_args__ == reference.__match_args__
    for args, kwargs in [((1,), {}), ((1, "a"), {"tags": ["t"]}), ((), {"x": 2, "note": "a note"})]:
        expected, actual = reference(*args, **kwargs), ours(*args, **kwargs)
        assert repr(actual) == repr(expected)
        assert _values(actual, names) == _values(expected, names)
    assert ours(1) == ours(1, note="ignored in comparisons")
    assert ours(1) != ours(2)
    assert ours(1).__eq__(reference(1)) is NotImplemented
    assert ours(1).tags is not ours(1).tags  # a fresh default per instance
    assert replace(ours(1, "a"), x=5) == ours(5, "a")
    assert ours.y == reference.y == "y" and not hasattr(ours, "tags") and not hasattr(reference, "tags")
    with pytest.raises(TypeError):
        ours()  # the required field


def test_frozen_records_are_immutable_and_hashable() -> None:
    _, ours = _pair(frozen=True)
    point = ours(1, tags=None)  # hashable when every compared value is
    with pytest.raises(FrozenInstanceError):
        point.x = 3
    with pytest.raises(AttributeError):  # FrozenInstanceError is an AttributeError, as in dataclasses
        del point.x
    assert hash(point) == hash(ours(1, tags=None, note="other"))
    assert {point, ours(1, tags=None)} == {point}
    with pytest.raises(TypeError):
        hash(ours(1))  # a list field: unhashable, as a frozen dataclass holding a list is


def test_mutable_records_are_mutable_and_unhashable() -> None:
    reference, ours = _pair(frozen=False)
    point = ours(1)
    point.x = 3
    assert point == ours(3)
    with pytest.raises(TypeError):
        hash(point)
    assert reference.__hash__ is None and ours.__hash__ is None


def test_post_init_runs_after_the_fields_are_set_and_again_on_replace() -> None:
    @record(frozen=True)
    class Sized:
        items: tuple[int, ...]
        size: int = -1

        def __post_init__(self) -> None:
            if self.size < 0:
                object.__setattr__(self, "size", len(self.items))

    assert Sized((1, 2)).size == 2 and Sized((1,), 7).size == 7
    assert replace(Sized((1, 2)), size=-1).size == 2


def test_inherited_fields_come_first() -> None:
    @record(frozen=True)
    class Base:
        a: int

    @record(frozen=True)
    class Derived(Base):
        b: int = 0

    assert repr(Derived(1, 2)).endswith("Derived(a=1, b=2)")
    assert Derived(1) != Base(1)


def test_init_is_compiled_after_the_bound_constructions_for_its_own_class() -> None:
    """``__init__`` binds in Python for the first constructions, also through a subclass that is not a record
    (which must get the base's fields, not its own), and is then compiled and replaces itself."""

    @record(frozen=True)
    class Base:
        a: int
        b: int = 2

    class Plain(Base):
        pass

    @record(frozen=True)
    class Derived(Base):
        c: int = 3

    first = Base.__dict__["__init__"]
    for _ in range(BOUND_CONSTRUCTIONS):
        made = Plain(1)
        assert (made.a, made.b) == (1, 2) and Base.__dict__["__init__"] is first
    assert Plain(1, 2).b == 2 and Base.__dict__["__init__"] is not first and "__init__" not in Plain.__dict__
    assert Derived(1).c == 3 and Derived(1, 5, 7) == Derived(a=1, b=5, c=7)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'a'"):
        Base()
    with pytest.raises(FrozenInstanceError):
        Plain(1).a = 2  # type: ignore[misc]


@pytest.mark.parametrize("frozen", [False, True])
def test_bound_and_compiled_constructions_agree_with_dataclasses(frozen: bool) -> None:
    """Every call shape, in both tiers, gives the dataclass's fields and ``__post_init__`` call or its exact
    ``TypeError`` (a call that does not bind goes to the compiled ``__init__``)."""
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((1,), {}), ((1, "x"), {}), ((1, "x", [4]), {}), ((), {"a": 1, "tags": [5]}), ((1,), {"name": "y"}),
        ((), {}), ((1, "x", [4], 9), {}), ((1,), {"a": 2}), ((1,), {"other": 2}), ((), {"name": "y"}),
    ]

    def define(decorator: Callable[[type], type], field_of: Any) -> type:
        class Shape:
            a: int
            name: str = "n"
            tags: list[int] = field_of(default_factory=list)

            def __post_init__(self) -> None:
                object.__setattr__(self, "seen", (self.a, self.name, list(self.tags)))

        return decorator(Shape)

    expected_class = define(dataclasses.dataclass(frozen=frozen), dataclasses.field)

    def outcome(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
        try:
            made = cls(*args, **kwargs)
        except TypeError as error:
            return str(error).split("__init__() ", 1)[-1]
        return made.seen  # type: ignore[attr-defined]

    expected = [outcome(expected_class, args, kwargs) for args, kwargs in calls]
    assert sum(isinstance(result, str) for result in expected) == 5  # the error cases really are errors
    for tier in range(2):  # bound in Python, then compiled
        record_class = define(record(frozen=frozen), field)
        if tier:
            for _ in range(BOUND_CONSTRUCTIONS):
                record_class(0)
        assert [outcome(record_class, args, kwargs) for args, kwargs in calls] == expected


def test_a_self_containing_record_repr_does_not_recurse() -> None:
    @record
    class Box:
        content: Any = None

    box = Box()
    box.content = box
    assert repr(box).endswith(".Box(content=...)")


def test_records_pickle() -> None:
    assert pickle.loads(pickle.dumps(_Module(1))) == _Module(1)


def test_what_record_does_not_support_is_refused() -> None:
    with pytest.raises(TypeError, match="generates"):

        @record
        class OwnEq:
            x: int

            def __eq__(self, other: object) -> bool:
                return True

    with pytest.raises(ValueError, match="mutable default"):

        @record
        class SharedDefault:
            x: list[int] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="follows default"):

        @record
        class Order:
            x: int = 0
            y: int  # type: ignore[misc]


def test_the_package_uses_records() -> None:
    """The speed gain holds only if nobody goes back to @dataclass in the package (tests/test_startup.py checks
    that a CLI run imports neither dataclasses nor inspect)."""
    import sam_shift_lint

    package = Path(sam_shift_lint.__file__).parent
    offenders = [
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if p.name != "records.py" and "dataclass" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


@record(frozen=True)
class _Module:
    value: int
