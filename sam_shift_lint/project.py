"""The settings for each file: the configuration that applies to it (:mod:`sam_shift_lint.config`) under what a
front door sets itself (the command line's flags, cfn-lint's rule configuration), validated into what the engine
takes: the rules that run, :class:`LintSettings`, :class:`FixSettings`, and what the command needs to decide the
exit code and which files to read.

Precedence: a front door's own option, then the closest configuration file (or ``--config``), then the default.
For the rules: ``--select`` on the command line replaces the configuration's ``select``, ``extend-select`` and
``ignore`` (a clean slate, with the ``--ignore`` and ``--extend-select`` given with it); otherwise the
configuration's ``select`` (default: every rule that is on by default) plus ``extend-select`` from both, less
``ignore`` from both. ``per-file-ignores`` then take rules away from the files they match.

A configuration's values are checked the first time a file needs it: a bad one is a :class:`ConfigError`
naming the file and the key, for every file it governs.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sam_shift_lint.config import ConfigError
from sam_shift_lint.config.files import ConfigFinder, load_config
from sam_shift_lint.config.layouts import automatic_source
from sam_shift_lint.records import replace
from sam_shift_lint.settings import FixSettings, LintSettings, Placement

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.checks.rule import Rule
    from sam_shift_lint.config.globs import Glob
    from sam_shift_lint.config.schema import Config

T = TypeVar("T")
SEVERITY_RANK = {"info": 0, "informational": 0, "warning": 1, "error": 2}
# What a directory walk skips unless ``exclude`` says otherwise (ruff's convention: ``exclude`` replaces this,
# ``extend-exclude`` adds to it): hidden directories and the usual build and dependency folders.
DEFAULT_EXCLUDE = (".*/", "node_modules/", ".aws-sam/", "cdk.out/", "__pycache__/", ".venv/", "venv/")
ROOT = os.path.abspath(os.sep)


class Overrides:
    """What a front door sets itself (None: not set there). ``exclude``/``extend_exclude`` are globs relative to
    the current directory. Values are already validated (the command line does it once, as usage errors)."""

    __slots__ = (
        "account_id", "alias_name", "deployment_type", "exclude", "extend_exclude", "extend_select", "fail_on",
        "force_exclude", "ignore", "ignore_bad_template", "placement", "policy_profile", "region",
        "report_unused_suppressions", "respect_gitignore", "select", "unsafe_fixes",
    )

    def __init__(
        self,
        select: tuple[str, ...] | None = None,
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        report_unused_suppressions: bool | None = None,
        unsafe_fixes: bool | None = None,
        exclude: tuple[str, ...] | None = None,
        extend_exclude: tuple[str, ...] = (),
        respect_gitignore: bool | None = None,
        force_exclude: bool | None = None,
        ignore_bad_template: bool | None = None,
        fail_on: str | None = None,
        alias_name: str | None = None,
        deployment_type: str | None = None,
        placement: str | None = None,
        region: str | None = None,
        account_id: str | None = None,
        policy_profile: str | None = None,  # --policy-profile: for files named on the command line
    ) -> None:
        self.select, self.extend_select, self.ignore = select, extend_select, ignore
        self.report_unused_suppressions, self.unsafe_fixes = report_unused_suppressions, unsafe_fixes
        self.exclude, self.extend_exclude = exclude, extend_exclude
        self.respect_gitignore, self.force_exclude, self.ignore_bad_template = respect_gitignore, force_exclude, ignore_bad_template
        self.fail_on = fail_on
        self.alias_name, self.deployment_type, self.placement = alias_name, deployment_type, placement
        self.region, self.account_id, self.policy_profile = region, account_id, policy_profile


class FileSettings:
    """Everything that applies to one file: the rules that run, the lint and fix settings, ``unsafe-fixes``, ``fail-on``,
    ``ignore-bad-template``, its configuration, the rule ids ``per-file-ignores`` take away from it, and where its
    policy profile comes from (``--policy-profile``, a ``policy-profiles`` glob, or "" when by name)."""

    __slots__ = (
        "config", "fail_on", "fixes", "ignore_bad_template", "ignored_here", "lint", "policy_profile_source", "rules", "unsafe_fixes",
    )

    def __init__(
        self,
        rules: tuple[Rule, ...],
        lint: LintSettings,
        fixes: FixSettings,
        fail_on: str,
        ignore_bad_template: bool,
        config: Config | None,
        ignored_here: tuple[str, ...] = (),
        policy_profile_source: str = "",
        unsafe_fixes: bool = False,
    ) -> None:
        self.rules, self.lint, self.fixes, self.unsafe_fixes = rules, lint, fixes, unsafe_fixes
        self.fail_on, self.ignore_bad_template, self.config = fail_on, ignore_bad_template, config
        self.ignored_here, self.policy_profile_source = ignored_here, policy_profile_source

    def fails(self, rule_id: str) -> bool:
        """Does a finding of ``rule_id`` make the exit code 1 (``fail-on``)?"""
        from sam_shift_lint.findings import severity_of

        return SEVERITY_RANK[severity_of(rule_id)] >= SEVERITY_RANK[self.fail_on]


class _Base:
    """What a configuration (with the overrides) gives every file it governs, validated once; ``excludes`` as
    (base directory, pattern) pairs, compiled on first use (a run that walks nothing needs none)."""

    __slots__ = (
        "_excludes", "exclude_patterns", "extend", "fail_on", "fixes", "force_exclude", "ignore", "ignore_bad_template",
        "lint", "report_unused_suppressions", "respect_gitignore", "select", "unsafe_fixes",
    )

    def __init__(
        self,
        select: tuple[str, ...] | None,
        extend: tuple[str, ...],
        ignore: tuple[str, ...],
        lint: LintSettings,
        fixes: FixSettings,
        fail_on: str,
        ignore_bad_template: bool,
        respect_gitignore: bool,
        force_exclude: bool,
        exclude_patterns: tuple[tuple[str, str | Glob], ...],
        report_unused_suppressions: bool = False,
        unsafe_fixes: bool = False,
    ) -> None:
        self.select, self.extend, self.ignore = select, extend, ignore
        self.report_unused_suppressions, self.unsafe_fixes = report_unused_suppressions, unsafe_fixes
        self.lint, self.fixes, self.fail_on = lint, fixes, fail_on
        self.ignore_bad_template, self.respect_gitignore, self.force_exclude = ignore_bad_template, respect_gitignore, force_exclude
        self.exclude_patterns = exclude_patterns
        self._excludes: tuple[tuple[str, Glob], ...] | None = None

    @property
    def excludes(self) -> tuple[tuple[str, Glob], ...]:
        from sam_shift_lint.config.globs import Glob, compile_glob

        if self._excludes is None:
            self._excludes = tuple(
                (base, pattern if isinstance(pattern, Glob) else compile_glob(pattern)) for base, pattern in self.exclude_patterns
            )
        return self._excludes


class Project:
    """Settings for any file, from its closest configuration (or the one ``--config`` names) and ``overrides``.
    One per run (or per process, for the rule pack): configurations, their validation and rule lists are
    cached."""

    def __init__(self, overrides: Overrides | None = None, config_path: str | None = None, isolated: bool = False) -> None:
        self.overrides = overrides or Overrides()
        self.cwd = os.getcwd()
        self._finder = ConfigFinder()
        self.config_path, self.isolated = config_path, isolated
        # --config: one configuration for every file; its relative paths are resolved from the current
        # directory, as ruff does (so a configuration kept elsewhere can name this tree's paths).
        self._fixed: Config | None = load_config(config_path, root=self.cwd) if config_path else None
        self._bases: dict[str | None, _Base] = {}
        self._rules: dict[tuple[str | None, tuple[str, ...]], tuple[Rule, ...]] = {}
        self._cli_excludes = tuple((self.cwd, pattern) for pattern in (self.overrides.exclude or ()) + self.overrides.extend_exclude)
        self._pairings: dict[tuple[str, str], tuple[str, ...] | ConfigError] = {}  # (configuration, key) -> templates

    # ------------------------------------------------------------------------------------------ lookup

    def config_for(self, path: str) -> Config | None:
        """The configuration that applies to the file ``path`` (``-``: the current directory's)."""
        if self._fixed is not None or self.isolated:
            return self._fixed
        return self._finder.for_file(path)

    def config_for_directory(self, directory: str) -> Config | None:
        if self._fixed is not None or self.isolated:
            return self._fixed
        return self._finder.for_directory(directory)

    def _base(self, config: Config | None) -> _Base:
        key = config.path if config is not None else None
        base = self._bases.get(key)
        if base is None:
            base = self._bases[key] = _resolve_base(config, self.overrides, self._cli_excludes)
        return base

    # ------------------------------------------------------------------------------------------ settings

    def settings_for(self, path: str, explicit: bool = True) -> FileSettings:
        """The settings for the file ``path`` (``explicit``: named by the user, so ``--policy-profile`` applies).
        Raises :class:`ConfigError` when its configuration cannot be used."""
        config = self.config_for(path)
        base = self._base(config)
        ignored: tuple[str, ...] = ()
        lint = base.lint
        source = ""
        if config is not None:
            from sam_shift_lint.config.globs import relative_to
            from sam_shift_lint.config.schema import toml_key

            absolute = os.path.abspath(path) if path not in ("", "-") else ""
            relative = relative_to(absolute, config.root) if absolute else None
            ignored = _per_file_ignores(config, relative)
            if config.policy_profiles and relative is not None:
                for glob, name in config.policy_profiles:
                    if _path_matches(glob, relative):
                        lint = _with_profile(lint, name)
                        source = f"{config.key('policy-profiles')}.{toml_key(glob.pattern)}"
                        break
        if explicit and self.overrides.policy_profile is not None:
            lint, source = _with_profile(lint, self.overrides.policy_profile), "--policy-profile"
        if path not in ("", "-"):
            deploys, deploys_source = self._deploys(os.path.abspath(path), config)
            if deploys_source:
                lint = replace(lint, deploys=deploys, deploys_source=deploys_source)
        return FileSettings(
            self._rules_for(config, base, ignored),
            lint,
            base.fixes,
            base.fail_on,
            base.ignore_bad_template,
            config,
            ignored,
            source,
            base.unsafe_fixes,
        )

    def _deploys(self, absolute: str, config: Config | None) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], str]:
        """What the file deploys, and where that comes from ("": nothing is paired with it): the configuration's
        ``deploy-roles`` entries whose key matches it, else the automatic pairing of a CodeStar project or a
        checked-in ``sam pipeline`` bootstrap template.
        Raises :class:`ConfigError` when an entry's templates cannot be used."""
        if config is not None and config.deploy_roles:
            from sam_shift_lint.config.globs import relative_to
            from sam_shift_lint.config.pairing import matching
            from sam_shift_lint.config.schema import toml_key

            relative = relative_to(absolute, config.root)
            found = matching(config.deploy_roles, relative) if relative is not None else []
            if found:
                deploys = tuple((key.role, self._resolved(config, key.pattern, globs, absolute)) for key, globs in found)
                return deploys, f"{config.key('deploy-roles')}.{toml_key(found[0][0].pattern)}"
        source = automatic_source(os.path.basename(absolute))  # a name test: other files load nothing for it
        if source:
            from sam_shift_lint.config.files import find_repository
            from sam_shift_lint.config.pairing import automatic

            directory = os.path.dirname(absolute)
            deploys = automatic(absolute, find_repository(directory) or directory)
            return deploys, source if deploys else ""
        return (), ""

    def _resolved(self, config: Config, pattern: str, globs: tuple[Glob, ...], itself: str) -> tuple[str, ...]:
        """The templates of one ``deploy-roles`` entry (resolved once per run), without the file itself."""
        cached = self._pairings.get((config.path, pattern))
        if cached is None:
            from sam_shift_lint.config.files import find_repository
            from sam_shift_lint.config.pairing import resolve
            from sam_shift_lint.config.schema import toml_key

            key = f"deploy-roles.{toml_key(pattern)}"
            try:
                cached = resolve(
                    globs,
                    config.root,
                    find_repository(config.root) or config.root,
                    lambda problem: config.error(key, problem),
                    lambda path, is_dir: self.excluded(path, is_dir),
                )
            except ConfigError as error:
                cached = error
            self._pairings[(config.path, pattern)] = cached
        if isinstance(cached, ConfigError):
            raise cached
        return tuple(path for path in cached if path != itself)

    def ignores(self, settings: FileSettings, rule_id: str) -> bool:
        """Does the configuration behind ``settings`` (``ignore``, ``per-file-ignores``) turn ``rule_id`` off?"""
        ignore = self._base(settings.config).ignore + settings.ignored_here
        return any(rule_id.startswith(prefix) for prefix in ignore)

    def _rules_for(self, config: Config | None, base: _Base, ignored: tuple[str, ...]) -> tuple[Rule, ...]:
        key = (config.path if config is not None else None, ignored)
        rules = self._rules.get(key)
        if rules is None:
            from sam_shift_lint.checks.registry import select_rules

            chosen = select_rules(_selection(base), base.ignore)
            if base.report_unused_suppressions:
                from sam_shift_lint.checks.suppressions import i9001_unused_suppression

                if i9001_unused_suppression not in chosen:
                    chosen.append(i9001_unused_suppression)
            rules = self._rules[key] = tuple(rule for rule in chosen if not any(rule.META.id.startswith(i) for i in ignored))
        return rules

    # ------------------------------------------------------------------------------------------ exclusion

    def respect_gitignore(self, directory: str) -> bool:
        return self._base(self.config_for_directory(directory)).respect_gitignore

    def unsafe_fixes(self) -> bool:
        """``unsafe-fixes`` of the current directory's configuration (or ``--config``), under the flag: what the
        report says about hidden fixes (False when that configuration is unusable: it is reported elsewhere)."""
        try:
            return self._base(self.config_for_directory(self.cwd)).unsafe_fixes
        except ConfigError:
            return bool(self.overrides.unsafe_fixes)

    def force_exclude(self) -> bool:
        """``force-exclude`` for files named on the command line (the current directory's configuration, or
        ``--config``, decides, under the flag). Raises :class:`ConfigError`."""
        return self._base(self.config_for_directory(self.cwd)).force_exclude

    def excluded(self, path: str, is_dir: bool, whole_path: bool = False) -> bool:
        """Is ``path`` excluded by ``exclude``/``extend-exclude`` (of the configuration governing its directory,
        and the command line's)? ``whole_path``: also its directories (for a file named on the command line;
        a walk tests each directory as it enters it)."""
        from sam_shift_lint.config.globs import matches_path, relative_to

        absolute = os.path.abspath(path)
        base = self._base(self.config_for_directory(os.path.dirname(absolute)))
        name = os.path.basename(absolute)
        for directory, glob in base.excludes:
            relative = relative_to(absolute, directory)
            if relative is None:
                if not glob.anchored and glob.matches(name, is_dir):
                    return True
                continue
            if whole_path:
                if matches_path([glob], relative, is_dir):
                    return True
            elif glob.matches(relative, is_dir):
                return True
        return False


