"""The rule catalogue of litestar-vertical-slice.md."""

from __future__ import annotations

from keel.audit.checks import calls_in_async
from keel.audit.model import Standard, Verdict, verdict_of
from keel.audit.project import Project

STANDARD = Standard(
    name="litestar-vertical-slice",
    title="Python Project Standards (Litestar, vertical slices)",
    prefix="LS",
)

# Calls that block the thread they run on: file and network IO, sleeping, CPU-bound hashing.
BLOCKING_CALLS = (
    "time.sleep",
    "open",
    ".read_text",
    ".write_text",
    ".read_bytes",
    ".write_bytes",
    "requests.get",
    "requests.post",
    "subprocess.run",
    "psycopg2.connect",
    ".hash",
    ".verify",
)


@STANDARD.rule(
    "LS-ASYNC-001",
    "Never use synchronous code in async context",
    section="[HARD] PERFORMANCE - NEVER DO THIS",
    level="HARD",
)
def no_blocking_calls_in_async(project: Project) -> Verdict:
    """Blocking calls made directly in an ``async def`` of the package."""
    return verdict_of(
        calls_in_async(project, BLOCKING_CALLS),
        ok="no blocking call in any async def of the package",
        broken="blocking calls run on the event loop",
    )
