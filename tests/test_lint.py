"""The sweep's file checks find what the tools find, however the files are batched."""

from __future__ import annotations

from keel import lint
from keel.fastrender import digest
from keel.lint import FileRef

CONFIG = b"extends: default\nrules:\n  document-start: disable\n  line-length:\n    max: 120\n"


def _answers(index: int, *, name: str = "svc", debug: str = "false") -> bytes:
    lines = [
        "# Changes here will be overwritten by Copier; do NOT edit manually",
        f"cache: {('memory', 'redis', 'none')[index % 3]}",
        f"debug: {debug}",
        f"port: {8000 + index % 5}",
        f"project_name: {name}",
    ]
    return ("\n".join(lines) + "\n").encode()


def _lint_each(refs: list[FileRef], contents: dict[str, bytes]) -> lint.Findings:
    findings: lint.Findings = {}
    for ref in refs:
        findings |= lint.yamllint([ref], contents, {"c": CONFIG})
    return findings


def _refs(
    files: list[bytes], path: str = ".copier-answers.yml"
) -> tuple[list[FileRef], dict[str, bytes]]:
    contents = {digest(content): content for content in files}
    return [FileRef(path, key, "c") for key in contents], contents


def test_answers_files_are_linted_by_sample_and_a_bad_line_is_still_found() -> None:
    files = [_answers(index) for index in range(20)]
    files.append(_answers(7, name="x" * 130))  # longer than the config allows
    files.append(_answers(8, debug="yes"))  # yamllint's truthy rule
    refs, contents = _refs(files)

    findings = lint.yamllint(refs, contents, {"c": CONFIG})

    assert len(lint._holding_each_line_once(refs, contents)) < len(refs) / 2
    found = {
        contents[ref.digest]: [found.message for found in each] for ref, each in findings.items()
    }
    assert set(found) == {files[-2], files[-1]}
    assert "line too long" in found[files[-2]][0]
    assert "truthy value" in found[files[-1]][0]
    assert findings == _lint_each(refs, contents)


def test_yaml_that_is_not_a_flat_mapping_is_linted_whole() -> None:
    nested = b"jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:   [a]\n"
    multiline = b"# header\nsummary: 'first\n  second'\nother: yes\n"
    refs, contents = _refs([nested, multiline], path="ci.yml")

    findings = lint.yamllint(refs, contents, {"c": CONFIG})

    assert lint._flat_groups(refs, contents) == []
    assert findings == _lint_each(refs, contents)
    assert {contents[ref.digest] for ref in findings} == {nested, multiline}
