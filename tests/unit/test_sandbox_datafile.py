"""The ``--data`` file without a server: what a save writes, migration, leftovers, locking."""
from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import stat

import pytest

from atomx.sandbox import datafile
from atomx.sandbox.datafile import FILE_FORMAT, DataFile
from atomx.sandbox.seed import build_state
from atomx.sandbox.store import Store

USER = {'id': 1, 'name': 'Demo network user', 'email': 'demo@example.com'}


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / 'state.db')


@pytest.fixture
def store(path):
    opened = Store.open(path, build_state)
    yield opened
    opened.close()


def _reopened(path):
    store = Store.open(path, build_state)
    store.close()
    return store


def test_a_new_file_holds_the_seed_and_reads_back_equal(store, path):
    store.close()
    again = _reopened(path)
    seed = Store(build_state())
    assert again.records == seed.records and again.history == seed.history
    assert (again.credentials, again.reports, again.next_ids) == \
        (seed.credentials, seed.reports, seed.next_ids)


def test_a_save_writes_only_what_changed(store, path, monkeypatch):
    writes = []
    real = DataFile.write
    monkeypatch.setattr(DataFile, 'write', lambda self, items, entries: writes.append(
        (list(items), list(entries))) or real(self, items, entries))
    store.update('Advertiser', 42, {'name': 'Renamed'}, USER)
    store.save()
    (items, entries), = writes
    assert [(kind, key) for kind, key, _ in items] == [('records', 'Advertiser:42')]
    assert [(record, position) for record, position, _ in entries] == [('Advertiser:42', 1)]
    store.save()  # nothing changed since: nothing written
    assert writes[-1] == ([], [])


def test_every_kind_of_change_survives_a_reopen(store, path):
    site = store.insert('Site', {'name': 'kept', 'publisher_id': 1}, USER)
    store.remove('Domain', store.get('Site', 3)['domain_id'], USER)  # clears a reference
    store.set_password(1, {'salt': 's', 'hash': 'h'})
    store.keep_report({'id': 'r1', 'name': 'mine'})
    store.add_reset('hash-1', {'user_id': 1, 'expires_at': 1.0})
    store.add_reset('hash-2', {'user_id': 2, 'expires_at': 2.0})
    assert store.take_reset('hash-1') == {'user_id': 1, 'expires_at': 1.0}
    store.save()
    expected = (store.records, store.history, store.credentials, store.reports, store.resets,
                store.next_ids)
    store.close()
    again = _reopened(path)
    assert (again.records, again.history, again.credentials, again.reports, again.resets,
            again.next_ids) == expected
    assert again.get('Site', site['id'])['name'] == 'kept'
    assert again.get('Site', 3)['domain_id'] is None and set(again.resets) == {'hash-2'}
    again = Store.open(path, build_state)
    again.drop_report('r1')
    again.save()
    again.close()
    assert _reopened(path).reports == {}


def test_a_failed_write_keeps_nothing_of_it_on_disk_or_in_memory(store, path, monkeypatch):
    def broken(self, items, entries):
        raise sqlite3.OperationalError('disk I/O error')

    before = store.get('Advertiser', 42)['name']
    monkeypatch.setattr(DataFile, 'write', broken)
    site = store.insert('Site', {'name': 'lost', 'publisher_id': 1}, USER)
    store.update('Advertiser', 42, {'name': 'lost too'}, USER)
    with pytest.raises(sqlite3.OperationalError):
        store.save()
    assert store.get('Site', site['id']) is None  # memory was read back from the file
    assert store.get('Advertiser', 42)['name'] == before
    assert len(store.history_of('Advertiser', 42)) == 1


def test_the_listeners_still_hear_of_changes_after_a_failed_write(store, monkeypatch):
    heard = []
    store.listeners.append(lambda model, record_id, action, *rest: heard.append(action))

    def broken(self, items, entries):
        raise sqlite3.OperationalError('disk I/O error')

    with monkeypatch.context() as patched:
        patched.setattr(DataFile, 'write', broken)
        store.update('Advertiser', 42, {'name': 'lost'}, USER)
        with pytest.raises(sqlite3.OperationalError):
            store.save()  # memory is read back from the file
    store.update('Advertiser', 42, {'name': 'kept'}, USER)
    assert heard == ['update', 'update']  # the websocket still hears of REST changes


def test_a_value_json_cannot_hold_is_refused_and_not_written(store, path):
    before = store.get('Site', 1)['minimum_internal_bid']
    store.update('Site', 1, {'minimum_internal_bid': float('nan')}, USER)
    with pytest.raises(ValueError, match='Out of range float'):
        store.save()
    assert store.get('Site', 1)['minimum_internal_bid'] == before
    store.close()
    assert _reopened(path).get('Site', 1)['minimum_internal_bid'] == before