def _with_profile(lint: LintSettings, name: str) -> LintSettings:
    return replace(lint, policy_profile=name)


def _selection(base: _Base) -> list[str]:
    """The selectors that choose the rules: ``select`` (default: every rule on by default) and ``extend-select``."""
    if base.select is None and not base.extend:
        return []
    if base.select is None:
        from sam_shift_lint.checks.registry import RULES

        return [rule_id for rule_id, rule in RULES.items() if rule.META.default_on] + list(base.extend)
    return list(base.select) + list(base.extend)


def _path_matches(glob: Glob, relative: str) -> bool:
    """A file matches a path glob itself or through one of its directories (``legacy/`` or ``legacy``)."""
    from sam_shift_lint.config.globs import matches_path

    return matches_path([glob], relative, False)


def _per_file_ignores(config: Config, relative: str | None) -> tuple[str, ...]:
    """The ids ``per-file-ignores`` take away from the file at ``relative`` (None: outside the configuration's
    directory, where only negated patterns apply)."""
    ids: list[str] = []
    for glob, entry_ids in config.per_file_ignores or ():
        hit = relative is not None and _path_matches(glob, relative)
        if hit != glob.negated:
            ids.extend(entry_ids)
    return tuple(sorted(set(ids)))


# ---------------------------------------------------------------------------------------------- validation


