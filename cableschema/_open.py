"""Opening an input file to read it."""

from __future__ import annotations

import errno
import io
import os
import stat

#: Read only, and never wait on a named pipe put in a file's place (opening one waits for a writer).
_READ_NOT_WAITING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def open_input(path: str | os.PathLike[str]) -> io.BufferedReader:
    """Open a file to read it, as ``open(path, "rb")`` does, but never wait: a named pipe put in
    a file's place during a run (opening one waits for a writer, for ever) is refused with the
    devices and sockets, as "not a regular file"; a folder, as "Is a directory"."""
    descriptor = os.open(path, _READ_NOT_WAITING)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_small(path: str | os.PathLike[str], limit: int) -> bytes | None:
    """The whole of a regular file of at most ``limit`` bytes, read with one call, or None: the
    file is larger (or grew while it was read), is no regular file, or cannot be opened or read
    (:func:`open_input` then says why). Opening, checking and reading a file through a buffered
    file object took ten system calls and three objects; this takes four calls (open, fstat,
    read, close), which for the small files that most corpora are made of were a fifth of
    reading them."""
    try:
        descriptor = os.open(path, _READ_NOT_WAITING)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None
        # A regular file is never "not ready" (O_NONBLOCK, there for a pipe put in a file's
        # place, has no effect on it), and a read of one returns all it asks for up to the end:
        # a read of another length (the file grew or shrank since) is left to the other path.
        data = os.read(descriptor, status.st_size + 1)
        return data if len(data) == status.st_size else None
    except OSError:
        return None
    finally:
        os.close(descriptor)
