"""Everything keel prints: Rich status lines and result tables."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Generator, Iterable
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from keel.checkrun import CheckOutcome
from keel.own import GateResult
from keel.space import Combination, Space, display_name
from keel.sweep import AuditOutcome, SweepResult

console = Console()
errors = Console(stderr=True)


@contextmanager
def progress(title: str) -> Generator[Callable[[str], None]]:
    """Show a spinner; the yielded function names the step being run."""
    with console.status(title) as status:

        def show(step: str) -> None:
            console.print(f"[dim]-> {step}[/]", highlight=False)
            status.update(f"{title}: {step}")

        yield show


def gate_table(result: GateResult) -> Table:
    """One row per gate step: outcome, time, command."""
    table = Table(title=f"Own checks of {result.project}")
    table.add_column("step")
    table.add_column("result")
    table.add_column("seconds", justify="right")
    table.add_column("command", overflow="fold")
    for step in result.steps:
        outcome = "[green]passed[/]" if step.ok else "[red]FAILED[/]"
        table.add_row(step.name, outcome, f"{step.seconds:.1f}", step.command)
    return table


def report_gate(result: GateResult) -> None:
    """Print the gate's table and, on failure, the failing step's output."""
    console.print(gate_table(result))
    for step in result.steps:
        if step.summary:
            console.print(f"{step.name}: {step.summary}", highlight=False, soft_wrap=True)
    failed = [step for step in result.steps if not step.ok]
    if failed:
        step = failed[0]
        errors.print(f"[red]{step.name} failed[/]: `{step.command}` in {result.project}")
        errors.print(step.first_error, markup=False, highlight=False)


def error(message: str) -> None:
    """Print an error message on stderr, as written (findings' ``[check]`` is not markup).

    Not wrapped: the commands in it stay whole, to be copied.
    """
    errors.print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)


def space_summary(space: Space) -> None:
    """The size of the answer space, what varies, and the rules that prune it."""
    table = Table(title=f"{len(space.combinations)} valid combinations")
    table.add_column("question")
    table.add_column("values")
    for name in space.names:
        values = dict.fromkeys(str(c.answers[name]) for c in space.combinations)
        table.add_row(name, ", ".join(values))
    console.print(table)
    if not space.rules:
        console.print("No rule prunes the product of the choices.")
        return
    rules = Table(title="Pruning rules")
    for column in ("question", "kind", "condition", "pruned"):
        rules.add_column(column)
    for rule in space.rules:
        rules.add_row(rule.question, rule.kind, rule.condition, str(rule.pruned))
    console.print(rules)


def combinations_table(title: str, combinations: list[Combination], names: list[str]) -> None:
    """One row per combination: its ID and its label (every varying answer, in order).

    Either one names it to `keel check` and `keel sweep --only`.
    """
    table = Table(title=title, caption=f"label: the answers to {', '.join(names)}, joined by -")
    table.add_column("id", no_wrap=True)
    table.add_column("label", overflow="fold")
    for combination in combinations:
        table.add_row(combination.id, combination.label)
    console.print(table)


def json_out(data: object) -> None:
    """Print ``data`` as JSON on stdout, nothing else.

    Plain text, not Rich's highlighted JSON: listing every combination is
    megabytes, and Rich takes a minute to lay that out.
    """
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def lines(items: Iterable[str]) -> None:
    """Print one item per line, plain, for shell loops."""
    sys.stdout.writelines(f"{item}\n" for item in items)


@contextmanager
def phases() -> Generator[Callable[[str, int, int], None]]:
    """Progress bars, one per phase; the yielded function reports (phase, done, total)."""
    columns = (TextColumn("{task.description:12}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=errors, transient=False) as bars:
        tasks: dict[str, TaskID] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bars.add_task(phase, total=total)
            bars.update(tasks[phase], completed=done, total=total)

        yield report


def sweep_summary(result: SweepResult, *, shown: int = 20) -> None:
    """What the sweep cost, and the failing combinations with their first finding."""
    stats = result.stats
    table = Table(title=f"Sweep of {stats['combinations']} combinations")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("passed", str(len(result.results) - len(result.failed)))
    table.add_row("failed", str(len(result.failed)))
    table.add_row("files if rendered in full", str(stats["files_naive"]))
    table.add_row("Jinja renders done", str(stats["jinja_renders"]))
    table.add_row("distinct files checked", str(stats["distinct_files"]))
    table.add_row(
        "file checks run / cached", f"{stats['file_checks_run']} / {stats['file_checks_cached']}"
    )
    if audits := stats.get("audited", 0):
        table.add_row("audited against their standard", str(audits))
        cached = stats.get("audits_cached", 0)
        table.add_row("audits run / cached", f"{audits - cached} / {cached}")
    for phase, seconds in stats["seconds"].items():
        table.add_row(f"seconds: {phase}", f"{seconds:.1f}")
    console.print(table)
    broken_rules(result)
    if not result.failed:
        return
    failures = Table(title=f"Failing combinations (first {min(shown, len(result.failed))})")
    for column in ("combination", "first finding", "reproduce"):
        failures.add_column(column, overflow="fold")
    for failed in result.failed[:shown]:
        failures.add_row(
            failed.combination.display, escape(str(failed.findings[0])), failed.reproduce
        )
    console.print(failures)


def broken_rules(result: SweepResult) -> None:
    """Each MUST rule an audited combination fails: how many fail it, and the first of them."""
    if not result.broken_rules():
        return
    table = Table(title="MUST rules broken (keel audit against the profile's standard)")
    for column in ("rule", "combinations", "profile defaults too", "first", "where", "reason"):
        table.add_column(column, overflow="fold")
    for entry in result.broken_json():
        table.add_row(
            str(entry["rule"]),
            str(entry["combinations"]),
            "yes" if entry["profile_defaults"] else "no",
            display_name(entry["first"], entry["label"]),
            escape(entry["where"]),
            escape(entry["reason"]),
        )
    console.print(table)


def audit_failures(name: str, audit: AuditOutcome) -> None:
    """The MUST rules of its standard one project fails, each with where and why."""
    if audit.ok:
        message = f"{name}: every MUST rule of {audit.standard} holds"
        console.print(message, highlight=False, soft_wrap=True)
        return
    if audit.error:
        errors.print(f"[red]{escape(name)}: the audit did not run[/]: {escape(audit.error)}")
        return
    table = Table(title=f"{name}: MUST rules of {audit.standard} broken")
    for column in ("rule", "where", "reason"):
        table.add_column(column, overflow="fold")
    for failure in audit.failures:
        table.add_row(failure.rule, escape(failure.where), escape(failure.reason))
    console.print(table)


def check_summary(outcomes: list[CheckOutcome]) -> None:
    """One row per checked combination: outcome, time, where."""
    table = Table(title=f"Full own checks of {len(outcomes)} combination(s)")
    for column in ("combination", "result", "seconds", "project"):
        table.add_column(column, overflow="fold")
    for outcome in outcomes:
        if not outcome.ok:
            gate_passed = outcome.cached or (outcome.gate is not None and outcome.gate.ok)
            verdict = "[red]FAILED[/] (audit)" if gate_passed else "[red]FAILED[/]"
        elif outcome.cached:
            verdict = "[green]passed before[/]"
        else:
            verdict = "[green]passed[/]"
        table.add_row(outcome.display, verdict, f"{outcome.seconds:.1f}", str(outcome.project))
    console.print(table)
