"""The ``keel`` command line."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import typer
import yaml

from keel import audit as auditing
from keel import bench as benchmark
from keel import docs, layout, output, reviewers, space
from keel.audit import profiles as audit_profiles
from keel.audit import report as audit_report
from keel.checkrun import CheckOutcome, check_one
from keel.errors import KeelError
from keel.matrix import covering_array, github_matrix, shard
from keel.own import GateResult, run_gate
from keel.render import DEMO_ANSWERS, render
from keel.space import questions_markdown
from keel.sweep import profile_combinations
from keel.sweep import sweep as run_sweep

app = typer.Typer(
    rich_markup_mode="rich",
    no_args_is_help=True,
    help="Render, enumerate and check the keel service template.",
)


def _render_and_check(answers: dict[str, Any], destination: Path) -> GateResult:
    if destination.exists() and any(destination.iterdir()):
        msg = f"{destination} is not empty; pass another --dest or remove it"
        raise KeelError(msg)
    with output.progress("keel") as show:
        show(f"render into {destination}")
        render(answers, destination)
        return run_gate(destination, on_step=show)


def _finish(result: GateResult) -> None:
    output.report_gate(result)
    if not result.ok:
        raise typer.Exit(1)
    output.console.print(f"[green]All checks passed.[/] The project is in {result.project}")


@app.command()
def questions(
    write: Annotated[
        Path | None, typer.Option(help="Update the questions section of this Markdown file.")
    ] = None,
) -> None:
    """Print the question table of copier.yml as Markdown, or write it into a doc."""
    table = questions_markdown(space.load())
    if write is None:
        output.console.print(table, markup=False, highlight=False, soft_wrap=True, end="")
        return
    try:
        changed = docs.embed(write, "questions", table)
    except (KeelError, OSError) as error:
        output.error(str(error))
        raise typer.Exit(1) from error
    output.console.print(f"{write}: {'updated' if changed else 'already up to date'}")


@app.command("docs")
def docs_command(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if a section is out of date; change nothing.")
    ] = False,
    renders: Annotated[
        bool,
        typer.Option(
            help="Also the sections that need each profile rendered (the audit tables of "
            "docs/profiles.md); tests/test_profiles.py checks those against its own renders."
        ),
    ] = True,
) -> None:
    """Regenerate every docs section that comes from code (tables of copier.yml and template/)."""
    template = space.load()
    sections = {
        (Path("docs/generate.md"), "questions"): space.questions_markdown(template),
        (Path("docs/profiles.md"), "fine-tunes"): space.fine_tunes_markdown(template),
        (Path("docs/template-layout.md"), "shared-bodies"): layout.include_table(),
        (Path("docs/template-layout.md"), "module-roles"): layout.module_table(),
        (Path("docs/template-layout.md"), "jinja-share"): layout.jinja_share_markdown(),
        (Path("docs/reviewers.md"), "repo-review-exemptions"): reviewers.markdown(),
    }
    try:
        sections |= _bench_sections()
        if renders:
            with output.progress("keel docs") as show:
                show("render and audit every named profile")
                audited = audit_profiles.sections()
            sections |= {(Path("docs/profiles.md"), name): text for name, text in audited.items()}
    except KeelError as error:
        output.error(str(error))
        raise typer.Exit(1) from error
    stale: list[str] = []
    for (page, name), content in sections.items():
        path = space.TEMPLATE_ROOT / page
        try:
            current = docs.embedded(path, name)
        except KeelError as error:
            output.error(str(error))
            raise typer.Exit(1) from error
        if current == content:
            continue
        stale.append(f"{page} ({name})")
        if not check:
            docs.embed(path, name, content)
    verb = "out of date" if check else "updated"
    output.console.print(f"{verb}: {', '.join(stale)}" if stale else "docs: up to date")
    if check and stale:
        raise typer.Exit(1)


def _bench_sections() -> dict[tuple[Path, str], str]:
    """docs/performance.md's sections, from the results `keel bench --write` kept."""
    results = benchmark.read_results(space.TEMPLATE_ROOT / "docs")
    return {
        (Path("docs/performance.md"), name): content
        for name, content in benchmark.page_sections(results).items()
    }


