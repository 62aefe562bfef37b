"""The websocket endpoint (a beta of the API): ``ws://HOST:PORT/v3/websocket?auth_token=...``.

It is served on the same port as the REST API: the WSGI application hands a
handshake request to :meth:`LiveHub.answer`, which checks the token (401, no
upgrade, like the REST API), completes the handshake with websockets' sans-I/O
:class:`websockets.server.ServerProtocol` and then runs the connection on the
socket werkzeug accepted, in werkzeug's thread for that connection.

Each connection (:class:`Peer`) is driven by that one thread: it reads the
client's frames, answers each (un)subscribe, pings every ``ping_interval`` and
writes what other threads queued for it (a REST change, a stats tick), so no
lock guards the protocol object and a slow client never blocks a REST request.

What the server sends is PROTOCOL.md's "Websockets (beta)": the ``connected``
message, the answer to each (un)subscribe, an update with exactly the changed
attributes for every change made through the REST API, and a stats tick every
``stats_interval`` seconds on ``stats:`` channels with the lifetime figures of
the model's quickstats.
"""
from __future__ import annotations

import collections
import contextlib
import json
import logging
import os
import select
import socket
import threading
from typing import Any, Callable, Deque, Dict, Iterable, List, Optional, Set, Tuple

from werkzeug.wrappers import Request, Response

from ..names import MODEL_NAMES, resource_path
from ..protocol import (
    CHANNEL_PATTERN,
    CLIENT_ACTIONS,
    STATS_PREFIX,
    STATS_RESOURCES,
    SYSTEM_CHANNEL,
    UPDATE_ACTIONS,
)
from .answers import ApiError, error
from .context import Backend
from .delivery import quickstats
from .rights import can_read

log = logging.getLogger('atomx.sandbox.live')

#: resource name as in a model's path -> model name
_MODELS = {resource_path(name): name for name in MODEL_NAMES}

#: Seconds between the server's pings.
PING_INTERVAL = 20.0
#: The largest message a client may send.
MAX_MESSAGE = 64 * 1024
#: Messages waiting for a client that does not read; one more and it is dropped.
MAX_WAITING = 10_000
_READ_SIZE = 65536


def _dumps(message: Dict[str, Any]) -> bytes:
    return json.dumps(message, default=str).encode()


class _Refused(Exception):
    """A (un)subscribe the server refuses; the message says why."""


class Peer:
    """One open websocket: its user, its channels and its outgoing queue."""

    def __init__(self, hub: LiveHub, sock: socket.socket, protocol: Any,
                 user: Dict[str, Any]) -> None:
        self.hub, self.sock, self.protocol, self.user = hub, sock, protocol, user
        self.channels: Set[str] = set()
        self._outbox: Deque[bytes] = collections.deque()
        self._wake_reader, self._wake_writer = socket.socketpair()
        # a full wake pipe means a wake is pending already: the writer never blocks
        self._wake_writer.setblocking(False)
        self._dropped = False
        self._fragments: List[bytes] = []

    # -- called from other threads -----------------------------------------------------------
    def queue(self, message: Dict[str, Any]) -> None:
        """Send ``message`` soon (from the connection's own thread); never blocks.

        :param message: the message, turned into JSON here.
        """
        self.queue_encoded(_dumps(message))

    def queue_encoded(self, text: bytes) -> None:
        """Send a message already turned into JSON soon; never blocks.

        A broadcast encodes its message once for all its subscribers.  A client
        that stopped reading is dropped once :data:`MAX_WAITING` messages wait for
        it, as a real server drops a slow consumer, instead of holding them all
        in memory.

        :param text: the message's JSON, UTF-8.
        """
        if len(self._outbox) >= MAX_WAITING:
            if not self._dropped:
                log.info('websocket of user %s dropped: %d messages unread',
                         self.user['id'], len(self._outbox))
                self.drop()
            return
        self._outbox.append(text)
        self._wake()

    def drop(self) -> None:
        """Close the connection from the server side, as a network failure would."""
        self._dropped = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self._wake()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send(b'.')

    # -- the connection's own thread ------------------------------------------------------
    def run(self) -> None:
        """Serve the connection until either side closes it."""
        try:
            self.queue({'channel': SYSTEM_CHANNEL, 'message': 'connected',
                        'user': {'id': self.user['id'], 'email': self.user.get('email')}})
            self._loop()
        except OSError:
            log.debug('websocket of user %s lost', self.user['id'])
        finally:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
            self._wake_reader.close()
            self._wake_writer.close()

    def _loop(self) -> None:
        from websockets.frames import Opcode
        from websockets.protocol import State

        while not self._dropped and self.protocol.state is not State.CLOSED:
            readable, _, _ = select.select([self.sock, self._wake_reader], [], [],
                                           self.hub.ping_interval)
            if not readable and self.protocol.state is State.OPEN:
                self.protocol.send_ping(os.urandom(4))
            if self._wake_reader in readable:
                self._wake_reader.recv(_READ_SIZE)
            if self.sock in readable and not self._dropped:
                data = self.sock.recv(_READ_SIZE)
                if data:
                    self.protocol.receive_data(data)
                else:
                    self.protocol.receive_eof()
            for event in self.protocol.events_received():
                if event.opcode in (Opcode.TEXT, Opcode.BINARY, Opcode.CONT):
                    self._frame(event.data, event.fin)
            while self._outbox and self.protocol.state is State.OPEN:
                self.protocol.send_text(self._outbox.popleft())
            if self._write() or self.protocol.close_expected():
                return

    def _write(self) -> bool:
        """Send what the protocol has; ``True`` once it asks to close the connection."""
        for data in self.protocol.data_to_send():
            if not data:
                return True
            self.sock.sendall(data)
        return False

    def _frame(self, data: bytes, fin: bool) -> None:
        self._fragments.append(bytes(data))
        if fin:
            text, self._fragments = b''.join(self._fragments), []
            self.queue(self.hub.reply(self, text))


