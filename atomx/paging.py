"""Paging through a whole collection: the generator behind :meth:`atomx.Atomx.iter`.

The API answers at most :data:`MAX_PAGE_SIZE` entries per request, so a
collection is read page after page with ``limit`` and ``offset``, sorted
(``id.asc`` unless the caller says otherwise) so that the pages neither overlap
nor miss an entry.  Only one page of models is held at a time.  A page that
fails is retried by the transport (its rules for GET), so one flaky answer does
not end the iteration.

Paging stops on a short page, on an empty one, when ``offset`` reaches the
envelope's ``count`` (when the API sends one) or when the caller's ``limit``
is reached.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Optional

from .optional import require

if TYPE_CHECKING:  # pragma: no cover
    from .session import Atomx, PathPart

#: The API's largest ``limit``; larger page sizes are capped to it.
MAX_PAGE_SIZE = 1000
#: The order that keeps pages stable while paging.
DEFAULT_SORT = 'id.asc'


def _count_argument(name: str, value: Any, minimum: int) -> int:
    """``value`` if it is an int >= ``minimum``; a clear error otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f'{name} must be an int, not {type(value).__name__} ({value!r})')
    if value < minimum:
        raise ValueError(f'{name} must be at least {minimum}, not {value}')
    return value


def check_page_size(page_size: Any) -> int:
    """The page size to ask for: ``page_size`` capped at :data:`MAX_PAGE_SIZE`.

    :param page_size: the models per request the caller asked for.
    :returns: ``page_size``, or :data:`MAX_PAGE_SIZE` when it is larger.
    :raises TypeError: ``page_size`` is not an int (a bool is not one either).
    :raises ValueError: ``page_size`` is below 1.
    """
    if isinstance(page_size, bool) or not isinstance(page_size, int):
        raise TypeError(f'page_size must be an int from 1 to {MAX_PAGE_SIZE}, '
                        f'not {type(page_size).__name__} ({page_size!r})')
    if page_size < 1:
        raise ValueError(f'page_size must be from 1 to {MAX_PAGE_SIZE} (larger values are '
                         f'capped to {MAX_PAGE_SIZE}), not {page_size}')
    return min(page_size, MAX_PAGE_SIZE)


def check_progress() -> None:
    """Make sure a progress bar can be drawn: tqdm is importable.

    Called when ``progress=True`` is asked for, before any request.

    :returns: ``None``.
    :raises ~atomx.exceptions.MissingDependencyError: tqdm is not installed; the
        message says how to install it (an :class:`ImportError` too).
    """
    require('tqdm', 'report', 'progress=True')


def progress_bar(description: str, total: Optional[int]) -> Any:
    """A tqdm bar on stderr, made once the first page told the total (when it does).

    Made only then, so that the bar appears once and already with its total,
    instead of a first line without one.  tqdm is imported here, only when a
    bar is asked for: it is optional.

    :param description: the text in front of the bar, the resource's name.
    :param total: the models the bar counts up to; ``None`` when unknown.
    :returns: a ``tqdm.tqdm`` bar counting models.
    :raises ~atomx.exceptions.MissingDependencyError: tqdm is not installed.
    """
    tqdm = require('tqdm', 'report', 'progress=True').tqdm
    return tqdm(total=total, desc=description, unit=' models')


def _label(resource: Any) -> str:
    """A short name of the resource for the bar and for errors."""
    return resource if isinstance(resource, str) else getattr(resource, '_resource_name',
                                                              repr(resource))


def _known_count(metadata: dict[str, Any]) -> Optional[int]:
    """The envelope's ``count`` when it is a usable number."""
    count = metadata.get('count')
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        return None
    return count


def _page_limit(asked: int, metadata: dict[str, Any]) -> int:
    """The page size the API applied: ours, or its own ``limit`` if it chose fewer."""
    applied = metadata.get('limit')
    if isinstance(applied, int) and not isinstance(applied, bool) and 0 < applied < asked:
        return applied
    return asked


def iterate(session: Atomx, resource: PathPart, *args: PathPart, page_size: int = MAX_PAGE_SIZE,
            progress: bool = False, **kwargs: Any) -> Iterator[Any]:
    """Every entry of a collection, page by page; see :meth:`atomx.Atomx.iter`.

    The arguments are checked (and tqdm imported) at the call, before any
    request; the requests start with the first ``next()``.

    :param session: the logged-in :class:`~atomx.Atomx` session that sends the GETs.
    :param resource: the collection, e.g. ``'domains'`` or :class:`~atomx.models.Domain`.
    :param args: more path parts after ``resource``: ``42, 'profiles'`` with
        ``'advertiser'`` pages through ``advertiser/42/profiles``.
    :param page_size: models per request, capped at :data:`MAX_PAGE_SIZE`.
    :param progress: show a tqdm progress bar on stderr.
    :param kwargs: the query: filters, ``sort`` (default :data:`DEFAULT_SORT`),
        ``limit`` (the most models yielded in all) and ``offset`` (where to start).
    :returns: a generator of the models (or plain entries of an unknown resource).
    :raises TypeError: ``page_size``, ``limit`` or ``offset`` is not an int; while
        iterating, a resource whose answer is not a list.
    :raises ValueError: ``page_size`` below 1, ``limit`` or ``offset`` below 0.
    :raises ImportError: ``progress=True`` without tqdm installed.
    :raises ~atomx.exceptions.APIError: while iterating, a page that failed for good
        (after the transport's retries); the models before it have been yielded.
    """
    size = check_page_size(page_size)
    limit = kwargs.pop('limit', None)
    total = None if limit is None else _count_argument('limit', limit, 0)
    start = _count_argument('offset', kwargs.pop('offset', 0), 0)
    kwargs.setdefault('sort', DEFAULT_SORT)
    if progress:
        check_progress()
    return _pages(session, resource, args, kwargs, size, total, start, progress)


def _pages(session: Atomx, resource: PathPart, args: tuple[Any, ...], query: dict[str, Any],
           size: int, total: Optional[int], offset: int, progress: bool) -> Iterator[Any]:
    """The paging loop: one GET per page, its models yielded, then dropped."""
    yielded = 0
    bar = None
    try:
        while total is None or yielded < total:
            asked = size if total is None else min(size, total - yielded)
            page, metadata = session._get_with_envelope(resource, *args, limit=asked,
                                                        offset=offset, **query)
            if not isinstance(page, list):
                raise TypeError(f'iter() pages through a collection, but GET '
                                f'{_label(resource)} answered {type(page).__name__}, not a list')
            count = _known_count(metadata)
            if progress and bar is None:
                wanted = None if count is None else max(count - offset, 0)
                if wanted is not None and total is not None:
                    wanted = min(wanted, total)
                bar = progress_bar(_label(resource), wanted)
            got = len(page)
            offset += got
            yielded += got
            short = got < _page_limit(asked, metadata)
            yield from page
            del page  # let this page go before the next one arrives
            if bar is not None:
                bar.update(got)
            if short or (count is not None and offset >= count):
                return
    finally:
        if bar is not None:
            bar.close()


__all__ = ['DEFAULT_SORT', 'MAX_PAGE_SIZE', 'check_page_size', 'check_progress', 'iterate',
           'progress_bar']
