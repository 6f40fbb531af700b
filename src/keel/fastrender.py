"""Render many combinations at once: each template file once per distinct input.

Copier renders a whole project per call, and most of its time goes to work
that does not change between combinations (loading the template, compiling
every Jinja file, resolving answers). Here Copier is asked once, for the
Jinja environment and the render context of a seed combination; every other
combination reuses them with its own answers. Each template file (its path
and its body) is compiled once, and rendered once per distinct value of the
names it references (``jinja2.meta``): the answers and derived values it
actually uses. Outputs are kept once per content hash. ``render_all``
spreads the combinations over one such renderer per core.

The result is meant to equal what ``copier copy`` writes, byte for byte
(without the tasks' outputs such as ``uv.lock``); keel's tests compare the
two on a covering array of combinations.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import multiprocessing
import os
import re
import tempfile
import warnings
from array import array
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol, cast, runtime_checkable

import jinja2
from jinja2 import meta

from keel.errors import KeelError
from keel.space import TEMPLATE_ROOT, Combination

# The Copier versions whose private API this module was checked against (the fast
# render equals `copier copy`): at least the first, below the second. Keep it equal
# to the copier pin in pyproject.toml (tests/test_fastrender.py holds them together).
COPIER_CHECKED = ((9, 19), (9, 20))
FAITHFULNESS_TEST = "tests/test_sweep.py::test_the_fast_renderer_writes_what_copier_writes"


def _release(version: str) -> tuple[int, int] | None:
    """The major and minor numbers of a version string (None if it has none)."""
    found = re.match(r"(\d+)\.(\d+)", version)
    return (int(found[1]), int(found[2])) if found else None


def check_copier_version(installed: str) -> None:
    """Refuse a Copier whose private API this module was not checked against.

    Raises:
        KeelError: `installed` is outside ``COPIER_CHECKED``; the message says what to do.
    """
    (low_major, low_minor), (high_major, high_minor) = COPIER_CHECKED
    release = _release(installed)
    if release is not None and COPIER_CHECKED[0] <= release < COPIER_CHECKED[1]:
        return
    checked = f">={low_major}.{low_minor},<{high_major}.{high_minor}"
    msg = (
        f"copier {installed} is installed, but keel.fastrender uses Copier's private API "
        f"and was checked only against copier{checked}. Install a checked version "
        "(`uv sync`), or check this one: run "
        f"`uv run pytest -n 0 {FAITHFULNESS_TEST}` with it, and if the fast render still "
        "equals `copier copy`, widen the copier pin in pyproject.toml and COPIER_CHECKED "
        "in src/keel/fastrender.py."
    )
    raise KeelError(msg)


# Before the private imports below, which may not even exist in another version.
check_copier_version(metadata.version("copier"))

# E402: Copier is imported after the version check above, on purpose.
from copier._main import (  # noqa: E402  # copier's private API: see renderer()
    Worker,
    _operation,  # pyright: ignore[reportPrivateUsage]
)
from copier._types import Phase  # noqa: E402
from copier.errors import DirtyLocalWarning  # noqa: E402

# What a rendered project is: relative POSIX path -> content digest.
Tree = dict[str, str]


@runtime_checkable
class _ContextHook(Protocol):
    """A Jinja extension that completes the render context (copier-template-extensions)."""

    def hook(self, context: dict[str, Any]) -> object:
        """Add derived values to `context`, in place."""
        ...


def digest(content: bytes) -> str:
    """The content hash rendered files are deduplicated by."""
    return hashlib.sha256(content).hexdigest()


@dataclass
class _Source:
    """One file of the template directory, compiled once.

    Attributes:
        number: Its position in the template, part of its cache keys.
        parts: Each component of its path, compiled.
        path_names: The names its path uses, sorted: the path's cache key.
        body: Its content, compiled (None: copied verbatim).
        body_names: The names its content uses, sorted: the content's cache key.
        raw_digest: The digest of the verbatim content.
    """

    number: int
    parts: tuple[jinja2.Template, ...]
    path_names: tuple[str, ...]
    body: jinja2.Template | None
    body_names: tuple[str, ...]
    raw_digest: str = ""
    template_path: str = ""  # its path in the template directory, as a maintainer sees it


@dataclass
class RenderStats:
    """What rendering cost, for the sweep's report."""

    combinations: int = 0
    template_files: int = 0
    naive_files: int = 0  # files written if every combination were rendered in full
    renders: int = 0  # Jinja renders actually done (paths and bodies)
    contents: dict[str, bytes] = field(default_factory=dict[str, bytes])  # digest -> content

    def add(self, other: RenderStats) -> None:
        """Count another renderer's work (of the same template) in with this one's."""
        self.combinations += other.combinations
        self.naive_files += other.naive_files
        self.renders += other.renders
        self.contents.update(other.contents)