class LiveHub:
    """Every open websocket of one sandbox: handshakes, subscriptions, broadcasts, ticks.

    :param backend: the sandbox's state (the store, whose changes are broadcast, and
        the tokens).
    :param stats_interval: seconds between two ticks of each ``stats:`` channel.
    :param ping_interval: seconds between the server's pings on each connection.
    """

    def __init__(self, backend: Backend, stats_interval: float = 1.0,
                 ping_interval: float = PING_INTERVAL) -> None:
        self.backend = backend
        self.stats_interval = stats_interval
        self.ping_interval = ping_interval
        self._peers: Set[Peer] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name='sandbox-stats', daemon=True)
        self._ticker.start()
        backend.store.listeners.append(self._changed)

    # -- the handshake --------------------------------------------------------------------
    def answer(self, environ: Dict[str, Any], sock: socket.socket) -> Optional[Response]:
        """Answer a request to the websocket path.

        :returns: the refusal to send as an ordinary HTTP answer (401 for a bad
            token, 426 without an upgrade, 501 without websockets installed), or
            ``None`` once an accepted connection has been served to its end.
        """
        request = Request(environ)
        try:
            user = self._user(request.args.get('auth_token'))
            protocol, handshake = self._handshake(request)
        except ApiError as refused:
            return error(refused.status, refused.message)
        sock.sendall(handshake)
        peer = Peer(self, sock, protocol, user)
        with self._lock:
            self._peers.add(peer)
        try:
            peer.run()
        finally:
            with self._lock:
                self._peers.discard(peer)
        return None

    def _user(self, token: Optional[str]) -> Dict[str, Any]:
        if not token:
            raise ApiError(401, 'authentication required: connect to '
                                '/v3/websocket?auth_token=<auth_token> with a token from /login')
        found = self.backend.tokens.resolve(f'Bearer {token}')
        if found.interim:
            raise ApiError(401, 'this token only opens POST /totp: send your TOTP code there')
        user = self.backend.store.get('User', found.user_id)
        if user is None:
            raise ApiError(401, 'the user of this token no longer exists')
        return user

    @staticmethod
    def _handshake(request: Request) -> Tuple[Any, bytes]:
        """The sans-I/O protocol and the bytes of its 101 answer; an ApiError if refused."""
        if request.headers.get('Upgrade', '').lower() != 'websocket':
            raise ApiError(426, 'this endpoint speaks the websocket protocol: connect with a '
                                'websocket client (Upgrade: websocket)')
        try:
            from websockets.datastructures import Headers
            from websockets.http11 import Request as Handshake
            from websockets.server import ServerProtocol
        except ImportError:
            raise ApiError(501, 'the sandbox serves websockets only with the websockets '
                                'package: pip install "atomx[live]"') from None
        from websockets.protocol import OPEN

        # werkzeug has read the request: one protocol object checks it and writes the
        # answer, a second one, created open, reads and writes the frames that follow
        handshake = ServerProtocol(logger=log)
        response = handshake.accept(Handshake(request.full_path, Headers(request.headers.items())))
        if response.status_code != 101:
            raise ApiError(response.status_code, response.body.decode(errors='replace').strip())
        handshake.send_response(response)
        return (ServerProtocol(state=OPEN, max_size=MAX_MESSAGE, logger=log),
                b''.join(handshake.data_to_send()))

    # -- subscriptions ------------------------------------------------------------------------
    def reply(self, peer: Peer, text: bytes) -> Dict[str, Any]:
        """The answer to one client message: a confirmation or a refusal."""
        action = channel = None
        try:
            try:
                message = json.loads(text)
            except ValueError:
                raise _Refused('malformed message: not JSON') from None
            if not isinstance(message, dict):
                raise _Refused('malformed message: not a JSON object')
            action, channel = message.get('action'), message.get('model')
            if action not in CLIENT_ACTIONS:
                raise _Refused(f'malformed message: action must be subscribe or unsubscribe, '
                               f'not {action!r}')
            if not isinstance(channel, str):
                raise _Refused('malformed message: model must be a channel such as '
                               '"advertiser:42" or "stats:campaign:7"')
            with self.backend.store.lock:
                self._check(peer.user, channel, action == 'subscribe')
            (peer.channels.add if action == 'subscribe' else peer.channels.discard)(channel)
        except _Refused as refused:
            return {'channel': SYSTEM_CHANNEL, 'action': action, 'model': channel,
                    'success': False, 'error': str(refused)}
        return {'channel': SYSTEM_CHANNEL, 'action': action, 'model': channel, 'success': True}

    def _check(self, user: Dict[str, Any], channel: str, subscribe: bool) -> None:
        """Refuse a channel that is malformed, unknown, missing or not the user's."""
        match = CHANNEL_PATTERN.fullmatch(channel)
        if match is None:
            raise _Refused(f'malformed channel {channel!r}: channels are "resource:id" or '
                           f'"stats:resource:id"')
        stats, resource, rid = match.group(1), match.group(2), int(match.group(3))
        model = _MODELS.get(resource)
        if model is None:
            raise _Refused(f'unknown resource {resource!r} in {channel!r}; resources are named '
                           f'as in a model\'s path, e.g. advertiser, conversion-pixel')
        if stats and resource not in STATS_RESOURCES:
            raise _Refused(f'{resource} has no live stats: stats channels exist for '
                           f'{" and ".join(sorted(STATS_RESOURCES))}')
        if not subscribe:
            return
        record = self.backend.store.get(model, rid)
        if record is None:
            raise _Refused(f'{resource} {rid} not found')
        if not can_read(self.backend.store, user, model, record):
            raise _Refused(f'your user has no access to {resource} {rid}')

    # -- what the server sends on its own ---------------------------------------------------
    def _send(self, channel: str, message: Dict[str, Any]) -> None:
        """Queue ``message`` for every subscriber of ``channel``, encoded once for all.

        The hub's lock is held only to pick the subscribers.  A REST change comes
        here under the store's lock (a listener), and is queued before that lock is
        released: two changes then reach every subscriber in the order they were
        made.  Queuing never blocks (an append and a one-byte wake), so it costs a
        REST request nothing.
        """
        with self._lock:
            peers = [peer for peer in self._peers if channel in peer.channels]
        if not peers:
            return
        text = _dumps(message)
        for peer in peers:
            peer.queue_encoded(text)

    def _changed(self, model: str, record_id: int, action: str, changes: Dict[str, Any],
                 user: Dict[str, Any], date: str) -> None:
        """The store's listener: a REST change, sent to that model's channel."""
        if action not in UPDATE_ACTIONS:
            return  # nobody can be subscribed to a record that did not exist
        resource = resource_path(model)
        channel = f'{resource}:{record_id}'
        self._send(channel, {'channel': channel, 'model': resource, 'id': record_id,
                             'action': action, 'changes': changes if action == 'update' else {},
                             'user': {'id': user.get('id')}, 'date': date})

    def _tick(self) -> None:
        while not self._stopped.wait(self.stats_interval):
            for channel in self._stats_channels():
                _, resource, rid = channel.split(':')
                model, record_id = _MODELS[resource], int(rid)
                if self.backend.store.get(model, record_id) is None:
                    continue
                lifetime = dict(quickstats(model, record_id)['lifetime'])
                lifetime['spent'] = lifetime['revenue']
                self._send(channel, {'channel': channel, 'model': resource, 'id': record_id,
                                     'lifetime': lifetime,
                                     'date': self.backend.store.now_text()})

    def _stats_channels(self) -> Iterable[str]:
        with self._lock:
            return sorted({channel for peer in self._peers for channel in peer.channels
                           if channel.startswith(STATS_PREFIX + ':')})

    # -- for tests and shutdown -------------------------------------------------------------
    def drop(self) -> int:
        """Close every open websocket from the server side; the number closed."""
        with self._lock:
            peers = list(self._peers)
        for peer in peers:
            peer.drop()
        return len(peers)

    def close(self) -> None:
        """Stop the stats ticks and drop every connection."""
        self._stopped.set()
        with contextlib.suppress(ValueError):
            self.backend.store.listeners.remove(self._changed)
        self.drop()


Listener = Callable[[str, int, str, Dict[str, Any], Dict[str, Any], str], None]

__all__ = ['LiveHub', 'Listener', 'Peer']
