"""The ``--data`` file: the sandbox's state in SQLite, written one small transaction per change.

The file is an SQLite database (standard library :mod:`sqlite3`, format 2):
``items(kind, key, value)`` holds one JSON document per record (kind ``records``,
key ``Model:id``), credential, saved report, pending password reset and next id;
``history(record, position, entry)`` holds the change entries, which are only
ever appended.  Each :meth:`DataFile.write` is one transaction, committed in WAL
mode with ``synchronous=FULL`` (fsync) before the sandbox answers: an answered
write survives ``kill -9`` of the server (and a power cut), and a crash in the
middle of a write leaves the state before it.  A write costs what it changes,
not the size of the state; SQLite folds its log back into the file now and then
and when the sandbox stops.

A JSON data file of the earlier sandbox (format 1, rewritten whole on every
change) is migrated when opened: its content goes into a new database, which
replaces it, and the JSON is kept next to it as ``<file>.format1.json``.

The file holds the users' password hashes, so it is created readable by its owner
alone (mode 0600), and so is the JSON backup; SQLite gives its companions
(``-wal``, ``-shm``, ``-journal``) the file's mode.  A file of an earlier sandbox
that others may read is made private when opened.  (Windows: file modes do not
say who may read, and are left to the directory's permissions.)
"""
from __future__ import annotations

import contextlib
import glob
import json
import os
import sqlite3
import stat
from typing import Any, Callable, Dict, Iterable, Optional, Tuple

#: The layout of the state (``records``, ``history``, ...), also the old JSON file's format.
FORMAT_VERSION = 1
#: The format of the SQLite data file.
FILE_FORMAT = 2
#: The kinds of ``items``: the state's keys that hold one JSON document per key.
KINDS = ('records', 'credentials', 'reports', 'resets', 'next_ids')

_SQLITE_MAGIC = b'SQLite format 3\x00'
_SCHEMA = (
    'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
    'CREATE TABLE items (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, '
    'PRIMARY KEY (kind, key)) WITHOUT ROWID',
    'CREATE TABLE history (record TEXT NOT NULL, position INTEGER NOT NULL, '
    'entry TEXT NOT NULL, PRIMARY KEY (record, position)) WITHOUT ROWID',
)
#: The files SQLite keeps beside a database while it is open (or after a crash).
_COMPANIONS = ('-wal', '-shm', '-journal')
#: Temporary files of the JSON data files of earlier sandboxes, left behind by a crash
#: (:func:`tempfile.mkstemp` names: eight random letters, digits or underscores).
_LEGACY_LEFTOVERS = '.sandbox-' + '[a-z0-9_]' * 8 + '.json'

State = Dict[str, Any]
#: A change of ``items``: (kind, key, JSON-ready value, or ``None`` to delete it).
Item = Tuple[str, str, Optional[Any]]
#: An appended history entry: (record key ``Model:id``, position, entry).
Entry = Tuple[str, int, Dict[str, Any]]


def _dumps(value: Any) -> str:
    """Standard JSON only: a NaN or an infinity must never reach the file."""
    return json.dumps(value, allow_nan=False, separators=(',', ':'))


def record_key(model: str, record_id: int) -> str:
    """The key of a record (and of its history): ``Model:id``."""
    return f'{model}:{record_id}'


