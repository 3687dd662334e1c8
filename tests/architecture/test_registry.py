"""The rule registry: every rule module registered once, ids written once, documentation complete, the cfn-lint
classes and the README derived from it, and ``--select`` deciding which rules run."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import sam_shift_lint
from sam_shift_lint.checks import registry
from sam_shift_lint.checks.registry import FILE_ERROR, REPORTED, RULES, SelectorError, select_rules
from sam_shift_lint.checks.rule import DOC_SECTIONS, FixAvailability, RuleDocs, RuleMeta, Target, no_fix

PACKAGE = Path(sam_shift_lint.__file__).resolve().parent
REPO = PACKAGE.parent
RULE_ID = re.compile(r"[EWI]9\d{3}")
RULE_FILE = re.compile(r"[ewi]9\d{3}_[a-z0-9_]+\.py")


def test_every_rule_module_is_registered() -> None:
    files = sorted(p for p in (PACKAGE / "checks").rglob("*.py") if RULE_FILE.fullmatch(p.name))
    registered = sorted(Path(sys.modules[rule.__name__].__file__ or "").resolve() for rule in REPORTED.values())
    assert files and [p.resolve() for p in files] == registered
    assert set(REPORTED) == set(RULES) | {FILE_ERROR.META.id} and FILE_ERROR.META.id not in RULES


def test_a_rule_id_is_written_once_in_the_code() -> None:
    """Outside docs, a rule id appears only as its own ``META.id``: no hand-kept list anywhere."""
    places: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")) + sorted((REPO / "rules").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for rule_id in RULE_ID.findall(node.value):
                    if node.value == rule_id or re.search(rf"['\"]{rule_id}['\"]", node.value):
                        places.setdefault(rule_id, []).append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert set(places) == set(REPORTED)
    assert {rule_id: len(where) for rule_id, where in places.items()} == {rule_id: 1 for rule_id in REPORTED}, places
    for rule_id, rule in REPORTED.items():
        [where] = places[rule_id]
        assert where.startswith(str(Path(sys.modules[rule.__name__].__file__ or "").resolve().relative_to(REPO)))


@pytest.mark.parametrize("rule_id", list(REPORTED))
def test_rule_module_shape(rule_id: str) -> None:
    rule = REPORTED[rule_id]
    meta = rule.META
    assert rule.__name__.rsplit(".", 1)[-1].startswith(meta.id.lower() + "_")
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta.name)
    assert meta.summary and not meta.summary.endswith(".")
    docs = RuleDocs.parse(rule.__doc__, rule.__name__)
    assert list(docs.sections) == list(DOC_SECTIONS)
    assert all(body.strip() for body in docs.sections.values())
    assert "```" in docs.example
    assert (rule.fix is not no_fix) == (meta.fix is not FixAvailability.NONE)
    assert meta.targets and meta.targets <= set(Target)


def _fake_module(name: str, meta: RuleMeta, doc: str) -> types.ModuleType:
    module = types.ModuleType(name, doc)
    module.META = meta  # type: ignore[attr-defined]
    module.check = lambda ctx: iter(())  # type: ignore[attr-defined]
    module.fix = no_fix  # type: ignore[attr-defined]
    return module


GOOD_DOC = "\n".join(f"## {title}\ntext\n```\nx\n```" for title in DOC_SECTIONS)


def test_rule_infos_are_every_rule_made_on_first_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """A report's rule table: every reported id in order, each rule's documentation rendered only when a finding
    (or a format listing them all) asks for it, and then once."""
    made: list[str] = []
    real_info = registry.info
    monkeypatch.setattr(registry, "info", lambda rule: made.append(rule.META.id) or real_info(rule))
    infos = registry.RuleInfos()
    assert list(infos) == sorted(REPORTED) and len(infos) == len(REPORTED)
    assert made == []
    assert infos["W9101"] == real_info(RULES["W9101"]) and infos.get("W9101") is infos["W9101"]
    assert infos.get("X0000") is None and "X0000" not in infos
    assert made == ["W9101"]
    assert [info.id for info in infos.values()] == sorted(REPORTED)
    assert sorted(made) == sorted(REPORTED)


def test_registry_rejects_inconsistent_rules() -> None:
    meta = RuleMeta("W9999", "a-rule", "A rule", ("sam",), FixAvailability.NONE)
    good = _fake_module("pkg.w9999_a_rule", meta, GOOD_DOC)
    assert list(registry._validated([good])) == ["W9999"]
    with pytest.raises(ValueError, match="named after its id"):
        registry._validated([_fake_module("pkg.w9998_a_rule", meta, GOOD_DOC)])
    with pytest.raises(ValueError, match="duplicate"):
        registry._validated([good, good])
    with pytest.raises(ValueError, match="sections"):  # checked when the docs are first rendered (and by the test above)
        registry.docs(_fake_module("pkg.w9999_a_rule", meta, "## What it does\nonly this"))
    with_fix = RuleMeta("W9999", "a-rule", "A rule", ("sam",), FixAvailability.SOMETIMES)
    with pytest.raises(ValueError, match="fix"):
        registry._validated([_fake_module("pkg.w9999_a_rule", with_fix, GOOD_DOC)])


def test_select_rules() -> None:
    ids = lambda rules: [r.META.id for r in rules]  # noqa: E731
    assert ids(select_rules()) == [rule_id for rule_id, rule in RULES.items() if rule.META.default_on]
    default_on = [rule_id for rule_id, rule in RULES.items() if rule.META.default_on]
    assert set(ids(select_rules(["W91"]))) == {i for i in default_on if i.startswith("W91")} >= {"W9101", "W9102"}
    chosen = set(ids(select_rules(["E", "W9101"], ["E92", "E9107"])))
    assert chosen == {i for i in default_on if i.startswith("E") and not i.startswith("E92") and i != "E9107"} | {"W9101"}
    assert {"W9101", "E9103", "E9104", "E9105", "E9106"} <= chosen
    with pytest.raises(SelectorError, match="X1"):
        select_rules(["X1"])
    opt_in = _fake_module(
        "pkg.w9999_opt_in", RuleMeta("W9999", "opt-in", "Opt in", ("sam",), FixAvailability.NONE, default_on=False), GOOD_DOC
    )
    table = {"W9101": RULES["W9101"], "W9999": opt_in}
    assert ids(select_rules(rules=table)) == ["W9101"]  # opt-in rules do not run by default
    assert ids(select_rules(["W9"], rules=table)) == ["W9101"]  # nor by prefix
    assert ids(select_rules(["W9", "W9999"], rules=table)) == ["W9101", "W9999"]  # only by their full id


def test_file_error_cannot_be_selected_away() -> None:
    """E9000 is no check: selecting it runs none, a shared prefix leaves it on, ignoring it alone is an error."""
    file_error = FILE_ERROR.META.id
    assert select_rules([file_error]) == []
    assert file_error not in [rule.META.id for rule in select_rules(["E"])]
    assert len(select_rules([], ["E"])) == len([r for r in select_rules() if not r.META.id.startswith("E")])
    for selector in (file_error, file_error[:4]):
        with pytest.raises(SelectorError, match=f"{file_error} .*cannot be ignored"):
            select_rules([], [selector])
    with pytest.raises(SelectorError, match="unknown rule selector 'E9001'"):
        select_rules(["E9001"])


def test_select_decides_which_rules_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """An unselected rule's check is never called (selection saves time, not just output)."""
    from sam_shift_lint import cli

    template = tmp_path / "t.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Handler: a.b\n"
    )

    def boom(ctx: object) -> None:
        raise RuntimeError("an unselected rule ran")

    for rule_id, rule in RULES.items():
        if rule_id != "W9102":
            monkeypatch.setattr(rule, "check", boom)
    code = cli.main(["--select", "W9102", "--format", "parseable", str(template)])
    out, err = capsys.readouterr()
    assert "internal error" not in err
    assert code == 1 and len(out.splitlines()) == 1 and "W9102" in out
    code = cli.main(["--format", "parseable", str(template)])
    assert code == 2 and "an unselected rule ran" in capsys.readouterr().err


def test_cfn_lint_classes_are_generated_from_the_registry() -> None:
    import sam_shift_lint.rules as pack

    classes = {cls.id: cls for cls in vars(pack).values() if isinstance(cls, type) and getattr(cls, "id", "") in RULES}
    assert set(classes) == set(RULES)
    for rule_id, cls in classes.items():
        meta = RULES[rule_id].META
        assert cls.__name__ == meta.class_name
        assert cls.shortdesc == meta.summary and cls.source_url == meta.source_url
        instance = cls()
        assert set(instance.config_definition) == set(meta.settings)


def test_readme_rule_reference_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sam_shift_lint.docs", "--check", str(REPO / "README.md")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_docs_check_fails_on_a_stale_readme(tmp_path: Path) -> None:
    from sam_shift_lint import docs

    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n" + docs.reference().replace("Unknown IAM action", "Unknown action") + "\n")
    assert docs.main(["--check", str(readme)]) == 1
    assert docs.main([str(readme)]) == 0
    assert docs.main(["--check", str(readme)]) == 0
    assert "Unknown IAM action" in readme.read_text()
