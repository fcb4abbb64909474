"""Writing stage outputs at fixed paths: atomically (temp file + rename) and only when the content changed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_if_changed(path: str | Path, text: str | bytes, mode: int = 0o644) -> bool:
    """Write ``text`` (str as UTF-8, or bytes) to ``path`` atomically; return True when the file changed.

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "r1.cfg"
        >>> write_if_changed(p, "hostname r1\\n"), write_if_changed(p, "hostname r1\\n")
        (True, False)
    """
    path = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)   # mkstemp creates 0600; outputs are meant to be read (a served report, a config)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True