_SKIPPED = ""  # the cached "path" of a file that a combination does not write
# Fewer combinations than this render in-process: starting renderer processes costs seconds.
PARALLEL_FROM = 1000
_SCALARS = (str, bool, int, float, type(None))


class _ItemwiseYaml:
    """``to_nice_yaml`` for a flat mapping of scalars, each item dumped once.

    Every combination's answers file is new (it holds all of its answers), and
    dumping it with PyYAML took half of the sweep's render time. In block
    style, a top-level item whose value is a scalar is written on lines of its
    own that depend on that item only, in sorted key order, so the mapping's
    text is its items' texts joined: each distinct item is dumped once. Any
    other value, or other arguments, go to the filter itself (the sweep's
    faithfulness test compares the result with ``copier copy``).
    """

    def __init__(self, dump: Callable[..., str]) -> None:
        self._dump = dump
        self._items: dict[tuple[str, type, object], str] = {}

    def __call__(self, value: object, *args: object, **kwargs: object) -> str:
        if args or kwargs or not _is_flat(value):
            return self._dump(value, *args, **kwargs)
        mapping = cast("dict[str, object]", value)  # _is_flat
        texts: list[str] = []
        for name in sorted(mapping):
            item = (name, type(mapping[name]), mapping[name])
            text = self._items.get(item)
            if text is None:
                text = self._items[item] = self._dump({name: mapping[name]})
            texts.append(text)
        return "".join(texts)


def _is_flat(value: object) -> bool:
    """A non-empty mapping of string keys to scalars."""
    if not isinstance(value, dict) or not value:
        return False
    items = cast("dict[object, object]", value).items()
    return all(isinstance(key, str) and isinstance(item, _SCALARS) for key, item in items)


