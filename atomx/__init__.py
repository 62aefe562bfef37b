"""atomx: the Python client of the Atomx REST API.

>>> from atomx import Atomx
>>> atomx = Atomx('user@example.com', 'password')  # doctest: +SKIP
"""
from . import exceptions, models
from .session import Atomx
from .version import API_VERSION, VERSION

__version__ = VERSION

__all__ = ['Atomx', 'API_VERSION', 'VERSION', '__version__', 'exceptions', 'models']
