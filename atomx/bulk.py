"""Work on many models at once: :meth:`~atomx.Atomx.get_many` and the ``*_all`` verbs.

Over a real network each request waits 20 to 100 ms for its answer, so a
thousand requests one after the other spend most of their time waiting.
:func:`get_many` asks for up to :data:`MAX_IDS` models in one request (the API's
comma-separated id filter), and :func:`run_each` runs one model's own
``save()``, ``create()`` or ``delete()`` per task on a pool of threads sharing
the session, so that dirty tracking still sends only changes and the
session's rate limit and re-login cover every request.

Nothing here imports the session: the session's verbs pass in what to call.
"""
from __future__ import annotations

import concurrent.futures
from typing import Any, Callable, Iterable, List, Optional, Sequence, Tuple

from .checks import check_count
from .exceptions import APIError, BulkError, ModelNotFoundError
from .models import AtomxModel
from .names import plural
from .paging import progress_bar
from .protocol import MAX_PAGE_SIZE

#: The most ids asked for in one request: the API's largest ``limit``.
MAX_IDS = MAX_PAGE_SIZE
#: What ``get_many(missing=...)`` accepts.
MISSING_CHOICES = ('raise', 'skip')
#: The query parameters that :func:`get_many` sets itself.
_OWN_PARAMS = ('id', 'limit', 'offset')
#: Failures named in a :class:`~atomx.exceptions.BulkError`'s message; the rest are counted.
_NAMED_FAILURES = 10


class BulkResult:
    """What a bulk verb did: the models that succeeded and those that failed.

    True only when nothing failed (``if not result: ...``).

    :param succeeded: the models whose call succeeded, in the order given.
    :param failed: ``(model, exception)`` pairs, in the order given.
    :param cancelled: the models never started because ``fail_fast`` stopped the
        run; they are unchanged (their changes are still unsaved).
    :param action: the verb's name for messages (``'save'``).
    :ivar succeeded: the models whose call succeeded.
    :ivar failed: the ``(model, exception)`` pairs of the models whose call failed.
    :ivar cancelled: the models that ``fail_fast`` left untouched.
    """

    def __init__(self, succeeded: Sequence[Any] = (),
                 failed: Sequence[Tuple[Any, BaseException]] = (),
                 cancelled: Sequence[Any] = (), action: str = 'call') -> None:
        self.succeeded: List[Any] = list(succeeded)
        self.failed: List[Tuple[Any, BaseException]] = list(failed)
        self.cancelled: List[Any] = list(cancelled)
        self.action = action

    def __bool__(self) -> bool:
        return not self.failed

    def __repr__(self) -> str:
        extra = f', {len(self.cancelled)} cancelled' if self.cancelled else ''
        return (f'<BulkResult {self.action}: {len(self.succeeded)} succeeded, '
                f'{len(self.failed)} failed{extra}>')

    def raise_for_failures(self) -> None:
        """Raise one :class:`~atomx.exceptions.BulkError` when any model failed.

        :returns: ``None`` when nothing failed.
        :raises ~atomx.exceptions.BulkError: listing each failed model and its
            error (the first of them chained as ``__cause__``).
        """
        if not self.failed:
            return
        total = len(self.succeeded) + len(self.failed) + len(self.cancelled)
        lines = [f'{_label(model)}: {type(error).__name__}: {error}'
                 for model, error in self.failed[:_NAMED_FAILURES]]
        if len(self.failed) > _NAMED_FAILURES:
            lines.append(f'... and {len(self.failed) - _NAMED_FAILURES} more (see .failed)')
        cancelled = (f', {len(self.cancelled)} not started (fail_fast)'
                     if self.cancelled else '')
        message = (f'{len(self.failed)} of {total} {self.action}s failed{cancelled}:\n  '
                   + '\n  '.join(lines))
        raise BulkError(message, self.failed) from self.failed[0][1]


def _label(model: Any) -> str:
    """``'Campaign 5'``: a model's class and id, without a request."""
    label = getattr(model, '_label', None)
    return label() if callable(label) else repr(model)


