"""Paging through a whole collection: the generator behind :meth:`atomx.Atomx.iter`.

The API answers at most :data:`~atomx.protocol.MAX_PAGE_SIZE` entries per request, so a
collection is read page after page with ``limit`` and ``offset``, sorted
(``id.asc`` unless the caller says otherwise) so that the pages neither overlap
nor miss an entry.  Only one page of models is held at a time (two with
``prefetch``, which fetches the next page on a worker thread while the caller
works on this one).  A page that
fails is retried by the transport (its rules for GET), so one flaky answer does
not end the iteration.

Paging stops on a short page, on an empty one, when ``offset`` reaches the
envelope's ``count`` (when the API sends one) or when the caller's ``limit``
is reached.
"""
from __future__ import annotations

import concurrent.futures
from typing import Any, Callable, Iterator, Mapping, Optional

from .checks import check_count
from .exceptions import APIError
from .optional import require
from .protocol import MAX_PAGE_SIZE

#: Sends one GET with the keyword arguments as its query: ``(entries, metadata)``.
FetchPage = Callable[..., tuple[Any, dict[str, Any]]]

#: The order that keeps pages stable while paging.
DEFAULT_SORT = 'id.asc'


def progress_bar(description: str, total: Optional[int] = None,
                 unit: str = ' models') -> Any:
    """A tqdm bar on stderr.

    Paging makes it once the first page told the total, so that the bar appears
    once and already with its total, instead of a first line without one.  tqdm
    is imported here, only when a bar is asked for: it is optional.

    :param description: the text in front of the bar, the resource's name.
    :param total: what the bar counts up to; ``None`` when unknown.
    :param unit: what the bar counts (``' models'``, ``' rows'``).
    :returns: a ``tqdm.tqdm`` bar.
    :raises ~atomx.exceptions.MissingDependencyError: tqdm is not installed (an
        :class:`ImportError`); the message says how to install it.
    """
    tqdm = require('tqdm', 'report', 'progress=True').tqdm
    return tqdm(total=total, desc=description, unit=unit)


def known_count(metadata: Mapping[str, Any]) -> Optional[int]:
    """An answer's ``count`` (the entries or rows of the whole listing) when it is usable.

    :param metadata: the answer's envelope metadata (or a report's extra keys).
    :returns: the count, or ``None`` when it is missing or not a whole number of at
        least 0 (a bool, a string, a negative number).
    """
    count = metadata.get('count')
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return None
    return count


def applied_limit(asked: int, metadata: Mapping[str, Any]) -> int:
    """The page size the API applied: ours, or its own ``limit`` if it chose fewer.

    :param asked: the ``limit`` sent.
    :param metadata: the answer's envelope metadata (or a report's echoed query).
    :returns: the answer's ``limit`` when it is a whole number from 1 below ``asked``,
        else ``asked``.
    """
    applied = metadata.get('limit')
    if isinstance(applied, int) and not isinstance(applied, bool) and 0 < applied < asked:
        return applied
    return asked


def iterate(fetch_page: FetchPage, label: str, *, page_size: int = MAX_PAGE_SIZE,
            progress: bool = False, prefetch: bool = False, **query: Any) -> Iterator[Any]:
    """Every entry of a collection, page by page: the generator of :meth:`atomx.Atomx.iter`.

    :param fetch_page: sends one GET with the query it is given (``limit``, ``offset``,
        ``sort`` and the filters) and returns ``(entries, envelope metadata)``.
    :param label: the collection's name, for the progress bar and for errors.
    :param page_size: entries per request, capped at :data:`~atomx.protocol.MAX_PAGE_SIZE`.
    :param progress: show a tqdm progress bar on stderr.
    :param prefetch: fetch the next page on another thread while the caller works on
        this one (at most two pages in memory; the same requests as without).
    :param query: filters, ``sort``, ``limit`` and ``offset``, as for :meth:`atomx.Atomx.iter`.
    :returns: a generator of the entries; the arguments are checked at the call.
    :raises TypeError: as :meth:`atomx.Atomx.iter`.
    :raises ValueError: as :meth:`atomx.Atomx.iter`.
    :raises ImportError: ``progress=True`` without tqdm installed.
    """
    size = min(check_count('page_size', page_size, 1), MAX_PAGE_SIZE)
    limit = query.pop('limit', None)
    total = None if limit is None else check_count('limit', limit, 0)
    start = check_count('offset', query.pop('offset', 0), 0)
    query.setdefault('sort', DEFAULT_SORT)
    if progress:  # tqdm is checked now, before any request; the bar comes with a page
        require('tqdm', 'report', 'progress=True')
    return _pages(_PageFetcher(fetch_page, query, prefetch), label, size, total, start,
                  progress)


class _PageFetcher:
    """Fetches one page at a time: in the caller's thread when it is asked for or,
    with ``prefetch``, on a worker thread as soon as it is known to be needed."""

    def __init__(self, fetch_page: FetchPage, query: dict[str, Any], prefetch: bool) -> None:
        self._fetch_page = fetch_page
        self._query = query
        self._pool = (concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix='atomx-iter')
                      if prefetch else None)
        self._next: Any = None

    def start(self, limit: int, offset: int) -> None:
        """Note (or, prefetching, send) the request of the next page."""
        if self._pool is None:
            self._next = (limit, offset)
        else:
            self._next = self._pool.submit(self._fetch, limit, offset)

    def _fetch(self, limit: int, offset: int) -> tuple[Any, dict[str, Any]]:
        return self._fetch_page(limit=limit, offset=offset, **self._query)

    def result(self) -> tuple[Any, dict[str, Any]]:
        """The page started last: ``(entries, metadata)``."""
        if self._pool is None:
            return self._fetch(*self._next)
        return self._next.result()

    def close(self) -> None:
        """Drop a page still in flight (the caller stopped early)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def _pages(fetcher: _PageFetcher, label: str, size: int, total: Optional[int], offset: int,
           progress: bool) -> Iterator[Any]:
    """The paging loop: one GET per page, its models yielded, then dropped.

    The next page's request is known as soon as a page arrives (its offset is the
    end of this one), so it is started before this page's models are yielded:
    with ``prefetch`` it runs meanwhile, without it is sent when they are used up.
    """
    yielded = 0
    bar = None
    asked = size if total is None else min(size, total)
    try:
        if total == 0:
            return
        fetcher.start(asked, offset)
        while True:
            page, metadata = fetcher.result()
            if not isinstance(page, list):
                raise APIError(f'iter() pages through a collection, but GET '
                               f'{label} answered {type(page).__name__}, not a list',
                               method='GET', path=label)
            count = known_count(metadata)
            if progress and bar is None:
                wanted = None if count is None else max(count - offset, 0)
                if wanted is not None and total is not None:
                    wanted = min(wanted, total)
                bar = progress_bar(label, wanted)
            got = len(page)
            offset += got
            yielded += got
            done = (got < applied_limit(asked, metadata) or (count is not None and offset >= count)
                    or (total is not None and yielded >= total))
            if not done:
                asked = size if total is None else min(size, total - yielded)
                fetcher.start(asked, offset)
            yield from page
            del page  # let this page go before the next one arrives
            if bar is not None:
                bar.update(got)
            if done:
                return
    finally:
        fetcher.close()
        if bar is not None:
            bar.close()


__all__ = ['DEFAULT_SORT', 'applied_limit', 'iterate', 'known_count']
