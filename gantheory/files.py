"""Files the toolkit writes (figures, notes, reports, training histories), written atomically.

Every writer goes through :func:`atomic_write`: the bytes go to a temporary file in the target's
folder, which is then moved into place with :func:`os.replace`. A reader, or a run interrupted
half-way, never sees a truncated file, and an existing file is replaced only by a complete one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write", "write_text"]


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(stream)`` on a temporary file next to ``path``, then move it onto ``path``.

    Parameters
    ----------
    path : path-like
        The file to create or replace; its folder must exist.
    write : callable
        Receives a binary stream open for writing.

    Returns
    -------
    Path
        ``path``, readable by everyone (mode 0644), like a file written with ``open``.

    Raises
    ------
    OSError
        If the folder does not exist or cannot be written; no temporary file is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", lambda stream: stream.write(b"done")).read_text()
    'done'
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())  # the bytes are on disk before the name points at them
        os.chmod(temporary, 0o644)  # mkstemp makes owner-only files
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise
    return target


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda stream: stream.write(text.encode("utf-8")))