class DataFile:
    """An open data file; :meth:`open` gives it with the state it holds."""

    def __init__(self, path: str, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection

    @classmethod
    def open(cls, path: str, fresh: Callable[[], State]) -> Tuple[DataFile, State]:
        """Open (or create, or migrate) the data file at ``path``; answer it and its state.

        Leftovers of crashed writes are removed first.  A missing or empty file is
        created with ``fresh()``; a JSON file of format 1 is migrated.

        :param path: the data file.
        :param fresh: builds the state of a new file (the demo data).
        :returns: the open file and the state it holds.
        :raises ValueError: the file is neither a sandbox database nor a format 1 JSON file.
        :raises OSError: the file cannot be written, or another sandbox has it open.
        """
        _remove_leftovers(path)
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            _create(path, fresh())
        elif not _is_sqlite(path):
            _migrate(path)
        _make_private(path)
        connection = _connect(path)
        try:
            data = cls(path, connection)
            return data, data.read()
        except BaseException:
            connection.close()
            raise

    def read(self) -> State:
        """The state the file holds (as the sandbox's :class:`~.store.Store` takes it)."""
        state: State = {'format': FORMAT_VERSION, **{kind: {} for kind in KINDS},
                        'history': {}}
        rows = self._connection.execute('SELECT kind, key, value FROM items')
        for kind, key, value in rows:
            if kind in KINDS:
                state[kind][key] = json.loads(value)
        state['records'] = _records_by_model(state['records'])
        rows = self._connection.execute(
            'SELECT record, entry FROM history ORDER BY record, position')
        for record, entry in rows:
            state['history'].setdefault(record, []).append(json.loads(entry))
        return state

    def write(self, items: Iterable[Item], entries: Iterable[Entry]) -> None:
        """Apply the changes in one durable transaction: all of them or, on an error, none.

        :param items: the changed documents (a value of ``None`` deletes one).
        :param entries: the history entries to append.
        :raises ValueError: a value is not standard JSON (NaN, an infinity).
        :raises sqlite3.Error: the file cannot be written (nothing of the changes is).
        """
        replaced, deleted = [], []
        for kind, key, value in items:
            if value is None:
                deleted.append((kind, key))
            else:
                replaced.append((kind, key, _dumps(value)))
        appended = [(record, position, _dumps(entry)) for record, position, entry in entries]
        with self._connection:  # one transaction: committed, or rolled back on an error
            self._connection.executemany('DELETE FROM items WHERE kind = ? AND key = ?',
                                         deleted)
            self._connection.executemany('INSERT OR REPLACE INTO items VALUES (?, ?, ?)',
                                         replaced)
            self._connection.executemany('INSERT INTO history VALUES (?, ?, ?)', appended)

    def close(self) -> None:
        """Fold the log into the file and close it (and release it to other sandboxes)."""
        self._connection.close()


def _records_by_model(records: Dict[str, Any]) -> Dict[str, Any]:
    """``{"Model:id": record}`` as the state's ``{"Model": [records in id order]}``."""
    by_model: Dict[str, Dict[int, Any]] = {}
    for key, record in records.items():
        model, _, number = key.partition(':')
        by_model.setdefault(model, {})[int(number)] = record
    return {model: [table[number] for number in sorted(table)]
            for model, table in by_model.items()}


def _state_rows(state: State) -> Tuple[list, list]:
    """The ``items`` and ``history`` rows of a whole state (a new or a migrated file)."""
    items = [('records', record_key(model, int(record['id'])), _dumps(record))
             for model, records in state['records'].items() for record in records]
    for kind in KINDS[1:]:
        items += [(kind, str(key), _dumps(value)) for key, value in state.get(kind, {}).items()]
    history = [(record, position, _dumps(entry))
               for record, entries in state.get('history', {}).items()
               for position, entry in enumerate(entries)]
    return items, history


def _new_file_name(path: str) -> str:
    """Where a new database is built before it replaces ``path``: ``.<name>.new``."""
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f'.{name}.new')


def _remove_leftovers(path: str) -> None:
    """Delete what a crash may have left: a half-built database, old temporary JSON files."""
    directory = os.path.dirname(os.path.abspath(path))
    building = _new_file_name(path)
    leftovers = glob.glob(glob.escape(building) + '*')
    leftovers += glob.glob(os.path.join(glob.escape(directory), _LEGACY_LEFTOVERS))
    for leftover in leftovers:
        if os.path.abspath(leftover) == os.path.abspath(path):
            continue  # a data file that happens to have such a name
        with contextlib.suppress(FileNotFoundError):
            os.unlink(leftover)


def _create(path: str, state: State) -> None:
    """Write ``state`` as a new database, then put it at ``path`` in one rename."""
    building = _new_file_name(path)
    items, history = _state_rows(state)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(building)  # a leftover might have other permissions
        os.close(_open_private(building))  # SQLite takes an empty file for a new database
        connection = sqlite3.connect(building)
        try:
            with connection:
                for statement in _SCHEMA:
                    connection.execute(statement)
                connection.execute('INSERT INTO meta VALUES (?, ?)',
                                   ('format', str(FILE_FORMAT)))
                connection.executemany('INSERT INTO items VALUES (?, ?, ?)', items)
                connection.executemany('INSERT INTO history VALUES (?, ?, ?)', history)
        finally:
            connection.close()
    except (OSError, sqlite3.Error) as exc:
        raise OSError(f'cannot write the data file {path}: {exc}') from None
    with open(building, 'rb+') as handle:
        os.fsync(handle.fileno())
    os.replace(building, path)
    _sync_directory(path)


