"""Path globs (gitignore's rules) and the pure-Python ``.gitignore`` reading, against git itself as the oracle."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from confkit import clean_environment, git_repo, write

from sam_shift_lint.config import GlobError, compile_glob, matches_path
from sam_shift_lint.gitignore import GitIgnore, _Fallback

# (pattern, path, is_dir, matches)
CASES = [
    ("build", "build", True, True),
    ("build", "a/b/build", True, True),
    ("build", "build", False, True),
    ("build/", "build", False, False),
    ("build/", "src/build", True, True),
    ("/build", "src/build", True, False),
    ("/build", "build", True, True),
    ("*.json", "a/b/c.json", False, True),
    ("*.json", "a.json.bak", False, False),
    ("iam/*.json", "iam/a.json", False, True),
    ("iam/*.json", "iam/x/a.json", False, False),
    ("iam/*.json", "x/iam/a.json", False, False),
    ("**/iam/*.json", "x/y/iam/a.json", False, True),
    ("**/iam/*.json", "iam/a.json", False, True),
    ("legacy/**", "legacy/a/b.yaml", False, True),
    ("legacy/**", "legacy", True, False),
    ("a/**/b.yaml", "a/b.yaml", False, True),
    ("a/**/b.yaml", "a/x/y/b.yaml", False, True),
    ("a/**/b.yaml", "ab.yaml", False, False),
    ("deploy-?.json", "deploy-1.json", False, True),
    ("deploy-?.json", "deploy-10.json", False, False),
    ("[a-c]*.yaml", "b1.yaml", False, True),
    ("[!a-c]*.yaml", "b1.yaml", False, False),
    ("[!a-c]*.yaml", "d1.yaml", False, True),
    ("\\*.yaml", "*.yaml", False, True),
    ("\\*.yaml", "a.yaml", False, False),
    ("a**b", "axxb", False, True),
    ("a**b", "ax/xb", False, False),
    (".*/", ".git", True, True),
    (".*/", ".env", False, False),
    ("[", "[", False, True),  # an unterminated class is a literal bracket
]


@pytest.mark.parametrize(("pattern", "path", "is_dir", "expected"), CASES)
def test_glob(pattern: str, path: str, is_dir: bool, expected: bool) -> None:
    assert compile_glob(pattern).matches(path, is_dir) is expected


def test_a_directory_match_covers_everything_below_it() -> None:
    assert matches_path([compile_glob("build/")], "build/x/t.yaml", False)
    assert matches_path([compile_glob("legacy")], "apps/legacy/t.yaml", False)
    assert not matches_path([compile_glob("legacy")], "apps/legacy-new/t.yaml", False)


@pytest.mark.parametrize("pattern", ["", "/", "a//b", "!x"])
def test_bad_patterns(pattern: str) -> None:
    with pytest.raises(GlobError):
        compile_glob(pattern)


def test_negation_where_allowed() -> None:
    glob = compile_glob("!legacy/**", allow_negation=True)
    assert glob.negated and glob.matches("legacy/a.yaml", False)


# ------------------------------------------------------------------------------------------ the fallback vs git

GITIGNORE = "\n".join([
    "# comments and blank lines",
    "",
    "build/",
    "*.log",
    "!keep.log",
    "/only-top.yaml",
    "docs/**/generated/",
    "\\#hash.yaml",
    "\\!bang.yaml",
    "trailing.yaml   ",  # trailing spaces are dropped
    "escaped-space.yaml\\ ",  # unless the last is quoted
    "tmp*",
    "!tmp-keep/",
    "nested/*.json",
]) + "\n"
NESTED = "*.yaml\n!keep.yaml\n/local/\n"
PATHS = [
    "build/t.yaml", "src/build/t.yaml", "a.log", "keep.log", "src/keep.log", "only-top.yaml", "src/only-top.yaml",
    "docs/x/generated/t.yaml", "docs/generated/t.yaml", "docs/x/y/generated/t.yaml", "docs/x/t.yaml", "#hash.yaml",
    "!bang.yaml", "trailing.yaml", "escaped-space.yaml ", "escaped-space.yaml", "tmpdir/t.yaml", "tmp-keep/t.yaml",
    "nested/a.json", "nested/deep/a.json", "sub/t.yaml", "sub/keep.yaml", "sub/local/t.json", "sub/x/local/t.json",
    "sub/x/t.yaml", "plain.yaml",
]


def _tree(root: Path) -> None:
    write(root / ".gitignore", GITIGNORE)
    write(root / "sub" / ".gitignore", NESTED)
    for path in PATHS:
        write(root / path, "x: 1\n")


def _git_ignored(root: Path) -> set[str]:
    result = subprocess.run(
        ["git", "check-ignore", "--stdin", "-z", "--no-index"],
        cwd=root, input="\0".join(PATHS).encode(), capture_output=True, env=clean_environment(), check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return {entry.decode() for entry in result.stdout.split(b"\0") if entry}


def test_fallback_agrees_with_git_check_ignore(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo")
    _tree(root)
    expected = _git_ignored(root)
    assert {"build/t.yaml", "a.log", "only-top.yaml", "sub/t.yaml", "sub/local/t.json"} <= expected  # the oracle works
    fallback = _Fallback()
    ours = {path for path in PATHS if fallback.ignored(str(root / path), False, str(root))}
    assert ours == expected


def test_git_ls_files_and_the_fallback_agree_on_a_walk(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo")
    _tree(root)
    with_git = GitIgnore()
    with_git.prepare([str(root)])
    assert with_git.git_runs == 1
    without_git = _Fallback()
    for path in PATHS:
        absolute = str(root / path)
        assert with_git.ignored(absolute, False) == without_git.ignored(absolute, False, str(root)), path


def test_outside_a_repository_gitignore_files_still_apply(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    _tree(root)
    gitignore = GitIgnore()
    assert gitignore.ignored(str(root / "build" / "t.yaml"), False)
    assert gitignore.ignored(str(root / "sub" / "t.yaml"), False)
    assert not gitignore.ignored(str(root / "sub" / "keep.yaml"), False)
    assert gitignore.git_runs == 0


def test_a_tracked_file_is_not_ignored_with_git(tmp_path: Path) -> None:
    """git never counts a tracked file as ignored; the fallback cannot know (documented)."""
    root = git_repo(tmp_path / "repo")
    write(root / ".gitignore", "build/\n")
    write(root / "build" / "tracked.yaml", "x: 1\n")
    write(root / "build" / "untracked.yaml", "x: 1\n")
    subprocess.run(["git", "add", "-f", "build/tracked.yaml"], cwd=root, check=True, env=clean_environment())
    gitignore = GitIgnore()
    gitignore.prepare([str(root)])
    assert not gitignore.ignored(str(root / "build" / "tracked.yaml"), False)
    assert gitignore.ignored(str(root / "build" / "untracked.yaml"), False)
    assert _Fallback().ignored(str(root / "build" / "tracked.yaml"), False, str(root))


def test_git_that_fails_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = git_repo(tmp_path / "repo")
    _tree(root)
    monkeypatch.setenv("PATH", os.pathsep.join(["/nonexistent"]))
    gitignore = GitIgnore()
    gitignore.prepare([str(root)])
    assert gitignore.ignored(str(root / "build" / "t.yaml"), False)
    assert not gitignore.ignored(str(root / "plain.yaml"), False)
