"""Reading YAML files safely and fast, and finding the line of any value when there is something to report.

Parsing uses ``yaml_rs`` (Rust; refuses duplicate keys, limits alias expansion, ignores Python tags). Line
numbers for valid values are only looked up when a finding needs one: the file is then composed once with
PyYAML (C loader when available) and the node tree is indexed by path.
"""

from __future__ import annotations

import os
import re
import stat
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
        st = os.stat(path)
        size = st.st_size
    except FileNotFoundError as exc:
        raise ReadFailed(Finding(code="INV-001", severity=Severity.ERROR, file=name,
                                 message="file not found",
                                 hint=f"create {name} or point --inventory at the folder that holds it")) from exc
    except OSError as exc:
        raise ReadFailed(Finding(code="INV-001", severity=Severity.ERROR, file=name,
                                 message=f"cannot read the file ({exc.strerror})",
                                 hint="check the path and its permissions")) from exc
    if not stat.S_ISREG(st.st_mode):
        # /dev/zero, a FIFO or a socket (perhaps behind a symbolic link) would be read forever
        raise ReadFailed(Finding(code="INV-008", severity=Severity.ERROR, file=name,
                                 message="not a regular file (a device, FIFO or socket)",
                                 hint="point it at a plain YAML file"))
    if size > max_bytes:
        raise ReadFailed(Finding(code="INV-006", severity=Severity.ERROR, file=name,
                                 message=f"file is {size / 1048576:.1f} MB, over the {max_bytes // 1048576} MB limit",
                                 hint="split the file or check that it is really an inventory file"))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)        # the file may have grown since stat: never read past the limit
    except OSError as exc:
        raise ReadFailed(Finding(code="INV-001", severity=Severity.ERROR, file=name,
                                 message=f"cannot read the file ({exc.strerror})",
                                 hint="check the path and its permissions")) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadFailed(Finding(code="INV-005", severity=Severity.ERROR, file=name, line=line,
                                 message=f"byte 0x{raw[exc.start]:02x} at line {line} is not UTF-8",
                                 hint="save the file as UTF-8 (for example: iconv -f WINDOWS-1258 -t UTF-8)")) from exc
    if len(raw) > max_bytes:
        raise ReadFailed(Finding(code="INV-006", severity=Severity.ERROR, file=name,
                                 message=f"file is over the {max_bytes // 1048576} MB limit",
                                 hint="split the file or check that it is really an inventory file"))
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or _only_comments(text):
        raise ReadFailed(Finding(code="INV-002", severity=Severity.ERROR, file=name,
                                 message="file is empty",
                                 hint="add its entries, write {} (or []) if it is meant to be empty, or delete it"))
    try:
        return yaml_rs.loads(text)
    except yaml_rs.YAMLDecodeError as exc:
        msg = str(exc)
        if "duplicate" in msg:
            dup = find_duplicate_key(text)
            dup_line, key = dup if dup else (None, None)
            raise ReadFailed(Finding(code="INV-004", severity=Severity.ERROR, file=name, line=dup_line,
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


#: The line boundaries of ``str.splitlines``.
_LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def _only_comments(text: str) -> bool:
    r"""True when every line is blank or a comment. Same answer as testing every line of
    ``text.splitlines()``, but stops at the first line with content instead of splitting a 7 MB file.

    Examples:
        >>> _only_comments("# a\n\n  # b\n"), _only_comments("# a\nx: 1\n"), _only_comments("# a\r\v y")
        (True, False, False)
    """
    pos, size = 0, len(text)
    while pos < size:
        m = _LINE_BREAK.search(text, pos)
        end = m.start() if m else size
        line = text[pos:end]
        if line.strip() and not line.lstrip().startswith("#"):
            return False
        if m is None:
            break
        pos = m.end()
    return True


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


#: A top-level mapping key written plainly at column 0 (what every inventory file uses).
_TOP_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.\-/]*):(?: |$)")


def _walk(node: yaml.Node | None, parts: PathKey, best: int | None, base: int = 0) -> int | None:
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(key.value) == str(part):
                    best = key.start_mark.line + 1 + base
                    node = value
                    break
            else:
                return best
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            best = node.start_mark.line + 1 + base
        else:
            return best
    return best


