"""The API's facts, in one place: what the documents say and ``PROTOCOL.md`` decides.

The SDK and the sandbox both read these constants, so that a fact (the largest
page, the allowed report scopes, the grammar of a schedule's ``interval``)
cannot drift apart between the client and the server that tests it.  Only
facts live here, no validation: each side checks its input in its own words.
"""
from __future__ import annotations

import re
from typing import Any

# -- the envelope ----------------------------------------------------------------

#: Keys of a response envelope that are metadata, never the payload.
ENVELOPE_KEYS: frozenset[str] = frozenset({
    'success', 'status', 'message', 'filter', 'limit', 'offset', 'sort',
    'count', 'timestamp', 'error', 'resource',
})

#: The API's largest ``limit``: no answer holds more entries.
MAX_PAGE_SIZE = 1000

# -- URL parameters ------------------------------------------------------------------

#: The most digits of a ``limit`` or ``offset`` in a URL: far more rows than any
#: answer holds; the sandbox answers a longer number with a 400, as the API does.
MAX_COUNT_DIGITS = 18
#: A ``limit`` or ``offset`` as the URL carries it: ASCII digits only, no sign, no
#: spaces, at most :data:`MAX_COUNT_DIGITS` of them.
COUNT_PATTERN = re.compile(f'[0-9]{{1,{MAX_COUNT_DIGITS}}}')
#: The values of the ``depth`` URL parameter, as the URL carries them.
DEPTHS = ('0', '1', '2')

# -- model attributes ----------------------------------------------------------------

#: The values of every ``state`` attribute: the documents show ``"ACTIVE"`` and
#: ``"INACTIVE"`` (a site listed, a new site).
STATES = ('ACTIVE', 'INACTIVE')
#: The values of every ``*_filter_action`` attribute (``advertisers_filter_action``):
#: the documents show ``"EXCLUDE"``; ``"INCLUDE"`` is its counterpart.
FILTER_ACTIONS = ('INCLUDE', 'EXCLUDE')

# -- reports -----------------------------------------------------------------------

#: The report types (``scope``).
SCOPES = ('advertiser', 'publisher', 'inventory', 'dsp',
          'network_managed', 'network_buy', 'network_sell')
#: Periods relative to today that the API resolves itself (``daterange``).
DATERANGES = ('today', 'yesterday', 'last7days', 'last14days', 'last30days',
              'monthtodate', 'lastmonth', 'yeartodate', 'lifetime')
#: Operators of a ``where`` expression.
WHERE_OPERATORS = ('==', '!=', '<', '>', 'in', 'not in')
#: The ``where`` operators that take a list of values.
LIST_OPERATORS = ('in', 'not in')
#: When a scheduled report runs (``when``).
SCHEDULES = ('daily', 'monthly', 'monday', 'tuesday', 'wednesday', 'thursday',
             'friday', 'saturday', 'sunday')
#: The period a scheduled report covers (``interval``): the documents' ``'N days'``
#: or ``'N month'``, singular or plural, N a whole number from 1, one space, lower
#: case.  Group 1 is N, group 2 the unit (``day`` or ``month``).
INTERVAL_PATTERN = re.compile(r'([1-9][0-9]*) (day|month)s?')
#: The group columns that hold a time, finest first; a report's time windows
#: (``iter_report(split=...)``) are buckets of these too.
TIME_GROUPS = ('hour', 'day', 'week', 'month')
#: How ``from`` and ``to`` of a report are written: the API works in whole hours.
HOUR_FORMAT = '%Y-%m-%d %H:00:00'

# -- the websocket (a beta of the API) ---------------------------------------------

#: The channel every connection is on: the ``connected`` notice and the answer to
#: each (un)subscribe.
SYSTEM_CHANNEL = 'system'
#: The prefix of a model's live quickstats channel: ``stats:campaign:7``.
STATS_PREFIX = 'stats'
#: The resources (named as in a model's path) that have a live quickstats channel.
STATS_RESOURCES: frozenset[str] = frozenset({'advertiser', 'campaign'})
#: A channel: ``{resource}:{id}`` or ``stats:{resource}:{id}``, the resource named as
#: in the model's own path (``advertiser``, ``conversion-pixel``).  Group 1 is
#: ``stats`` (or ``None``), group 2 the resource, group 3 the id.
CHANNEL_PATTERN = re.compile(r'(?:(stats):)?([a-z][a-z_-]*):([0-9]+)')
#: What a client asks: ``{"action": ..., "model": CHANNEL}``.
CLIENT_ACTIONS = ('subscribe', 'unsubscribe')
#: What an update message says happened to its model.
UPDATE_ACTIONS = ('update', 'delete')


def split_envelope(envelope: dict[str, Any]) -> tuple[str, Any, dict[str, Any]]:
    """Split an answer's envelope into its payload and its metadata.

    The payload sits under the key named by ``resource``; without one it is the
    only key that is not metadata (:data:`ENVELOPE_KEYS`).  When there is no such
    key the payload is ``None``; with several it is a dict of them, so nothing is
    lost.

    :param envelope: the decoded JSON object of a successful answer.
    :returns: ``(resource, payload, metadata)``: the payload's key (``''`` when
        there is none or several), the payload, and every other key of the envelope.
    """
    resource = envelope.get('resource')
    if isinstance(resource, str) and resource in envelope:
        payload_keys = [resource]
    else:
        payload_keys = [key for key in envelope if key not in ENVELOPE_KEYS]
    metadata = {key: value for key, value in envelope.items() if key not in payload_keys}
    if len(payload_keys) == 1:
        return payload_keys[0], envelope[payload_keys[0]], metadata
    payload = {key: envelope[key] for key in payload_keys} or None
    return (resource if isinstance(resource, str) else ''), payload, metadata


__all__ = ['CHANNEL_PATTERN', 'CLIENT_ACTIONS', 'COUNT_PATTERN', 'DATERANGES', 'DEPTHS',
           'ENVELOPE_KEYS', 'HOUR_FORMAT', 'INTERVAL_PATTERN', 'LIST_OPERATORS', 'MAX_COUNT_DIGITS',
           'MAX_PAGE_SIZE', 'SCHEDULES', 'SCOPES',
           'STATS_PREFIX', 'STATS_RESOURCES', 'SYSTEM_CHANNEL', 'TIME_GROUPS', 'UPDATE_ACTIONS',
           'WHERE_OPERATORS', 'split_envelope']
