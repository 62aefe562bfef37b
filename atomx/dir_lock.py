"""One writer per directory: :func:`exclusive`, the lock of an export's dataset.

Two exports into one dataset at once would write the same temporary files and
save each other's manifest away.  The lock is an operating-system lock on a
hidden file in the directory (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on
Windows), so it is released when its process ends, even killed: a resumed
export never finds a stale lock.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import IO, Iterator

from .exceptions import AtomxError

#: The lock file's name (hidden: dataset readers skip it).
LOCK_FILE = '.atomx_export.lock'


class DirectoryBusyError(AtomxError, RuntimeError):
    """Another process (or another export of this one) is writing the directory."""


def _try_lock(handle: IO[bytes]) -> bool:
    """Take the lock of an open file without waiting; ``False`` when it is taken."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def exclusive(directory: Path, what: str) -> Iterator[None]:
    """Hold the directory's lock for the ``with`` block.

    :param directory: an existing directory.
    :param what: the writer, for the message (``'export_report'``).
    :raises DirectoryBusyError: another writer holds the lock; nothing waits.
    """
    with open(directory / LOCK_FILE, 'ab') as handle:
        if not _try_lock(handle):
            raise DirectoryBusyError(
                f'{directory} is being written by another {what} (it holds {LOCK_FILE}): '
                f'wait for it to finish, or write to another directory')
        yield  # closing the file releases the lock


__all__ = ['DirectoryBusyError', 'LOCK_FILE', 'exclusive']