def check_models(models: Iterable[Any], action: str, need_id: bool) -> List[AtomxModel]:
    """The models of a bulk verb as a list, checked before any request.

    :param models: an iterable of :class:`~atomx.models.AtomxModel` instances.
    :param action: the verb (``'save'``), for the messages.
    :param need_id: every model must have an id (``save`` and ``delete``).
    :returns: the models, in their order.
    :raises TypeError: ``models`` is a single model or a str, or an item is not a model.
    :raises ValueError: the same model object appears twice (two threads would
        change it at once).
    :raises ~atomx.exceptions.ModelNotFoundError: ``need_id`` and a model has no id.
    """
    if isinstance(models, (AtomxModel, str, bytes)) or not isinstance(models, Iterable):
        raise TypeError(f'{action}_all takes an iterable of models (a list), not '
                        f'{type(models).__name__}')
    found = list(models)
    seen: dict[int, int] = {}
    for index, model in enumerate(found):
        if not isinstance(model, AtomxModel):
            raise TypeError(f'{action}_all: item {index} is a {type(model).__name__}, not an '
                            f'atomx model')
        if id(model) in seen:
            raise ValueError(f'{action}_all: the same model object is item {seen[id(model)]} '
                             f'and item {index}; pass each model once')
        seen[id(model)] = index
        if need_id and model.id is None:
            raise ModelNotFoundError(f'{action}_all: item {index} ({_label(model)}) has no '
                                     f'id; nothing was sent')
    return found


def run_each(models: Sequence[Any], call: Callable[[Any], Any], *, action: str,
             workers: int = 8, progress: bool = False, fail_fast: bool = False,
             make_room: Optional[Callable[[int], None]] = None) -> BulkResult:
    """``call(model)`` for every model on a pool of ``workers`` threads.

    :param models: the checked models (see :func:`check_models`).
    :param call: what to do with one model, e.g. ``lambda model: model.save(atomx)``.
    :param action: the verb's name for the bar and the messages.
    :param workers: threads that run at once (at least 1).
    :param progress: show a tqdm bar on stderr counting the models done.
    :param fail_fast: after the first failure, cancel the models not started yet.
    :param make_room: called with the number of threads before they start, so that
        the connection pool keeps a connection for each (see
        :func:`atomx.adapter.keep_connections`).
    :returns: the :class:`BulkResult`; a failure is kept in it, never raised
        (only ``KeyboardInterrupt`` and the like escape, after cancelling the rest).
    :raises TypeError: ``workers`` is not an int.
    :raises ValueError: ``workers`` is below 1.
    :raises ~atomx.exceptions.MissingDependencyError: ``progress=True`` without tqdm
        (an :class:`ImportError`, raised before any request).
    """
    check_count('workers', workers, 1)
    threads = min(workers, len(models))
    if make_room is not None and threads:
        make_room(threads)
    bar = progress_bar(f'{action}_all', len(models)) if progress else None
    outcomes: List[Optional[Tuple[bool, Any]]] = [None] * len(models)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers,
                                                 thread_name_prefix=f'atomx-{action}')
    try:
        futures = {pool.submit(call, model): index for index, model in enumerate(models)}
        for future in concurrent.futures.as_completed(futures):
            if future.cancelled():
                continue
            index = futures[future]
            error = future.exception()
            outcomes[index] = (error is None, error)
            if bar is not None:
                bar.update(1)
            if error is not None and fail_fast:
                for other in futures:
                    other.cancel()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()
    result = BulkResult(action=action)
    for model, outcome in zip(models, outcomes):
        if outcome is None:
            result.cancelled.append(model)
        elif outcome[0]:
            result.succeeded.append(model)
        else:
            result.failed.append((model, outcome[1]))
    return result


