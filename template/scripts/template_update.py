"""``just template-update [BODY]``: bring the newest template release into this project.

Runs `copier update` without a prompt (recorded answers, trusted tasks,
conflicts written inline) and refuses the result when it left a conflict: it
names every file with conflict markers or a `.rej` file and exits 1, so a CI job
stops before it commits anything. Otherwise, given BODY, it writes a pull
request body there: the two versions, the template's CHANGELOG entries between
them and the migrations that ran. It commits nothing.

Two environment variables let a team hold updates back: `TEMPLATE_UPDATE_SKIP`
(releases never to take, separated by spaces, e.g. `v0.3.0 v0.3.1`) and
`TEMPLATE_UPDATE_MAX` (the newest release to take, e.g. `v0.4.2`: a pin).

Exit status: 0 when updated (BODY written) or already at the newest release (no
BODY), 1 when the update left conflicts, 2 when it could not run.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

import yaml

from scripts.template_origin import (
    COPIER,
    Origin,
    Release,
    TemplateError,
    copier_failure,
    git,
    git_url,
    newest_release,
    read_origin,
    release_number,
)

CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ")
_CHANGELOG_HEADING = re.compile(r"^## \[?(v?\d+\.\d+\.\d+)\]?", re.MULTILINE)


def changed_files(project: Path) -> list[str]:
    """Files the update changed or created, as git names them."""
    status = git(
        "status",
        "--porcelain",
        "--untracked-files=all",
        "--no-renames",
        failure="cannot read the git status",
        cwd=project,
    )
    return [line[3:] for line in status.splitlines()]


def conflicts(project: Path) -> list[str]:
    """Changed files holding conflict markers, and `.rej` files beside others."""
    found: list[str] = []
    for name in changed_files(project):
        path = project / name
        if name.endswith(".rej"):
            found.append(name)
        elif path.is_file():
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            if any(line.startswith(CONFLICT_MARKERS) for line in lines):
                found.append(name)
    return found


def _between(tag: str, old: Release | None, new: Release) -> bool:
    number = release_number(tag)
    return number is not None and (old is None or number > old) and number <= new


def changelog_entries(changelog: str, old: Release | None, new: Release) -> str:
    """The sections of a Keep a Changelog file for the releases after `old` up to `new`.

    Their headings move one level down, under the pull request's own.
    """
    starts = list(_CHANGELOG_HEADING.finditer(changelog))
    ends = [heading.start() for heading in starts[1:]] + [len(changelog)]
    sections = [
        changelog[heading.start() : end].strip()
        for heading, end in zip(starts, ends, strict=True)
        if _between(heading.group(1), old, new)
    ]
    return re.sub(r"^#", "##", "\n\n".join(sections), flags=re.MULTILINE)


def migrations(copier_yml: str, old: Release | None, new: Release) -> list[str]:
    """The `_migrations` of the template that an update from `old` to `new` runs."""
    config = cast("dict[str, Any]", yaml.safe_load(copier_yml) or {})
    entries = cast("list[dict[str, Any]]", config.get("_migrations", []))
    notes: list[str] = []
    for entry in entries:
        version = str(entry.get("version", ""))
        if _between(version, old, new):
            command: object = entry.get("command", "")
            words = (
                [str(word) for word in cast("list[object]", command)]
                if isinstance(command, list)
                else str(command).split()
            )
            notes.append(f"- {version}: `{Path(words[-1]).name if words else '?'}`")
    return notes


def pull_request_body(origin: Origin, newest: str) -> str:
    """The pull request body for an update from the recorded version to `newest`."""
    new = release_number(newest)
    if new is None:
        msg = f"{newest} is not a release tag"
        raise TemplateError(msg)
    with tempfile.TemporaryDirectory(prefix="template-update-") as scratch:
        clone = ["clone", "--quiet", "--depth", "1", "--branch", newest]
        failure = f"cannot clone {origin.source} at {newest}"
        git(*clone, git_url(origin.source), scratch, failure=failure)
        template = Path(scratch)
        changelog = template / "CHANGELOG.md"
        entries = changelog.read_text(encoding="utf-8") if changelog.is_file() else ""
        copier_yml = (template / "copier.yml").read_text(encoding="utf-8")
    sections = [
        f"Updates this service from template {origin.version} to {newest} "
        f"(`{origin.source}`), made by `copier update --trust --defaults`. "
        "The service's own gate passed on this branch before it was pushed.",
        "## Changes\n\n"
        + (changelog_entries(entries, origin.release, new) or "No CHANGELOG entries."),
    ]
    if notes := migrations(copier_yml, origin.release, new):
        sections.append("## Migrations that ran\n\n" + "\n".join(notes))
    return "\n\n".join(sections) + "\n"


def held_back() -> tuple[list[str], Release | None]:
    """The releases to skip and the pin, from `TEMPLATE_UPDATE_SKIP` and `_MAX`.

    Raises:
        TemplateError: `TEMPLATE_UPDATE_MAX` is set but names no release.
    """
    skip = os.environ.get("TEMPLATE_UPDATE_SKIP", "").split()
    pin = os.environ.get("TEMPLATE_UPDATE_MAX", "").strip()
    ceiling = release_number(pin) if pin else None
    if pin and ceiling is None:
        msg = f"TEMPLATE_UPDATE_MAX={pin!r} is not a release: write it as v1.2.3"
        raise TemplateError(msg)
    return skip, ceiling


def update(project: Path, body: Path | None) -> int:
    """Update the project; see the module docstring for the exit status."""
    origin = read_origin(project)
    skip, ceiling = held_back()
    newest = newest_release(origin, skip, ceiling)
    if newest is None:
        held = (
            " (TEMPLATE_UPDATE_SKIP or _MAX held some back)" if skip or ceiling else ""
        )
        print(f"Nothing to update from {origin.version}{held}.")
        return 0
    command = [*COPIER, "update", "--trust", "--defaults", "--conflict", "inline"]
    updated = subprocess.run(
        [*command, "--vcs-ref", newest, str(project)],
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if updated.returncode != 0:
        what = f"copier update to {newest} failed ({updated.returncode})"
        raise TemplateError(copier_failure(what, updated.stderr))
    sys.stderr.write(updated.stderr)  # what Copier changed
    if found := conflicts(project):
        print(
            f"The update to {newest} left conflicts in {len(found)} file(s):",
            file=sys.stderr,
        )
        print("\n".join(f"    {name}" for name in found), file=sys.stderr)
        print(
            "Nothing is committed: update by hand, resolve them, commit.",
            file=sys.stderr,
        )
        return 1
    print(f"Updated from {origin.version} to {newest}: review with `git diff`.")
    if body is not None:
        body.write_text(pull_request_body(origin, newest), encoding="utf-8")
        print(f"The pull request body is in {body}.")
    return 0


def main() -> int:
    """Run the update, with the body path from the command line if given."""
    arguments = sys.argv[1:]
    if len(arguments) > 1:
        print("usage: python -m scripts.template_update [BODY]", file=sys.stderr)
        return 2
    try:
        return update(Path.cwd(), Path(arguments[0]) if arguments else None)
    except TemplateError as error:
        print(f"template-update: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
