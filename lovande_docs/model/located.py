"""Safe YAML loading that remembers where every value stood, so errors can name line and column."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Located:
    """Plain Python data (dicts, lists, scalars) with the position of each value by path."""

    data: Any
    positions: dict[tuple, Position]
    duplicate_keys: list[tuple[tuple, str, Position]]

    def position(self, path: tuple) -> Position:
        """The position of the value at ``path``, or of its nearest ancestor that has one."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, Position(1, 1))


# libyaml's safe loader when PyYAML has it (nine times faster: every command loads the model); its
# nodes and marks are PyYAML's own
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_located(text: str) -> Located:
    """Compose the YAML with PyYAML's safe loader and convert it, keeping positions.

    Raises yaml.YAMLError for syntax errors (they carry their own mark).
    """
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        positions: dict[tuple, Position] = {}
        duplicates: list[tuple[tuple, str, Position]] = []
        data = _convert(loader, node, (), positions, duplicates) if node is not None else None
    finally:
        loader.dispose()
    return Located(data, positions, duplicates)


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


_PLAIN_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _convert(loader, node, path, positions, duplicates):
    positions[path] = _position(node)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_COLLECTION_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"tag {node.tag!r} is not allowed", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                duplicates.append((path, str(key), _position(key_node)))
                continue
            result[key] = _convert(loader, value_node, path + (key,), positions, duplicates)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, path + (index,), positions, duplicates)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def format_path(path: tuple) -> str:
    """``('categories', 0, 'elements', 3)`` → ``categories[0].elements[3]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(document)"
