"""``@record``, ``field`` and ``replace``: the part of :mod:`dataclasses` this project uses, made cheap to define.

Why: a run of the CLI on one template defines about 45 of these classes before it reads a byte. On CPython
3.11, ``import dataclasses`` (which imports :mod:`inspect`) costs about a tenth of that run, and each
``@dataclass(frozen=True)`` compiles six small functions one by one. ``@record`` compiles only ``__init__``,
after the class's first 16 constructions (which bind their arguments in Python: so that constructing a record
stays as fast as a dataclass where it matters, and a class a run constructs a few times costs no compiling) and
builds ``__repr__``, ``__eq__`` and ``__hash__`` from closures over :func:`operator.attrgetter`; defining a class
costs about a sixth as much.

Behaviour is that of ``@dataclass`` / ``@dataclass(frozen=True)`` for what the package uses: fields in
declaration order (base records' first), defaults, ``field(default=..., default_factory=..., compare=False,
repr=False)``, ``__post_init__``, value equality with instances of the same class only, hashing of frozen
records by their compared fields, unhashable mutable records, :class:`FrozenInstanceError` on assignment,
a repr that does not recurse into itself, and a mutable default (list, dict, set) is refused.
``tests/architecture/test_records.py`` compares the two side by side. Type checkers treat ``@record`` as a
dataclass (PEP 681 ``dataclass_transform``).

Not supported (refused when the class is defined): a class that defines its own ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__`` or ``__delattr__``; ``ClassVar``/``InitVar`` annotations;
keyword-only fields; ordering.
"""
from __future__ import annotations

import operator
import reprlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
elif sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # Python 3.10: the decorator only informs type checkers

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda function: function


