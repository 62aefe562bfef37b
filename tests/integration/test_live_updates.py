"""Live updates over real sockets: Atomx.subscribe against the sandbox's websocket.

``api`` (plain requests, conftest) is the second session that changes things.
"""
from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any, Iterator, List

import pytest

from atomx import Atomx
from atomx.exceptions import APIConnectionError, AtomxError, SubscriptionError
from atomx.live import Event, Subscription
from atomx.models import Advertiser, Campaign
from atomx.sandbox import Sandbox

pytestmark = pytest.mark.integration

INTERVAL = 0.05  # seconds between stats ticks: quick tests


@pytest.fixture
def sandbox(live_sandbox: Sandbox) -> Sandbox:
    return live_sandbox


@pytest.fixture
def atomx(sandbox: Sandbox) -> Iterator[Atomx]:
    with Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url, timeout=5) as session:
        yield session


def first(feed: Subscription, kind: str, timeout: float = 3.0) -> Event:
    """The first event of ``kind``; the others are skipped."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = feed.next_event(timeout=max(0.01, deadline - time.monotonic()))
        if event is not None and event.kind == kind:
            return event
    raise AssertionError(f'no {kind} event within {timeout}s')


def test_an_update_by_another_session_arrives_with_the_changed_values(atomx, api):
    with atomx.subscribe(Advertiser(42), 'campaign:1') as feed:
        assert feed.channels == {'advertiser:42', 'campaign:1'}
        assert api.put('advertiser/42', json={'name': 'Renamed live'}).status_code == 200
        event = first(feed, 'update')
    assert (event.channel, event.data['changes'], event.data['id']) == \
        ('advertiser:42', {'name': 'Renamed live'}, 42)
    assert event.data['action'] == 'update' and event.data['user'] == {'id': 1}
    assert isinstance(event.model, Advertiser) and event.model.session is atomx
    assert event.model.id == 42 and event.model.name == 'Renamed live'
    assert event.model.json == {'id': 42, 'name': 'Renamed live'}  # nothing else loaded
    assert event.model.budget == atomx.get('advertiser/42').budget  # the rest lazy-loads


def test_a_delete_arrives_as_a_delete_event(atomx, api):
    with atomx.subscribe((Campaign, 1)) as feed:
        assert api.delete('campaign/1').status_code == 200
        event = first(feed, 'delete')
    assert (event.channel, event.model, event.data['action']) == \
        ('campaign:1', Campaign(1), 'delete')


def test_stats_ticks_match_the_quickstats_and_stop_after_unsubscribe(atomx, sandbox):
    with atomx.subscribe('campaign:1', stats=True) as feed:
        assert feed.channels == {'campaign:1', 'stats:campaign:1'}
        ticks = [first(feed, 'stats') for _ in range(3)]
        feed.unsubscribe('stats:campaign:1')
        assert feed.channels == {'campaign:1'}
        while feed.next_event(timeout=0) is not None:  # ticks sent before the answer
            pass
        assert feed.next_event(timeout=6 * INTERVAL) is None
    lifetime = atomx.get('campaign/1/quickstats')['lifetime']
    for tick in ticks:
        assert tick.channel == 'stats:campaign:1' and tick.model == Campaign(1)
        assert tick.data['lifetime'] == {**lifetime, 'spent': lifetime['revenue']}


def test_a_refused_channel_raises_subscription_error_with_the_reason(atomx, sandbox):
    with pytest.raises(SubscriptionError, match=r'advertiser:999999: advertiser 999999 '
                                                r'not found') as info:
        atomx.subscribe('advertiser:999999')
    assert info.value.refused == {'advertiser:999999': 'advertiser 999999 not found'}
    with atomx.subscribe('advertiser:42') as feed:
        with pytest.raises(SubscriptionError) as info:
            feed.subscribe('campaign:1', 'site:999999')
        assert set(info.value.refused) == {'site:999999'}
        assert feed.channels == {'advertiser:42', 'campaign:1'}  # the good one is kept


def test_a_model_the_user_may_not_see_is_refused(sandbox):
    with Atomx('advertiser@example.com', 'advertiser', api_endpoint=sandbox.url) as mine:
        with pytest.raises(SubscriptionError, match='no access to advertiser 1'):
            mine.subscribe('advertiser:1')
        with mine.subscribe('advertiser:42', stats=True) as feed:
            assert feed.channels == {'advertiser:42', 'stats:advertiser:42'}


def test_bad_channels_are_refused_before_anything_is_sent(atomx, sandbox):
    for bad in ('advertiser', 'stats:site:1', 'nothing:1', Advertiser(), 'system'):
        with pytest.raises(ValueError):
            atomx.subscribe(bad)
    assert sandbox.drop_websockets() == 0  # no connection was opened


def test_dropped_connections_reconnect_and_confirm_the_same_channels(atomx, sandbox, api):
    with atomx.subscribe('advertiser:42', 'campaign:1') as feed:
        feed.subscribe('advertiser:23')
        feed.unsubscribe('campaign:1')
        assert sandbox.drop_websockets() == 1
        event = first(feed, 'reconnected', timeout=5)
        assert event.data['channels'] == ['advertiser:23', 'advertiser:42']
        assert feed.channels == {'advertiser:23', 'advertiser:42'}
        assert api.put('advertiser/23', json={'name': 'after the drop'}).status_code == 200
        assert first(feed, 'update').model.name == 'after the drop'


def test_an_expired_token_at_reconnect_is_renewed_by_logging_in_again(atomx, sandbox):
    with atomx.subscribe('advertiser:42') as feed:
        old = atomx.auth_token
        sandbox.backend.tokens.revoke(old)  # the token expired while connected
        sandbox.drop_websockets()
        first(feed, 'reconnected', timeout=5)
        assert atomx.auth_token != old
        assert feed.channels == {'advertiser:42'}


def test_without_reconnect_a_drop_ends_the_events_with_an_error(atomx, sandbox):
    with atomx.subscribe('advertiser:42', reconnect=False) as feed:
        sandbox.drop_websockets()
        with pytest.raises(APIConnectionError, match='was closed'):
            list(feed.events(timeout=5))
        assert feed.closed


def test_start_delivers_events_from_its_thread_and_survives_a_failing_callback(
        atomx, api, caplog):
    seen: List[Any] = []
    arrived = threading.Event()

    def callback(event: Event) -> None:
        seen.append((event.kind, event.model.name, threading.current_thread().name))
        if len(seen) == 1:
            raise RuntimeError('a bug in the callback')
        arrived.set()

    with atomx.subscribe('advertiser:42') as feed:
        feed.start(callback)
        api.put('advertiser/42', json={'name': 'one'})
        api.put('advertiser/42', json={'name': 'two'})
        assert arrived.wait(3)
        feed.stop()
    assert [kind_name[:2] for kind_name in seen] == [('update', 'one'), ('update', 'two')]
    assert all(name == 'atomx-live-callback' for _, _, name in seen)
    assert any('the callback failed' in record.getMessage() and record.exc_info
               for record in caplog.records)


def test_closing_the_session_closes_its_subscriptions(sandbox):
    session = Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url)
    feeds = [session.subscribe('advertiser:42'), session.subscribe('campaign:1')]
    session.close()
    assert all(feed.closed for feed in feeds)
    assert [list(feed.events(timeout=2)) for feed in feeds] == [[], []]


# -- no token anywhere -------------------------------------------------------------------------
def reachable(root: BaseException) -> Iterator[Any]:
    """Every object an exception holds: attributes, args, causes, contexts, containers."""
    seen, todo = set(), [root]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, (type, type(reachable))):
            continue
        seen.add(id(item))
        yield item
        if isinstance(item, dict):
            todo += list(item.keys()) + list(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            todo += list(item)
        elif not isinstance(item, (str, bytes, int, float, type(None))):
            todo += [getattr(item, '__cause__', None), getattr(item, '__context__', None)]
            todo += list(getattr(item, 'args', ()) or ())
            todo += list(getattr(item, '__dict__', {}).values())
            for slot in getattr(type(item), '__slots__', ()):
                todo.append(getattr(item, slot, None))


def assert_no_token(token: str, error: BaseException) -> None:
    for item in reachable(error):
        assert token not in repr(item), f'the token is in {type(item).__name__}: {item!r}'


def test_no_token_in_logs_reprs_or_exceptions(atomx, sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    tokens = {atomx.auth_token}
    with atomx.subscribe('advertiser:42') as feed:
        sandbox.backend.tokens.revoke(atomx.auth_token)
        sandbox.drop_websockets()
        first(feed, 'reconnected', timeout=5)
        tokens.add(atomx.auth_token)
        assert not tokens & set(repr(feed).split())
    failures: List[BaseException] = []
    atomx.logout()  # no token, no way to log in again: the handshake's 401 is final
    with pytest.raises(AtomxError) as info:
        atomx.subscribe('advertiser:42')
    failures.append(info.value)
    atomx._transport.token = 'secret-token-in-the-url'
    tokens.add('secret-token-in-the-url')
    with pytest.raises(AtomxError) as info:
        atomx.subscribe('advertiser:42')
    failures.append(info.value)
    assert info.value.status_code == 401 and '***' not in str(info.value)
    logged = '\n'.join(record.getMessage() + (record.exc_text or '') for record in caplog.records)
    assert 'auth_token=***' in logged and 'GET /v3/websocket' in logged
    for token in tokens:
        assert token not in logged
        for error in failures:
            assert token not in str(error)
            assert_no_token(token, error)


def test_the_walk_finds_a_token_hidden_in_a_context():
    class Holder:
        def __init__(self) -> None:
            self.url = 'ws://h/v3/websocket?auth_token=Zq81xK'

    try:
        try:
            raise OSError('refused', Holder())
        except OSError:
            raise APIConnectionError('cannot open the websocket') from None
    except APIConnectionError as error:
        with pytest.raises(AssertionError, match='the token is in '):
            assert_no_token('Zq81xK', error)


def test_a_subscription_is_an_iterator_until_it_is_closed(atomx, api):
    feed = atomx.subscribe('advertiser:42')
    assert iter(feed) is feed
    api.put('advertiser/42', json={'name': 'iterated'})
    assert next(feed).model.name == 'iterated'
    threading.Timer(0.1, feed.close).start()
    assert list(feed) == []  # ends at close()
    with pytest.raises(StopIteration):
        next(feed)


# -- faults on the wire ---------------------------------------------------------------------
class FreezingProxy:
    """A TCP proxy on 127.0.0.1 in front of the sandbox; ``freeze()`` stops every byte of
    the connections open then, both ways, without closing them: a dead network."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(('127.0.0.1', 0))
        self.port = self.listener.getsockname()[1]
        self.frozen: List[socket.socket] = []
        self.pairs: List[tuple] = []
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            upstream = socket.create_connection(('127.0.0.1', self.target))
            self.pairs.append((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
                while source in self.frozen:
                    time.sleep(0.01)  # hold the bytes: nothing gets through
                if not data:
                    sink.shutdown(socket.SHUT_WR)
                    return
                sink.sendall(data)
            except OSError:
                return

    def freeze(self) -> None:
        for pair in self.pairs:
            self.frozen += list(pair)

    def close(self) -> None:
        self.listener.close()
        for pair in self.pairs:
            for sock in pair:
                sock.close()


def test_a_frozen_connection_is_noticed_by_keepalive_and_reopened(sandbox, api):
    proxy = FreezingProxy(sandbox.port)
    try:
        endpoint = f'http://127.0.0.1:{proxy.port}/v3'
        with Atomx(sandbox.email, sandbox.password, api_endpoint=endpoint) as session:
            feed = Subscription(session, ['advertiser:42'], ping_interval=0.2,
                                relogin=session._transport.renew_token)
            with feed:
                proxy.freeze()  # no pong comes back: after ~0.4 s the client gives up on it
                event = first(feed, 'reconnected', timeout=5)
                assert event.data['channels'] == ['advertiser:42']
                assert proxy.accepted >= 3  # login, first websocket, the new one
                api.put('advertiser/42', json={'name': 'through a new connection'})
                assert first(feed, 'update').model.name == 'through a new connection'
    finally:
        proxy.close()


def test_a_restarted_server_is_reached_again_with_a_new_login(sandbox, caplog):
    caplog.set_level(logging.INFO, logger='atomx')
    port = sandbox.port
    with Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url) as session, \
            session.subscribe('advertiser:42') as feed:
        old_token = session.auth_token
        sandbox.stop()  # the connection drops; reconnecting is refused for a while
        time.sleep(0.8)
        with Sandbox(port=port, stats_interval=INTERVAL):  # tokens are gone: 401
            first(feed, 'reconnected', timeout=10)
            assert feed.channels == {'advertiser:42'}
            assert session.auth_token != old_token
    messages = [record.getMessage() for record in caplog.records]
    waits = [float(text.rsplit(' in ', 1)[1][:-1]) for text in messages
             if 'reconnecting to' in text]
    assert len(waits) >= 2 and 0.25 <= waits[0] <= 0.5 and 0.5 <= waits[1] <= 1.0
    assert any('handshake refused (HTTP 401), logging in again' in text for text in messages)


def test_max_rate_paces_websocket_handshakes_as_it_paces_requests(sandbox):
    with Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url,
               max_rate=4) as session:  # the login took a slot: the next is 0.25 s away
        started = time.monotonic()
        with session.subscribe('advertiser:42') as feed:
            waited = time.monotonic() - started
            assert feed.channels == {'advertiser:42'}
    assert waited >= 0.2


def test_a_handshake_that_max_rate_holds_past_open_timeout_is_not_sent(sandbox):
    with Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url,
               max_rate=0.25) as session:  # the next slot is 4 s away
        started = time.monotonic()
        with pytest.raises(APIConnectionError, match=r'max_rate would hold the handshake '
                           r'past open_timeout \(1 s\); nothing was sent'):
            session.subscribe('advertiser:42', open_timeout=1)
        assert time.monotonic() - started < 0.5
