"""Opening an input file to read it."""

from __future__ import annotations

import errno
import io
import os
import stat


def open_input(path: str | os.PathLike[str]) -> io.BufferedReader:
    """Open a file to read it, as ``open(path, "rb")`` does, but never wait: a named pipe put in
    a file's place during a run (opening one waits for a writer, for ever) is refused with the
    devices and sockets, as "not a regular file"; a folder, as "Is a directory"."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
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
