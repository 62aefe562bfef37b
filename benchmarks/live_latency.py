"""How soon a change reaches a live subscriber, next to the REST call that makes it.

    python3 benchmarks/live_latency.py [--quick]

Against the sandbox on 127.0.0.1 (in this process): one session subscribes to
``advertiser:42`` and a second one renames the advertiser with ``PUT``.  Each
repetition times the PUT's round trip and the time from sending the PUT until
the update event comes out of ``Subscription.next_event``; the two are measured
in turn in the same run, and the script prints their medians and the ratio
(event latency / PUT round trip): the websocket adds little to the change itself.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]  # the local atomx

from _timing import options  # noqa: E402

from atomx import Atomx  # noqa: E402
from atomx.sandbox import Sandbox  # noqa: E402


def main() -> int:
    quick = options(__doc__.splitlines()[0]).quick
    repetitions = 20 if quick else 300
    put_times, event_times = [], []
    with Sandbox() as sandbox, \
            Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url) as watcher, \
            Atomx(sandbox.email, sandbox.password, api_endpoint=sandbox.url) as changer, \
            watcher.subscribe('advertiser:42') as feed:
        for number in range(repetitions):
            started = time.perf_counter()
            changer.put('advertiser', 42, {'name': f'name {number}'})
            put_times.append(time.perf_counter() - started)
            event = feed.next_event(timeout=5)
            event_times.append(time.perf_counter() - started)
            assert event is not None and event.data['changes'] == {'name': f'name {number}'}
    put, event = statistics.median(put_times), statistics.median(event_times)
    print(f'{repetitions} changes: PUT round trip median {put * 1000:.2f} ms, '
          f'PUT until the event median {event * 1000:.2f} ms, ratio {event / put:.2f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
