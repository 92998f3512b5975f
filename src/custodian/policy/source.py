"""Reading a policy file: YAML to plain data, plus the line each value stands on, for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]
# libyaml's parser when PyYAML was built with it (the wheels are): ten times faster on a large policy.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PolicySyntaxError(ValueError):
    """The text is not valid YAML (or repeats a key); carries the line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class PolicySource:
    """The parsed data and, for every mapping key and list item, the 1-based line it starts on."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one (1 for the document)."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def read_policy_text(text: str) -> PolicySource:
    """Parse YAML safely; raise PolicySyntaxError with the line of the first problem."""
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()  # parsed once: the data is built from the same nodes
        data = None if node is None else loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PolicySyntaxError(mark.line + 1 if mark else 1, str(exc.problem or exc)) from exc
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is not None:
        _index(node, (), lines)
    return PolicySource(data=data, lines=lines)


def _index(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise PolicySyntaxError(key_node.start_mark.line + 1, f"key {key!r} appears twice")
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _index(value_node, (*path, key), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _index(item, (*path, index), lines)