def check_ids(ids: Iterable[Any]) -> List[int]:
    """The ids of :func:`get_many` as a list, checked before any request.

    :param ids: an iterable of ints.
    :returns: the ids, in their order (duplicates kept).
    :raises TypeError: ``ids`` is a str or not iterable, or an id is not an int
        (a bool is not one either).
    """
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise TypeError(f'ids must be an iterable of ints, not {type(ids).__name__}')
    found = list(ids)
    for index, value in enumerate(found):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f'ids[{index}] must be an int, not {type(value).__name__} '
                            f'({value!r})')
    return found


def collection_path(resource: Any) -> Any:
    """The list path of a model class (``Campaign`` -> ``'campaigns'``), else ``resource``.

    :param resource: a model class, or a resource name taken as it is.
    :returns: the path to GET the collection from.
    """
    if isinstance(resource, type) and issubclass(resource, AtomxModel) and \
            resource._resource_name:
        return plural(resource._resource_name)
    return resource


def _with_id(attributes: Any) -> Any:
    """An ``attributes=`` selection that keeps ``id``, which the answer is matched by."""
    names = attributes.split(',') if isinstance(attributes, str) else list(attributes)
    if 'id' in names or any(str(name).startswith('!') for name in names):
        return attributes
    return [*names, 'id']


def _label_of(collection: Any) -> str:
    return collection if isinstance(collection, str) else repr(collection)


def get_many(fetch: Callable[..., Any], resource: Any, ids: Iterable[Any], *,
             missing: str = 'raise', **params: Any) -> List[Any]:
    """The models of ``ids`` in the order given, :data:`MAX_IDS` per request.

    :param fetch: the function that GETs a list, called as
        ``fetch(path, id=[...], limit=n, **params)`` (the session's ``get``).
    :param resource: the collection: a model class or a resource name.
    :param ids: the ids; a repeated id gives the same model again.
    :param missing: ``'raise'``: raise when an id was not found; ``'skip'``:
        leave it out.
    :param params: more of the query (``attributes=``, ``depth=``...); an
        ``attributes`` selection always gets ``id`` added.
    :returns: the models, one per id found, in the order of ``ids``.
    :raises TypeError: a bad id, or ``params`` holds ``id``, ``limit`` or ``offset``.
    :raises ValueError: ``missing`` is not ``'raise'`` or ``'skip'``.
    :raises ~atomx.exceptions.ModelNotFoundError: ``missing='raise'`` and some ids
        were not found; the message names every one of them.
    :raises ~atomx.exceptions.APIError: a request failed, or its answer is no list.
    """
    if missing not in MISSING_CHOICES:
        raise ValueError(f"missing must be 'raise' or 'skip', not {missing!r}")
    taken = [name for name in _OWN_PARAMS if name in params]
    if taken:
        raise TypeError(f'get_many sets {", ".join(taken)} itself; pass the ids as ids=')
    wanted = check_ids(ids)
    if params.get('attributes') is not None:
        params['attributes'] = _with_id(params['attributes'])
    unique = list(dict.fromkeys(wanted))
    collection = collection_path(resource)
    found: dict[Any, Any] = {}
    for start in range(0, len(unique), MAX_IDS):
        batch = unique[start:start + MAX_IDS]
        answer = fetch(collection, id=batch, limit=len(batch), **params)
        if not isinstance(answer, list):
            raise APIError(f'GET {_label_of(collection)} answered {type(answer).__name__}, '
                           f'not a list of models', method='GET', path=_label_of(collection))
        for model in answer:
            model_id = getattr(model, 'id', None)
            if type(model_id) is int:  # no match for True (== 1), 2.0 or an unhashable list
                found[model_id] = model
    absent = [value for value in unique if value not in found]
    if absent and missing == 'raise':
        raise ModelNotFoundError(f'{len(absent)} of {len(unique)} ids were not found in '
                                 f'{_label_of(collection)}: {", ".join(map(str, absent))}')
    return [found[value] for value in wanted if value in found]


__all__ = ['BulkResult', 'MAX_IDS', 'check_ids', 'check_models', 'get_many', 'run_each']
