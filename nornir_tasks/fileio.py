"""Writing stage outputs at fixed paths: atomically (temp file + rename) and only when the content changed.

State (backups, the store, host keys) is private: :func:`private_dir` makes its folders 0700 and state files are
written with ``mode=0o600``; reports and built configs are written 0644 (people read them; they hold no secret).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def private_dir(path: str | Path) -> Path:
    """Create ``path`` (and missing parents) with mode 0700, and tighten it to 0700 when it already exists.

    Examples:
        >>> import tempfile, pathlib, stat
        >>> p = private_dir(pathlib.Path(tempfile.mkdtemp()) / "state" / "backups")
        >>> oct(stat.S_IMODE(p.stat().st_mode)), oct(stat.S_IMODE(p.parent.stat().st_mode))
        ('0o700', '0o700')
    """
    path = Path(path)
    missing = []
    for p in (path, *path.parents):
        if p.exists():
            break
        missing.append(p)
    for p in reversed(missing):
        try:
            p.mkdir(mode=0o700)
        except FileExistsError:
            pass
    if stat.S_IMODE(path.stat().st_mode) != 0o700:
        os.chmod(path, 0o700)
    return path


def write_if_changed(path: str | Path, text: str | bytes, mode: int = 0o644) -> bool:
    """Write ``text`` (str as UTF-8, or bytes) to ``path`` atomically; return True when the file changed.

    An unchanged file still gets ``mode`` (so state written by an older version is tightened).

    Examples:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "r1.cfg"
        >>> write_if_changed(p, "hostname r1\\n"), write_if_changed(p, "hostname r1\\n")
        (True, False)
        >>> _ = write_if_changed(p, "hostname r1\\n", mode=0o600); oct(p.stat().st_mode & 0o777)
        '0o600'
    """
    path = Path(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        st = path.stat()
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data) and path.read_bytes() == data:
            if stat.S_IMODE(st.st_mode) != mode:
                os.chmod(path, mode)
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
