"""Files the toolkit writes (figures, notes, reports, training histories), written atomically.

Every writer goes through :func:`atomic_write`: the bytes go to a temporary file in the target's
folder, which is then moved into place with :func:`os.replace`. A reader, or a run interrupted
half-way, never sees a truncated file, and an existing file is replaced only by a complete one.

Only a regular file or a new name is ever replaced. A rename goes onto whatever is at the path, so
writing "atomically" to a device, a named pipe or a socket would silently swap it for a regular
file; :func:`check_target` refuses those (and folders) first. A symbolic link is followed, so the
file it points to is the one replaced and the link stays in place.

:func:`check_writable` asks, before any work starts, whether a write will succeed: the target is
acceptable and its folder accepts a new file. :func:`staged` holds back the renames of every file
written inside it and makes them together when the block ends, so that an interrupted command
leaves either all of its files or none. Error messages name the target, never the temporary file.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write", "check_target", "check_writable", "staged", "write_text"]

# The kinds of file that a rename must not replace, as ``stat`` reports them.
_SPECIAL = {
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}

# The renames held back by an enclosing ``staged()`` block: a list of (temporary, target) pairs.
_STAGE: contextvars.ContextVar[list[tuple[str, Path]] | None] = contextvars.ContextVar(
    "gantheory_files_stage", default=None
)


def _error(code: int, reason: str, path: str | os.PathLike) -> OSError:
    """An OSError (of the subclass ``code`` selects) whose ``filename`` is the user's ``path``."""
    return OSError(code, reason, os.fspath(path))


def check_target(path: str | os.PathLike) -> Path:
    """The file that writing ``path`` will create or replace, after checking that it may.

    Parameters
    ----------
    path : path-like
        The file to write. A symbolic link is followed (the file it points to is written).

    Returns
    -------
    Path
        ``path`` with symbolic links resolved: a regular file or a name that does not exist yet.

    Raises
    ------
    IsADirectoryError
        If ``path`` is empty or is (or points to) a folder.
    shutil.SpecialFileError
        If ``path`` is (or points to) a device, a named pipe or a socket, which a rename would
        replace by a regular file. Its ``filename`` is ``path``.
    OSError
        If ``path`` cannot be examined (a symbolic-link loop, a component that is not a folder).

    Examples
    --------
    >>> check_target("/dev/null")
    Traceback (most recent call last):
    ...
    shutil.SpecialFileError: [Errno 22] not a regular file: it is a character device: '/dev/null'
    """
    text = os.fspath(path)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if text == "":
        raise _error(errno.ENOENT, "the file name is empty", text)
    if text.endswith(os.sep):
        raise _error(errno.EISDIR, "not a file name: it ends with a slash", text)
    target = Path(os.path.realpath(text))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target  # a new name (or a dangling link, which open() would also create)
    except NotADirectoryError:
        blocker = next(p for p in target.parents if os.path.lexists(p) and not p.is_dir())
        raise _error(errno.ENOTDIR, f"{blocker} is a file, not a folder", text) from None
    except OSError as error:
        raise _error(error.errno or errno.EINVAL, error.strerror or str(error), text) from None
    kind = _SPECIAL.get(stat.S_IFMT(mode))
    if kind is not None or not stat.S_ISREG(mode):
        kind = kind or "not a regular file"
        link = f" (through the symbolic link to {target})" if os.path.islink(text) else ""
        if stat.S_ISDIR(mode):
            raise _error(errno.EISDIR, f"it is a folder{link}", text)
        raise shutil.SpecialFileError(errno.EINVAL, f"not a regular file: it is {kind}{link}", text)
    return target


