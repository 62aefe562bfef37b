"""Small intersphinx inventories of the outside names these docs link to.

The build machines have no network, so Sphinx cannot download the inventories of
requests, pandas and Python.  This writes, for each project, an ``objects.inv``
(Sphinx's inventory format, version 2) with just the entries the docs use, each
pointing at the project's published page for it.
"""
from __future__ import annotations

import pathlib
import zlib


def _alike(role: str, page: str, *names: str) -> dict[str, tuple[str, str]]:
    """Entries of several names with one role and one page pattern."""
    return dict.fromkeys(names, (role, page))


#: project -> (base URL, {name: (domain:role, page#anchor)}); '$' in a page is the name.
PROJECTS = {
    'requests': ('https://requests.readthedocs.io/en/latest/', {
        **_alike('py:class', 'api.html#$', 'requests.Session', 'requests.Response'),
        **_alike('py:exception', 'api.html#$', 'requests.RequestException',
                 'requests.ConnectionError', 'requests.Timeout'),
        'requests.exceptions.RequestException': ('py:exception',
                                                 'api.html#requests.RequestException'),
    }),
    'pandas': ('https://pandas.pydata.org/docs/', {
        **_alike('py:class', 'reference/api/$.html#$', 'pandas.DataFrame',
                 'pandas.DatetimeIndex', 'pandas.Int64Dtype'),
        **_alike('py:method', 'reference/api/$.html#$', 'pandas.DataFrame.resample',
                 'pandas.DataFrame.to_csv'),
    }),
    'python': ('https://docs.python.org/3/', {
        **_alike('py:class', 'library/datetime.html#$', 'datetime.datetime', 'datetime.date',
                 'datetime.timedelta'),
        'decimal.Decimal': ('py:class', 'library/decimal.html#$'),
        'logging.getLogger': ('py:function', 'library/logging.html#$'),
        'logging.NullHandler': ('py:class', 'library/logging.handlers.html#$'),
        'logging.Logger': ('py:class', 'library/logging.html#$'),
        'os.environ': ('py:data', 'library/os.html#$'),
        'argparse.ArgumentParser': ('py:class', 'library/argparse.html#$'),
        'threading.Thread': ('py:class', 'library/threading.html#$'),
        'pickle': ('py:module', 'library/pickle.html#module-pickle'),
        **_alike('py:exception', 'library/exceptions.html#$', 'Exception', 'ValueError',
                 'TypeError', 'AttributeError', 'KeyError', 'ImportError'),
        **_alike('py:class', 'library/stdtypes.html#$', 'str', 'int', 'float', 'bool', 'dict',
                 'list', 'tuple', 'set'),
    }),
}


def inventory_bytes(project: str, entries: dict[str, tuple[str, str]]) -> bytes:
    """The ``objects.inv`` content for ``entries`` of ``project``."""
    header = (f'# Sphinx inventory version 2\n# Project: {project}\n# Version: \n'
              f'# The remainder of this file is compressed using zlib.\n')
    lines = ''.join(f'{name} {role} 1 {page.replace("$", name)} -\n'
                    for name, (role, page) in sorted(entries.items()))
    return header.encode() + zlib.compress(lines.encode())


def write(directory: pathlib.Path) -> dict[str, tuple[str, pathlib.Path]]:
    """Write every project's inventory under ``directory``; name -> (URL, file)."""
    mapping = {}
    for project, (url, entries) in PROJECTS.items():
        path = directory / f'{project}.inv'
        path.write_bytes(inventory_bytes(project, entries))
        mapping[project] = (url, path)
    return mapping
