"""The file checks of the sweep: each runs once over many distinct files.

A check sees files as ``FileRef`` (project path, content digest, digest of the
config that governs it in its combination) and returns findings per ref. The
external tools are started once per batch, not once per file: the files are
written into "layer" directories, each holding at most one version of every
project path, so path-sensitive tools (ruff's per-file ignores, first-party
detection) see them where the project has them.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import tempfile
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NotRequired, TypedDict, cast

import yaml

from keel.errors import KeelError

# Rendered files validated against check-jsonschema's built-in schemas.
SCHEMAS = {
    ".github/workflows/ci.yml": "vendor.github-workflows",
    ".github/workflows/template-update.yml": "vendor.github-workflows",
    ".github/workflows/release.yml": "vendor.github-workflows",
    ".github/workflows/security.yml": "vendor.github-workflows",
    ".github/dependabot.yml": "vendor.dependabot",
    ".gitlab-ci.yml": "vendor.gitlab-ci",
    "compose.yaml": "vendor.compose-spec",
}


@dataclass(frozen=True)
class FileRef:
    """One distinct file of the rendered trees, under one governing config."""

    path: str
    digest: str
    config: str = ""  # digest of the config the check reads, "" if none


@dataclass(frozen=True)
class Finding:
    """Something wrong with a rendered file or project."""

    check: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: [{self.check}] {self.message}"


Contents = Mapping[str, bytes]  # digest -> content
Findings = dict[FileRef, list[Finding]]
# A file check: (refs, contents by digest, configs by FileRef.config) -> findings
Check = Callable[[list[FileRef], Contents, Contents], Findings]


def _report(findings: Findings, ref: FileRef, check: str, message: str) -> None:
    findings.setdefault(ref, []).append(Finding(check, ref.path, message))


def _tool(command: list[str], *, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        msg = f"{command[0]} is not installed: run `uv sync` in the keel checkout"
        raise KeelError(msg) from None


def tool_version(name: str) -> str:
    """What ``<name> --version`` prints: part of every cache key of its check."""
    return _tool([name, "--version"]).stdout.strip()


def layers(refs: Iterable[FileRef]) -> list[dict[str, FileRef]]:
    """Spread refs over layers so that no layer holds one path twice."""
    result: list[dict[str, FileRef]] = []
    versions: Counter[str] = Counter()
    for ref in sorted(refs, key=lambda ref: (ref.path, ref.digest)):
        index = versions[ref.path]  # the first layer without this path
        versions[ref.path] += 1
        if index == len(result):
            result.append({})
        result[index][ref.path] = ref
    return result


def write_layers(
    refs: Iterable[FileRef],
    contents: Contents,
    root: Path,
    extra: Mapping[str, bytes] | None = None,
) -> dict[str, FileRef]:
    """Write refs into layer directories below `root`; map each written file back.

    `extra` files (a config) are written into every layer.
    """
    written: dict[str, FileRef] = {}
    for index, layer in enumerate(layers(refs)):
        directory = root / f"layer-{index}"
        for name, content in (extra or {}).items():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_bytes(content)
        for path, ref in layer.items():
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(contents[ref.digest])
            written[str(target)] = ref
    return written


def write_under_configs(
    refs: Iterable[FileRef], contents: Contents, configs: Contents, root: Path, name: str
) -> dict[str, FileRef]:
    """Write refs below `root`, those of each config beside their own copy of it.

    Each config gets a directory with the config file `name` (`ref.config` is
    its key in `configs`) and the refs it governs, spread over layers.
    """
    by_config: dict[str, list[FileRef]] = defaultdict(list)
    for ref in refs:
        by_config[ref.config].append(ref)
    written: dict[str, FileRef] = {}
    for index, (config, group) in enumerate(sorted(by_config.items())):
        directory = (root / f"config-{index}").resolve()
        written |= write_layers(group, contents, directory, {name: configs[config]})
    return written


# ---------------------------------------------------------------- in-process

_JINJA_BLOCK = re.compile(r"\{%|%\}")
# Rendered files written in a template language of their own (git-cliff's Tera).
OWN_TEMPLATE_SYNTAX = frozenset({"cliff.toml"})


def jinja_leftovers(names: Iterable[str]) -> Check:
    """A check for template syntax left in the output (`names`: the template's variables).

    ``{{ x }}`` is only a leftover when ``x`` is one of the template's own
    names: Justfiles (``{{ args }}``) and GitHub workflows (``${{ matrix.x }}``)
    use the same braces for their own variables.
    """
    variable = re.compile(r"\{\{-?\s*(" + "|".join(map(re.escape, sorted(names))) + r")\b")

    def check(refs: list[FileRef], contents: Contents, _configs: Contents) -> Findings:
        findings: Findings = {}
        for ref in refs:
            if ref.path in OWN_TEMPLATE_SYNTAX:
                continue
            text = contents[ref.digest].decode(errors="replace")
            for number, line in enumerate(text.splitlines(), start=1):
                if _JINJA_BLOCK.search(line) or variable.search(line):
                    _report(
                        findings,
                        ref,
                        "jinja",
                        f"line {number}: template syntax left: {line.strip()}",
                    )
        return findings

    return check


if TYPE_CHECKING:
    _FastSafeLoader = yaml.SafeLoader
else:  # libyaml's loader where PyYAML was built with it: the same results, faster
    _FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _AnyTagLoader(_FastSafeLoader):
    """A YAML loader that accepts application tags (GitLab's !reference)."""


def _any_tag(_loader: _AnyTagLoader, _suffix: str, _node: yaml.Node) -> None:
    return None


yaml.add_multi_constructor("!", _any_tag, Loader=_AnyTagLoader)


def syntax(refs: list[FileRef], contents: Contents, _configs: Contents) -> Findings:
    """Every Python, TOML, YAML and JSON file parses."""
    findings: Findings = {}
    for ref in refs:
        text = contents[ref.digest].decode()
        suffix = PurePosixPath(ref.path).suffix
        try:
            if suffix == ".py":
                compile(text, ref.path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
            elif suffix == ".toml":
                tomllib.loads(text)
            elif suffix in {".yml", ".yaml"}:
                list(yaml.load_all(text, Loader=_AnyTagLoader))
            elif suffix == ".json":
                json.loads(text)
        except (SyntaxError, ValueError, yaml.YAMLError) as error:
            findings[ref] = [Finding("syntax", ref.path, str(error).splitlines()[0])]
    return findings


def whitespace(refs: list[FileRef], contents: Contents, _configs: Contents) -> Findings:
    """Text files end with one newline and no line ends in blanks.

    The rendered project's own pre-commit hooks (end-of-file-fixer,
    trailing-whitespace) would otherwise rewrite them on the first commit.
    """
    findings: Findings = {}
    for ref in refs:
        data = contents[ref.digest]
        if not data or b"\0" in data:
            continue
        if not data.endswith(b"\n"):
            _report(findings, ref, "whitespace", "no newline at the end of the file")
        elif data.endswith(b"\n\n"):
            _report(findings, ref, "whitespace", "blank lines at the end of the file")
        for number, line in enumerate(data.split(b"\n"), start=1):
            if line.rstrip(b"\r") != line.rstrip():
                _report(findings, ref, "whitespace", f"line {number}: trailing whitespace")
    return findings


def applies_syntax(path: str) -> bool:
    """Whether `syntax` checks this file."""
    return PurePosixPath(path).suffix in {".py", ".toml", ".yml", ".yaml", ".json"}


# ------------------------------------------------------------ external tools


class _Location(TypedDict):
    """Where a tool's JSON output places a finding."""

    row: NotRequired[int]


class _RuffItem(TypedDict):
    """One entry of ``ruff check`` or ``ruff format --check`` with ``--output-format json``."""

    filename: str
    message: str
    code: NotRequired[str | None]
    location: NotRequired[_Location | None]


def _line(location: _Location | None) -> str:
    return f"line {(location or _Location()).get('row', '?')}"


def ruff(refs: list[FileRef], contents: Contents, configs: Contents) -> Findings:
    """``ruff check`` under each file's own pyproject.toml.

    Formatting is not checked: the sweep formats every file first, as the
    template's tasks do (`keel.formatting`).
    """
    findings: Findings = {}
    with tempfile.TemporaryDirectory(prefix="keel-ruff-") as scratch:
        written = write_under_configs(refs, contents, configs, Path(scratch), "pyproject.toml")
        root = str(Path(scratch).resolve())
        linted = _tool(
            ["ruff", "check", "--no-cache", "--output-format", "json", "--exit-zero", root]
        )
        if linted.returncode:
            raise KeelError(f"ruff check failed to run: {linted.stderr.strip()}")
        lint_items: list[_RuffItem] = json.loads(linted.stdout)
        for item in lint_items:
            ref = written[item["filename"]]
            code = item.get("code") or "syntax"
            _report(
                findings, ref, "ruff", f"{_line(item.get('location'))}: {code} {item['message']}"
            )
    return findings


def yamllint(refs: list[FileRef], contents: Contents, configs: Contents) -> Findings:
    """``yamllint --strict``, with each file's own project's .yamllint.yaml.

    yamllint is pure Python and the slowest checker: batches run in parallel,
    and flat files are sampled. In a flat mapping of one-line scalars (Copier's
    answers file, one distinct file per combination) every yamllint rule judges
    a line by itself once the file's shape (its keys and comments, in order) is
    fixed. Of the flat files with one path, config and shape, only enough to hold
    each distinct line once are linted; if one of those has a finding, all of
    them are.
    """
    groups = _flat_groups(refs, contents)
    grouped = {ref for group in groups for ref in group}
    sample = [ref for ref in refs if ref not in grouped]
    sample += [ref for group in groups for ref in _holding_each_line_once(group, contents)]
    findings = _yamllint_in_parallel(sample, contents, configs)
    sampled = set(sample)
    rest = [
        ref
        for group in groups
        if any(ref in findings for ref in group)
        for ref in group
        if ref not in sampled
    ]
    if rest:
        findings |= _yamllint_in_parallel(rest, contents, configs)
    return findings


# A line of a flat mapping: a top-level key and a one-line plain or quoted value
# (no block scalar, anchor, alias, tag or flow collection, which may span lines).
_FLAT_ENTRY = re.compile(r"[A-Za-z_][\w-]*:(?: [^|>&*!\[{\s].*)?")


@cache
def _is_flat_entry(line: str) -> bool:
    """Whether a line is a whole `key: scalar` entry by itself (cached: lines repeat)."""
    if not _FLAT_ENTRY.fullmatch(line):
        return False
    try:
        entry: object = yaml.safe_load(line)
    except yaml.YAMLError:
        return False
    if not isinstance(entry, dict):
        return False
    values = list(cast("dict[str, object]", entry).values())
    return len(values) == 1 and not isinstance(values[0], dict | list)


def _flat_shape(content: bytes) -> tuple[str, ...] | None:
    """The keys and comment lines of a flat mapping, in order; None for other YAML."""
    try:
        text = content.decode()
    except UnicodeDecodeError:
        return None
    if not text.endswith("\n") or "\r" in text:
        return None
    shape: list[str] = []
    for line in text[:-1].split("\n"):
        if line.startswith("#"):
            shape.append(line)
        elif _is_flat_entry(line):
            shape.append(line.partition(":")[0] + ":")
        else:
            return None
    return tuple(shape)


def _flat_groups(refs: list[FileRef], contents: Contents) -> list[list[FileRef]]:
    """Flat files grouped by path, config and shape."""
    groups: dict[tuple[str, str, tuple[str, ...]], list[FileRef]] = defaultdict(list)
    for ref in refs:
        shape = _flat_shape(contents[ref.digest])
        if shape is not None:
            groups[ref.path, ref.config, shape].append(ref)
    return list(groups.values())


def _holding_each_line_once(group: list[FileRef], contents: Contents) -> list[FileRef]:
    """Files of `group` that between them hold every line any of them holds."""
    seen: set[bytes] = set()
    chosen: list[FileRef] = []
    for ref in sorted(group, key=lambda ref: ref.digest):
        lines = set(contents[ref.digest].split(b"\n"))
        if not lines <= seen:
            chosen.append(ref)
            seen |= lines
    return chosen


def _yamllint_in_parallel(refs: list[FileRef], contents: Contents, configs: Contents) -> Findings:
    by_config: dict[str, list[FileRef]] = defaultdict(list)
    for ref in refs:
        by_config[ref.config].append(ref)
    batches = [
        (config, group[start::_WORKERS])
        for config, group in by_config.items()
        for start in range(_WORKERS)
    ]
    findings: Findings = {}
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        running = [
            pool.submit(_yamllint_batch, config, group, contents, configs)
            for config, group in batches
        ]
        for batch in running:
            findings |= batch.result()
    return findings


_WORKERS = max(1, os.cpu_count() or 1)


def _yamllint_batch(
    config: str, group: list[FileRef], contents: Contents, configs: Contents
) -> Findings:
    findings: Findings = {}
    if not group:
        return findings
    with tempfile.TemporaryDirectory(prefix="keel-yamllint-") as scratch:
        written = write_layers(group, contents, Path(scratch))
        rules = Path(scratch, "yamllint.yaml")
        rules.write_bytes(configs.get(config, b"extends: default\n"))
        linted = _tool(["yamllint", "--strict", "-f", "parsable", "-c", str(rules), *written])
        for line in linted.stdout.splitlines():
            filename, _, rest = line.partition(":")
            ref = written[filename]
            _report(findings, ref, "yamllint", rest.strip())
        if linted.returncode and not linted.stdout:
            raise KeelError(f"yamllint failed to run: {linted.stderr.strip()}")
    return findings


class _SchemaMatch(TypedDict):
    """Where a document breaks its schema, in check-jsonschema's JSON output."""

    message: str
    path: NotRequired[str]


class _SchemaError(_SchemaMatch):
    """One error of check-jsonschema's JSON output (validation or parse)."""

    filename: str
    best_deep_match: NotRequired[_SchemaMatch | None]


class _SchemaReport(TypedDict):
    """check-jsonschema's ``-o json`` output."""

    errors: NotRequired[list[_SchemaError]]
    parse_errors: NotRequired[list[_SchemaError]]


def schemas(refs: list[FileRef], contents: Contents, _configs: Contents) -> Findings:
    """CI, Dependabot and compose files validate against their published schemas."""
    findings: Findings = {}
    by_schema: dict[str, list[FileRef]] = defaultdict(list)
    for ref in refs:
        by_schema[SCHEMAS[ref.path]].append(ref)
    for schema, group in by_schema.items():
        with tempfile.TemporaryDirectory(prefix="keel-schema-") as scratch:
            written = write_layers(group, contents, Path(scratch))
            checked = _tool(
                ["check-jsonschema", "--builtin-schema", schema, "-o", "json", *written]
            )
            try:
                report: _SchemaReport = json.loads(checked.stdout)
            except json.JSONDecodeError:
                raise KeelError(
                    f"check-jsonschema failed to run: {checked.stderr.strip()}"
                ) from None
            for error in report.get("errors", []) + report.get("parse_errors", []):
                ref = written[error["filename"]]
                detail = error.get("best_deep_match") or error
                _report(
                    findings,
                    ref,
                    "schema",
                    f"{schema}: {detail.get('path', '$')}: {detail['message']}",
                )
    return findings


class _HadolintItem(TypedDict):
    """One finding of ``hadolint -f json``."""

    file: str
    line: int
    code: str
    message: str


def hadolint(refs: list[FileRef], contents: Contents, _configs: Contents) -> Findings:
    """Dockerfiles are hadolint-clean (any level fails, as in the project's own check)."""
    findings: Findings = {}
    with tempfile.TemporaryDirectory(prefix="keel-hadolint-") as scratch:
        written = write_layers(refs, contents, Path(scratch))
        linted = _tool(["hadolint", "--no-color", "-f", "json", *written])
        try:
            report: list[_HadolintItem] = json.loads(linted.stdout or "[]")
        except json.JSONDecodeError:
            raise KeelError(f"hadolint failed to run: {linted.stderr.strip()}") from None
        for item in report:
            ref = written[item["file"]]
            _report(
                findings, ref, "hadolint", f"line {item['line']}: {item['code']} {item['message']}"
            )
    return findings


def justfile(refs: list[FileRef], contents: Contents, _configs: Contents) -> Findings:
    """Justfiles parse (``just --summary``)."""
    findings: Findings = {}
    with tempfile.TemporaryDirectory(prefix="keel-just-") as scratch:
        for target, ref in write_layers(refs, contents, Path(scratch)).items():
            listed = _tool(
                ["just", "--justfile", target, "--working-directory", scratch, "--summary"]
            )
            if listed.returncode:
                findings[ref] = [Finding("just", ref.path, listed.stderr.strip().splitlines()[0])]
    return findings


# ---------------------------------------------------------- whole-project checks


def dockerfile_copy_problems(dockerfile: str, dockerignore: str, paths: Iterable[str]) -> list[str]:
    """COPY sources of a Dockerfile that the project lacks or .dockerignore drops."""
    present = set(paths)
    folders: set[str] = {"."} if present else set()
    for path in present:
        end = path.rfind("/")
        while end > 0 and path[:end] not in folders:
            folders.add(path[:end])
            end = path.rfind("/", 0, end)
    ignored = {
        line.strip().rstrip("/")
        for line in dockerignore.splitlines()
        if line.strip() and not line.startswith("#")
    }
    problems: list[str] = []
    for line in dockerfile.splitlines():
        if not line.startswith("COPY") or "--from=" in line:
            continue
        *sources, _target = [part for part in line.split()[1:] if not part.startswith("--")]
        for source in sources:
            name = source.rstrip("/")
            if name not in present and name not in folders:
                problems.append(f"COPY {source}: not in the rendered tree")
            elif name in ignored:
                problems.append(f"COPY {source}: excluded by .dockerignore")
    return problems