def _migrate(path: str) -> None:
    """Turn a format 1 JSON data file into a database, keeping the JSON as a backup."""
    with open(path, 'rb') as handle:
        try:
            state = json.loads(handle.read())
        except ValueError as exc:
            raise ValueError(f'{path} is not a sandbox data file: {exc}') from None
    if not isinstance(state, dict) or state.get('format') != FORMAT_VERSION:
        raise ValueError(f'{path} is not a sandbox data file (a database, or JSON of '
                         f'format {FORMAT_VERSION})')
    backup = f'{path}.format1.json'
    with os.fdopen(_open_private(backup, os.O_TRUNC), 'wb') as out, \
            open(path, 'rb') as source:
        out.write(source.read())
        out.flush()
        os.fsync(out.fileno())
    _create(path, state)  # the rename is the switch: before it, the JSON is still in place


def _open_private(path: str, flags: int = os.O_EXCL) -> int:
    """Create (or, with ``os.O_TRUNC``, empty) ``path`` for writing, readable by its owner
    alone: a descriptor.  An existing file keeps its owner but loses others' access.

    :raises OSError: it cannot be created (with ``os.O_EXCL``: it exists).
    """
    binary = getattr(os, 'O_BINARY', 0)  # Windows: no newline translation
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | binary | flags, 0o600)
    if os.name != 'nt':
        try:
            os.fchmod(descriptor, 0o600)
        except BaseException:
            os.close(descriptor)
            raise
    return descriptor


def _make_private(path: str) -> None:
    """Take others' access away from a data file (and its companions) of an earlier sandbox.

    Skipped on Windows, where modes do not say who may read.

    :raises PermissionError: such a file cannot be made private (another user's
        file, shared with us); the message says why it matters and what to do.
    """
    if os.name == 'nt':
        return
    for name in (path, *(path + suffix for suffix in _COMPANIONS)):
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(os.stat(name).st_mode)
            if mode & 0o077:
                try:
                    os.chmod(name, mode & 0o700)
                except PermissionError as error:
                    raise PermissionError(
                        f'{name} may be read by other users (mode {mode:04o}) and cannot be '
                        f'made private: {error.strerror}; it holds the users\' password '
                        f'hashes: have its owner run "chmod 600 {name}", or use a data file '
                        f'of your own') from None


def _sync_directory(path: str) -> None:
    """Make a rename in ``path``'s directory durable (where the system allows it)."""
    with contextlib.suppress(OSError):  # e.g. Windows cannot open a directory
        descriptor = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _is_sqlite(path: str) -> bool:
    with open(path, 'rb') as handle:
        return handle.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def _connect(path: str) -> sqlite3.Connection:
    """Open the database for this sandbox alone: WAL, fsync on commit, an exclusive lock."""
    connection = sqlite3.connect(path, timeout=0.2, check_same_thread=False,
                                 isolation_level='DEFERRED')
    try:
        connection.execute('PRAGMA locking_mode = EXCLUSIVE')
        connection.execute('PRAGMA journal_mode = WAL')
        connection.execute('PRAGMA synchronous = FULL')
        with connection:  # the first write takes the lock, held until close
            found = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            connection.execute("UPDATE meta SET value = value WHERE key = 'format'")
    except sqlite3.OperationalError as exc:
        connection.close()
        if 'locked' in str(exc):
            raise OSError(f'{path} is in use by another sandbox (or program)') from None
        raise ValueError(f'{path} is not a sandbox data file: {exc}') from None
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise ValueError(f'{path} is not a sandbox data file: {exc}') from None
    if found is None or found[0] != str(FILE_FORMAT):
        connection.close()
        raise ValueError(f'{path} is not a sandbox data file of format {FILE_FORMAT}')
    return connection
