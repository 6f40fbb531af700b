"""Render many combinations at once: each template file once per distinct input.

Copier renders a whole project per call, and most of its time goes to work
that does not change between combinations (loading the template, compiling
every Jinja file, resolving answers). Here Copier is asked once, for the
Jinja environment and the render context of a seed combination; every other
combination reuses them with its own answers. Each template file (its path
and its body) is compiled once, and rendered once per distinct value of the
names it references (``jinja2.meta``): the answers and derived values it
actually uses. Outputs are kept once per content hash.

The result is meant to equal what ``copier copy`` writes, byte for byte
(without the tasks' outputs such as ``uv.lock``); keel's tests compare the
two on a covering array of combinations.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from copier._main import Worker, _operation
from copier._types import Phase
from copier.errors import DirtyLocalWarning
from jinja2 import meta

from keel.space import TEMPLATE_ROOT, Combination

# What a rendered project is: relative POSIX path -> content digest.
Tree = dict[str, str]


def digest(content: bytes) -> str:
    """The content hash rendered files are deduplicated by."""
    return hashlib.sha256(content).hexdigest()


@dataclass
class _Source:
    """One file of the template directory, compiled once."""

    parts: tuple[jinja2.Template, ...]  # each path component
    part_names: tuple[frozenset[str], ...]
    body: jinja2.Template | None  # None: copied verbatim
    body_names: frozenset[str]
    raw: bytes | None  # the verbatim content


@dataclass
class RenderStats:
    """What rendering cost, for the sweep's report."""

    combinations: int = 0
    template_files: int = 0
    naive_files: int = 0  # files written if every combination were rendered in full
    renders: int = 0  # Jinja renders actually done (paths and bodies)
    contents: dict[str, bytes] = field(default_factory=dict)  # digest -> content


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
        self._base = dict(base)
        self._hooks = [ext for ext in env.extensions.values() if hasattr(ext, "hook")]
        self._answers_file = answers_file
        self._excluded = excluded
        self._sources = self._compile(root, suffix)
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._exclusions: dict[str, bool] = {}
        self.stats = RenderStats(template_files=len(self._sources))

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
                parts = tuple(self._env.from_string(part) for part in relative.parts)
                part_names = tuple(
                    frozenset(meta.find_undeclared_variables(self._env.parse(part)))
                    for part in relative.parts
                )
                if is_template:
                    text = path.read_text(encoding="utf-8")
                    body = self._env.from_string(text)
                    body_names = frozenset(meta.find_undeclared_variables(self._env.parse(text)))
                    raw = None
                else:
                    body, body_names, raw = None, frozenset(), path.read_bytes()
                sources.append(_Source(parts, part_names, body, body_names, raw))
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

    def _render(
        self,
        template: jinja2.Template,
        names: frozenset[str],
        context: Mapping[str, Any],
        tokens: dict[str, str],
    ) -> str:
        """Render `template`, or reuse its output for the same values of `names`."""
        for name in names - tokens.keys():
            value = context.get(name)
            tokens[name] = (
                "base"
                if value is self._base.get(name)
                else json.dumps(value, sort_keys=True, default=str)
            )
        key = (id(template), *(tokens[name] for name in sorted(names)))
        rendered = self._cache.get(key)
        if rendered is None:
            self.stats.renders += 1
            rendered = self._cache[key] = template.render(**context)
        return str(rendered)

    def render(self, combination: Combination) -> Tree:
        """Render one combination: its files, as path -> content digest."""
        context = self.context(combination)
        tokens: dict[str, str] = {}
        tree: Tree = {}
        for source in self._sources:
            parts = [
                self._render(part, names, context, tokens)
                for part, names in zip(source.parts, source.part_names, strict=True)
            ]
            if not all(parts):
                continue  # copier skips a path with an empty component
            path = self._answers_file if parts[-1] == self._answers_file else "/".join(parts)
            if self._is_excluded(path):
                continue
            if source.body is None:
                assert source.raw is not None
                content_digest = self._store(source.raw, id(source))
            else:
                text = self._render(source.body, source.body_names, context, tokens)
                content_digest = self._store_text(text)
            tree[path] = content_digest
        self.stats.combinations += 1
        self.stats.naive_files += len(tree)
        return tree

    def _is_excluded(self, path: str) -> bool:
        excluded = self._exclusions.get(path)
        if excluded is None:
            excluded = self._exclusions[path] = self._excluded(Path(path))
        return excluded

    def _store(self, content: bytes, key: Any) -> str:
        cached = self._cache.get(("raw", key))
        if cached is None:
            cached = digest(content)
            self.stats.contents[cached] = content
            self._cache[("raw", key)] = cached
        return str(cached)

    def _store_text(self, text: str) -> str:
        key = ("text", text)
        cached = self._cache.get(key)
        if cached is None:
            content = text.encode()
            cached = digest(content)
            self.stats.contents[cached] = content
            self._cache[key] = cached
        return str(cached)


@contextmanager
def renderer(seed: Combination, *, template: Path = TEMPLATE_ROOT) -> Iterator[TemplateRenderer]:
    """A renderer for `template`, set up by Copier from one seed combination."""
    with ExitStack() as stack:
        destination = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="keel-seed-")))
        stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore", DirtyLocalWarning)
        worker = stack.enter_context(
            Worker(
                src_path=str(template),
                dst_path=destination,
                data=seed.data,
                defaults=True,
                unsafe=True,
                quiet=True,
                vcs_ref="HEAD" if (template / ".git").exists() else None,
            )
        )
        # Copier has no public API for "answers and context, no files": its
        # private steps are used, and keel's tests compare the result with
        # run_copy so a change in them cannot go unnoticed.
        operation = _operation.set("copy")
        stack.callback(_operation.reset, operation)
        with Phase.use(Phase.PROMPT):
            worker._ask()
        with Phase.use(Phase.RENDER):
            base = worker._render_context()
            yield TemplateRenderer(
                worker.jinja_env,
                base,
                worker.template_copy_root,
                worker.match_exclude,
                str(worker.answers_relpath),
                worker.template.templates_suffix,
            )
