"""Writing files atomically: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

__all__ = ["atomic_output", "write_atomic"]


@contextmanager
def atomic_output(path: str, encoding: str = "utf-8", newline: str | None = "") -> Iterator[IO[str]]:
    """A text file that replaces ``path`` only when the block ends without error, so
    readers see either the old file or the whole new one, never a half-written one.
    ``newline=""`` writes line ends exactly as given."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private; the result should have the usual mode.
        if os.path.exists(path):
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        else:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_atomic(path: str, text: str, encoding: str = "utf-8", newline: str | None = "") -> None:
    with atomic_output(path, encoding, newline) as f:
        f.write(text)
