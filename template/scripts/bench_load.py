"""Load for ``just bench``: wrk drives one endpoint at a time; its report, parsed.

wrk (``apt install wrk``, ``brew install wrk``) keeps its connections open and
sends the next request as soon as an answer arrives, from a process of its
own, so the figures are the server's, not a Python client's.
"""

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# wrk's report: "Requests/sec:  1234.56", "50%  1.23ms", "Non-2xx or 3xx responses: 7",
# "Socket errors: connect 0, read 1, write 0, timeout 2".
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ", re.MULTILINE)
_PERCENTILE = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_SOCKET_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
)
_MILLISECONDS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


class LoadError(RuntimeError):
    """wrk is missing, failed, or printed no report."""


@dataclass(frozen=True)
class Endpoint:
    """What one load run requests.

    Attributes:
        name: Its name in the results, e.g. ``read``.
        method: The HTTP method.
        route: The route as documented, e.g. ``/api/v1/items/{id}``.
        paths: Each request takes one of these at random.
        body: A JSON body sent with every request.
    """

    name: str
    method: str
    route: str
    paths: tuple[str, ...]
    body: str | None = None


@dataclass(frozen=True)
class LoadResult:
    """One load run's figures."""

    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def lua_script(endpoint: Endpoint, headers: Mapping[str, str]) -> str:
    """The wrk script that sends ``endpoint``'s requests with ``headers``."""
    lines = [f'wrk.method = "{endpoint.method}"']
    lines += [
        f"wrk.headers[ {_lua(name)} ] = {_lua(value)}"
        for name, value in headers.items()
    ]
    if endpoint.body is not None:
        lines += ['wrk.headers["Content-Type"] = "application/json"']
        lines += [f"wrk.body = {_lua(endpoint.body)}"]
    lines += ["local paths = {" + ", ".join(_lua(path) for path in endpoint.paths) + "}"]
    lines += [
        "request = function()",
        "  return wrk.format(nil, paths[math.random(#paths)])",
        "end",
    ]
    return "\n".join(lines) + "\n"


def _lua(text: str) -> str:
    """A Lua long string holding ``text`` as it is."""
    level = "=" * (max((len(run) for run in re.findall(r"=+", text)), default=0) + 1)
    return f"[{level}[{text}]{level}]"


def wrk_command(
    url: str, script: Path, *, seconds: float, connections: int, core: int | None
) -> list[str]:
    """The command line of one wrk run, pinned to ``core`` when given."""
    wrk = shutil.which("wrk")
    if wrk is None:
        msg = "wrk is not installed: `apt install wrk` (Debian) or `brew install wrk`"
        raise LoadError(msg)
    command = [
        wrk,
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--latency",
        "--script",
        str(script),
        url,
    ]
    taskset = shutil.which("taskset")
    if core is not None and taskset is not None:
        return [taskset, "--cpu-list", str(core), *command]
    return command


def run_load(command: list[str]) -> LoadResult:
    """Run wrk and parse its report."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - our own command line
    # A Lua error in the script is only a line on stderr: wrk then sends its
    # default request instead, and the figures would be for the wrong thing.
    if done.returncode != 0 or done.stderr.strip():
        said = done.stderr.strip() or done.stdout.strip()
        msg = f"wrk failed ({done.returncode}): {said}"
        raise LoadError(msg)
    return parse_report(done.stdout)


def parse_report(report: str) -> LoadResult:
    """The figures of a ``wrk --latency`` report.

    Raises:
        LoadError: The report lacks the rate or the latency distribution.
    """
    rate = _RATE.search(report)
    total = _TOTAL.search(report)
    percentiles = {
        int(match[1]): float(match[2]) * _MILLISECONDS[match[3]]
        for match in _PERCENTILE.finditer(report)
    }
    if rate is None or total is None or set(percentiles) != {50, 99}:
        msg = f"wrk printed no report this parser knows:\n{report}"
        raise LoadError(msg)
    non_2xx = _NON_2XX.search(report)
    socket_errors = _SOCKET_ERRORS.search(report)
    errors = int(non_2xx[1]) if non_2xx else 0
    errors += sum(int(count) for count in socket_errors.groups()) if socket_errors else 0
    return LoadResult(
        requests=int(total[1]),
        requests_per_second=float(rate[1]),
        p50_ms=percentiles[50],
        p99_ms=percentiles[99],
        errors=errors,
    )
