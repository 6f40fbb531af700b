"""Full own checks of many combinations: shared virtualenvs, cached passes.

Rendering is cheap and the gate is not (minutes: dependency install, tests,
boot). Two things are shared across combinations:

* one virtualenv per distinct ``uv.lock``: the project's ``.venv`` is a link
  to ``<venvs>/<lock digest>``, so ``uv sync --locked`` only installs the
  project itself when another combination already synced that lock;
* results, by rendered-tree digest: a tree that passed its gate before (same
  files, same lock) is not checked again.

With ``audit``, each project is also audited against the standard its
pyproject.toml declares (a named profile's; ``custom`` declares none). The audit
reads files only, so it runs on every check, cached gate or not.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keel.own import GateResult, run_gate
from keel.render import ANSWERS_FILE, render, stable_answers
from keel.space import display_name
from keel.sweep import AuditOutcome, declared_outcome

_SKIPPED_DIRS = {".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}


def tree_digest(project: Path) -> str:
    """A digest of every rendered file (paths and contents), tool caches left out."""
    hasher = hashlib.sha256()
    for directory, dirs, files in os.walk(project):
        dirs[:] = sorted(name for name in dirs if name not in _SKIPPED_DIRS)
        for name in sorted(files):
            path = Path(directory, name)
            content = path.read_bytes()
            if name == ANSWERS_FILE:
                content = stable_answers(content)
            hasher.update(path.relative_to(project).as_posix().encode() + b"\0")
            hasher.update(hashlib.sha256(content).digest())
    return hasher.hexdigest()


def share_venv(project: Path, venvs: Path) -> Path:
    """Point the project's ``.venv`` at the shared virtualenv of its lock file."""
    lock = hashlib.sha256((project / "uv.lock").read_bytes()).hexdigest()[:16]
    shared = (venvs / lock).resolve()
    shared.mkdir(parents=True, exist_ok=True)
    link = project / ".venv"
    if not link.is_symlink():
        link.symlink_to(shared, target_is_directory=True)
    return shared


@dataclass
class CheckOutcome:
    """One combination's full own checks."""

    name: str  # combination ID or answers file
    project: Path
    tree: str
    cached: bool
    seconds: float
    gate: GateResult | None  # None when a cached pass stood in
    label: str = ""  # the combination's readable label (see keel.space.display_name)
    audit: AuditOutcome | None = None  # against its declared standard, when asked and declared
    audited: bool = False  # whether the audit was asked for (`keel check --audit`)

    @property
    def display(self) -> str:
        """How messages and tables name it: its name and its label."""
        return display_name(self.name, self.label)

    @property
    def ok(self) -> bool:
        """Whether its gate passed (now or, for this exact tree, before), and its audit."""
        passed = self.cached or (self.gate is not None and self.gate.ok)
        return passed and (self.audit is None or self.audit.ok)

    def to_json(self) -> dict[str, Any]:
        """Its entry in the results file."""
        entry: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "project": str(self.project),
            "tree": self.tree,
            "ok": self.ok,
            "cached": self.cached,
            "seconds": round(self.seconds, 1),
            "reproduce": f"uv run keel check {self.name} --dest {self.project}"
            + (" --audit" if self.audited else ""),
        }
        if self.audit is not None:
            entry["audit"] = self.audit.to_json()
        if self.gate is not None:
            entry["steps"] = [
                {"name": step.name, "ok": step.ok, "seconds": round(step.seconds, 1)}
                for step in self.gate.steps
            ]
            failed = [step for step in self.gate.steps if not step.ok]
            if failed:
                entry["first_error"] = failed[0].first_error
        return entry


def check_one(
    name: str,
    answers: dict[str, Any],
    project: Path,
    *,
    cache: Path | None,
    venvs: Path | None,
    label: str = "",
    on_step: Callable[[str], None] = lambda _step: None,
    audit: bool = False,
) -> CheckOutcome:
    """Render `answers` into `project` and run its gate, unless this tree passed before.

    `name` (a combination ID or answers file) and its readable `label` name it in
    the steps reported to `on_step` and in the outcome. With `audit`, the rendered
    project is audited against the standard it declares before its gate runs.
    """
    started = time.perf_counter()
    shown = display_name(name, label)
    on_step(f"render {shown} into {project}")
    render(answers, project)
    tree = tree_digest(project)
    audited: AuditOutcome | None = None
    if audit:
        on_step(f"{shown}: keel audit against the standard its pyproject.toml declares")
        audited = declared_outcome(project)
        if audited is None:
            on_step(f"{shown}: declares no standard (a custom profile); not audited")
    record = cache / f"{tree}.json" if cache is not None else None
    if record is not None and record.exists():
        on_step(f"{shown}: this exact tree passed before ({record.name}); not checked again")
        seconds = time.perf_counter() - started
        return CheckOutcome(name, project, tree, True, seconds, None, label, audited, audit)
    if venvs is not None:
        share_venv(project, venvs)
    gate = run_gate(project, on_step=lambda step: on_step(f"{shown}: {step}"))
    seconds = time.perf_counter() - started
    outcome = CheckOutcome(name, project, tree, False, seconds, gate, label, audited, audit)
    if record is not None and gate.ok:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(outcome.to_json(), indent=1), encoding="utf-8")
    return outcome
