"""``keel bench``: each profile's rendered service against its bare framework.

Every rendered service carries the benchmark itself (``just bench``: its
``scripts/bench*.py``, a bare baseline app on the same server, database, pool
and locked versions, and wrk as the load). keel renders the profiles, runs
that benchmark in each, and turns the results into docs/performance.md and a
plot, so the page's figures are the harness's output, never typed by hand.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keel.errors import KeelError
from keel.own import answers_of, project_environment, run_step
from keel.render import render

# Where the harness's numbers must land, by endpoint: the share of the baseline's
# requests per second (docs/performance.md explains each).
TARGET_RATIOS = {"health": 0.85, "read": 0.90, "list": 0.80, "create": 0.80}
P99_CEILING = 1.5  # the service's p99 at most this many times the baseline's
COLD_START_CEILING = 1.5
TARGETS = ("service", "baseline")
# `just bench` also measures health with the service at LOG_LEVEL=WARNING: the
# same stack without its access log line.
AT_WARNING = "service_at_warning"
RESULTS_FILE = "performance.json"
# The kinds of code a create's row in docs/performance.md names: those it grew most.
CREATE_LARGEST = 4
PLOT_FILE = "performance.png"


@dataclass(frozen=True)
class Load:
    """What each endpoint gets from wrk, passed to every service's ``just bench``."""

    seconds: float = 10
    runs: int = 3
    connections: int = 64
    warmup: float = 2

    def arguments(self) -> list[str]:
        """The ``just bench`` options for this load."""
        return [
            f"--seconds={self.seconds:g}",
            f"--runs={self.runs}",
            f"--connections={self.connections}",
            f"--warmup={self.warmup:g}",
        ]


def bench_profile(
    profile: str, dest: Path, load: Load, *, on_step: Callable[[str], None] = print
) -> dict[str, Any]:
    """Render ``profile`` into ``dest``, run its own ``just bench``, return the results.

    Raises:
        KeelError: The render, ``uv sync`` or the benchmark failed (its output says why).
    """
    project = (dest / profile).resolve()  # `just bench` runs in it: --json must not be relative
    if project.exists():
        shutil.rmtree(project)
    on_step(f"{profile}: render")
    render({"profile": profile, "project_name": f"Bench {profile}"}, project)
    env = project_environment()
    on_step(f"{profile}: uv sync")
    synced = run_step("sync", ["uv", "sync", "--locked"], project, env)
    if not synced.ok:
        msg = f"`uv sync --locked` failed in {project}:\n{synced.first_error}"
        raise KeelError(msg)
    results = project / ".bench" / "results.json"
    on_step(f"{profile}: just bench ({_duration(load)})")
    benched = run_step(
        "bench",
        ["uv", "run", "just", "bench", *load.arguments(), f"--json={results}"],
        project,
        env,
    )
    if not benched.ok:
        msg = f"`just bench` failed for {profile} in {project}:\n{benched.output[-3000:]}"
        raise KeelError(msg)
    figures: dict[str, Any] = json.loads(results.read_text(encoding="utf-8"))
    figures["template_commit"] = answers_of(project).get("_commit")
    return figures


def _duration(load: Load) -> str:
    turns = len(TARGET_RATIOS) * len(TARGETS) + 1  # + health at WARNING
    return f"{turns * (load.runs * load.seconds + load.warmup):.0f} s of load"


def ratios(results: Mapping[str, Any]) -> dict[str, float]:
    """Each endpoint's requests per second as a share of the baseline's."""
    return {
        endpoint["name"]: endpoint["service"]["requests_per_second"]
        / endpoint["baseline"]["requests_per_second"]
        for endpoint in results["endpoints"]
    }


def health_at_warning(results: Mapping[str, Any]) -> float | None:
    """Health's requests per second at LOG_LEVEL=WARNING as a share of the baseline's.

    None for results from before `just bench` measured it.
    """
    for endpoint in results["endpoints"]:
        if endpoint["name"] == "health" and AT_WARNING in endpoint:
            quiet: float = endpoint[AT_WARNING]["requests_per_second"]
            return quiet / endpoint["baseline"]["requests_per_second"]
    return None


def _share(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.2f}"


def misses(results: Mapping[str, Any]) -> list[str]:
    """The targets one profile's results miss, each as a short sentence."""
    found: list[str] = []
    for endpoint in results["endpoints"]:
        name, service, baseline = endpoint["name"], endpoint["service"], endpoint["baseline"]
        ratio = service["requests_per_second"] / baseline["requests_per_second"]
        if ratio < TARGET_RATIOS[name]:
            found.append(f"{name} {ratio:.2f} < {TARGET_RATIOS[name]:.2f}")
        if service["p99_ms"] > P99_CEILING * baseline["p99_ms"]:
            found.append(f"{name} p99 {service['p99_ms'] / baseline['p99_ms']:.1f}x")
        if service["errors"]:
            found.append(f"{name} {service['errors']} errors")
    cold = results["targets"]
    cold_ratio = cold["service"]["cold_start_seconds"] / cold["baseline"]["cold_start_seconds"]
    if cold_ratio > COLD_START_CEILING:
        found.append(f"cold start {cold_ratio:.1f}x")
    return found