class Locator:
    """Finds the line of a value by its path (keys and list indexes) in one file.

    Speed: composing a whole large file (the national hosts.yaml is ~7 MB) to report a few findings costs
    seconds. When the caller passes ``top`` — the file's top-level keys as parsed (``list`` of ``str``) or,
    for a top-level list, its length — the top-level entries of a plain block-style file are indexed by a
    line scan, the index is accepted only if it finds exactly those entries (so a line inside a multi-line
    quoted value is never taken for an entry), and only the entry the path goes through is composed, its
    lines shifted to the file's. Otherwise the whole file is composed once, as before; both give the same line.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "sites.yaml"
        >>> _ = p.write_text("# sites\\na:\\n  name: A\\nb:\\n  name: B\\n  level: commune\\n", encoding="utf-8")
        >>> Locator(p, top=["a", "b"]).line(("b", "level")), Locator(p).line(("b", "level")), Locator(p).line(("c",))
        (6, 6, 2)
    """

    def __init__(self, path: Path, top: list[str] | int | None = None) -> None:
        self.path = path
        self._top = top
        self._root: yaml.Node | None = None
        self._loaded = False
        self._text: str | None = None
        self._index: dict[Any, tuple[int, int, int]] | None = None   # top-level key -> (line, start, end)
        self._indexed = False
        self._is_seq = False

    def _read(self) -> str | None:
        if self._text is None:
            try:
                self._text = self.path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return None
        return self._text

    def _build_index(self) -> None:
        self._indexed = True
        if self._top is None:
            return
        text = self._read()
        if text is None:
            return
        index: dict[Any, tuple[int, int, int]] = {}
        starts: list[tuple[Any, int, int]] = []
        kind: str | None = None
        offset = 0
        for lineno, ln in enumerate(text.split("\n")):
            here, offset = offset, offset + len(ln) + 1
            if not ln or ln[0] in " #\r":
                continue
            is_item = ln == "-" or ln.startswith(("- ", "-\r"))
            if kind is None:
                kind = "seq" if is_item else "map"
            if kind == "seq":
                if not is_item:
                    return
                starts.append((len(starts), lineno, here))
            elif not is_item:     # in a mapping, a '- ' line at column 0 is an indentless list: not a new entry
                m = _TOP_KEY.match(ln)
                if m is None:
                    return
                starts.append((m.group(1), lineno, here))
        if kind == "seq" and len(starts) != self._top or kind == "map" and [k for k, _, _ in starts] != self._top:
            return
        for i, (key, lineno, start) in enumerate(starts):
            end = starts[i + 1][2] if i + 1 < len(starts) else len(text)
            index.setdefault(key, (lineno, start, end))
        self._index = index
        self._is_seq = kind == "seq"

    def _fast(self, key_path: PathKey) -> int | None:
        if not self._indexed:
            self._build_index()
        if self._index is None or self._text is None:
            return None
        part = key_path[0]
        if self._is_seq and not isinstance(part, int):
            return None
        entry = self._index.get(part if self._is_seq else str(part))
        if entry is None:
            return None
        base, start, end = entry
        try:
            node = _compose(self._text[start:end])
        except yaml.YAMLError:
            return None
        if self._is_seq:
            if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
                return None
            node = node.value[0]
            best = node.start_mark.line + 1 + base
        else:
            if not isinstance(node, yaml.MappingNode) or len(node.value) != 1 \
                    or str(node.value[0][0].value) != str(part):
                return None
            key, node = node.value[0]
            best = key.start_mark.line + 1 + base
        return _walk(node, key_path[1:], best, base)

    def line(self, key_path: PathKey) -> int | None:
        if key_path and not self._loaded:
            found = self._fast(key_path)
            if found is not None:
                return found
        if not self._loaded:
            self._loaded = True
            text = self._read()
            try:
                self._root = _compose(text) if text is not None else None
            except yaml.YAMLError:
                self._root = None
        node = self._root
        best: int | None = node.start_mark.line + 1 if node is not None else None
        return _walk(node, key_path, best)