@app.command()
def bench(
    profiles: Annotated[
        list[str] | None, typer.Argument(help="Named profiles; every one when omitted.")
    ] = None,
    seconds: Annotated[float, typer.Option(help="Seconds of each load run.")] = 10,
    runs: Annotated[int, typer.Option(help="Runs per endpoint and target (medians).")] = 3,
    connections: Annotated[int, typer.Option(help="wrk's open connections.")] = 64,
    warmup: Annotated[float, typer.Option(help="Seconds of warm-up, not counted.")] = 2,
    dest: Annotated[Path, typer.Option(help="Where to render the profiles.")] = Path(".keel/bench"),
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Write docs/performance.md, its JSON and its plot from this run."
        ),
    ] = False,
) -> None:
    """Benchmark each profile's rendered service against its bare framework (wrk)."""
    load = benchmark.Load(seconds=seconds, runs=runs, connections=connections, warmup=warmup)
    try:
        named = space.load().named_profiles
        chosen = benchmark.profiles_or_all(profiles or [], named)
        by_profile: dict[str, Any] = {}
        with output.progress("keel bench") as show:
            for profile in chosen:
                by_profile[profile] = benchmark.bench_profile(profile, dest, load, on_step=show)
    except KeelError as error:
        output.error(str(error))
        raise typer.Exit(1) from error
    typer.echo(benchmark.summary_table(by_profile))
    typer.echo(benchmark.detail_tables(by_profile))
    if write:
        docs_dir = space.TEMPLATE_ROOT / "docs"
        benchmark.write_results(by_profile, docs_dir)
        for (page, name), content in _bench_sections().items():
            docs.embed(space.TEMPLATE_ROOT / page, name, content)
        output.console.print(f"wrote docs/performance.md, docs/{benchmark.PLOT_FILE}")


Format = Literal["table", "json"]
AuditFormat = Literal["table", "json", "sarif"]
MatrixFormat = Literal["table", "github", "ids"]


@app.command()
def audit(
    path: Annotated[Path, typer.Argument(help="Root of the project to audit.")] = Path(),
    standard: Annotated[
        str | None,
        typer.Option(
            help="Standard (file stem, e.g. python-org-standard) or profile name; "
            "default: \\[tool.keel.audit] standard in the project's pyproject.toml."
        ),
    ] = None,
    output_format: Annotated[
        AuditFormat, typer.Option("--format", help="table, json, or sarif (2.1.0).")
    ] = "table",
    select: Annotated[
        list[str] | None, typer.Option(help="Only rules whose ID starts with this (repeatable).")
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option(help="Skip rules whose ID starts with this (repeatable).")
    ] = None,
    list_rules: Annotated[
        bool, typer.Option("--list", help="Print the standard's catalogue instead.")
    ] = False,
) -> None:
    """Audit a project against a standard, rule by rule; exit 1 when a MUST rule fails."""
    try:
        chosen = auditing.resolve(standard or auditing.declared_standard(path))
        if list_rules:
            rules = auditing.selected(chosen.rules, select or [], ignore or [])
            output.console.print(audit_report.catalogue_table(chosen, rules))
            return
        results = auditing.audit(path, chosen, select or [], ignore or [])
    except KeelError as error:
        output.error(str(error))
        raise typer.Exit(2) from error
    if output_format == "json":
        typer.echo(audit_report.as_json(chosen, results))
    elif output_format == "sarif":
        typer.echo(audit_report.as_sarif(chosen, results))
    else:
        title = f"{path.resolve().name} against {chosen.name}"
        output.console.print(audit_report.table(results, title))
    if auditing.failed_musts(results):
        raise typer.Exit(1)


