"""Reading YAML files safely and fast, and finding the line of any value when there is something to report.

Parsing uses ``yaml_rs`` (Rust; refuses duplicate keys, limits alias expansion, ignores Python tags). Line
numbers for valid values are only looked up when a finding needs one: the file is then composed once with
PyYAML (C loader when available) and the node tree is indexed by path.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from nornir_tasks.errors import Finding, Severity

try:  # pragma: no cover - depends on how PyYAML was built
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

#: Largest inventory file we read (the national hosts.yaml is ~6 MB).
MAX_BYTES = 32 * 1024 * 1024

PathKey = tuple[Any, ...]


class ReadFailed(Exception):
    """Internal: the file could not be read; ``finding`` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def read_yaml(path: Path, *, label: str | None = None, max_bytes: int = MAX_BYTES) -> Any:
    """Read one YAML file or raise :class:`ReadFailed` with a finding that says what is wrong and how to fix it.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
        >>> _ = p.write_text("a: 1\\na: 2\\n")
        >>> try:
        ...     read_yaml(p, label="x.yaml")
        ... except ReadFailed as exc:
        ...     print(exc.finding.code, exc.finding.line)
        INV-004 2
    """
    name = label or str(path)
    try:
        size = os.path.getsize(path)
    except FileNotFoundError as exc:
        raise ReadFailed(Finding(code="INV-001", severity=Severity.ERROR, file=name,
                                 message="file not found",
                                 hint=f"create {name} or point --inventory at the folder that holds it")) from exc
    except OSError as exc:
        raise ReadFailed(Finding(code="INV-001", severity=Severity.ERROR, file=name,
                                 message=f"cannot read the file ({exc.strerror})",
                                 hint="check the path and its permissions")) from exc
    if size > max_bytes:
        raise ReadFailed(Finding(code="INV-006", severity=Severity.ERROR, file=name,
                                 message=f"file is {size / 1048576:.1f} MB, over the {max_bytes // 1048576} MB limit",
                                 hint="split the file or check that it is really an inventory file"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadFailed(Finding(code="INV-005", severity=Severity.ERROR, file=name, line=line,
                                 message=f"byte 0x{raw[exc.start]:02x} at line {line} is not UTF-8",
                                 hint="save the file as UTF-8 (for example: iconv -f WINDOWS-1258 -t UTF-8)")) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise ReadFailed(Finding(code="INV-002", severity=Severity.ERROR, file=name,
                                 message="file is empty",
                                 hint="add its entries, write {} (or []) if it is meant to be empty, or delete it"))
    try:
        return yaml_rs.loads(text)
    except yaml_rs.YAMLDecodeError as exc:
        msg = str(exc)
        if "duplicate" in msg:
            dup = find_duplicate_key(text)
            line, key = dup if dup else (None, None)
            raise ReadFailed(Finding(code="INV-004", severity=Severity.ERROR, file=name, line=line,
                                     message=f"key {key!r} appears twice in the same mapping" if key else msg,
                                     hint="YAML keeps only the last one silently: remove or rename one of them")) from exc
        m = re.search(r"line (\d+), column (\d+)", msg)
        first = msg.splitlines()[0]
        detail = msg.splitlines()[-1].strip() if len(msg.splitlines()) > 1 else first
        raise ReadFailed(Finding(code="INV-003", severity=Severity.ERROR, file=name,
                                 line=int(m.group(1)) if m else None,
                                 message=f"YAML syntax error: {detail}" + (f" (column {m.group(2)})" if m else ""),
                                 hint="fix the indentation or quoting near that line")) from exc
    except Exception as exc:  # yaml_rs raises a few other types for exotic input
        raise ReadFailed(Finding(code="INV-003", severity=Severity.ERROR, file=name,
                                 message=f"YAML could not be read: {exc}",
                                 hint="fix the YAML near the reported place")) from exc


def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=_Loader)


def find_duplicate_key(text: str) -> tuple[int, str] | None:
    """Line and key of the first duplicate key in any mapping of ``text``.

    Examples:
        >>> find_duplicate_key("a:\\n  x: 1\\n  y: 2\\n  x: 3\\n")
        (4, 'x')
    """
    try:
        root = _compose(text)
    except yaml.YAMLError:
        return None
    stack = [root] if root is not None else []
    found: list[tuple[int, str]] = []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                k = str(key.value)
                if k in seen:
                    found.append((key.start_mark.line + 1, k))
                seen.add(k)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return min(found) if found else None


class Locator:
    """Finds the line of a value by its path (keys and list indexes) in one file; composes lazily, once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._root: yaml.Node | None = None
        self._loaded = False

    def line(self, key_path: PathKey) -> int | None:
        if not self._loaded:
            self._loaded = True
            try:
                self._root = _compose(self.path.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                self._root = None
        node = self._root
        best: int | None = node.start_mark.line + 1 if node is not None else None
        for part in key_path:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if str(key.value) == str(part):
                        best = key.start_mark.line + 1
                        node = value
                        break
                else:
                    return best
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                best = node.start_mark.line + 1
            else:
                return best
        return best
