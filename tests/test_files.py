"""Atomic writes: only onto a regular file or a new name, errors that name the target, all or none."""

import errno
import os
import shutil
import signal
import stat
import threading
from pathlib import Path

import pytest

from gantheory import files


def leftovers(folder: Path) -> list[str]:
    """Temporary or probe files that a write left behind in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp") or "gantheory-probe" in p.name)


# --- examples -----------------------------------------------------------------------------------

def test_a_new_file_and_a_replaced_file(tmp_path):
    target = tmp_path / "a.txt"
    assert files.write_text(target, "one") == target
    assert target.read_text() == "one" and stat.S_IMODE(target.stat().st_mode) == 0o644
    files.write_text(str(target), "two")
    assert target.read_text() == "two" and leftovers(tmp_path) == []


def test_a_symbolic_link_is_followed_and_kept(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    files.write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "created.txt")  # as open() would, the write creates the file
    files.write_text(dangling, "made")
    assert dangling.is_symlink() and (tmp_path / "created.txt").read_text() == "made"


def test_a_long_name_is_not_lengthened_past_the_limit_by_the_temporary_name(tmp_path):
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    target = tmp_path / ("x" * limit)
    files.write_text(target, "fits")  # the temporary name would be limit + 14 bytes if copied whole
    assert target.read_text() == "fits"
    for too_long in (tmp_path / ("x" * (limit + 1)), tmp_path / ("y" * (limit + 1)) / "a.txt"):
        with pytest.raises(OSError) as info:
            files.check_writable(too_long, make_folders=True)
        assert info.value.errno == errno.ENAMETOOLONG and info.value.filename == str(too_long)


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "link to fifo", "link to device"])
def test_special_targets_are_refused_and_left_as_they_were(tmp_path, kind):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = {
        "fifo": fifo,
        "device": Path("/dev/null"),
        "folder": tmp_path,
        "link to fifo": tmp_path / "to-pipe",
        "link to device": tmp_path / "to-null",
    }[kind]
    if kind.startswith("link"):
        target.symlink_to(fifo if kind.endswith("fifo") else "/dev/null")
    before = os.stat(target).st_mode
    written = []
    with pytest.raises(OSError) as info:
        files.atomic_write(target, written.append)
    error = info.value
    assert written == []  # refused before any byte is produced
    assert error.filename == str(target) and ".tmp" not in str(error)
    if kind == "folder":
        assert isinstance(error, IsADirectoryError) and error.strerror == "it is a folder"
    else:
        assert isinstance(error, shutil.SpecialFileError)
        what = "a named pipe (FIFO)" if "fifo" in kind else "a character device"
        assert error.strerror.startswith(f"not a regular file: it is {what}")
        assert ("through the symbolic link" in error.strerror) == kind.startswith("link")
    assert os.stat(target).st_mode == before and leftovers(tmp_path) == []


def test_errors_name_the_target_not_the_temporary_file(tmp_path):
    missing = tmp_path / "missing" / "a.txt"
    with pytest.raises(FileNotFoundError) as info:
        files.write_text(missing, "x")
    assert info.value.filename == str(missing)
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(NotADirectoryError, match=f"{blocker} is a file, not a folder"):
        files.write_text(blocker / "a.txt", "x")
    with pytest.raises(FileNotFoundError, match="the file name is empty"):
        files.write_text("", "x")
    with pytest.raises(IsADirectoryError, match="ends with a slash"):
        files.write_text(f"{tmp_path}/new/", "x")


def test_an_error_or_interrupt_while_writing_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old")
    for exception in (ValueError("bad data"), KeyboardInterrupt()):
        def write(stream, exception=exception):
            stream.write(b"half")
            raise exception

        with pytest.raises(type(exception)):
            files.atomic_write(target, write)
        assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_check_writable_looks_before_any_work(tmp_path):
    assert files.check_writable(tmp_path / "a.txt") == tmp_path / "a.txt"
    assert files.check_writable(tmp_path / "x" / "y" / "a.txt", make_folders=True) == tmp_path / "x" / "y" / "a.txt"
    assert not (tmp_path / "x").exists() and leftovers(tmp_path) == []  # nothing is created
    with pytest.raises(FileNotFoundError, match="the folder does not exist"):
        files.check_writable(tmp_path / "x" / "a.txt")
    # /proc accepts no new file although root may "write" there: only an actual probe sees it.
    if os.path.isdir("/proc/self"):
        with pytest.raises(OSError, match="does not accept new files") as info:
            files.check_writable("/proc/x.npz")
        assert info.value.filename == "/proc/x.npz"


# --- staged: several files together ---------------------------------------------------------------

def test_staged_writes_all_files_when_the_block_ends(tmp_path):
    with files.staged():
        files.write_text(tmp_path / "a.txt", "a")
        files.write_text(tmp_path / "b.txt", "b")
        assert not (tmp_path / "a.txt").exists()  # held back until the block ends
    assert (tmp_path / "a.txt").read_text() == "a" and (tmp_path / "b.txt").read_text() == "b"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("exception", [RuntimeError("figure failed"), KeyboardInterrupt()])
def test_staged_writes_none_if_the_block_fails(tmp_path, exception):
    (tmp_path / "a.txt").write_text("old")
    with pytest.raises(type(exception)), files.staged():
        files.write_text(tmp_path / "a.txt", "new")
        files.write_text(tmp_path / "b.txt", "b")
        raise exception
    assert (tmp_path / "a.txt").read_text() == "old" and not (tmp_path / "b.txt").exists()
    assert leftovers(tmp_path) == []


def test_staged_is_per_thread(tmp_path):
    # A thread started inside the block writes at once: staging follows the context, not the process.
    with files.staged():
        worker = threading.Thread(target=files.write_text, args=(tmp_path / "t.txt", "t"))
        worker.start()
        worker.join()
        assert (tmp_path / "t.txt").read_text() == "t"


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(),
                    reason="signal handlers can only be set from the main thread")
def test_ctrl_c_during_the_rename_is_held_back_until_the_file_is_in_place(tmp_path, monkeypatch):
    # SIGINT arrives between the temporary file and the rename: the rename still happens, then
    # KeyboardInterrupt is raised; no temporary file is left and the target is complete.
    real_replace = os.replace

    def replace_after_sigint(src, dst):
        os.kill(os.getpid(), signal.SIGINT)
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", replace_after_sigint)
    target = tmp_path / "a.txt"
    with pytest.raises(KeyboardInterrupt):
        files.write_text(target, "complete")
    assert target.read_text() == "complete" and leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
