"""Shared by the configuration tests (imported by name: conftest.py puts this folder on sys.path): the real
command in a temporary directory, and small real templates.

``cli(*args, cwd=..., env=...)`` (a fixture, see conftest.py) runs the venv's ``sam-shift-lint`` (never one on PATH) and returns a
:class:`Ran`; ``sam_template(*functions)`` is a SAM template whose functions lack alias and preference (one
W9101 and one W9102 each); ``git_repo(path)`` makes ``path`` a git working tree with no user configuration.
"""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def sam_template(*functions: str, extra: str = "") -> str:
    body = "".join(
        f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n"
        f"      Runtime: python3.12\n      CodeUri: src/\n{extra}"
        for name in functions or ("Fn",)
    )
    return SAM_HEADER + "Resources:\n" + body


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def findings(self) -> list[dict[str, Any]]:
        return json.loads(self.stdout) if self.stdout.strip() else []

    def rules_by_file(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for item in self.findings():
            out.setdefault(item["file"], []).append(item["rule"])
        return {name: sorted(rules) for name, rules in sorted(out.items())}


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(GIT_ENV)
    env.update(extra or {})
    return env


def make_cli(bin_path: Callable[[str], Path]) -> Callable[..., Ran]:
    def run(*args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None, timeout: float = 120) -> Ran:
        process = subprocess.run(
            [str(bin_path("sam-shift-lint")), *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=timeout,
            env=clean_environment(env),
        )
        return Ran(process.returncode, process.stdout.decode("utf-8"), process.stderr.decode("utf-8"))

    return run


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=clean_environment()).stdout


def git_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q")
    return path


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def files_reported(ran: Ran, strip: Sequence[str] = ("./",)) -> list[str]:
    names = set()
    for item in ran.findings():
        name = item["file"]
        for prefix in strip:
            name = name.removeprefix(prefix)
        names.add(name)
    return sorted(names)
