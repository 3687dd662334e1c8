"""A check run imports only what it needs: the whole-process time of one small template is mostly start-up.

Each module below was measured (callgrind instruction counts, see README "Development") to cost a noticeable part of a
run that checks one template; a change that brings one back makes every pre-commit run slower.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "cli_fixtures"
NOT_NEEDED = (
    "dataclasses",  # sam_shift_lint.records stands in for it
    "inspect",
    "shutil",  # argparse imports it for the terminal width (cli.parser computes it)
    "argparse",  # paths and value-less flags are read by cli.quick_arguments
    "gettext",  # argparse's messages
    "locale",
    "encodings.utf_16_le",  # sniffing UTF-16 looks for the marker's bytes, written out
    "signal",  # only an interrupted run or a closed pipe needs it
    "json",  # a YAML file: parsed by libyaml, its fixes written without JSON escapes
    "sam_shift_lint.parsing.json_parser",
    "importlib.resources",  # package data is read from beside the modules
    "tempfile",
    "cfnlint",
    "samtranslator",
    "sam_shift_lint.permissions",  # only `sam-shift-lint permissions` derives deploy permissions
    "ruamel",
    "copy",  # a known managed policy's document is rebuilt, not deep-copied
    "threading",  # nothing a check run does starts a thread
)


def _modules_after(argv: list[str], env: dict[str, str] | None = None) -> set[str]:
    code = "import sys\nfrom sam_shift_lint.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\nprint(' '.join(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False, env=env)
    return set(run.stdout.strip().splitlines()[-1].split())


@pytest.mark.parametrize("fixture", ["findings.yaml", "clean.yaml"])
def test_checking_a_template_imports_only_what_it_needs(fixture: str) -> None:
    loaded = _modules_after([str(FIXTURES / fixture)])
    assert "sam_shift_lint.engine" in loaded  # the run really happened
    assert sorted(m for m in NOT_NEEDED if m in loaded) == []


# What a run without a configuration file never needs: the TOML reader, the configuration's keys and globs, git.
NOT_NEEDED_WITHOUT_CONFIGURATION = (
    "tomllib",
    "tomli",
    "subprocess",
    "sam_shift_lint.config.schema",
    "sam_shift_lint.config.globs",
    "sam_shift_lint.gitignore",
)


def test_checking_a_template_without_a_configuration_file_reads_none(tmp_path: Path) -> None:
    """Outside this checkout (whose pyproject.toml names the tool, so it is read), in a directory tree without a
    configuration file: looking for one costs a few stat calls and nothing is loaded for it."""
    template = tmp_path / "findings.yaml"
    template.write_bytes((FIXTURES / "findings.yaml").read_bytes())
    code = (
        "import os, sys\nos.chdir(sys.argv[1])\nfrom sam_shift_lint.cli import main\nmain(['findings.yaml'])\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=False)
    loaded = set(run.stdout.strip().splitlines()[-1].split())
    assert "sam_shift_lint.engine" in loaded and "sam_shift_lint.config.files" in loaded  # it ran, and looked
    assert sorted(m for m in NOT_NEEDED + NOT_NEEDED_WITHOUT_CONFIGURATION if m in loaded) == []


def test_help_wraps_to_the_terminal_width_without_shutil() -> None:
    env = {**os.environ, "COLUMNS": "60"}
    run = subprocess.run([sys.executable, "-m", "sam_shift_lint", "--help"], capture_output=True, text=True, check=True, env=env)
    lines = run.stdout.splitlines()
    assert len(lines) > 20
    assert [line for line in lines if len(line) > 60 and "{text,json" not in line] == []  # choices do not break
    wide = subprocess.run([sys.executable, "-m", "sam_shift_lint", "--help"], capture_output=True, text=True, check=True, env={**env, "COLUMNS": "200"})
    assert len(wide.stdout.splitlines()) < len(lines)


def test_a_text_report_needs_neither_pathlib_nor_urllib(tmp_path: Path) -> None:
    """Only SARIF's URIs need them (a few milliseconds of start-up). Run without ``site`` so that this checkout's
    editable-install finder, which imports pathlib itself, does not hide what the package imports; the other
    formats are checked to still work the same way."""
    import sysconfig

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent.parent), sysconfig.get_paths()["purelib"]])}
    code = (
        "import sys\nfrom sam_shift_lint.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    for report, expected_absent in (("text", True), ("json", True), ("sarif", False)):
        argv = ["--format", report, str(FIXTURES / "findings.yaml")]
        run = subprocess.run([sys.executable, "-S", "-c", code, *argv], capture_output=True, text=True, check=False, env=env)
        loaded = set(run.stdout.strip().splitlines()[-1].split())
        assert "sam_shift_lint.engine" in loaded, run.stderr
        assert ("pathlib" not in loaded and "urllib.parse" not in loaded) == expected_absent, report


def test_the_command_line_collects_garbage_rarely_from_its_first_import() -> None:
    """The command sets the collector's thresholds before it imports the package's modules: with the default ones
    the collector ran 17 times while they loaded, scanning every object made so far."""
    code = (
        "import gc\nruns = []\ngc.callbacks.append(lambda phase, info: runs.append(phase) if phase == 'stop' else None)\n"
        "import sam_shift_lint.cli\nprint(len(runs), gc.get_threshold()[0])"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    collections, threshold = map(int, run.stdout.split())
    assert threshold == 100_000
    assert collections <= 4  # those of the standard library's modules, imported before the thresholds are set


def test_a_yaml_check_compiles_none_of_the_patterns_it_does_not_use() -> None:
    """JSON's line breaks and the fix renderer's escapes: compiled on first use (``sam_shift_lint.lazy_pattern``),
    which a YAML template's check never is (the JSON parser's own patterns are not even imported, above)."""
    idle = [
        "sam_shift_lint.parsing.lines.JSON_BREAK",
        "sam_shift_lint.editing.render._SURROGATE_PAIR",
    ]
    code = f"""
import sys
from sam_shift_lint.cli import main
try:
    main([{str(FIXTURES / "findings.yaml")!r}])
except SystemExit:
    pass
print()
for name in {idle!r}:
    module, _, attribute = name.rpartition(".")
    pattern = getattr(sys.modules[module], attribute)
    print(name, type(pattern).__name__, "_compiled" in vars(pattern))
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines()[-len(idle):] == [f"{name} LazyPattern False" for name in idle]
