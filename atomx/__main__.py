"""``python -m atomx``: the ``atomx`` command line (see :mod:`atomx.cli`)."""
import sys

from .cli import main

if __name__ == '__main__':
    sys.exit(main())