@app.command()
def combos(
    list_: Annotated[bool, typer.Option("--list", help="List every combination.")] = False,
    format_: Annotated[Format, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Count the valid answer combinations of copier.yml and show what prunes them."""
    found = space.current()
    if format_ == "json":
        payload: dict[str, object] = {
            "count": len(found.combinations),
            "rules": [vars(rule) for rule in found.rules],
        }
        if list_:
            payload["combinations"] = [vars(c) for c in found.combinations]
        output.json_out(payload)
    elif list_:
        output.combinations_table("Valid combinations", found.combinations, found.names)
    else:
        output.space_summary(found)


@app.command()
def matrix(
    strength: Annotated[
        int, typer.Option(help="2: every pair of answer values; 3: every triple.")
    ] = 2,
    shard_: Annotated[
        str | None,
        typer.Option("--shard", help="I/N: the I-th of N slices of ALL combinations."),
    ] = None,
    format_: Annotated[
        MatrixFormat,
        typer.Option("--format", help="table, github (matrix JSON), or ids (one per line)."),
    ] = "table",
) -> None:
    """Choose combinations for CI: a covering array, or a shard of all of them."""
    found = space.current()
    try:
        chosen = (
            shard(found.combinations, shard_)
            if shard_ is not None
            else covering_array(found.combinations, found.names, strength=strength)
        )
    except KeelError as error:
        output.error(str(error))
        raise typer.Exit(1) from error
    if format_ == "github":
        output.json_out(github_matrix(chosen))
    elif format_ == "ids":
        output.lines(combination.id for combination in chosen)
    else:
        title = f"Shard {shard_}" if shard_ else f"Covering array, strength {strength}"
        output.combinations_table(f"{title}: {len(chosen)} combinations", chosen, found.names)


@app.command()
def demo(
    dest: Annotated[Path, typer.Option(help="Where to render the demo service.")] = Path(
        ".keel/demo"
    ),
) -> None:
    """Render the default service and prove it works: its own checks, migrations, a real boot.

    Without [bold]DATABASE_URL[/] everything runs on an embedded PostgreSQL.
    """
    try:
        if dest.exists():
            shutil.rmtree(dest)
        _finish(_render_and_check(DEMO_ANSWERS, dest))
    except KeelError as error:
        output.error(str(error))
        raise typer.Exit(1) from error


@dataclass(frozen=True)
class _Target:
    """What `keel check` was asked to check: how it is called, its label, its answers."""

    name: str  # the combination ID (as given) or the answers file's stem: paths use it
    label: str
    answers: dict[str, Any]


def _target(combination: str, found: Callable[[], space.Space]) -> _Target:
    """A combination ID or label (see `keel combos --list`), or a YAML answers file."""
    path = Path(combination)
    if not path.is_file():
        chosen = found().find(combination)
        return _Target(combination, chosen.label, chosen.data)
    loaded: object = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(loaded, dict):
        msg = f"{path} must hold a mapping of question: answer"
        raise KeelError(msg)
    answers = cast("dict[str, Any]", loaded)  # YAML keys of an answers file: question names
    given = {key: value for key, value in answers.items() if not key.startswith("_")}
    return _Target(path.stem, space.answers_label(given, space.choice_names(space.load())), given)


@app.command()
def check(
    combinations: Annotated[
        list[str] | None,
        typer.Argument(help="Combination IDs from `keel combos --list`, or YAML answers files."),
    ] = None,
    dest: Annotated[
        Path, typer.Option(help="Where to render: the project itself, or with several, its parent.")
    ] = Path(".keel/check"),
    results: Annotated[Path, typer.Option(help="Where to write the JSON results.")] = Path(
        ".keel/check.json"
    ),
    cache: Annotated[Path, typer.Option(help="Passes kept by rendered-tree digest.")] = Path(
        ".keel/cache/checks"
    ),
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Check even trees that passed before.")
    ] = False,
    venvs: Annotated[Path, typer.Option(help="One virtualenv per distinct uv.lock here.")] = Path(
        ".keel/venvs"
    ),
    own_venvs: Annotated[
        bool, typer.Option("--own-venvs", help="Give each project its own .venv.")
    ] = False,
    audit_: Annotated[
        bool,
        typer.Option(
            "--audit",
            help="Also audit each project against the standard it declares (keel audit; "
            "custom declares none): a failed MUST rule fails it.",
        ),
    ] = False,
) -> None:
    """Render combinations and run their full own checks (sync, just check, migrations, boot)."""
    try:
        if not combinations:
            msg = "name combination IDs (see `keel combos --list`, `keel matrix`) or answers files"
            raise KeelError(msg)
        found = space.current
        chosen = [_target(item, found) for item in combinations]
        single = len(chosen) == 1
        outcomes: list[CheckOutcome] = []
        for target in chosen:
            project = dest if single else dest / target.name
            if project.exists() and any(project.iterdir()):
                msg = f"{project} is not empty; pass another --dest or remove it"
                raise KeelError(msg)
            with output.progress("keel check") as show:
                outcome = check_one(
                    target.name,
                    target.answers,
                    project,
                    cache=None if no_cache else cache,
                    venvs=None if own_venvs else venvs,
                    label=target.label,
                    on_step=show,
                    audit=audit_,
                )
            if outcome.gate is not None:
                output.report_gate(outcome.gate)
            if outcome.audit is not None:
                output.audit_failures(outcome.display, outcome.audit)
            outcomes.append(outcome)
    except (KeelError, OSError) as error:
        output.error(str(error))
        raise typer.Exit(1) from error
    results.parent.mkdir(parents=True, exist_ok=True)
    payload: dict[str, object] = {
        "checked": len(outcomes),
        "failed": sum(not o.ok for o in outcomes),
    }
    payload["results"] = [outcome.to_json() for outcome in outcomes]
    results.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    output.check_summary(outcomes)
    output.console.print(f"Results: {results}")
    failed = [outcome for outcome in outcomes if not outcome.ok]
    if failed:
        first = failed[0]
        output.error(
            f"{len(failed)} failed; first: {first.display}. "
            f"Reproduce: {first.to_json()['reproduce']}"
        )
        raise typer.Exit(1)


@app.command()
def sweep(
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Check only this combination ID (repeatable)."),
    ] = None,
    shard_: Annotated[
        str | None,
        typer.Option("--shard", help="I/N: only the I-th of N slices of all combinations."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(min=1, help="Processes that render (default: one per core)."),
    ] = None,
    results: Annotated[Path, typer.Option(help="Where to write the JSON results.")] = Path(
        ".keel/sweep.json"
    ),
    cache: Annotated[Path, typer.Option(help="File-check results kept between runs.")] = Path(
        ".keel/cache/sweep.json"
    ),
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Check every file anew.")] = False,
    profile: Annotated[
        list[str] | None,
        typer.Option(
            help="Only the combinations of this named profile (repeatable): its presets "
            "fixed, what it leaves open varying. Implies --audit."
        ),
    ] = None,
    audit_: Annotated[
        bool,
        typer.Option(
            "--audit",
            help="Also audit each combination of a named profile against its standard "
            "(keel audit): a failed MUST rule fails the combination.",
        ),
    ] = False,
) -> None:
    """Render EVERY valid combination and check each one statically.

    Per combination: no template syntax left, every TOML/YAML/JSON/Python file
    parses, ruff lint and format, imports resolve to rendered files, third-party
    imports are declared and declared packages used, Dockerfile and CI files lint clean.
    With [bold]--profile[/] or [bold]--audit[/], each combination of a named profile is
    also audited against its profile's standard, as `copier copy` writes it (uv.lock too).
    """
    try:
        found = space.current()
        chosen = [found.find(item) for item in only] if only else found.combinations
        if profile:
            chosen = profile_combinations(chosen, profile, space.load())
            if not chosen:
                msg = f"none of the --only combinations is of the profile {', '.join(profile)}"
                raise KeelError(msg)
        if shard_ is not None:
            chosen = shard(chosen, shard_)
        with output.phases() as progress:
            result = run_sweep(
                chosen,
                cache=None if no_cache else cache,
                jobs=jobs,
                progress=progress,
                audit=audit_ or bool(profile),
            )
    except (KeelError, OSError) as error:
        output.error(str(error))
        raise typer.Exit(1) from error
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(result.to_json(), indent=1), encoding="utf-8")
    output.sweep_summary(result)
    output.console.print(f"Results: {results}")
    if result.failed:
        first = result.failed[0]
        output.error(
            f"{len(result.failed)} combination(s) failed; first: {first.combination.display} "
            f"({first.findings[0]}). Reproduce: {first.reproduce}"
        )
        raise typer.Exit(1)
