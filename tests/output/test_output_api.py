"""The output package's dispatcher."""
from __future__ import annotations

import sys

import pytest

from sam_shift_lint import output
from sam_shift_lint.output import FORMATS, OutputContext, render


def test_formats_tuple() -> None:
    assert FORMATS == ("text", "json", "parseable", "sarif", "junit", "github")


def test_context_defaults() -> None:
    ctx = OutputContext(version="1.2.3")
    assert (ctx.files_checked, ctx.show_fix_status, ctx.unsafe_fixes_enabled, ctx.fixed, ctx.cwd) == (
        0, True, False, 0, None,
    )


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_renders_str(name, mixed, rules, context) -> None:
    out = render(name, mixed, rules, context)
    assert isinstance(out, str) and out.endswith("\n")


@pytest.mark.parametrize("name", FORMATS)
def test_every_format_accepts_no_findings(name, rules, context) -> None:
    assert isinstance(render(name, [], rules, context), str)


@pytest.mark.parametrize("name", FORMATS)
def test_render_does_not_print(name, mixed, rules, context, capsys) -> None:
    render(name, mixed, rules, context)
    assert capsys.readouterr() == ("", "")


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format"):
        render("xml", [], {}, OutputContext(version="0"))


def test_format_modules_are_imported_lazily() -> None:
    for name in FORMATS:
        sys.modules.pop(f"{output.__name__}.{name}", None)
    render("parseable", [], {}, OutputContext(version="0"))
    assert f"{output.__name__}.parseable" in sys.modules
    assert f"{output.__name__}.sarif" not in sys.modules