class TemplateRenderer:
    """Render combinations of one template into in-memory trees."""

    def __init__(
        self,
        env: jinja2.Environment,
        base: Mapping[str, Any],
        root: Path,
        excluded: Callable[[Path], bool],
        answers_file: str,
        suffix: str,
    ) -> None:
        self._env = env
        if "to_nice_yaml" in env.filters:
            dump = cast("Callable[..., str]", env.filters["to_nice_yaml"])
            env.filters["to_nice_yaml"] = _ItemwiseYaml(dump)
        self._base = dict(base)
        self._hooks = [ext for ext in env.extensions.values() if isinstance(ext, _ContextHook)]
        self._answers_file = answers_file
        self._excluded = excluded
        self.stats = RenderStats()
        self._sources = self._compile(root, suffix)
        self.stats.template_files = len(self._sources)
        self._paths: dict[tuple[Any, ...], str] = {}
        self._bodies: dict[tuple[Any, ...], str] = {}
        self._digests: dict[str, str] = {}  # rendered text -> digest

    def _names(self, source: str) -> tuple[str, ...]:
        """The names a template uses, with those of the templates it includes."""
        names: set[str] = set()
        sources = [source]
        seen: set[str] = set()
        while sources:
            parsed = self._env.parse(sources.pop())
            names |= meta.find_undeclared_variables(parsed)
            for included in meta.find_referenced_templates(parsed):
                if included is None:
                    raise ValueError("fastrender needs literal include names to key its cache")
                if included not in seen:
                    seen.add(included)
                    loader = self._env.loader
                    assert loader is not None, "copier's environment loads from the template"
                    sources.append(loader.get_source(self._env, included)[0])
        return tuple(sorted(names))

    def _compile(self, root: Path, suffix: str) -> list[_Source]:
        sources: list[_Source] = []
        for directory, _dirs, files in os.walk(root):
            for name in sorted(files):
                path = Path(directory, name)
                relative = path.relative_to(root)
                is_template = name.endswith(suffix)
                if not is_template and path.with_name(name + suffix).exists():
                    continue  # copier prefers the templated sibling
                if is_template:
                    relative = relative.with_name(relative.name.removesuffix(suffix))
                source = _Source(
                    number=len(sources),
                    parts=tuple(self._env.from_string(part) for part in relative.parts),
                    path_names=tuple(
                        sorted({n for part in relative.parts for n in self._names(part)})
                    ),
                    body=None,
                    body_names=(),
                    template_path=path.relative_to(root).as_posix(),
                )
                if is_template:
                    text = path.read_text(encoding="utf-8")
                    source.body = self._env.from_string(text)
                    source.body_names = self._names(text)
                else:
                    source.raw_digest = self._store(path.read_bytes())
                sources.append(source)
        return sources

    def context(self, combination: Combination) -> dict[str, Any]:
        """The render context Copier would build for this combination."""
        context = {**self._base, **combination.answers}
        remembered = {
            key: value
            for key, value in self._base["_copier_answers"].items()
            if key.startswith("_")
        }
        remembered.update(combination.data)
        context["_copier_answers"] = remembered
        for hook in self._hooks:
            hook.hook(context)
        return context

    def _token(self, name: str, context: Mapping[str, Any]) -> Any:
        """A hashable stand-in for the value of `name`: equal values, equal tokens."""
        value = context.get(name)
        if value is self._base.get(name):
            return "base"
        if isinstance(value, _SCALARS):
            return (type(value).__name__, value)
        return json.dumps(value, sort_keys=True, default=str)

    def render(self, combination: Combination) -> Tree:
        """Render one combination: its files, as path -> content digest.

        A path or a body is rendered once per distinct value of the names it
        uses; every other time its earlier output is looked up.
        """
        context = self.context(combination)
        tokens: dict[str, Any] = {}

        def key(number: int, names: tuple[str, ...]) -> tuple[Any, ...]:
            for name in names:
                if name not in tokens:
                    tokens[name] = self._token(name, context)
            return (number, *(tokens[name] for name in names))

        tree: Tree = {}
        for source in self._sources:
            path_key = key(source.number, source.path_names)
            path = self._paths.get(path_key)
            if path is None:
                path = self._paths[path_key] = self._render_path(source, context)
            if not path:
                continue
            if source.body is None:
                tree[path] = source.raw_digest
                continue
            body_key = key(source.number, source.body_names)
            content_digest = self._bodies.get(body_key)
            if content_digest is None:
                self.stats.renders += 1
                content_digest = self._bodies[body_key] = self._store_text(
                    source.body.render(**context)
                )
            tree[path] = content_digest
        self.stats.combinations += 1
        self.stats.naive_files += len(tree)
        return tree

    def placements(self, combination: Combination) -> dict[str, str]:
        """Which template file each rendered file of `combination` comes from.

        Returns:
            Rendered path -> the template file's path in the template directory.
        """
        context = self.context(combination)
        rendered = ((self._render_path(source, context), source) for source in self._sources)
        return {path: source.template_path for path, source in rendered if path}

    def _render_path(self, source: _Source, context: Mapping[str, Any]) -> str:
        """The rendered relative path of `source`, or _SKIPPED where Copier writes nothing."""
        self.stats.renders += len(source.parts)
        parts = [part.render(**context) for part in source.parts]
        if not all(parts):
            return _SKIPPED  # copier skips a path with an empty component
        path = self._answers_file if parts[-1] == self._answers_file else "/".join(parts)
        return _SKIPPED if self._excluded(Path(path)) else path

    def _store(self, content: bytes) -> str:
        content_digest = digest(content)
        self.stats.contents[content_digest] = content
        return content_digest

    def _store_text(self, text: str) -> str:
        cached = self._digests.get(text)
        if cached is None:
            cached = self._digests[text] = self._store(text.encode())
        return cached


