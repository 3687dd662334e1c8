"""Reading the configuration costs a run almost nothing: the TOML reader is imported only when a configuration
file is read, a pyproject.toml that cannot hold the table is not parsed, and each directory is looked at once."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from confkit import sam_template, write

from sam_shift_lint.config import files as config_files
from sam_shift_lint.project import Project

PROBE = """
import sys
from sam_shift_lint.cli import main
code = main(["--format", "json", "t.yaml"])
print(code, "tomllib" in sys.modules or "tomli" in sys.modules)
"""


def probe(cwd: Path) -> str:
    return subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, capture_output=True, text=True, check=True).stdout.split("\n")[-2]


def test_no_toml_reader_without_a_configuration(tmp_path: Path) -> None:
    write(tmp_path / "t.yaml", sam_template())
    assert probe(tmp_path) == "1 False"
    write(tmp_path / "pyproject.toml", '[project]\nname = "app"\n[tool.ruff]\nline-length = 100\n')  # not ours: not parsed
    assert probe(tmp_path) == "1 False"
    write(tmp_path / "pyproject.toml", '[project]\nname = "app"\n[tool.sam-shift-lint]\nfail-on = "error"\n')
    assert probe(tmp_path) == "0 True"


def test_each_directory_is_looked_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".sam-shift-lint.toml", 'ignore = ["W9102"]\n')
    paths = [write(tmp_path / f"d{d}" / f"s{s}" / f"t{n}.yaml", "x") for d in range(5) for s in range(4) for n in range(10)]
    reads: list[str] = []
    checks: list[str] = []
    real_load, real_isfile = config_files.load_config, os.path.isfile

    def counting_load(path: str, *args: object, **kwargs: object) -> object:
        reads.append(path)
        return real_load(path, *args, **kwargs)  # type: ignore[arg-type]

    def counting_isfile(path: str) -> bool:
        checks.append(path)
        return real_isfile(path)

    monkeypatch.setattr(config_files, "load_config", counting_load)
    monkeypatch.setattr(config_files.os.path, "isfile", counting_isfile)
    project = Project()
    for path in paths:
        settings = project.settings_for(str(path))
        assert settings.config is not None and [r.META.id for r in settings.rules if r.META.id == "W9102"] == []
    assert reads == [str(tmp_path / ".sam-shift-lint.toml")]
    directories = {str(path.parent) for path in paths} | {str(path.parent.parent) for path in paths}
    # two names looked for in each directory below the configuration, once each; none above it
    assert len(checks) <= 2 * len(directories) + 1, len(checks)
    assert len(set(checks)) == len(checks)
