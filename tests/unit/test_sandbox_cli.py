"""The ``atomx`` console script's ``sandbox`` sub-command and ``python -m atomx.sandbox``."""
from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

from atomx import cli
from atomx.sandbox import __main__ as sandbox_main


@pytest.fixture
def runs(monkeypatch):
    calls = []
    monkeypatch.setattr(sandbox_main, 'run',
                        lambda *args, prog: calls.append((*args, prog)) or 0)
    return calls


def test_sandbox_subcommand_passes_its_options(runs):
    assert cli.main(['sandbox', '--port', '7000', '--data', 'state.json',
                     '--stats-interval', '0.25']) == 0
    assert runs == [('127.0.0.1', 7000, 'state.json', False, 0.25, 'atomx sandbox')]


def test_module_main_uses_the_documented_defaults(runs):
    assert sandbox_main.main([]) == 0
    assert runs == [('127.0.0.1', 6543, None, False, 1.0, 'python -m atomx.sandbox')]


def test_no_subcommand_prints_help_and_fails(capsys):
    assert cli.main([]) == 2
    assert 'sandbox' in capsys.readouterr().out


def test_bad_port_is_refused_under_the_commands_name(runs, capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(['sandbox', '--port', 'many'])
    assert raised.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith('usage: atomx sandbox') and "invalid int value: 'many'" in error
    assert runs == []


def test_sandbox_help_lists_its_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(['sandbox', '--help'])
    out = capsys.readouterr().out
    assert all(option in out for option in ('--host', '--port', '--data', '--stats-interval'))


def test_building_the_parser_does_not_load_werkzeug():
    code = ('import sys, atomx.cli; atomx.cli.build_parser(); '
            'print(sorted(m for m in sys.modules if m.startswith(("werkzeug", "atomx.sandbox"))))')
    root = pathlib.Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                         check=True, timeout=60, cwd=root).stdout
    assert out.strip() == '[]'


def test_a_data_file_in_use_is_a_message_not_a_traceback(tmp_path, capsys):
    from atomx.sandbox import Sandbox

    path = str(tmp_path / 'state.db')
    with Sandbox(data=path):
        assert sandbox_main.main(['--port', '0', '--data', path]) == 1
    captured = capsys.readouterr()
    assert captured.err == (f'python -m atomx.sandbox: error: cannot start the sandbox: {path} '
                            f'is in use by another sandbox (or program)\n')
    assert captured.out == ''
