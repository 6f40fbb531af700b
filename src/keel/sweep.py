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
"""

from __future__ import annotations

import json
import platform
import time
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypedDict

from keel import formatting, lint, pyimports, space
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


@dataclass
class CombinationResult:
    """The findings of one combination (none: it passed)."""

    combination: Combination
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        """Whether nothing was found."""
        return not self.findings

    @property
    def reproduce(self) -> str:
        """The command that shows this combination's findings again."""
        return f"uv run keel sweep --only {self.combination.id}"


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

    def to_json(self) -> dict[str, Any]:
        """The results file: summary, cost, and one entry per combination."""
        return {
            "combinations": len(self.results),
            "failed": len(self.failed),
            "stats": self.stats,
            "results": [
                {
                    "id": result.combination.id,
                    "label": result.combination.label,
                    "ok": result.ok,
                    **({"reproduce": result.reproduce} if not result.ok else {}),
                    "findings": [vars(finding) for finding in result.findings],
                }
                for result in self.results
            ],
        }


class _Cache:
    """Findings of file checks on disk, keyed by check, tool version and file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list[list[str]]] = {}
        if path is not None and path.exists():
            stored = json.loads(path.read_text(encoding="utf-8"))
            if stored.get("version") == CACHE_VERSION:
                self.entries = stored["entries"]
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
            payload = {"version": CACHE_VERSION, "entries": self.entries}
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
) -> SweepResult:
    """Render `combinations` of `template` and check every one statically.

    Args:
        combinations: What to check (all of the space, or some of it).
        template: The template checkout.
        cache: Where findings of file checks are kept between runs (None: nowhere).
        jobs: Processes that render (default: one per core).
        progress: Called as work advances, with the phase and its counts.

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
