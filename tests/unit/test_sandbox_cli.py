"""The ``atomx`` console script's ``sandbox`` sub-command and ``python -m atomx.sandbox``."""
from __future__ import annotations

import pytest

from atomx import cli
from atomx.sandbox import __main__ as sandbox_main


def test_sandbox_subcommand_passes_its_options(monkeypatch):
    calls = []
    monkeypatch.setattr(sandbox_main, 'run', lambda *args: calls.append(args) or 0)
    assert cli.main(['sandbox', '--port', '7000', '--data', 'state.json']) == 0
    assert calls == [('127.0.0.1', 7000, 'state.json', False)]


def test_module_main_uses_the_documented_defaults(monkeypatch):
    calls = []
    monkeypatch.setattr(sandbox_main, 'run', lambda *args: calls.append(args) or 0)
    assert sandbox_main.main([]) == 0
    assert calls == [('127.0.0.1', 6543, None, False)]


def test_no_subcommand_prints_help_and_fails(capsys):
    assert cli.main([]) == 2
    assert 'sandbox' in capsys.readouterr().out


def test_bad_port_is_refused_by_argparse(capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(['sandbox', '--port', 'many'])
    assert raised.value.code == 2
    assert "invalid int value: 'many'" in capsys.readouterr().err