def summary_table(by_profile: Mapping[str, Mapping[str, Any]]) -> str:
    """One row per profile: each endpoint's ratio, cold start, and the missed targets."""
    names = list(TARGET_RATIOS)
    lines = [
        "| profile | stack | "
        + " | ".join(f"{name} (>= {TARGET_RATIOS[name]:.2f})" for name in names)
        + " | health at WARNING | cold start | missed |",
        "|---|---|" + "---:|" * (len(names) + 2) + "---|",
    ]
    for profile, results in by_profile.items():
        shares = ratios(results)
        targets = results["targets"]
        cold = targets["service"]["cold_start_seconds"] / targets["baseline"]["cold_start_seconds"]
        cells = " | ".join(f"{shares[name]:.2f}" for name in names)
        missed = "; ".join(misses(results)) or "none"
        quiet = _share(health_at_warning(results))
        lines.append(
            f"| {profile} | {_stack(results)} | {cells} | {quiet} | {cold:.2f}x | {missed} |"
        )
    return "\n".join(lines) + "\n"


def _stack(results: Mapping[str, Any]) -> str:
    versions = " + ".join(f"{name} {version}" for name, version in results["versions"].items())
    return f"{versions} on Python {results['machine']['python']}"


def detail_tables(by_profile: Mapping[str, Mapping[str, Any]]) -> str:
    """Per profile: every endpoint's req/s, p50/p99 and errors, service and baseline."""
    sections: list[str] = []
    for profile, results in by_profile.items():
        rows = [
            f"### {profile}",
            "",
            "| endpoint | service req/s | baseline req/s | ratio "
            "| service p50 / p99 ms | baseline p50 / p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for endpoint in results["endpoints"]:
            service, baseline = endpoint["service"], endpoint["baseline"]
            label = f"{endpoint['method']} `{endpoint['route']}`"
            errors = service["errors"] + baseline["errors"]
            rows.append(_detail_row(label, service, baseline, errors))
            if AT_WARNING in endpoint:
                quiet = endpoint[AT_WARNING]
                label += ", LOG_LEVEL=WARNING"
                rows.append(_detail_row(label, quiet, baseline, quiet["errors"]))
        targets = results["targets"]
        rows += [
            "",
            f"Cold start (spawn to first 200): service "
            f"{targets['service']['cold_start_seconds']:.2f} s, baseline "
            f"{targets['baseline']['cold_start_seconds']:.2f} s. Resident memory after "
            f"the load: service {_mib(targets['service']['rss_mib'])}, baseline "
            f"{_mib(targets['baseline']['rss_mib'])}.",
            "",
        ]
        if "layers" in results:
            rows += _layer_rows(results["layers"])
        if "create" in results:
            rows += _create_rows(results["create"])
        sections.append("\n".join(rows))
    return "\n".join(sections)


def allowances(results: Mapping[str, Any]) -> dict[str, float]:
    """Per endpoint, the microseconds a request may add to the baseline's and meet its target.

    The baseline's time per request under wrk (one core, so its server
    included) times 1/target - 1.
    """
    return {
        endpoint["name"]: _microseconds_per_request(endpoint["baseline"])
        * (1 / TARGET_RATIOS[endpoint["name"]] - 1)
        for endpoint in results["endpoints"]
    }


def added_microseconds(results: Mapping[str, Any]) -> dict[str, float]:
    """Per endpoint, the microseconds the service adds to the baseline's time per request.

    Under wrk, one core each, so their servers included: 1/rate of the service
    minus 1/rate of the baseline. On the health probe that is the stack itself,
    as served.
    """
    return {
        endpoint["name"]: _microseconds_per_request(endpoint["service"])
        - _microseconds_per_request(endpoint["baseline"])
        for endpoint in results["endpoints"]
    }


def _microseconds_per_request(figures: Mapping[str, Any]) -> float:
    rate = figures["requests_per_second"]
    return 1_000_000 / rate if rate > 0 else math.inf


def layer_table(by_profile: Mapping[str, Mapping[str, Any]]) -> str:
    """Per profile: what the service adds per request beside what each target leaves it.

    What the service adds on the health probe is the stack, as served. Every
    API request passes the layers the probe passes, so where that alone costs
    more than a target leaves, the target is out of reach with the stack on.
    Beside it, the stack's CPU in-process (``scripts/bench_layers.py``) and its
    largest layers, where the results have them.
    """
    names = list(TARGET_RATIOS)
    rows: list[str] = []
    beyond: list[str] = []
    for profile, results in by_profile.items():
        added, left = added_microseconds(results), allowances(results)
        stack = added["health"]
        layers = results.get("layers")
        in_process, largest = "not measured", "not measured"
        if layers is not None:
            in_process = f"{layers['service_us'] - layers['baseline_us']:.0f}"
            largest = ", ".join(
                f"{layer['name'].removesuffix('Middleware')} {layer['us']:.0f}"
                for layer in layers["layers"][:3]
            )
        cells = " | ".join(f"{added[name]:.0f} / {left[name]:.0f}" for name in names)
        rows.append(f"| {profile} | {in_process} | {cells} | {largest} |")
        missed = [name for name in names if stack > left[name]]
        if missed:
            beyond.append(f"{profile} ({', '.join(missed)})")
    header = [
        "| profile | the stack in-process µs | "
        + " | ".join(f"{name} >= {TARGET_RATIOS[name]:.2f}: adds / leaves µs" for name in names)
        + " | largest layers in-process, µs |",
        "|---|---:|" + "---:|" * len(names) + "---|",
    ]
    out_of_reach = "; ".join(beyond) or "none"
    return (
        "\n".join(
            [
                *header,
                *rows,
                "",
                "Targets whose allowance the stack, as served on the health probe, "
                f"exceeds: {out_of_reach}.",
            ]
        )
        + "\n"
    )


def _layer_rows(layers: Mapping[str, Any]) -> list[str]:
    """One profile's layers on the probe: CPU microseconds each, in-process."""
    return [
        f"CPU per `{layers['endpoint']}`, in-process (the least of {layers['rounds']} rounds "
        f"of {layers['requests']:,}): service {layers['service_us']:.0f} µs, baseline "
        f"{layers['baseline_us']:.0f} µs. Each layer of the service, passed through in "
        "turn:",
        "",
        "| layer | µs per request |",
        "|---|---:|",
        *(f"| `{layer['name']}` | {layer['us']:.1f} |" for layer in layers["layers"]),
        "",
    ]


def _create_rows(create: Mapping[str, Any]) -> list[str]:
    """One profile's create in-process: its CPU, and where that went by kind of code."""
    return [
        f"CPU per `{create['endpoint']}`, in-process (the least of {create['rounds']} "
        f"rounds of {create['requests']:,}): service {create['service_us']:.0f} µs, "
        f"baseline {create['baseline_us']:.0f} µs, service with all of its own middleware "
        f"passed through {create['without_own_middleware_us']:.0f} µs. Where each one's "
        f"time went, sampled ({create['samples']['service']:,} and "
        f"{create['samples']['baseline']:,} samples):",
        "",
        "| code | service µs | baseline µs |",
        "|---|---:|---:|",
        *(
            f"| {row['name']} | {row['service_us']:.0f} | {row['baseline_us']:.0f} |"
            for row in create["by_code"]
        ),
        "",
    ]


def create_table(by_profile: Mapping[str, Mapping[str, Any]]) -> str:
    """Per profile: a create's CPU in-process, and the code it spends beyond the baseline's.

    From ``scripts/bench_create.py``, where the results have it: the service's
    and the baseline's CPU per create, what all of the service's own middleware
    adds to it, and the kinds of code whose time grew most over the baseline's.
    """
    rows = [
        "| profile | service / baseline µs | own middleware µs "
        "| most beyond the baseline, by code, µs |",
        "|---|---:|---:|---|",
    ]
    for profile, results in by_profile.items():
        create = results.get("create")
        if create is None:
            rows.append(f"| {profile} | not measured | not measured | not measured |")
            continue
        middleware = create["service_us"] - create["without_own_middleware_us"]
        beyond = ", ".join(
            f"{row['name']} +{row['service_us'] - row['baseline_us']:.0f}"
            for row in create["by_code"][:CREATE_LARGEST]
            if row["service_us"] > row["baseline_us"]
        )
        rows.append(
            f"| {profile} | {create['service_us']:.0f} / {create['baseline_us']:.0f} "
            f"| {middleware:.0f} | {beyond} |"
        )
    return "\n".join(rows) + "\n"


def _detail_row(
    label: str, measured: Mapping[str, Any], baseline: Mapping[str, Any], errors: int
) -> str:
    """One endpoint's row: ``measured`` beside ``baseline``, with their ratio."""
    return (
        f"| {label} "
        f"| {measured['requests_per_second']:,.0f} "
        f"| {baseline['requests_per_second']:,.0f} "
        f"| {measured['requests_per_second'] / baseline['requests_per_second']:.2f} "
        f"| {measured['p50_ms']:.1f} / {measured['p99_ms']:.1f} "
        f"| {baseline['p50_ms']:.1f} / {baseline['p99_ms']:.1f} "
        f"| {errors} |"
    )


def _mib(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.0f} MiB"


def method_text(by_profile: Mapping[str, Mapping[str, Any]]) -> str:
    """Machine, load and versions, as recorded by the runs themselves."""
    first = next(iter(by_profile.values()))
    machine, load = first["machine"], first["load"]
    pinned = (
        "each server pinned to core 0 and wrk to core 1 (taskset)"
        if machine["pinned"]
        else "nothing pinned (no taskset or a single core)"
    )
    return (
        f"- Machine: {machine['processor']}, {machine['cores']} cores, "
        f"{machine['platform']}; {pinned}.\n"
        f"- Load: wrk, 1 thread, {load['connections']} connections, "
        f"{load['runs']} runs of {load['seconds']:g} s per endpoint and target (medians), "
        f"after a {load['warmup_seconds']:g} s warm-up; the service and its baseline "
        "take turns.\n"
        f"- Cold start: spawn to first 200; {_cold_start_method(load)}.\n"
        "- Versions: each profile's own lock file and Python (the stack column); the "
        "baseline runs in the same virtualenv.\n"
        f"{_template_text(by_profile)}"
    )


def _template_text(by_profile: Mapping[str, Mapping[str, Any]]) -> str:
    """Which keel commit the profiles were rendered from; results from before say nothing."""
    commits = sorted(
        {commit for results in by_profile.values() if (commit := results.get("template_commit"))}
    )
    if not commits:
        return ""
    return f"- Template: rendered from keel {', '.join(f'`{commit}`' for commit in commits)}.\n"


def _cold_start_method(load: Mapping[str, Any]) -> str:
    """How the cold starts were taken: results from before the median lack ``cold_starts``."""
    starts = load.get("cold_starts")
    if starts is None:
        return "one start of each target, the service first"
    return (
        f"the median of {starts} starts of the service and of its baseline, "
        "taking turns after one start of each that is not counted"
    )


def plot(by_profile: Mapping[str, Mapping[str, Any]], path: Path) -> None:
    """A PNG: per profile, each endpoint's req/s for the service and its baseline."""
    import matplotlib  # only `keel bench --write` draws

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    profiles = list(by_profile)
    figure, axes = plt.subplots(1, len(profiles), figsize=(3.2 * len(profiles), 3.6), squeeze=False)
    for axis, profile in zip(axes[0], profiles, strict=True):
        endpoints = by_profile[profile]["endpoints"]
        names = [endpoint["name"] for endpoint in endpoints]
        positions = range(len(names))
        baseline = [endpoint["baseline"]["requests_per_second"] for endpoint in endpoints]
        service = [endpoint["service"]["requests_per_second"] for endpoint in endpoints]
        axis.bar([x - 0.2 for x in positions], baseline, 0.4, label="bare", color="#b0b0b0")
        axis.bar([x + 0.2 for x in positions], service, 0.4, label="rendered", color="#2b6cb0")
        for x, (bare, rendered) in enumerate(zip(baseline, service, strict=True)):
            axis.annotate(
                f"{rendered / bare:.2f}", (x + 0.2, rendered), ha="center", va="bottom", fontsize=7
            )
        axis.set_xticks(list(positions), names, fontsize=8)
        axis.set_title(profile, fontsize=9)
        axis.tick_params(axis="y", labelsize=7)
    axes[0][0].set_ylabel("requests / s", fontsize=8)
    axes[0][0].legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)  # pyright: ignore[reportUnknownMemberType]
    plt.close(figure)