@contextmanager
def renderer(seed: Combination, *, template: Path = TEMPLATE_ROOT) -> Generator[TemplateRenderer]:
    """A renderer for `template`, set up by Copier from one seed combination."""
    with (
        tempfile.TemporaryDirectory(prefix="keel-seed-") as destination,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore", DirtyLocalWarning)
        with Worker(
            src_path=str(template),
            dst_path=Path(destination),
            data=seed.data,
            defaults=True,
            unsafe=True,
            quiet=True,
            vcs_ref="HEAD" if (template / ".git").exists() else None,
        ) as worker:
            # Copier has no public API for "answers and context, no files": its
            # private steps are used, and keel's tests compare the result with
            # run_copy so a change in them cannot go unnoticed.
            operation = _operation.set("copy")
            try:
                with Phase.use(Phase.PROMPT):
                    worker._ask()  # pyright: ignore[reportPrivateUsage]  # see above
                with Phase.use(Phase.RENDER):
                    base = worker._render_context()  # pyright: ignore[reportPrivateUsage]
                    yield TemplateRenderer(
                        worker.jinja_env,
                        base,
                        worker.template_copy_root,
                        worker.match_exclude,
                        str(worker.answers_relpath),
                        worker.template.templates_suffix,
                    )
            finally:
                _operation.reset(operation)


@dataclass
class _Chunk:
    """What a renderer process sends back for a run of combinations, compactly.

    Trees are flat arrays of (path number, digest number) pairs, numbering the
    ``paths`` and ``digests`` lists: megabytes instead of a pickle of dicts.
    """

    paths: list[str]
    digests: list[str]
    trees: list[array[int]]
    stats: RenderStats
    names: set[str]

    def decoded(self) -> Iterator[Tree]:
        for flat in self.trees:
            pairs = iter(flat)
            yield {
                self.paths[path]: self.digests[item]
                for path, item in zip(pairs, pairs, strict=False)
            }


_process_renderer: TemplateRenderer | None = None  # in a renderer process: its renderer


def _start_process(template: Path, seed: Combination) -> None:
    """Set up this renderer process: one Copier run for the context, templates compiled once."""
    global _process_renderer  # one renderer per process, made once
    stack = ExitStack()
    _process_renderer = stack.enter_context(renderer(seed, template=template))
    atexit.register(stack.close)


def _render_chunk(combinations: list[Combination]) -> _Chunk:
    """Render a run of combinations in a renderer process; send each new content once.

    The process keeps its caches between runs, so a content it made for an
    earlier run is referenced by digest only: the parent has it already.
    """
    rendering = _process_renderer
    assert rendering is not None, "the process initializer sets the renderer up"
    paths: dict[str, int] = {}
    digests: dict[str, int] = {}
    trees: list[array[int]] = []
    for combination in combinations:
        flat: array[int] = array("I")
        for path, item in rendering.render(combination).items():
            flat.append(paths.setdefault(path, len(paths)))
            flat.append(digests.setdefault(item, len(digests)))
        trees.append(flat)
    sent, rendering.stats = (
        rendering.stats,
        RenderStats(template_files=rendering.stats.template_files),
    )
    names = set(rendering.context(combinations[0]))
    return _Chunk(list(paths), list(digests), trees, sent, names)


@dataclass
class Rendered:
    """Every combination rendered: trees in the order asked, and the cost."""

    trees: list[Tree]
    stats: RenderStats
    names: set[str]  # every name of the render context (what leftover braces may hold)


def render_all(
    combinations: Sequence[Combination],
    *,
    template: Path = TEMPLATE_ROOT,
    jobs: int | None = None,
    progress: Callable[[int, int], None] = lambda _done, _total: None,
) -> Rendered:
    """Render every combination, spread over `jobs` processes (default: one per core).

    Each process sets its renderer up once and renders contiguous runs of
    combinations (neighbours share most values, so most renders are cached).
    A few combinations, or ``jobs=1``, render in this process.

    Args:
        combinations: What to render, in order.
        template: The template checkout.
        jobs: How many processes render.
        progress: Called with the combinations rendered so far and the total.
    """
    jobs = jobs or os.cpu_count() or 1
    total = len(combinations)
    if jobs == 1 or total < PARALLEL_FROM:
        with renderer(combinations[0], template=template) as rendering:
            trees: list[Tree] = []
            for done, combination in enumerate(combinations, start=1):
                trees.append(rendering.render(combination))
                progress(done, total)
            return Rendered(trees, rendering.stats, set(rendering.context(combinations[0])))
    size = -(-total // (jobs * 4))
    runs = [list(combinations[start : start + size]) for start in range(0, total, size)]
    stats = RenderStats()
    trees = []
    names: set[str] = set()
    with ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_process,
        initargs=(template, combinations[0]),
    ) as pool:
        for chunk in pool.map(_render_chunk, runs):
            trees.extend(chunk.decoded())
            stats.add(chunk.stats)
            stats.template_files = chunk.stats.template_files
            names |= chunk.names
            progress(len(trees), total)
    return Rendered(trees, stats, names)
