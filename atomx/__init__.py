"""atomx: the Python client of the Atomx REST API.

>>> from atomx import Atomx
>>> atomx = Atomx('user@example.com', 'password')  # doctest: +SKIP
"""
import logging

from . import exceptions, models
from .session import Atomx
from .timeouts import Timeout
from .version import API_VERSION, VERSION

__version__ = VERSION

# A library never configures logging; the application decides where 'atomx' goes.
logging.getLogger('atomx').addHandler(logging.NullHandler())

__all__ = ['Atomx', 'API_VERSION', 'Timeout', 'VERSION', '__version__', 'exceptions', 'models']