T = TypeVar("T")
C = TypeVar("C", bound=type)


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """One field: its name (set by ``@record``), default or default factory, and whether it is compared and
    shown."""

    __slots__ = ("compare", "default", "default_factory", "name", "repr")

    def __init__(self, default: Any, default_factory: Any, compare: bool, repr: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr


@overload
def field(*, default: T, compare: bool = True, repr: bool = True) -> T: ...
@overload
def field(*, default_factory: Callable[[], T], compare: bool = True, repr: bool = True) -> T: ...
@overload
def field(*, compare: bool = True, repr: bool = True) -> Any: ...


def field(*, default: Any = MISSING, default_factory: Any = MISSING, compare: bool = True, repr: bool = True) -> Any:
    """A field with options, as :func:`dataclasses.field`."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, compare, repr)


def fields(record_or_class: Any) -> tuple[Field, ...]:
    """The record's fields in order."""
    return record_or_class.__record_fields__  # type: ignore[no-any-return]


def replace(record: T, /, **changes: Any) -> T:
    """A copy of ``record`` with some fields changed (``__post_init__`` runs again), as
    :func:`dataclasses.replace`."""
    for f in fields(record):
        if f.name not in changes:
            changes[f.name] = getattr(record, f.name)
    return record.__class__(**changes)


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


_GENERATED = ("__init__", "__repr__", "__eq__", "__setattr__", "__delattr__")


def _collect_fields(cls: type) -> tuple[Field, ...]:
    """Base records' fields, then this class's own annotations in order (a redeclared name keeps its place)."""
    collected: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            collected[f.name] = f
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063 - inspect costs the import this module saves
        if "ClassVar" in str(annotation) or "InitVar" in str(annotation):
            raise TypeError(f"{cls.__qualname__}.{name}: @record does not support ClassVar or InitVar")
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else Field(value, MISSING, True, True)
        f.name = name
        if isinstance(f.default, (list, dict, set)):
            raise ValueError(f"mutable default {type(f.default)} for field {name} is not allowed: use default_factory")
        if isinstance(value, Field):  # the class attribute becomes the plain default, or goes
            if f.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        collected[name] = f
    ordered = tuple(collected.values())
    seen_default = False
    for f in ordered:
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        if seen_default and not has_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has_default
    return ordered


def _init_of(cls: type, record_fields: tuple[Field, ...], frozen: bool) -> Callable[..., None]:
    scope: dict[str, Any] = {"_MISSING": MISSING, "_set": object.__setattr__}
    params, body = [], []
    for f in record_fields:
        if f.default is not MISSING:
            scope[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
            value = f.name
        elif f.default_factory is not MISSING:
            scope[f"_f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_MISSING")
            value = f"_f_{f.name}() if {f.name} is _MISSING else {f.name}"
        else:
            params.append(f.name)
            value = f.name
        body.append(f"  _set(self, {f.name!r}, {value})" if frozen else f"  self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    source = "\n".join([f"def __init__(self, {', '.join(params)}):" if params else "def __init__(self):", *(body or ["  pass"])])
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<record {cls.__qualname__}>", "exec"), scope, namespace)
    init: Callable[..., None] = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


# Constructions a class's ``__init__`` binds its arguments in Python for, before it is compiled.
BOUND_CONSTRUCTIONS = 16


def _bound_then_compiled_init(cls: type, record_fields: tuple[Field, ...], frozen: bool) -> Callable[..., None]:
    """An ``__init__`` that binds its arguments in Python for the class's first :data:`BOUND_CONSTRUCTIONS`
    constructions, then compiles the real one (:func:`_init_of`) and puts it in its place. Why: compiling is most
    of what defining a record costs (about 0.8 M instructions each), and a run constructs most of the records it
    defines only a few times. A call that does not bind cleanly (a missing, unknown or repeated argument) goes
    straight to the compiled ``__init__``, so its ``TypeError`` is Python's own."""
    names = frozenset(f.name for f in record_fields)
    set_field = object.__setattr__ if frozen else setattr
    constructions = 0

    def compiled(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _init_of(cls, record_fields, frozen)
        cls.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal constructions
        constructions += 1
        if constructions > BOUND_CONSTRUCTIONS or len(args) > len(record_fields) or not names.issuperset(kwargs):
            return compiled(self, *args, **kwargs)
        given = dict(zip((f.name for f in record_fields), args))
        if not given.keys().isdisjoint(kwargs):
            return compiled(self, *args, **kwargs)
        given.update(kwargs)
        for f in record_fields:
            if f.name not in given and f.default is MISSING and f.default_factory is MISSING:
                return compiled(self, *args, **kwargs)
        for f in record_fields:
            value = given.get(f.name, f.default)
            if f.default_factory is not MISSING and value is MISSING:
                value = f.default_factory()
            set_field(self, f.name, value)
        if hasattr(cls, "__post_init__"):
            self.__post_init__()
        return None

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _key_of(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The compared values as a tuple (``attrgetter`` gives a bare value for one name)."""
    if not names:
        return lambda self: ()
    getter = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda self: (getter(self),)
    return getter


def _eq_of(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash_of(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _repr_of(names: tuple[str, ...]) -> Callable[[Any], str]:
    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        return f"{self.__class__.__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in names)})"

    return __repr__


def _build(cls: C, frozen: bool) -> C:
    own = [name for name in _GENERATED if name in cls.__dict__]
    if cls.__dict__.get("__hash__") is not None:
        own.append("__hash__")
    if own:
        raise TypeError(f"{cls.__qualname__}: @record generates {own}; do not define them")
    record_fields = _collect_fields(cls)
    cls.__record_fields__ = record_fields  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(f.name for f in record_fields)  # type: ignore[attr-defined,misc]
    cls.__init__ = _bound_then_compiled_init(cls, record_fields, frozen)  # type: ignore[misc]
    cls.__repr__ = _repr_of(tuple(f.name for f in record_fields if f.repr))  # type: ignore[assignment,method-assign]
    key = _key_of(tuple(f.name for f in record_fields if f.compare))
    cls.__eq__ = _eq_of(key)  # type: ignore[assignment,method-assign]
    if frozen:
        cls.__hash__ = _hash_of(key)  # type: ignore[assignment,method-assign]
        cls.__setattr__ = _frozen_setattr  # type: ignore[assignment,method-assign]
        cls.__delattr__ = _frozen_delattr  # type: ignore[assignment,method-assign]
    else:
        cls.__hash__ = None  # type: ignore[assignment]  # equality without immutability: unhashable
    return cls


@overload
def record(cls: C, /) -> C: ...
@overload
def record(*, frozen: bool = False) -> Callable[[C], C]: ...


@dataclass_transform(field_specifiers=(field, Field))
def record(cls: C | None = None, /, *, frozen: bool = False) -> C | Callable[[C], C]:
    """``@record`` is ``@dataclass``, ``@record(frozen=True)`` is ``@dataclass(frozen=True)`` (see the module
    docstring)."""
    if cls is None:
        return lambda c: _build(c, frozen)
    return _build(cls, frozen)
