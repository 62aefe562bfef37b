""":class:`ModelList`: the list of models that ``get`` and ``search`` return.

It is a :class:`list` in every way (index it, slice it, append to it, compare it
with a list, pickle it) and adds what a notebook wants: ``_repr_html_``, a
table of the models' loaded attributes, and :attr:`ModelList.pandas`, a
DataFrame of them.  Neither makes a request: only what the API already sent is
shown.  pandas is imported only when :attr:`ModelList.pandas` is read.
"""
from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING, Any, Iterable, List, SupportsIndex, TypeVar, Union, overload

from .attributes import SECRET_NAMES, is_date_name, shown_value, to_json
from .display import html_table, readable
from .optional import require

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .models import AtomxModel

ModelT = TypeVar('ModelT', bound='AtomxModel')

#: The most models :meth:`ModelList._repr_html_` shows.
HTML_ROWS = 50


def _id_of(model: Any) -> Any:
    return model.id


def _columns(models: Iterable[Any]) -> list[str]:
    """Every loaded attribute name, ``id`` first, then in the order first seen."""
    names = dict.fromkeys(['id'])
    for model in models:
        names.update(dict.fromkeys(model._attributes))
    return list(names)


class ModelList(List[ModelT]):
    """A :class:`list` of models with a notebook table and a DataFrame.

    What :meth:`atomx.Atomx.get` (and :meth:`~atomx.Atomx.search`, per
    resource) returns for a list of objects.  A slice is a :class:`ModelList`
    too; everything else behaves as the :class:`list` it is.
    """

    __slots__ = ()

    @overload
    def __getitem__(self, index: SupportsIndex) -> ModelT: ...

    @overload
    def __getitem__(self, index: slice) -> ModelList[ModelT]: ...

    def __getitem__(self, index: Union[SupportsIndex, slice]) -> Any:
        """An item, or for a slice a :class:`ModelList` of the items."""
        found = super().__getitem__(index)
        return ModelList(found) if isinstance(index, slice) else found

    def _repr_html_(self) -> str:
        """The models as an HTML table for Jupyter: one row each, one column per attribute.

        Values show as a person reads them (:func:`atomx.display.readable`),
        escaped, a password as ``***``; the first :data:`HTML_ROWS` models are shown.
        """
        shown = list.__getitem__(self, slice(0, HTML_ROWS))
        columns = _columns(shown)
        kinds = sorted({type(model).__name__ for model in self})
        what = f'{kinds[0]} models' if len(kinds) == 1 else 'models'
        caption = f'{len(self)} {what}' + (
            f', the first {len(shown)} shown' if len(shown) < len(self) else '')
        rows = ([shown_value(name, model._attributes.get(name), readable) for name in columns]
                for model in shown)
        return html_table(caption, columns, rows, 'atomx-models')

    @property
    def pandas(self) -> pandas.DataFrame:
        """The models' loaded attributes as a pandas DataFrame, one row per model.

        Columns are the attribute names (``id`` first); a related model is its
        id, and ``*_at``/``*date`` columns are datetimes when all their values
        are times.  A password shows as ``***``, as in a model's ``repr`` (read
        it from the model).  A new frame is built on each read; nothing is
        requested.

        :raises ~atomx.exceptions.MissingDependencyError: pandas is not installed
            (``pip install "atomx[report]"``).
        """
        pd = require('pandas', 'report', 'ModelList.pandas')
        columns = _columns(self)
        data = {name: ['***' if name in SECRET_NAMES
                       else to_json(model._attributes.get(name), _id_of) for model in self]
                for name in columns}
        frame = pd.DataFrame(data, columns=columns)
        for name in columns:
            if is_date_name(name):
                with suppress(TypeError, ValueError):  # else the text is kept as sent
                    frame[name] = pd.to_datetime(frame[name])
        return frame


__all__ = ['HTML_ROWS', 'ModelList']
