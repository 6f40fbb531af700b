"""keel 0.2.0 moved decision records from docs/adr/ to docs/decisions/ (the MADR layout).

Copier moves the records keel ships. This migration, run by `copier update`
after it applied the update, moves the ones the team wrote, and points the
MkDocs nav at their new place. It is idempotent and loses nothing: a record
that exists in both places with different content is left where it is, with a
message saying which to merge by hand.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OLD = Path("docs/adr")
NEW = Path("docs/decisions")
MKDOCS = Path("mkdocs.yml")


def _move(source: Path, target: Path) -> None:
    """Move with git when the file is tracked, so history follows it."""
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(source)],
        capture_output=True,
        check=False,
    )
    if tracked.returncode == 0:
        subprocess.run(["git", "mv", str(source), str(target)], check=True)
    else:
        source.rename(target)


def main() -> int:
    """Move every record left in docs/adr/, then drop the directory if it is empty."""
    if not OLD.is_dir():
        return 0
    NEW.mkdir(parents=True, exist_ok=True)
    kept = []
    for source in sorted(OLD.iterdir()):
        target = NEW / source.name
        if not target.exists():
            _move(source, target)
        elif target.read_bytes() == source.read_bytes():
            source.unlink()
        else:
            kept.append(source)
    if not any(OLD.iterdir()):
        OLD.rmdir()
    if MKDOCS.exists():
        text = MKDOCS.read_text(encoding="utf-8")
        MKDOCS.write_text(text.replace(" adr/", " decisions/"), encoding="utf-8")
    for source in kept:
        print(
            f"keel 0.2.0: {source} differs from {NEW / source.name}; "
            "merge them by hand and delete the old one.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