def _resolve_base(config: Config | None, overrides: Overrides, cli_excludes: tuple[tuple[str, str], ...]) -> _Base:
    """Validate what ``config`` sets (rule ids, alias, type, region, account, profile names and files) and put
    ``overrides`` over it."""
    if config is not None:
        _check_config(config)
    get = _getter(config)
    if overrides.select is not None:
        select: tuple[str, ...] | None = overrides.select
        extend, ignore = overrides.extend_select, overrides.ignore
    else:
        select = get("select")
        extend = (get("extend_select") or ()) + overrides.extend_select
        ignore = (get("ignore") or ()) + overrides.ignore
    lint = LintSettings(
        region=_first(overrides.region, get("region")),
        account_id=_first(overrides.account_id, get("account_id")),
        profiles=get("profiles") or (),
    )
    placement: Placement = _placement(_first(overrides.placement, get("placement")) or "auto")
    fixes = FixSettings(
        _first(overrides.alias_name, get("alias_name")) or "live",
        _first(overrides.deployment_type, get("deployment_type")) or "AllAtOnce",
        placement,
    )
    excludes: tuple[tuple[str, str | Glob], ...]
    if overrides.exclude is not None:
        excludes = cli_excludes
    else:
        own = get("exclude")
        root = config.root if config is not None else ROOT
        defaults = tuple((ROOT, pattern) for pattern in DEFAULT_EXCLUDE) if own is None else tuple((root, glob) for glob in own)
        extended = tuple((root, glob) for glob in get("extend_exclude") or ())
        excludes = defaults + extended + cli_excludes
    return _Base(
        select,
        extend,
        ignore,
        lint,
        fixes,
        _first(overrides.fail_on, get("fail_on")) or "warning",
        bool(_first(overrides.ignore_bad_template, get("ignore_bad_template"))),
        _first(overrides.respect_gitignore, get("respect_gitignore")) is not False,
        bool(_first(overrides.force_exclude, get("force_exclude"))),
        excludes,
        bool(_first(overrides.report_unused_suppressions, get("report_unused_suppressions"))),
        bool(_first(overrides.unsafe_fixes, get("unsafe_fixes"))),
    )