def check_writable(path: str | os.PathLike, *, make_folders: bool = False) -> Path:
    """Check, before any work, that :func:`atomic_write` can write ``path``; return the target.

    The target must pass :func:`check_target` (which also sees a name too long for the file
    system), and its folder must accept a new file: a temporary file is created there and removed at once, which is the
    only test that sees a read-only mount, ``/proc``, or an access-control list.

    Parameters
    ----------
    path : path-like
    make_folders : bool
        Accept a folder that does not exist yet if it can be created: its nearest existing
        ancestor must be a folder that accepts a new folder (one is created there and removed).

    Returns
    -------
    Path
        As :func:`check_target`.

    Raises
    ------
    OSError
        Saying why the file could not be written; ``filename`` is ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> check_writable(folder / "new" / "a.txt", make_folders=True) == folder / "new" / "a.txt"
    True
    >>> check_writable(folder / "new" / "a.txt")
    Traceback (most recent call last):
    ...
    FileNotFoundError: [Errno 2] the folder does not exist: '.../new/a.txt'
    """
    target = check_target(path)
    folder = target.parent
    existing = folder
    while not os.path.lexists(existing) and existing != existing.parent:
        existing = existing.parent
    if existing != folder and not make_folders:
        raise _error(errno.ENOENT, "the folder does not exist", path)
    if not existing.is_dir():
        raise _error(errno.ENOTDIR, f"{existing} is a file, not a folder", path)
    try:
        with _interrupts_deferred():
            if existing == folder:
                handle, probe = tempfile.mkstemp(prefix=".gantheory-probe.", dir=folder)
                os.close(handle)
                os.unlink(probe)
            else:
                os.rmdir(tempfile.mkdtemp(prefix=".gantheory-probe.", dir=existing))
    except OSError as error:
        where = "the folder" if existing == folder else f"{existing}, where its folder would be created,"
        reason = f"{where} does not accept new files ({error.strerror or error})"
        raise _error(error.errno or errno.EACCES, reason, path) from None
    return target


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) for the length of the block, then raise it.

    Used around the few system calls that must not be cut in two (creating a temporary file and
    recording its name, a rename and its bookkeeping), so that an interrupt never leaves a stray
    temporary file. Only in the main thread and under Python's default handler; elsewhere the
    block runs as is.
    """
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


def _discard(temporary: str) -> None:
    with _interrupts_deferred(), contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)


def atomic_write(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(stream)`` on a temporary file next to ``path``, then move it onto ``path``.

    Parameters
    ----------
    path : path-like
        The file to create or replace: a regular file or a new name (see :func:`check_target`);
        its folder must exist. A symbolic link is followed.
    write : callable
        Receives a binary stream open for writing.

    Returns
    -------
    Path
        ``path``, readable by everyone (mode 0644), like a file written with ``open``. Inside a
        :func:`staged` block the file appears only when the block ends.

    Raises
    ------
    OSError
        If the target is a folder or a special file, or the folder does not exist or cannot be
        written; the error's ``filename`` is ``path``, and no temporary file is left behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> atomic_write(folder / "a.txt", lambda stream: stream.write(b"done")).read_text()
    'done'
    """
    target = check_target(path)
    # A temporary name at most as long as a legal target name plus 14 bytes would overflow
    # NAME_MAX for a long target name; keep its prefix short.
    prefix = f".{target.name[:64]}."
    temporary = None
    try:
        with _interrupts_deferred():
            handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())  # the bytes are on disk before the name points at them
        os.chmod(temporary, 0o644)  # mkstemp makes owner-only files
        stage = _STAGE.get()
        if stage is not None:
            with _interrupts_deferred():
                stage.append((temporary, target))
                temporary = None
        else:
            _commit(temporary, target)
            temporary = None
    except OSError as error:
        if temporary is not None:
            _discard(temporary)
        named = error.filename is not None and os.path.basename(os.fsdecode(error.filename))
        if named and named.startswith(prefix) and error.errno:  # name the target, not the temporary
            raise _error(error.errno, error.strerror or str(error), path) from None
        raise
    except BaseException:
        if temporary is not None:
            _discard(temporary)
        raise
    return Path(path)


def _commit(temporary: str, target: Path) -> None:
    """Move ``temporary`` onto ``target`` after checking the target once more (it may have changed)."""
    with _interrupts_deferred():
        try:
            check_target(target)
            os.replace(temporary, target)
        except BaseException:
            _discard(temporary)
            raise


@contextlib.contextmanager
def staged() -> Iterator[None]:
    """Write every file of the block together: all of them when it ends, none if it fails.

    Inside the block :func:`atomic_write` writes each file to its temporary name and holds the
    rename back; when the block ends normally, the files are moved into place one after the
    other with Ctrl-C held back, and if it raises (an error, a ``KeyboardInterrupt``) the
    temporary files are removed and no target is touched. Code in the block cannot read back a
    file it has just written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> try:
    ...     with staged():
    ...         _ = write_text(folder / "history.txt", "1 2 3")
    ...         raise KeyboardInterrupt  # before the figure is written
    ... except KeyboardInterrupt:
    ...     pass
    >>> sorted(folder.iterdir())
    []
    """
    pending: list[tuple[str, Path]] = []
    token = _STAGE.set(pending)
    try:
        yield
    except BaseException:
        _STAGE.reset(token)
        for temporary, _ in pending:
            _discard(temporary)
        raise
    _STAGE.reset(token)
    with _interrupts_deferred():
        for i, (temporary, target) in enumerate(pending):
            try:
                _commit(temporary, target)
            except BaseException:
                for rest, _ in pending[i + 1:]:
                    _discard(rest)
                raise


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda stream: stream.write(text.encode("utf-8")))