def write_results(by_profile: Mapping[str, Mapping[str, Any]], docs: Path) -> None:
    """Keep the raw results beside the page and draw the plot."""
    (docs / RESULTS_FILE).write_text(json.dumps(by_profile, indent=2) + "\n", encoding="utf-8")
    plot(by_profile, docs / PLOT_FILE)


def read_results(docs: Path) -> dict[str, Any]:
    """The results `keel bench --write` kept, for regenerating the page."""
    path = docs / RESULTS_FILE
    if not path.exists():
        msg = f"{path} does not exist: run `uv run keel bench --write` first"
        raise KeelError(msg)
    results: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return results


def page_sections(by_profile: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """The generated sections of docs/performance.md, by marker name."""
    return {
        "bench-method": method_text(by_profile),
        "bench-summary": summary_table(by_profile),
        "bench-details": detail_tables(by_profile),
        "bench-layers": layer_table(by_profile),
        "bench-create": create_table(by_profile),
    }


def profiles_or_all(chosen: Sequence[str], named: Sequence[str]) -> list[str]:
    """The profiles to bench: those chosen (checked), or every named one."""
    unknown = [profile for profile in chosen if profile not in named]
    if unknown:
        msg = f"unknown profile {', '.join(unknown)}: choose from {', '.join(named)}"
        raise KeelError(msg)
    return list(chosen or named)
