"""PyYAML imported with its patterns compiled on first use (``sam_shift_lint.parsing.pyyaml``): the saving is
real, and nothing reads YAML differently. Each check runs in a fresh interpreter, since PyYAML is imported once
per process."""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

from sam_shift_lint.lazy_pattern import LazyPattern
from sam_shift_lint.parsing.pyyaml import _compile_for_pyyaml

FIXTURES = Path(__file__).parent / "cli_fixtures"

# Every implicit type PyYAML's YAML 1.1 resolver knows, its edge cases, and text that must stay a string.
SCALARS = """\
- [yes, Yes, YES, no, No, NO, true, True, TRUE, false, False, FALSE, on, On, ON, off, Off, OFF, y, n, tRUE]
- [0, -0, +12, 0b1010, -0b1_0, 017, 0o17, 0x1F, -0x_1f, 1_000, 190:20:30, 1:2, 12e3, 1e3, 1.0e+3]
- [1.5, -.5, +.5e-3, 6.8523015e+5, 685.230_15e+03, 685_230.15, 190:20:30.15, .inf, -.Inf, +.INF, .nan, .NaN]
- [~, null, Null, NULL, '', Nil, none]
- [2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10, 2002-1-1, 20011214]
- [<<, =, '<<', '=']
- {key: value, 1: one, true: yes, ~: null, 2001-01-01: date}
- !!str 12
- !!int "0x10"
- !!float "1"
- "quoted \\x85 text"
- plain with spaces and = signs
"""

_LOAD_BOTH_WAYS = """
import json, sys
{import_line}
import yaml
text = sys.stdin.read()
def tags(node):
    if isinstance(node, yaml.ScalarNode):
        return [(node.tag, node.value)]
    if isinstance(node, yaml.MappingNode):
        return [tag for pair in node.value for child in pair for tag in tags(child)]
    return [tag for child in node.value for tag in tags(child)]
resolved = [repr(tags(yaml.compose(text, Loader=loader))) for loader in (yaml.SafeLoader, yaml.CSafeLoader)]
values = text.replace("- [<<, =, '<<', '=']", "")  # merge and value tags resolve but do not construct
results = resolved + [repr(yaml.load(values, Loader=loader)) for loader in (yaml.SafeLoader, yaml.CSafeLoader)]
for bad in ("a: \\x07", "- \\ud7ff\\x1b"):
    for loader in (yaml.SafeLoader, yaml.CSafeLoader):
        try:
            yaml.load(bad, Loader=loader)
            results.append("loaded")
        except yaml.YAMLError as error:
            results.append(type(error).__name__ + ": " + str(error).splitlines()[0])
print(json.dumps(results))
"""


def _run(code: str, stdin: str = "") -> str:
    run = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True, check=True)
    return run.stdout


def test_lazily_compiled_pyyaml_reads_every_scalar_as_plain_pyyaml_does() -> None:
    plain = _run(_LOAD_BOTH_WAYS.format(import_line="import yaml"), SCALARS)
    lazy = _run(
        _LOAD_BOTH_WAYS.format(import_line="from sam_shift_lint.parsing.pyyaml import import_pyyaml; import_pyyaml()"),
        SCALARS,
    )
    assert lazy == plain
    loaded = json.loads(lazy)
    assert loaded[0] == loaded[1] and loaded[2] == loaded[3]  # the pure-Python and the libyaml loader agree
    assert "('tag:yaml.org,2002:merge', '<<'), ('tag:yaml.org,2002:value', '='), ('tag:yaml.org,2002:str', '<<')" in loaded[0]
    booleans = ("True, " * 3 + "False, " * 3) * 3 + "'y', 'n', 'tRUE'"  # yes/no, true/false, on/off
    assert loaded[2].startswith(f"[[{booleans}], [0, 0, 12, 10, -2, 15, '0o17', 31, -31, 1000, 685230, 62, '12e3', '1e3', 1000.0], [1.5, ")
    assert loaded[4].startswith("ReaderError") and loaded[6].startswith("ReaderError")  # the reader's pattern ran


def test_the_check_never_compiles_the_pure_python_readers_pattern_and_restores_re_compile() -> None:
    code = f"""
import re, sys
original = re.compile
from sam_shift_lint.cli import main
try:
    main([{str(FIXTURES / "findings.yaml")!r}])
except SystemExit:
    pass
import yaml
print()
print(re.compile is original, type(yaml.reader.Reader.NON_PRINTABLE).__name__,
      "_compiled" in vars(yaml.reader.Reader.NON_PRINTABLE))
"""
    last_line = _run(code).splitlines()[-1]
    assert last_line == "True LazyPattern False"


def test_only_pyyamls_own_modules_get_lazy_patterns() -> None:
    compile_ = _compile_for_pyyaml(re.compile)
    assert isinstance(compile_("a+"), re.Pattern)  # called from this module
    namespace: dict[str, object] = {"__name__": "yaml.resolver", "compile_": compile_}
    exec("pattern = compile_('^(?:true|false)$', 0)", namespace)
    pattern = namespace["pattern"]
    assert isinstance(pattern, LazyPattern)
    assert pattern.match("true") and not pattern.match("yes")  # type: ignore[attr-defined]
    namespace["__name__"] = "yamllint.rules"  # a module merely named like it
    exec("other = compile_('b', 0)", namespace)
    assert isinstance(namespace["other"], re.Pattern)


def test_a_lazy_pattern_survives_copying_before_and_after_use() -> None:
    pattern = LazyPattern("^[0-9]+$", 0)
    assert copy.copy(pattern).match("12")
    assert copy.deepcopy(pattern).match("34")
    assert pattern.match("56") and copy.copy(pattern).match("78")
    assert pattern.pattern == "^[0-9]+$" and "LazyPattern" in repr(LazyPattern("x", 0))
