"""The ``keel`` command line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from keel import docs, output, space
from keel.errors import KeelError
from keel.own import GateResult, run_gate
from keel.render import DEMO_ANSWERS, render
from keel.space import questions_markdown

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


@app.command()
def check(
    answers_file: Annotated[
        Path, typer.Argument(help="YAML file of answers, e.g. a .copier-answers.yml.")
    ],
    dest: Annotated[Path, typer.Option(help="Where to render the project.")],
) -> None:
    """Render one combination of answers and run its full own checks."""
    try:
        answers = yaml.safe_load(answers_file.read_text(encoding="utf-8")) or {}
        if not isinstance(answers, dict):
            msg = f"{answers_file} must hold a mapping of question: answer"
            raise KeelError(msg)
        data = {key: value for key, value in answers.items() if not key.startswith("_")}
        _finish(_render_and_check(data, dest))
    except (KeelError, OSError) as error:
        output.error(str(error))
        raise typer.Exit(1) from error
