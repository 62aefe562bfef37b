"""What setup.py declares for the extras of issue 6: the ``atomx`` console script and the
optional packages (tqdm for progress bars, orjson for faster decoding)."""
import runpy
from pathlib import Path

import pytest
import setuptools

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def declared():
    """The keyword arguments setup.py passes to ``setuptools.setup``."""
    seen = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(setuptools, 'setup', lambda **kwargs: seen.update(kwargs))
        patch.chdir(ROOT)
        runpy.run_path(str(ROOT / 'setup.py'), run_name='__main__')
    return seen


def names(requirements):
    return {requirement.split('>', 1)[0].split('=', 1)[0] for requirement in requirements}


def test_the_console_script_is_the_cli_main(declared):
    assert declared['entry_points']['console_scripts'] == ['atomx = atomx.cli:main']


@pytest.mark.parametrize('extra', ['report', 'all'])
def test_tqdm_comes_with_report_and_all(declared, extra):
    assert 'tqdm' in names(declared['extras_require'][extra])


@pytest.mark.parametrize('extra', ['speedups', 'report', 'all'])
def test_orjson_comes_with_speedups_report_and_all(declared, extra):
    assert 'orjson' in names(declared['extras_require'][extra])


def test_neither_is_required(declared):
    assert not names(declared['install_requires']) & {'tqdm', 'orjson'}
