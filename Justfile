# keel's own commands. `just` is a dev dependency: run them as `uv run just <recipe>`.

set shell := ["bash", "-euo", "pipefail", "-c"]

# List the recipes
default:
    @just --list

# Lint, then every test: unit, validators, and the default service's full own gate
test *args: lint
    uv run pytest {{ args }}

# Only the fast tests (no rendered project's own gate)
test-fast *args:
    uv run pytest -m "not full" {{ args }}

# Full own checks of every combination of the pairwise covering array (long)
test-matrix strength="2":
    for id in $(uv run keel matrix --strength {{ strength }} --format ids); do \
        rm -rf ".keel/matrix/$id" && uv run keel check "$id" --dest ".keel/matrix/$id" || exit 1; \
    done

# Lint and check formatting of keel's own code
lint:
    uv run ruff check .
    uv run ruff format --check .

# Fix lint findings and format keel's own code
fix:
    uv run ruff check --fix .
    uv run ruff format .

# Regenerate the doc sections that come from code (the question table)
docs:
    uv run keel questions --write docs/generate.md

# Render the default service into .keel/demo and run its own gate
demo:
    uv run keel demo
