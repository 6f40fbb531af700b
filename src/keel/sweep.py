"""`keel sweep`: render every valid combination and check each one statically.

Where the time goes, and what is done about it:

* Copier's own per-run cost (template copy, answer resolution, compiling every
  file) is paid once: ``keel.fastrender`` renders each template file once per
  distinct value of the names it uses, and keeps each output once by hash.
* Checks run on distinct files, not on files x combinations. A file check's
  result depends on the file's path, its content and the config that governs
  it in its combination (pyproject.toml for ruff, .yamllint.yaml for
  yamllint); results are keyed by exactly that, plus the tool's version.
* Tools start once per batch (``keel.lint`` writes distinct files into
  layer directories), and results are cached on disk by the same keys, so an
  unchanged file is not checked again on the next run.
* Checks that need the whole project (imports resolve, dependencies declared
  and used, Dockerfile COPY sources) are set operations over per-file facts
  computed once, run for every combination.
* With ``audit``, each combination of a named profile is also audited against
  its profile's standard (``keel audit``), as ``copier copy`` would write it: the
  template's ``uv lock`` task runs once per distinct pyproject.toml (offline
  first, from uv's cache), each tree is linked together from files written once,
  audits run on every core, and results are cached by standard, audit code and tree.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import shutil
import subprocess
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, NotRequired, TypedDict

from keel import audit as auditing
from keel import formatting, lint, pyimports, space
from keel.errors import KeelError
from keel.fastrender import Tree, digest, render_all
from keel.lint import Contents, FileRef, Finding
from keel.render import ANSWERS_FILE, stable_answers
from keel.space import TEMPLATE_ROOT, Combination

CACHE_VERSION = "1"  # bump when a check of keel's own changes what it finds

# Names Copier defines for some templates only (`_commit`: a template in git). A
# leftover `{{ _commit }}` is a leftover wherever it is rendered from, and the
# leftover check's cache key (the names) must not depend on where that was.
SOMETIMES_DEFINED = frozenset({"_commit"})

# Files the template's tasks write after rendering (copier.yml `_tasks`: uv lock).
TASK_OUTPUTS = ("uv.lock",)


def _identity(config: bytes) -> bytes:
    return config


def _ruff_settings(pyproject: bytes) -> bytes:
    """The part of a pyproject.toml that ruff reads: what its results depend on."""
    data = tomllib.loads(pyproject.decode())
    relevant = {
        "requires-python": data.get("project", {}).get("requires-python"),
        "ruff": data.get("tool", {}).get("ruff"),
    }
    return json.dumps(relevant, sort_keys=True).encode()


@dataclass(frozen=True)
class FileCheck:
    """A check of single files, run over the distinct ones.

    Attributes:
        name: Shown in findings and timings.
        applies: Whether the check looks at a project path.
        run: The check itself (see `keel.lint.Check`).
        version: Part of the cache key: a new tool version checks everything again.
        config: The project file the results also depend on (pyproject.toml for ruff).
        settings: What of that file matters: two configs with equal settings share results.
    """

    name: str
    applies: Callable[[str], bool]
    run: lint.Check
    version: str
    config: str | None = None
    settings: Callable[[bytes], bytes] = _identity

    def config_of(
        self, tree: Tree, contents: Contents, configs: dict[str, bytes], seen: dict[str, str]
    ) -> str:
        """The digest of this check's config settings in one project ("" if none).

        Args:
            tree: The project.
            contents: File contents by digest.
            configs: Filled with one config file per settings digest (what tools read).
            seen: Settings digest by config file digest, so each file is read once.
        """
        if self.config is None or self.config not in tree:
            return ""
        file_digest = tree[self.config]
        if file_digest not in seen:
            content = contents[file_digest]
            seen[file_digest] = digest(self.settings(content))
            configs.setdefault(seen[file_digest], content)
        return seen[file_digest]


@dataclass(frozen=True)
class MustFailure:
    """A MUST rule of its standard that a project fails, without a documented deviation.

    Attributes:
        rule: The rule's ID (``FLB-OBS-004``).
        level: The standard's own word for it (MANDATORY, HARD, ...).
        title: The requirement, as the standard states it.
        reason: What the audit found, in a few words.
        path: The first file it points at (None: the project as a whole).
        line: Where in that file (None: the file as a whole).
        detail: The first finding's own message.
        places: How many places the audit pointed at.
    """

    rule: str
    level: str
    title: str
    reason: str
    path: str | None = None
    line: int | None = None
    detail: str = ""
    places: int = 0

    @classmethod
    def of(cls, result: auditing.Result) -> MustFailure:
        """The failure a failed MUST result records: the rule, and its first place."""
        first = result.findings[0] if result.findings else None
        return cls(
            rule=result.rule.id,
            level=result.rule.level,
            title=result.rule.title,
            reason=result.reason,
            path=first.path if first else None,
            line=first.line if first else None,
            detail=first.message if first else "",
            places=len(result.findings),
        )

    @property
    def where(self) -> str:
        """``path:line``, ``path``, or ``(project)`` when no file is named."""
        if self.path is None:
            return "(project)"
        return f"{self.path}:{self.line}" if self.line else self.path

    def finding(self) -> Finding:
        """The sweep finding it makes: check ``audit``, its file, rule ID, line and reason."""
        line = f"line {self.line}: " if self.line else ""
        detail = f" ({self.detail})" if self.detail and self.detail != self.reason else ""
        more = f", and {self.places - 1} more place(s)" if self.places > 1 else ""
        message = f"{line}{self.rule} ({self.level}) broken: {self.reason}{detail}{more}"
        return Finding("audit", self.path or "(project)", message)


@dataclass(frozen=True)
class AuditOutcome:
    """One project audited against its standard: MUST rules by status, and those it fails.

    ``error`` says why the audit could not run (a deviation the standard does not know).
    """

    standard: str
    musts: dict[str, int]  # MUST rules by status
    failures: tuple[MustFailure, ...] = ()
    error: str = ""

    @property
    def ok(self) -> bool:
        """Whether every MUST rule holds (or has a documented deviation)."""
        return not self.failures and not self.error

    def findings(self) -> list[Finding]:
        """What it adds to the sweep's findings: one per failed MUST rule."""
        if self.error:
            return [Finding("audit", "pyproject.toml", self.error)]
        return [failure.finding() for failure in self.failures]

    def to_json(self) -> dict[str, Any]:
        """Its entry in a results file (and in the sweep's cache)."""
        return {
            "standard": self.standard,
            "ok": self.ok,
            "musts": self.musts,
            "failed_musts": [vars(failure) for failure in self.failures],
            **({"error": self.error} if self.error else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AuditOutcome:
        """Read back what `to_json` wrote."""
        failures = tuple(MustFailure(**item) for item in data["failed_musts"])
        return cls(data["standard"], data["musts"], failures, data.get("error", ""))


def audit_outcome(root: Path, standard: str) -> AuditOutcome:
    """Audit the project at ``root`` against ``standard`` (a file stem), as `keel audit` does."""
    try:
        results = auditing.audit(root, auditing.STANDARDS[standard])
    except KeelError as error:
        return AuditOutcome(standard, {}, error=str(error))
    tally = Counter(r.status for r in results if r.rule.severity is auditing.Severity.MUST)
    musts = {str(status): tally[status] for status in auditing.Status if tally[status]}
    failures = tuple(MustFailure.of(result) for result in auditing.failed_musts(results))
    return AuditOutcome(standard, musts, failures)


def declared_outcome(root: Path) -> AuditOutcome | None:
    """The audit against the standard ``root``'s pyproject.toml declares (None: it declares none).

    A ``custom`` project follows no standard; a named profile's records its own.
    """
    declared = auditing.Project(root.resolve()).declared_standard
    return None if declared is None else audit_outcome(root, declared)


@dataclass
class CombinationResult:
    """The findings of one combination (none: it passed).

    ``audit`` is its audit against its profile's standard, when the sweep audited it.
    """

    combination: Combination
    findings: list[Finding]
    audit: AuditOutcome | None = None

    @property
    def ok(self) -> bool:
        """Whether nothing was found."""
        return not self.findings

    @property
    def reproduce(self) -> str:
        """The command that shows this combination's findings again."""
        audited = " --audit" if self.audit is not None else ""
        return f"uv run keel sweep --only {self.combination.id}{audited}"


class SweepStats(TypedDict):
    """What a sweep cost: counts of files and checks, and seconds by phase."""

    combinations: int
    template_files: int
    files_naive: int  # files written if every combination were rendered in full
    jinja_renders: int
    distinct_files: int
    distinct_contents: int
    file_checks_cached: int
    file_checks_run: int
    audited: NotRequired[int]  # combinations audited against their profile's standard
    audits_cached: NotRequired[int]  # of those, results the cache held for the same tree
    seconds: dict[str, float]


@dataclass
class SweepResult:
    """Every combination's result, and what the sweep cost."""

    results: list[CombinationResult]
    stats: SweepStats

    @property
    def failed(self) -> list[CombinationResult]:
        """The combinations with findings."""
        return [result for result in self.results if not result.ok]

    def broken_rules(self) -> dict[str, list[tuple[CombinationResult, MustFailure]]]:
        """Each MUST rule some audited combination fails, with every combination failing it."""
        broken: dict[str, list[tuple[CombinationResult, MustFailure]]] = {}
        for result in self.results:
            for failure in result.audit.failures if result.audit else ():
                broken.setdefault(failure.rule, []).append((result, failure))
        return dict(sorted(broken.items(), key=lambda item: (-len(item[1]), item[0])))

    def broken_json(self) -> list[dict[str, Any]]:
        """`broken_rules` for the results file: each rule, how often, and its first combination."""
        return [
            {
                "rule": rule,
                "combinations": len(failing),
                "first": failing[0][0].combination.id,
                "label": failing[0][0].combination.label,
                "where": failing[0][1].where,
                "reason": failing[0][1].reason,
                "profile_defaults": any(is_profile_defaults(r.combination) for r, _ in failing),
            }
            for rule, failing in self.broken_rules().items()
        ]

    def to_json(self) -> dict[str, Any]:
        """The results file: summary, cost, one entry per combination (and broken MUST rules)."""
        audited = {"broken_musts": self.broken_json()} if self.stats.get("audited") else {}
        return {
            "combinations": len(self.results),
            "failed": len(self.failed),
            **audited,
            "stats": self.stats,
            "results": [
                {
                    "id": result.combination.id,
                    "label": result.combination.label,
                    "ok": result.ok,
                    **({"reproduce": result.reproduce} if not result.ok else {}),
                    "findings": [vars(finding) for finding in result.findings],
                    **({"audit": result.audit.to_json()} if result.audit else {}),
                }
                for result in self.results
            ],
        }


class _Cache:
    """Findings of file checks on disk, keyed by check, tool version and file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list[list[str]]] = {}
        self.audits: dict[str, dict[str, Any]] = {}  # audit outcomes by `_audit_key`
        if path is not None and path.exists():
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored.get("version") == CACHE_VERSION:
                self.entries = stored["entries"]
                self.audits = stored.get("audits", {})
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(check: FileCheck, ref: FileRef) -> str:
        return f"{check.name}|{check.version}|{ref.path}|{ref.digest}|{ref.config}"

    def get(self, check: FileCheck, ref: FileRef) -> list[Finding] | None:
        stored = self.entries.get(self.key(check, ref))
        if stored is None:
            self.misses += 1
            return None
        self.hits += 1
        return [Finding(*item) for item in stored]

    def put(self, check: FileCheck, ref: FileRef, findings: list[Finding]) -> None:
        self.entries[self.key(check, ref)] = [
            [finding.check, finding.path, finding.message] for finding in findings
        ]

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            payload = {"version": CACHE_VERSION, "entries": self.entries, "audits": self.audits}
            self.path.write_text(json.dumps(payload), encoding="utf-8")


Progress = Callable[[str, int, int], None]  # phase, done, total


def _ruff_check(version: str) -> FileCheck:
    """ruff on Python files, under the ruff settings of the project's pyproject.toml."""
    return FileCheck(
        "ruff",
        lambda path: path.endswith(".py"),
        lint.ruff,
        version,
        config="pyproject.toml",
        settings=_ruff_settings,
    )


def _file_checks(names: Iterable[str]) -> list[FileCheck]:
    own = f"keel-{CACHE_VERSION}-py{platform.python_version()}"
    names = sorted(names)
    # Which braces are leftovers depends on the template's names: part of the key.
    named = f"{own}-{digest(' '.join(names).encode())[:12]}"
    return [
        FileCheck("jinja", lambda _path: True, lint.jinja_leftovers(names), named),
        FileCheck("syntax", lint.applies_syntax, lint.syntax, own),
        FileCheck("whitespace", lambda _path: True, lint.whitespace, own),
        _ruff_check(lint.tool_version("ruff")),
        FileCheck(
            "yamllint",
            lambda path: path.endswith((".yml", ".yaml")),
            lint.yamllint,
            lint.tool_version("yamllint"),
            config=".yamllint.yaml",
        ),
        FileCheck(
            "schema", lint.SCHEMAS.__contains__, lint.schemas, lint.tool_version("check-jsonschema")
        ),
        FileCheck(
            "hadolint",
            lambda path: path == "Dockerfile",
            lint.hadolint,
            lint.tool_version("hadolint"),
        ),
        FileCheck(
            "just", lambda path: path == "Justfile", lint.justfile, lint.tool_version("just")
        ),
    ]


def sweep(
    combinations: list[Combination],
    *,
    template: Path = TEMPLATE_ROOT,
    cache: Path | None = None,
    jobs: int | None = None,
    progress: Progress = lambda _phase, _done, _total: None,
    audit: bool = False,
) -> SweepResult:
    """Render `combinations` of `template` and check every one statically.

    Args:
        combinations: What to check (all of the space, or some of it).
        template: The template checkout.
        cache: Where findings of file checks (and audits) are kept between runs
            (None: nowhere).
        jobs: Processes that render and audit (default: one per core).
        progress: Called as work advances, with the phase and its counts.
        audit: Also audit each combination of a named profile against its
            profile's standard; a failed MUST rule is a finding.

    Returns:
        The findings of each combination, and the sweep's cost.
    """
    clock = time.perf_counter()
    timings: dict[str, float] = {}
    rendered = render_all(
        combinations,
        template=template,
        jobs=jobs,
        progress=lambda done, total: progress("render", done, total),
    )
    trees, contents, render_stats = rendered.trees, rendered.stats.contents, rendered.stats
    _drop_volatile_answers(trees, contents)
    timings["render"] = time.perf_counter() - clock
    clock = time.perf_counter()
    format_trees(trees, contents, template=template)
    timings["format"] = time.perf_counter() - clock

    stored = _Cache(cache)
    names = rendered.names | SOMETIMES_DEFINED
    file_findings = _run_file_checks(trees, contents, names, stored, progress, timings)
    stored.save()

    clock = time.perf_counter()
    results: list[CombinationResult] = []
    projects = _ProjectChecks(contents)
    for index, (combination, tree, by_path) in enumerate(
        zip(combinations, trees, file_findings, strict=True), start=1
    ):
        findings = [found for path in sorted(by_path) for found in by_path[path]]
        findings.extend(projects.findings(tree))
        results.append(CombinationResult(combination, findings))
        progress("projects", index, len(combinations))
    timings["projects"] = time.perf_counter() - clock

    audits_cached = 0
    if audit:
        standards = space.load(template / "copier.yml").profile_standards
        chosen = {
            index: standards[combination.answers["profile"]]
            for index, combination in enumerate(combinations)
            if combination.answers.get("profile") in standards
        }
        auditor = _Auditor(contents, stored, jobs=jobs or os.cpu_count() or 1, progress=progress)
        outcomes = auditor.run({index: trees[index] for index in chosen}, chosen, timings)
        audits_cached = auditor.cached
        for index, outcome in outcomes.items():
            results[index].audit = outcome
            results[index].findings.extend(outcome.findings())
        stored.save()

    distinct = {(path, digest) for tree in trees for path, digest in tree.items()}
    stats: SweepStats = {
        "combinations": len(combinations),
        "template_files": render_stats.template_files,
        "files_naive": render_stats.naive_files,
        "jinja_renders": render_stats.renders,
        "distinct_files": len(distinct),
        "distinct_contents": len(contents),
        "file_checks_cached": stored.hits,
        "file_checks_run": stored.misses,
        "audited": sum(result.audit is not None for result in results),
        "audits_cached": audits_cached,
        "seconds": {phase: round(seconds, 2) for phase, seconds in timings.items()},
    }
    return SweepResult(results, stats)


def format_trees(trees: list[Tree], contents: dict[str, bytes], *, template: Path) -> None:
    """Rewrite each tree's Python files as the template's ruff tasks rewrite a new project.

    Each distinct file is formatted once under its project's ruff settings; the
    trees that hold it point at the result.
    """
    tasks = tuple(formatting.ruff_tasks(space.load(template / "copier.yml")))
    governing = _ruff_check(version="")  # for its config lookup only
    configs: dict[str, bytes] = {}
    seen: dict[str, str] = {}
    holders: dict[FileRef, list[int]] = defaultdict(list)
    for index, tree in enumerate(trees):
        config = governing.config_of(tree, contents, configs, seen)
        for path, item in tree.items():
            if path.endswith(".py"):
                holders[FileRef(path, item, config)].append(index)
    known = _FORMATTED.setdefault(tasks, {})
    pending = [ref for ref in holders if ref not in known]
    changed = formatting.apply(list(tasks), pending, contents, configs)
    known.update({ref: changed.get(ref) for ref in pending})
    for ref in holders:
        content = known[ref]
        if content is None:
            continue
        contents[key := digest(content)] = content
        for index in holders[ref]:
            trees[index][ref.path] = key


# What the formatting tasks made of each file (None: left as it was), by tasks and
# file (path, content, ruff settings): a later sweep in the same process, such as
# the planted-bugs sweep of keel's tests, formats only the files it has not seen.
_FORMATTED: dict[tuple[formatting.RuffTask, ...], dict[FileRef, bytes | None]] = {}


def _drop_volatile_answers(trees: list[Tree], contents: dict[str, bytes]) -> None:
    """Check each answers file without the lines that name the template's path and commit.

    They change with every checkout and commit of keel (a dirty working tree is
    committed anew on each run), not with the template: with them, every one of
    the space's answers files would be new to the cache on every run.
    """
    stable: dict[str, str] = {}
    for tree in trees:
        item = tree.get(ANSWERS_FILE)
        if item is None:
            continue
        if item not in stable:
            content = stable_answers(contents[item])
            stable[item] = digest(content)
            contents[stable[item]] = content
        tree[ANSWERS_FILE] = stable[item]


def _run_file_checks(
    trees: list[Tree],
    contents: Contents,
    names: Iterable[str],
    stored: _Cache,
    progress: Progress,
    timings: dict[str, float],
) -> list[dict[str, list[Finding]]]:
    """Run every file check over the distinct files; return each tree's findings by path.

    Trees share most of their files: each distinct (path, content) is looked at
    once per check, and its findings are handed to the trees that hold it.
    """
    checks = _file_checks(names)
    clock = time.perf_counter()
    holders: dict[tuple[str, str], list[int]] = {}
    for index, tree in enumerate(trees):
        for item in tree.items():
            holders.setdefault(item, []).append(index)
    timings["index"] = time.perf_counter() - clock
    per_tree: list[dict[str, list[Finding]]] = [{} for _ in trees]
    for number, check in enumerate(checks, start=1):
        clock = time.perf_counter()
        configs: dict[str, bytes] = {}  # one config file per settings digest
        refs = _refs(check, trees, holders, contents, configs)
        results: dict[FileRef, list[Finding]] = {}
        pending: list[FileRef] = []
        for ref in refs:
            cached = stored.get(check, ref)
            if cached is None:
                pending.append(ref)
            else:
                results[ref] = cached
        if pending:
            found = check.run(pending, contents, configs)
            for ref in pending:
                results[ref] = found.get(ref, [])
                stored.put(check, ref, results[ref])
        for ref, indices in refs.items():
            if results[ref]:
                for index in indices:
                    per_tree[index].setdefault(ref.path, []).extend(results[ref])
        timings[check.name] = time.perf_counter() - clock
        progress("file checks", number, len(checks))
    return per_tree


def _refs(
    check: FileCheck,
    trees: list[Tree],
    holders: dict[tuple[str, str], list[int]],
    contents: Contents,
    configs: dict[str, bytes],
) -> dict[FileRef, list[int]]:
    """The distinct files `check` looks at, each with the trees that hold it."""
    applicable = [(item, indices) for item, indices in holders.items() if check.applies(item[0])]
    if check.config is None:
        return {FileRef(path, content): indices for (path, content), indices in applicable}
    seen: dict[str, str] = {}
    governing = [check.config_of(tree, contents, configs, seen) for tree in trees]
    grouped: dict[tuple[str, str, str], list[int]] = {}
    for (path, content), indices in applicable:
        for index in indices:
            grouped.setdefault((path, content, governing[index]), []).append(index)
    return {FileRef(*key): indices for key, indices in grouped.items()}


class _ProjectChecks:
    """Checks of whole projects: imports, dependencies, Dockerfile COPY sources.

    Their findings are functions of a few of a project's files, and thousands
    of combinations share those files: each distinct input is checked once.
    """

    # Keyed by content digests, so they hold for any sweep in this process: a later
    # sweep checks only the projects whose files it has not seen.
    _analysed: ClassVar[dict[tuple[str, str], pyimports.PythonFile | None]] = {}
    _imports: ClassVar[dict[tuple[frozenset[tuple[str, str]], str], list[Finding]]] = {}
    _declared: ClassVar[dict[str, set[str]]] = {}
    _copies: ClassVar[dict[tuple[str, str | None, frozenset[str]], list[Finding]]] = {}

    def __init__(self, contents: Contents) -> None:
        self._contents = contents

    def findings(self, tree: Tree) -> list[Finding]:
        """What is wrong with one project as a whole."""
        python = frozenset(item for item in tree.items() if item[0].endswith(".py"))
        key = (python, tree["pyproject.toml"])
        if key not in self._imports:
            self._imports[key] = self._import_findings(python, tree["pyproject.toml"])
        found = list(self._imports[key])
        if "Dockerfile" in tree:
            found.extend(self._copy_findings(tree))
        return found

    def _import_findings(self, python: frozenset[tuple[str, str]], pyproject: str) -> list[Finding]:
        files: dict[str, pyimports.PythonFile] = {}
        for path, item in python:
            if (path, item) not in self._analysed:
                try:
                    text = self._contents[item].decode()
                    self._analysed[(path, item)] = pyimports.analyse(path, text)
                except SyntaxError:
                    self._analysed[(path, item)] = None  # the syntax check reports it
            info = self._analysed[(path, item)]
            if info is not None:
                files[path] = info
        if pyproject not in self._declared:
            self._declared[pyproject] = _declared(self._contents[pyproject])
        declared = self._declared[pyproject]
        problems, used = pyimports.check_project(dict(sorted(files.items())), declared)
        findings = [Finding("imports", p.path, f"line {p.line}: {p.message}") for p in problems]
        findings.extend(
            Finding(
                "dependencies",
                "pyproject.toml",
                f"{name!r} is declared but nothing imports it "
                "(remove it, or list it in keel.pyimports.RUNTIME_ONLY with the reason)",
            )
            for name in sorted(declared - used - pyimports.RUNTIME_ONLY.keys())
        )
        return findings

    def _copy_findings(self, tree: Tree) -> list[Finding]:
        dockerignore = tree.get(".dockerignore")
        key = (tree["Dockerfile"], dockerignore, frozenset(tree))
        if key not in self._copies:
            self._copies[key] = [
                Finding("dockerfile", "Dockerfile", problem)
                for problem in lint.dockerfile_copy_problems(
                    self._contents[tree["Dockerfile"]].decode(),
                    self._contents[dockerignore].decode() if dockerignore else "",
                    [*tree, *TASK_OUTPUTS],
                )
            ]
        return self._copies[key]


def _declared(pyproject: bytes) -> set[str]:
    """Every distribution a pyproject.toml declares: runtime, optional and groups."""
    data = tomllib.loads(pyproject.decode())
    project = data.get("project", {})
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    for group in data.get("dependency-groups", {}).values():
        requirements.extend(item for item in group if isinstance(item, str))
    return {pyimports.requirement_name(item) for item in requirements} - {""}


# ------------------------------------------------------------------- auditing

# Fewer audits than this run in this process: starting workers costs more.
AUDIT_PARALLEL_FROM = 8
# The template's task that writes uv.lock (copier.yml `_tasks`), offline first:
# uv's cache holds what the template's dependencies resolve to, and then a lock
# takes a tenth of a second instead of a round trip to the index per package.
LOCK_COMMANDS = (("uv", "lock", "--quiet", "--offline"), ("uv", "lock", "--quiet"))


@cache
def _audit_code() -> str:
    """A digest of keel's audit code and the Python that parses with it: in every audit key."""
    root = Path(auditing.__file__).parent
    parts = [platform.python_version().encode()]
    for path in sorted(root.rglob("*.py")):
        parts.append(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest(b"\0".join(parts))


def _audit_key(standard: str, tree: Tree) -> str:
    """What an audit's outcome depends on: the standard's rules, the audit code, every file."""
    rules = " ".join(f"{rule.id}:{rule.level}" for rule in auditing.STANDARDS[standard].rules)
    files = json.dumps(sorted(tree.items())).encode()
    return f"{standard}|{_audit_code()[:16]}|{digest(rules.encode())[:16]}|{digest(files)}"


def _link_tree(store: Path, tree: Tree, root: Path) -> None:
    """Lay `tree` out under `root` as hard links to the files of `store` (copies where none)."""
    made: set[Path] = set()
    for path, item in tree.items():
        target = root / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(store / item, target)
        except OSError:
            shutil.copyfile(store / item, target)


def _audit_linked(store: Path, tree: Tree, root: Path, standard: str) -> AuditOutcome:
    """Lay one tree out, audit it against `standard`, and remove it again."""
    _link_tree(store, tree, root)
    try:
        return audit_outcome(root, standard)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _audit_chunk(store: str, chunk: list[tuple[str, str, Tree]]) -> list[AuditOutcome]:
    """A worker's share: (where to lay the tree out, standard, tree) each."""
    return [
        _audit_linked(Path(store), tree, Path(root), standard) for root, standard, tree in chunk
    ]


@dataclass
class _Auditor:
    """Combinations audited against their standards, as `copier copy` would write them.

    A sweep's trees lack what the template's tasks write after rendering: the
    lock is made once per distinct pyproject.toml and .python-version (uv reads
    nothing else). Every distinct file is written once; each tree is hard links to them.
    """

    contents: dict[str, bytes]
    stored: _Cache
    jobs: int
    progress: Progress
    cached: int = 0
    _written: set[str] = field(default_factory=set[str])

    def run(
        self, trees: dict[int, Tree], standards: dict[int, str], timings: dict[str, float]
    ) -> dict[int, AuditOutcome]:
        """Audit each tree (by index) against its standard (a file stem)."""
        with tempfile.TemporaryDirectory(prefix="keel-audit-") as directory:
            scratch = Path(directory)
            store = scratch / "files"
            store.mkdir()
            clock = time.perf_counter()
            locked = self._lock(trees, scratch, store)
            timings["lock"] = time.perf_counter() - clock
            clock = time.perf_counter()
            outcomes: dict[int, AuditOutcome] = {}
            keys = {index: _audit_key(standards[index], tree) for index, tree in locked.items()}
            pending: list[int] = []
            for index, key in keys.items():
                if key in self.stored.audits:
                    outcomes[index] = AuditOutcome.from_json(self.stored.audits[key])
                    self.cached += 1
                else:
                    pending.append(index)
            self.progress("audit", len(outcomes), len(keys))
            self._write(store, {item for index in pending for item in locked[index].values()})
            work = [(str(scratch / "trees" / str(i)), standards[i], locked[i]) for i in pending]
            for index, outcome in zip(pending, self._audit(store, work), strict=True):
                outcomes[index] = outcome
                if not outcome.error:
                    self.stored.audits[keys[index]] = outcome.to_json()
                self.progress("audit", len(outcomes), len(keys))
            timings["audit"] = time.perf_counter() - clock
        return dict(sorted(outcomes.items()))

    def _write(self, store: Path, items: Iterable[str]) -> None:
        for item in items:
            if item not in self._written:
                (store / item).write_bytes(self.contents[item])
                self._written.add(item)

    def _lock(self, trees: dict[int, Tree], scratch: Path, store: Path) -> dict[int, Tree]:
        """Each tree with the uv.lock the template's task writes for it."""
        groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
        for index, tree in trees.items():
            groups[(tree["pyproject.toml"], tree.get(".python-version"))].append(index)
        inputs: list[Tree] = []
        for pyproject, python_version in groups:
            files = {"pyproject.toml": pyproject}
            if python_version is not None:
                files[".python-version"] = python_version
            inputs.append(files)
        self._write(store, {item for files in inputs for item in files.values()})
        locks: list[str] = []

        def lock(number: int) -> bytes:
            root = scratch / "locks" / str(number)
            _link_tree(store, inputs[number], root)
            try:
                return _uv_lock(root)
            finally:
                shutil.rmtree(root, ignore_errors=True)

        with ThreadPoolExecutor(self.jobs) as pool:
            for done, content in enumerate(pool.map(lock, range(len(inputs))), start=1):
                self.contents[item := digest(content)] = content
                locks.append(item)
                self.progress("lock", done, len(inputs))
        locked: dict[int, Tree] = {}
        for item, indices in zip(locks, groups.values(), strict=True):
            for index in indices:
                locked[index] = {**trees[index], "uv.lock": item}
        return dict(sorted(locked.items()))

    def _audit(self, store: Path, work: list[tuple[str, str, Tree]]) -> Iterable[AuditOutcome]:
        """The outcomes of `work`, in its order: in this process, or spread over workers."""
        if self.jobs == 1 or len(work) < AUDIT_PARALLEL_FROM:
            for root, standard, tree in work:
                yield _audit_linked(store, tree, Path(root), standard)
            return
        size = -(-len(work) // (self.jobs * 4))
        chunks = [work[start : start + size] for start in range(0, len(work), size)]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(self.jobs, mp_context=context) as pool:
            for outcomes in pool.map(_audit_chunk, [str(store)] * len(chunks), chunks):
                yield from outcomes


def _uv_lock(root: Path) -> bytes:
    """The uv.lock of the project at `root`: offline from uv's cache, else from the index."""
    failure = ""
    for command in LOCK_COMMANDS:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return (root / "uv.lock").read_bytes()
        failure = done.stderr.strip()
    msg = f"`uv lock` failed for a pyproject.toml of the sweep: {failure}"
    raise KeelError(msg)


def is_profile_defaults(combination: Combination) -> bool:
    """Whether `combination` is its named profile's defaults: each answer the profile's preset."""
    template = space.load()
    presets = template.profile_presets.get(combination.answers.get("profile", ""))
    if presets is None or combination.answers["profile"] not in template.profile_standards:
        return False
    names = [name for name in space.choice_names(template) if name in presets]
    return all(combination.answers.get(name) == presets[name] for name in names)


def profile_combinations(
    combinations: Sequence[Combination], profiles: Sequence[str], template: space.Template
) -> list[Combination]:
    """The combinations of the named `profiles`: their presets fixed, what they leave open varying.

    Raises:
        KeelError: A name is no named profile (``custom`` follows no standard).
    """
    standards = template.profile_standards
    unknown = [name for name in profiles if name not in standards]
    if unknown:
        msg = (
            f"no named profile {', '.join(map(repr, unknown))}: choose among "
            f"{', '.join(standards)} (custom follows no standard)"
        )
        raise KeelError(msg)
    return [c for c in combinations if c.answers.get("profile") in profiles]
