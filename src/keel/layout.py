"""How the template is laid out: every rendered file has a template file at its path.

``template/`` mirrors the service it renders. A file's path in the template is
the path it renders at, with conditions around folder and file names
(``{% if is_layered %}services{% endif %}/items.py.jinja`` renders
``services/items.py`` in a layered service, nothing otherwise). A body that
several layouts share is written once in ``includes/`` (outside the rendered
subdirectory), and the small file at each rendered path includes it.

docs/template-layout.md explains the scheme; its tables are generated here
(`include_table`, `module_table`, `jinja_share_markdown`) by ``keel docs``, and
keel's tests check the tree against them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from keel.space import TEMPLATE_ROOT, template_extension

TEMPLATE_DIR = TEMPLATE_ROOT / "template"
INCLUDES_DIR = TEMPLATE_ROOT / "includes"
# What a copy of the template needs, relative to its root (copier.yml's folder).
TEMPLATE_PARTS = ("copier.yml", "template", "includes", "extensions", "updates")
SUFFIX = ".jinja"

_CONDITION = re.compile(r"\{%-?\s*if\s.+?-?%\}(.*?)\{%-?\s*endif\s*-?%\}")
_EXPRESSION = re.compile(r"\{\{.*?\}\}")
# The only values a path may hold: the package's name and Copier's answers file.
PATH_NAMES = frozenset({"{{package_name}}", "{{_copier_conf.answers_file}}"})
_INCLUDE_ONLY = re.compile(r'\A\{%\s*include\s+"([^"]+)"\s*%\}\s*\Z')
_INCLUDE = re.compile(r'\{%-?\s*include\s+"([^"]+)"\s*-?%\}')
_JINJA_LINE = re.compile(r"\{[%{#]")
# An import of the service's own package: Jinja only in the module's path
# (``from {{ package_name }}.core.config import Settings``, ``from {{ module.cache }} import``).
_FIRST_PARTY_IMPORT = re.compile(r"\Afrom \{\{ [\w.]+ \}\}[\w.]* import [^{}]+\Z")
HEAVY = 0.35  # a templated file above this share of Jinja lines is hard to read as Python


def literal_path(template_path: str) -> str:
    """The path a template file renders at, read as a maintainer reads it.

    Conditions keep their content, the template suffix goes:
    ``{% if is_modular %}items{% endif %}/service.py.jinja`` -> ``items/service.py``.
    """
    return _CONDITION.sub(r"\1", template_path).removesuffix(SUFFIX)


def computed_names(template_path: str) -> list[str]:
    """The expressions in a template path other than the package and answers file names."""
    literal = _CONDITION.sub(r"\1", template_path)
    return [name for name in _EXPRESSION.findall(literal) if name not in PATH_NAMES]


def template_files(root: Path = TEMPLATE_DIR) -> Iterator[str]:
    """Every file of the rendered subdirectory, as a path relative to it."""
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path.relative_to(root).as_posix()


def included_body(path: Path) -> str | None:
    """The include a small placement file consists of, or None for a file with its own body."""
    if not path.name.endswith(SUFFIX):
        return None
    match = _INCLUDE_ONLY.match(path.read_text(encoding="utf-8"))
    return match[1] if match else None


def includes_of(path: Path) -> list[str]:
    """The templates a file includes, directly or through the ones it includes."""
    found: list[str] = []
    pending = [path]
    while pending:
        text = pending.pop().read_text(encoding="utf-8")
        for name in _INCLUDE.findall(text):
            if name not in found:
                found.append(name)
                pending.append(TEMPLATE_ROOT / name)
    return found


def shared_bodies(root: Path = TEMPLATE_DIR) -> dict[str, list[str]]:
    """Each template in includes/, and the rendered paths (literal) of the files that use it."""
    table: dict[str, list[str]] = {}
    for relative in template_files(root):
        if relative.endswith(SUFFIX):
            for body in includes_of(root / relative):
                table.setdefault(body, []).append(literal_path(relative))
    return dict(sorted(table.items()))


def include_table(root: Path = TEMPLATE_DIR) -> str:
    """The Markdown table of shared bodies for docs/template-layout.md."""
    lines = ["| shared text (in `includes/`) | used at (under `src/<package>/`) |", "|---|---|"]
    prefix = "src/{{package_name}}/"
    for body, paths in shared_bodies(root).items():
        where = ", ".join(f"`{path.removeprefix(prefix)}`" for path in sorted(set(paths)))
        lines.append(f"| `{body.removeprefix('includes/')}` | {where} |")
    return "\n".join(lines) + "\n"


def module_table() -> str:
    """The Markdown table of docs/template-layout.md: each moving module's path per layout.

    Read from the extension's ``MODULE_FILES``, which templates import by.
    """
    table: dict[str, dict[str, str]] = template_extension().MODULE_FILES
    layouts = list(table)
    lines = [
        "| role | " + " | ".join(f"`{layout}`" for layout in layouts) + " |",
        "|---|" + "---|" * len(layouts),
    ]
    for role in table[layouts[0]]:
        paths = [table[layout][role] for layout in layouts]
        cells = " | ".join(f"`{path}`" if path else "(none)" for path in paths)
        lines.append(f"| `{role}` | {cells} |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class JinjaShare:
    """How much of a templated Python source is Jinja, by lines.

    A line counts as Jinja when it holds a tag, an expression or a comment.
    ``import_lines`` counts those of them that are imports of the service's own
    package, whose only Jinja is the module's path.
    """

    path: str
    jinja_lines: int
    lines: int
    import_lines: int

    @property
    def share(self) -> float:
        return self.jinja_lines / self.lines if self.lines else 0.0

    @property
    def share_besides_imports(self) -> float:
        """The share of the Jinja lines that branch, include or fill in a value."""
        return (self.jinja_lines - self.import_lines) / self.lines if self.lines else 0.0


def jinja_shares(root: Path = TEMPLATE_DIR, includes: Path = INCLUDES_DIR) -> list[JinjaShare]:
    """Every templated Python source: the rendered subdirectory's and the shared bodies.

    A placement file that only includes a shared body is not a source of its
    own: its body is counted once, in includes/.
    """
    sources = [root / relative for relative in template_files(root)]
    sources += sorted(includes.rglob(f"*{SUFFIX}"))
    shares: list[JinjaShare] = []
    for path in sources:
        if not literal_path(path.name).endswith(".py") or not path.name.endswith(SUFFIX):
            continue
        if included_body(path) is not None:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        jinja = [line for line in lines if _JINJA_LINE.search(line)]
        imports = sum(1 for line in jinja if _FIRST_PARTY_IMPORT.match(line))
        relative = path.relative_to(TEMPLATE_ROOT).as_posix()
        shares.append(JinjaShare(relative, len(jinja), len(lines), imports))
    return shares


def jinja_share_markdown() -> str:
    """How much of the templated Python is Jinja, for docs/template-layout.md."""
    shares = jinja_shares()
    lines = sum(share.lines for share in shares)
    jinja = sum(share.jinja_lines for share in shares)
    heavy = sorted(shares, key=lambda share: (-share.share, share.path))
    above = [share for share in shares if share.share > HEAVY]
    branching = max(share.share_besides_imports for share in shares)
    rows = [
        f"{jinja:,} of {lines:,} lines ({jinja / lines:.1%}) of the {len(shares)} templated "
        f"Python sources hold Jinja; {len(above)} files are above {HEAVY:.0%}. Not counting "
        f"imports of the service's own package, no file is above {branching:.0%}. The heaviest:",
        "",
        "| file | Jinja lines | of them imports | lines | share | share besides imports |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rows += [
        f"| `{share.path}` | {share.jinja_lines} | {share.import_lines} | {share.lines} "
        f"| {share.share:.0%} | {share.share_besides_imports:.0%} |"
        for share in heavy[:10]
    ]
    return "\n".join(rows) + "\n"
