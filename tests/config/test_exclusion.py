"""What a run skips: ``exclude``/``extend-exclude`` (and the flags), what git ignores (``respect-gitignore``, asked
of git once per run in a real repository, or read from ``.gitignore`` files without git), and named files under
``force-exclude`` (the published pre-commit hooks pass it)."""
from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from confkit import Ran, files_reported, git_repo, sam_template, write

Cli = Callable[..., Ran]
GITIGNORE = "build/\ndist/\n*.generated.yaml\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = git_repo(tmp_path / "repo")
    write(root / ".gitignore", GITIGNORE)
    for relative in ("src/template.yaml", "build/template.yaml", "dist/app/template.yaml", "src/x.generated.yaml", "top.yaml"):
        write(root / relative, sam_template())
    return root


@pytest.fixture
def git_log(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A PATH whose ``git`` logs each run to a file, then runs the real git."""
    real = shutil.which("git")
    assert real, "git is needed for these tests"
    directory = tmp_path / "bin"
    directory.mkdir()
    log = tmp_path / "git.log"
    wrapper = directory / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return {"PATH": f"{directory}{os.pathsep}{os.environ.get('PATH', '')}"}, log


def git_runs(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_gitignored_build_and_dist_are_not_walked(cli: Cli, repo: Path) -> None:
    ran = cli("--format", "json", ".", cwd=repo)
    assert files_reported(ran) == ["src/template.yaml", "top.yaml"], ran.stderr


def test_named_files_are_checked_unless_force_exclude(cli: Cli, repo: Path) -> None:
    """ruff's convention: a named file is checked as named; --force-exclude (the pre-commit hooks pass it) applies
    the same exclusions as a walk."""
    named = ["build/template.yaml", "src/template.yaml", "dist/app/template.yaml", "src/x.generated.yaml"]
    assert files_reported(cli("--format", "json", *named, cwd=repo)) == sorted(named)
    assert files_reported(cli("--format", "json", "--force-exclude", *named, cwd=repo)) == ["src/template.yaml"]
    write(repo / ".sam-shift-lint.toml", "force-exclude = true\n")
    assert files_reported(cli("--format", "json", *named, cwd=repo)) == ["src/template.yaml"]
    assert files_reported(cli("--format", "json", "--no-force-exclude", *named, cwd=repo)) == sorted(named)


def test_respect_gitignore_off(cli: Cli, repo: Path) -> None:
    everything = ["build/template.yaml", "dist/app/template.yaml", "src/template.yaml", "src/x.generated.yaml", "top.yaml"]
    assert files_reported(cli("--format", "json", "--no-respect-gitignore", ".", cwd=repo)) == everything
    write(repo / ".sam-shift-lint.toml", "respect-gitignore = false\n")
    assert files_reported(cli("--format", "json", ".", cwd=repo)) == everything
    assert files_reported(cli("--format", "json", "--respect-gitignore", ".", cwd=repo)) == ["src/template.yaml", "top.yaml"]


def test_one_git_process_per_run(cli: Cli, repo: Path, git_log: tuple[dict[str, str], Path]) -> None:
    env, log = git_log
    write(repo / "more" / "a" / "t.yaml", sam_template())
    write(repo / "more" / "b" / "t.yaml", sam_template())
    ran = cli("--format", "json", "--force-exclude", "src", "more", "build/template.yaml", "top.yaml", cwd=repo, env=env)
    assert files_reported(ran) == ["more/a/t.yaml", "more/b/t.yaml", "src/template.yaml", "top.yaml"]
    [run] = git_runs(log)
    assert run.startswith("--literal-pathspecs ls-files -z --others --ignored --exclude-standard --directory -- "), run


def test_no_git_process_for_named_files(cli: Cli, repo: Path, git_log: tuple[dict[str, str], Path]) -> None:
    env, log = git_log
    cli("build/template.yaml", "src/template.yaml", cwd=repo, env=env)
    assert git_runs(log) == []


def test_without_git_the_gitignore_files_are_read(cli: Cli, repo: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    ran = cli("--format", "json", ".", cwd=repo, env={"PATH": str(empty)})
    assert files_reported(ran) == ["src/template.yaml", "top.yaml"], ran.stderr


def test_outside_a_repository_the_gitignore_files_are_read(cli: Cli, tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write(root / ".gitignore", "build/\n")
    write(root / "build" / "t.yaml", sam_template())
    write(root / "t.yaml", sam_template())
    assert files_reported(cli("--format", "json", ".", cwd=root)) == ["t.yaml"]


def test_default_exclusions_and_exclude_replacing_them(cli: Cli, tmp_path: Path) -> None:
    for relative in ("node_modules/pkg/t.yaml", ".aws-sam/build/t.yaml", ".hidden/t.yaml", "cdk.out/t.yaml", "app/t.yaml"):
        write(tmp_path / relative, sam_template())
    assert files_reported(cli("--format", "json", ".", cwd=tmp_path)) == ["app/t.yaml"]
    write(tmp_path / ".sam-shift-lint.toml", 'exclude = [".*/"]\n')  # replaces the defaults
    assert files_reported(cli("--format", "json", ".", cwd=tmp_path)) == ["app/t.yaml", "cdk.out/t.yaml", "node_modules/pkg/t.yaml"]
    write(tmp_path / ".sam-shift-lint.toml", 'extend-exclude = ["app/"]\n')  # adds to them
    assert files_reported(cli("--format", "json", ".", cwd=tmp_path)) == []


def test_exclusion_flags_are_relative_to_the_current_directory(cli: Cli, tmp_path: Path) -> None:
    for relative in ("a/t.yaml", "a/b/t.yaml", "c/t.yaml", "node_modules/t.yaml"):
        write(tmp_path / relative, sam_template())
    assert files_reported(cli("--format", "json", "--extend-exclude", "a/b", ".", cwd=tmp_path)) == ["a/t.yaml", "c/t.yaml"]
    ran = cli("--format", "json", "--exclude", "c/", ".", cwd=tmp_path)  # the defaults are gone too
    assert files_reported(ran) == ["a/b/t.yaml", "a/t.yaml", "node_modules/t.yaml"]
    ran = cli("--format", "json", "--extend-exclude", "b", ".", cwd=tmp_path / "a")
    assert files_reported(ran) == ["t.yaml"]


def test_a_nested_configuration_excludes_relative_to_itself(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "svc" / ".sam-shift-lint.toml", 'extend-exclude = ["/generated/"]\n')
    for relative in ("svc/generated/t.yaml", "svc/t.yaml", "generated/t.yaml"):
        write(tmp_path / relative, sam_template())
    assert files_reported(cli("--format", "json", ".", cwd=tmp_path)) == ["generated/t.yaml", "svc/t.yaml"]


def test_excluded_standard_input(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".sam-shift-lint.toml", 'extend-exclude = ["legacy/"]\n')
    text = sam_template().encode()
    ran = cli("--format", "json", "--force-exclude", "-", "--stdin-filename", "legacy/t.yaml", cwd=tmp_path, stdin=text)
    assert (ran.returncode, ran.findings()) == (0, [])
    fixed = cli("--fix", "--force-exclude", "-", "--stdin-filename", "legacy/t.yaml", cwd=tmp_path, stdin=text)
    assert fixed.stdout == text.decode()  # an editor piping through --fix gets its text back unchanged
    ran = cli("--format", "json", "-", "--stdin-filename", "legacy/t.yaml", cwd=tmp_path, stdin=text)
    assert len(ran.findings()) == 2  # without --force-exclude, named input is checked


def test_force_exclude_for_a_named_directory(cli: Cli, repo: Path) -> None:
    assert files_reported(cli("--format", "json", "build", cwd=repo)) == []  # what git ignores inside it
    assert files_reported(cli("--format", "json", "--no-respect-gitignore", "build", cwd=repo)) == ["build/template.yaml"]