def _getter(config: Config | None) -> Callable[[str], Any]:
    def get(field: str) -> Any:
        return getattr(config, field) if config is not None else None

    return get


def _first(*values: T | None) -> T | None:
    return next((value for value in values if value is not None), None)


def _placement(value: str) -> Placement:
    from sam_shift_lint.settings import PLACEMENTS

    return next(placement for placement in PLACEMENTS if placement == value)


def _check_config(config: Config) -> None:
    """The checks that need the rest of the package; the first problem raises :class:`ConfigError`."""
    from sam_shift_lint.checks.registry import UNKNOWN_SELECTOR, selector_problem
    from sam_shift_lint.config.schema import toml_key

    def check_ids(key: str, ids: tuple[str, ...] | None, ignoring: bool = False) -> None:
        for selector in ids or ():
            problem = selector_problem(selector, ignoring)
            if problem is not None and problem.startswith(UNKNOWN_SELECTOR):
                raise config.error(key, f"{selector!r} matches no rule id or prefix (see --list-rules)")
            if problem is not None:
                raise config.error(key, problem)

    check_ids("select", config.select)
    check_ids("extend-select", config.extend_select)
    check_ids("ignore", config.ignore, ignoring=True)
    for glob, ids in config.per_file_ignores or ():
        check_ids(f"per-file-ignores.{toml_key(glob.pattern)}", ids, ignoring=True)
    from sam_shift_lint.options import OptionError, fix_settings, lint_settings

    try:  # worded as every front door words them (sam_shift_lint.options)
        fix_settings(
            "live" if config.alias_name is None else config.alias_name,
            "AllAtOnce" if config.deployment_type is None else config.deployment_type,
            config.placement or "auto",
        )
        lint_settings(config.region, config.account_id)
    except OptionError as error:
        raise config.error(error.name, error.problem) from None
    declared = dict(config.profiles or ())
    for name, path in declared.items():
        _check_profile(config, name, path)
    if config.policy_profiles:
        from sam_shift_lint.iam.profiles import available_profiles

        known = set(declared) | set(available_profiles())
        for glob, name in config.policy_profiles:
            if name not in known:
                raise config.error(
                    f"policy-profiles.{toml_key(glob.pattern)}",
                    f"{name!r} is neither a bundled profile ({', '.join(available_profiles())}) nor declared under "
                    f"{config.key('profiles')}",
                )


def _check_profile(config: Config, name: str, path: str) -> None:
    """A declared profile file is read (the one reader: ``declared_profile``) and must be a valid profile."""
    from sam_shift_lint.checks.iam.options import declared_profile
    from sam_shift_lint.iam.profiles import ProfileError

    try:
        declared_profile(path)
    except ProfileError as error:
        raise config.error(f"profiles.{name}", str(error)) from None


__all__ = ["DEFAULT_EXCLUDE", "ConfigError", "FileSettings", "Overrides", "Project"]