def test_a_json_data_file_of_the_earlier_sandbox_is_migrated(tmp_path):
    path = tmp_path / 'sandbox.json'
    state = build_state()
    state['records']['Advertiser'][0]['name'] = 'changed before the upgrade'
    state['reports'] = {'r1': {'id': 'r1', 'user_id': 1}}
    path.write_text(json.dumps(state))
    original = path.read_bytes()
    store = Store.open(str(path), build_state)
    store.close()
    assert path.read_bytes().startswith(b'SQLite format 3\x00')
    assert (tmp_path / 'sandbox.json.format1.json').read_bytes() == original
    again = _reopened(str(path))  # now a database: read as it is, not migrated again
    assert again.all('Advertiser')[0]['name'] == 'changed before the upgrade'
    assert again.reports == {'r1': {'id': 'r1', 'user_id': 1}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ['sandbox.json',
                                                          'sandbox.json.format1.json']


def test_leftovers_of_crashed_writes_are_removed_at_start(tmp_path):
    path = tmp_path / 'state.db'
    leftovers = ['.sandbox-k2j3h4_z.json', '.sandbox-0a1b2c3d.json', '.state.db.new',
                 '.state.db.new-journal']
    kept = ['notes.json', '.sandbox-notes.json', '.sandbox-k2j3h4_z.txt', '.other.db.new']
    for name in leftovers + kept:
        (tmp_path / name).write_text('x')
    _reopened(str(path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept + ['state.db'])


def test_an_empty_file_is_seeded(tmp_path):
    path = tmp_path / 'state.db'
    path.write_bytes(b'')
    assert _reopened(str(path)).get('Advertiser', 42)['name'] == 'Answer Media'


def test_another_database_is_not_taken_for_a_data_file(tmp_path):
    path = tmp_path / 'other.db'
    with contextlib.closing(sqlite3.connect(path)) as other:
        other.execute('CREATE TABLE t (x)')
        other.commit()
    with pytest.raises(ValueError, match='other.db is not a sandbox data file'):
        Store.open(str(path), build_state)
    with contextlib.closing(sqlite3.connect(path)) as other:
        other.executescript(';'.join(datafile._SCHEMA) + ";INSERT INTO meta VALUES "
                            "('format', '99')")
    with pytest.raises(ValueError, match=f'not a sandbox data file of format {FILE_FORMAT}'):
        Store.open(str(path), build_state)


def test_a_data_file_is_open_in_one_sandbox_at_a_time(store, path):
    with pytest.raises(OSError, match='state.db is in use by another sandbox'):
        Store.open(path, build_state)
    store.close()
    _reopened(path)  # free again once closed


def test_a_data_file_that_cannot_be_written_is_an_os_error_naming_it(tmp_path):
    path = tmp_path / 'missing-directory' / 'state.db'
    with pytest.raises(OSError, match='cannot write the data file .*state.db'):
        Store.open(str(path), build_state)


def test_a_data_file_named_like_an_old_temporary_file_is_not_removed(tmp_path):
    path = tmp_path / '.sandbox-abcd1234.json'
    store = Store.open(str(path), build_state)
    store.update('Advertiser', 42, {'name': 'kept'}, USER)
    store.save()
    store.close()
    assert _reopened(str(path)).get('Advertiser', 42)['name'] == 'kept'


def _modes(directory):
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in directory.iterdir()}


@pytest.fixture
def open_umask():
    """A umask that takes nothing away: only the code decides who may read."""
    before = os.umask(0)
    yield
    os.umask(before)


@pytest.mark.skipif(os.name == 'nt', reason='Windows file modes do not say who may read')
def test_a_new_data_file_and_its_log_are_readable_by_the_owner_alone(tmp_path, open_umask):
    store = Store.open(str(tmp_path / 'state.db'), build_state)
    try:
        store.set_password(1, {'salt': 's', 'hash': 'h'})
        store.save()
        modes = _modes(tmp_path)  # while open: the write-ahead log is there too
    finally:
        store.close()
    assert 'state.db-wal' in modes
    assert modes == dict.fromkeys(modes, 0o600)
    assert _modes(tmp_path) == {'state.db': 0o600}


@pytest.mark.skipif(os.name == 'nt', reason='Windows file modes do not say who may read')
def test_a_migrated_file_and_its_json_backup_are_readable_by_the_owner_alone(tmp_path,
                                                                             open_umask):
    path = tmp_path / 'sandbox.json'
    path.write_text(json.dumps(build_state()))
    path.chmod(0o644)
    _reopened(str(path))
    assert _modes(tmp_path) == {'sandbox.json': 0o600, 'sandbox.json.format1.json': 0o600}


@pytest.mark.skipif(os.name == 'nt', reason='Windows file modes do not say who may read')
def test_a_data_file_others_may_read_is_made_private_when_opened(tmp_path, open_umask):
    path = tmp_path / 'state.db'
    _reopened(str(path))
    path.chmod(0o664)  # as an earlier sandbox left it
    (tmp_path / 'state.db-wal').write_bytes(b'')
    (tmp_path / 'state.db-wal').chmod(0o644)
    store = Store.open(str(path), build_state)
    try:
        assert _modes(tmp_path) == {'state.db': 0o600, 'state.db-wal': 0o600}
    finally:
        store.close()


@pytest.mark.skipif(os.name == 'nt', reason='Windows file modes do not say who may read')
def test_a_readable_data_file_that_cannot_be_made_private_is_refused_saying_why(
        tmp_path, open_umask, monkeypatch):
    path = tmp_path / 'team.db'
    _reopened(str(path))
    path.chmod(0o666)  # another user's file, shared: we may write it, not chmod it

    def not_the_owner(name, mode):
        raise PermissionError(errno.EPERM, 'Operation not permitted', name)

    monkeypatch.setattr(datafile.os, 'chmod', not_the_owner)
    with pytest.raises(PermissionError) as refused:
        DataFile.open(str(path), build_state)
    said = str(refused.value)
    assert said == (f'{path} may be read by other users (mode 0666) and cannot be made '
                    f'private: Operation not permitted; it holds the users\' password '
                    f'hashes: have its owner run "chmod 600 {path}", or use a data file '
                    f'of your own')
    assert stat.S_IMODE(path.stat().st_mode) == 0o666
