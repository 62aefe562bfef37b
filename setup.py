"""Packaging for atomx: the version comes from atomx/version.py, the only place it lives."""
import pathlib

from setuptools import find_packages, setup

HERE = pathlib.Path(__file__).parent
about: dict = {}
exec((HERE / 'atomx' / 'version.py').read_text(encoding='utf-8'), about)

EXTRAS = {
    'report': ['pandas>=1.3', 'matplotlib>=3.3', 'tqdm>=4.60', 'orjson>=3.6'],
    'speedups': ['orjson>=3.6'],
    'sandbox': ['werkzeug>=2.2'],
    'arrow': ['pyarrow>=14'],
    'polars': ['pyarrow>=14', 'polars>=0.20'],
    'dask': ['pyarrow>=14', 'pandas>=1.3', 'dask[dataframe]>=2024.1', 'distributed>=2024.1'],
    'live': ['websockets>=15'],
    'test': [
        'pytest>=7', 'responses>=0.23', 'hypothesis>=6', 'werkzeug>=2.2', 'docutils>=0.18',
        'pandas>=1.3', 'matplotlib>=3.3', 'tqdm>=4.60', 'sphinx>=6', 'orjson>=3.6',
        'websockets>=15', 'pyarrow>=14', 'polars>=0.20', 'dask[dataframe]>=2024.1',
        'distributed>=2024.1', 'cryptography>=3.1',
        # tests/unit/test_typing.py: mypy --strict on typed scripts, the editable layout
        'mypy', 'types-requests', 'setuptools>=64',
    ],
    'lint': ['ruff', 'mypy', 'types-requests', 'types-python-dateutil'],
    'docs': ['sphinx>=6', 'werkzeug>=2.2', 'pandas>=1.3', 'pytest>=7'],
}
EXTRAS['all'] = sorted({req for reqs in EXTRAS.values() for req in reqs})

setup(
    name='atomx',
    version=about['VERSION'],
    description='Python client for the Atomx REST API',
    long_description=(HERE / 'README.rst').read_text(encoding='utf-8'),
    long_description_content_type='text/x-rst',
    license='ISC',
    packages=find_packages(include=['atomx', 'atomx.*']),
    # The packages live in the project's root, said explicitly: setuptools then makes
    # `pip install -e .` a path file (.pth), which mypy and editors follow, instead of
    # an import hook, which they cannot (mypy would not find atomx at all).
    package_dir={'': '.'},
    package_data={'atomx': ['py.typed']},
    python_requires='>=3.9',
    install_requires=['requests>=2.25', 'python-dateutil>=2.8'],
    extras_require=EXTRAS,
    entry_points={'console_scripts': ['atomx = atomx.cli:main']},
    classifiers=[
        'Programming Language :: Python :: 3',
        'Programming Language :: Python :: 3 :: Only',
        'Typing :: Typed',
        'Intended Audience :: Developers',
    ],
)
