# keel's own commands. `just` is a dev dependency: run them as `uv run just <recipe>`.

set shell := ["bash", "-euo", "pipefail", "-c"]

# List the recipes
default:
    @just --list

# Lint, then every test on every core: exactly what CI runs (.ci/run); prints the slowest
test *args: lint
    uv run pytest --durations=30 {{ args }}

# The tests that run no full gate and no sweep, in under 2 minutes. Four workers on
# two cores: these tests mostly wait (uv lock's index requests, git, copier).
test-fast *args:
    uv run pytest -m "not full" -n 4 {{ args }}

# Every named profile updated from an older keel with a team's edits, then gated (5 minutes)
test-update-matrix *args:
    uv run pytest -m update_matrix --durations=10 {{ args }}

# Full own checks of every combination of the pairwise covering array (long)
test-matrix strength="2":
    rm -rf .keel/matrix
    uv run keel check $(uv run keel matrix --strength {{ strength }} --format ids) --dest .keel/matrix

# Each profile's rendered service against its bare framework under wrk (docs/performance.md)
bench *args:
    uv run keel bench {{ args }}

# Render every valid combination and check each one statically
sweep *args:
    uv run keel sweep {{ args }}

# Lint and check formatting of keel's own code, and type-check it (pyright strict: src/, extensions/)
lint:
    uv run ruff check .
    uv run ruff format --check .
    uv run pyright

# Fix lint findings and format keel's own code
fix:
    uv run ruff check --fix .
    uv run ruff format .

# Regenerate the doc sections that come from code (tables of copier.yml and template/)
docs:
    uv run keel docs

# Render the default service into .keel/demo and run its own gate
demo:
    uv run keel demo
