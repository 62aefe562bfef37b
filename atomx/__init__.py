"""atomx: the Python client of the Atomx REST API.

>>> from atomx import Atomx
>>> atomx = Atomx('user@example.com', 'password')  # doctest: +SKIP
"""
import logging

from . import exceptions, models, version
from .session import Atomx
from .timeouts import Timeout

#: The version of this package, a str (what ``atomx --version`` prints).
VERSION = version.VERSION
#: The Atomx REST API version the client speaks, a str; part of the default endpoint.
API_VERSION = version.API_VERSION
#: The same as :data:`VERSION`, under the name packaging tools look for.
__version__ = VERSION

# A library never configures logging; the application decides where 'atomx' goes.
logging.getLogger('atomx').addHandler(logging.NullHandler())

__all__ = ['Atomx', 'API_VERSION', 'Timeout', 'VERSION', '__version__', 'exceptions', 'models']
