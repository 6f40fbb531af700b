"""``just template-check``: has this project drifted from the template it records?

Renders the recorded template version with the recorded answers into a
temporary directory and compares every file the template owns with the
project. Files the team owns once they exist (the template's
`_skip_if_exists`), files the team added and the lock file are left out.
Then it says whether a newer release exists and what updating would change.

Exit status: 0 when nothing drifted, 1 when a file did, 2 when the template
could not be rendered.
"""

import difflib
import sys
import tempfile
from pathlib import Path

from scripts.template_origin import (
    ANSWERS_FILE,
    TemplateError,
    newest_release,
    read_origin,
    render,
)

LOCK_FILE = Path("uv.lock")
CURRENT = ":current:"
SENTINEL = b"template-check: written before the render\n"
DIFF_LINES = 24


def team_owned(project: Path, rendered: dict[Path, bytes], scratch: Path) -> set[Path]:
    """The rendered files Copier leaves alone once they exist (`_skip_if_exists`).

    Every rendered path is written with a sentinel, then the template is
    rendered over them: the files still holding the sentinel are the ones
    Copier would not touch in this project either.
    """
    for path in rendered:
        if path != ANSWERS_FILE:
            (scratch / path).parent.mkdir(parents=True, exist_ok=True)
            (scratch / path).write_bytes(SENTINEL)
    after = render(project, scratch, CURRENT, tasks=False)
    return {path for path, content in after.items() if content == SENTINEL}


def _text(content: bytes) -> list[str]:
    return content.decode("utf-8", errors="replace").splitlines()


def drift(
    project: Path, rendered: dict[Path, bytes], paths: list[Path]
) -> dict[Path, list[str]]:
    """Each of `paths` that differs in the project from the render, with a diff."""
    drifted: dict[Path, list[str]] = {}
    for path in paths:
        expected, actual = rendered[path], project / path
        if not actual.is_file():
            drifted[path] = ["deleted from the project"]
        elif (content := actual.read_bytes()) != expected:
            diff = difflib.unified_diff(
                _text(expected),
                _text(content),
                f"template/{path}",
                f"project/{path}",
                lineterm="",
            )
            drifted[path] = list(diff)[:DIFF_LINES]
    return drifted


def changes(old: dict[Path, bytes], new: dict[Path, bytes]) -> list[str]:
    """What moving from one render to the other changes, one line a file."""
    lines: list[str] = []
    for path in sorted(old.keys() | new.keys()):
        if path == LOCK_FILE or old.get(path) == new.get(path):
            continue
        if path not in new:
            lines.append(f"removed  {path}")
        elif path not in old:
            lines.append(f"added    {path}")
        else:
            diff = list(difflib.ndiff(_text(old[path]), _text(new[path])))
            added = sum(line.startswith("+ ") for line in diff)
            removed = sum(line.startswith("- ") for line in diff)
            lines.append(f"changed  {path} (+{added} -{removed})")
    return lines


def main() -> int:
    """Compare the project with its template and report; see the module docstring."""
    project = Path.cwd()
    try:
        origin = read_origin(project)
        with tempfile.TemporaryDirectory(prefix="template-check-") as scratch:
            root = Path(scratch)
            rendered = render(project, root / "recorded", CURRENT)
            team = team_owned(project, rendered, root / "probe")
            owned = [
                path for path in rendered if path not in team and path != LOCK_FILE
            ]
            drifted = drift(project, rendered, owned)
            newest = newest_release(origin)
            upcoming = (
                changes(rendered, render(project, root / "newest", newest))
                if newest
                else []
            )
    except TemplateError as error:
        print(f"template-check: {error}", file=sys.stderr)
        return 2

    template = f"{origin.source} at {origin.version}"
    if drifted:
        print(f"{len(drifted)} file(s) the template owns differ from {template}:")
        for path, diff in drifted.items():
            print(f"\n{path}")
            print("\n".join(f"    {line}" for line in diff))
        print(
            "\nAn edit kept on purpose is merged by the next `copier update`;\n"
            "`copier recopy --trust --defaults --vcs-ref :current:` restores all files."
        )
    else:
        print(f"No drift: the {len(owned)} files the template owns match {template}.")
    if newest:
        print(
            f"\nA newer release exists: {newest}. `just template-update` would change:"
        )
        print("\n".join(f"    {line}" for line in upcoming))
    else:
        print(f"{origin.version} is the newest release.")
    return 1 if drifted else 0


if __name__ == "__main__":
    sys.exit(main())
