"""Optional packages: imported at the moment a feature needs them, never at ``import atomx``.

Each extra of the package (``report``, ``arrow``, ``polars``, ``dask``, ``live``,
``sandbox``) brings packages that only some features use.  :func:`require` is the
one place that imports such a package and turns its absence into a
:class:`~atomx.exceptions.MissingDependencyError` naming the extra to install.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from .exceptions import MissingDependencyError, NoPandasInstalledError


def require(module: str, extra: str, feature: str = '') -> ModuleType:
    """Import an optional module, or say which extra brings it.

    :param module: the module to import (``'pyarrow'``, ``'websockets.sync.client'``).
    :param extra: the atomx extra that installs it (``'arrow'``, ``'live'``).
    :param feature: what needs it, for the message (``'Report.arrow'``).
    :returns: the imported module.
    :raises ~atomx.exceptions.MissingDependencyError: the module's package is not
        installed (:class:`~atomx.exceptions.NoPandasInstalledError`, the documented
        name, for pandas wherever it is needed).
    """
    package = module.partition('.')[0]
    try:
        importlib.import_module(package)  # the package first: a submodule loaded before
        return importlib.import_module(module)  # does not hide that it is gone now
    except ImportError as missing:
        error = NoPandasInstalledError if package == 'pandas' else MissingDependencyError
        raise error(missing_message(package, extra, feature), package, extra) from missing


def missing_message(package: str, extra: str, feature: str = '') -> str:
    """The message of a missing optional package: what needs it and how to install it.

    :param package: the package to install (``'pyarrow'``).
    :param extra: the atomx extra that brings it (``'arrow'``).
    :param feature: what needs it (``'Report.arrow'``); empty for a general message.
    :returns: ``'Report.arrow needs pyarrow, which is not installed: pip install
        "atomx[arrow]" (or pip install pyarrow)'``.
    """
    needs = f'{feature} needs {package}' if feature else f'{package} is needed'
    return (f'{needs}, which is not installed: pip install "atomx[{extra}]" '
            f'(or pip install {package})')


__all__ = ['missing_message', 'require']
