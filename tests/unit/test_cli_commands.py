"""The ``atomx`` commands on the wire (``cli.main`` with mocked HTTP): the requests each
command sends, usage errors caught before the login, and failures as exit statuses."""
import argparse
import json
import sys

import pytest
import responses
from responses import matchers

from atomx import Timeout, cli, report_pages, reports
from tests.unit.conftest import API, TOKEN, USER

ENV = {'ATOMX_EMAIL': 'user@example.com', 'ATOMX_PASSWORD': 'password'}
LOGIN_BODY = {'email': 'user@example.com', 'password': 'password'}


@pytest.fixture
def api(mocked):
    """The mock with the login the commands start with (body pinned)."""
    mocked.add(responses.POST, API + '/login',
               json={'success': True, 'auth_token': TOKEN, 'user': USER},
               match=[matchers.json_params_matcher(LOGIN_BODY)])
    return mocked


def run(argv, capsys):
    status = cli.main(argv, ENV)
    out, err = capsys.readouterr()
    return status, out, err


def test_report_options_become_the_documented_report_body(api, capsys):
    body = {'scope': 'advertiser', 'groups': ['hour', 'site_id'], 'metrics': ['impressions'],
            'where': [['site_id', 'in', [1, 2]], ['country_id', '==', 3]],
            'daterange': 'yesterday', 'timezone': 'Europe/Vienna', 'save': True,
            'editable': False}
    api.add(responses.POST, API + '/report',
            json={'success': True, 'resource': 'report',
                  'report': {'id': 'r1', 'columns': ['hour', 'site_id', 'impressions'],
                             'data': [['2024-05-01 13:00:00', 1, 5]]}},
            match=[matchers.json_params_matcher(body),
                   matchers.header_matcher({'Authorization': f'Bearer {TOKEN}'})])
    status, out, err = run(['report', '--scope', 'advertiser', '--groups', 'hour,site_id',
                            '--metrics', 'impressions', '--where', 'site_id in [1,2]',
                            '--where', 'country_id == 3', '--daterange', 'yesterday',
                            '--timezone', 'Europe/Vienna', '--format', 'csv'], capsys)
    assert (status, err) == (0, '')
    assert out == 'hour,site_id,impressions\n2024-05-01 13:00:00,1,5\n'
    assert [call.request.url for call in api.calls] == [API + '/login', API + '/report']


def test_from_and_to_with_a_daterange_is_a_usage_error_before_the_login(api, capsys):
    status, out, err = run(['report', '--scope', 'advertiser', '--groups', 'hour',
                            '--from', '2024-05-01', '--to', '2024-05-02',
                            '--daterange', 'yesterday'], capsys)
    assert (status, out) == (2, '')
    assert err == ("atomx report: error: --daterange='yesterday' sets from and to itself: "
                   "leave --from and --to unset (got --from=2024-05-01 00:00, "
                   "--to=2024-05-02 00:00)\n")
    assert len(api.calls) == 0


@pytest.mark.parametrize('argv, words', [
    (['report', '--groups', 'hour', '--daterange', 'someday'],
     "--daterange='someday' is not allowed"),
    (['report', '--scope', 'everything', '--groups', 'hour'],
     "--scope='everything' is not allowed"),
    (['report', '--metrics', 'clicks', '--where', 'clicks in 3'],
     "--where #1: 'in' needs a list of values, not 3"),
    (['report', '--daterange', 'today'],
     'a report needs --groups or --metrics (or both), e.g. --groups hour --metrics impressions'),
    (['report', '--scope', 'advertiser', '--groups', 'hour', '--from', '2024-05-02',
      '--to', '2024-05-01'],
     '--from (2024-05-02 00:00) must be before --to (2024-05-01 00:00) in whole hours; '
     '--from defaults to 7 days ago and --to to now'),
    (['report', '--scope', 'advertiser', '--groups', 'hour', '--limit', '0'],
     '--limit must be at least 1, not 0'),
])
def test_bad_report_options_are_usage_errors_before_the_login(api, capsys, argv, words):
    status, out, err = run(argv, capsys)
    assert (status, out) == (2, '')
    assert err.startswith('atomx report: error: ') and words in err
    assert len(api.calls) == 0


@pytest.mark.parametrize('query', ['', '  '])
def test_an_empty_search_is_a_usage_error_before_the_login(api, capsys, query):
    status, out, err = run(['search', query], capsys)
    assert (status, out) == (2, '')
    assert err.startswith('atomx search: error: QUERY is empty')
    assert len(api.calls) == 0


def test_without_scope_the_report_is_checked_and_the_scope_left_to_the_login(api, capsys):
    status, out, err = run(['report', '--groups', 'hour', '--daterange', 'today'], capsys)
    assert status == 2 and 'pass --scope, one of ' in err  # the network user's scope
    assert 'scope=' not in err
    assert [call.request.url for call in api.calls] == [API + '/login']


@pytest.mark.parametrize('argv, words', [
    (['get', 'domains', '--progress'], '--progress shows the paging of --all; add --all'),
    (['get', 'domains', '-p', 'a=1', '-p', 'a=2'], '-p a= is given twice'),
    (['get', 'domains', '--all', '-p', 'offset=x'],
     '-p offset=x: offset must be a whole number, 0 or more'),
    (['get', 'advertisers', '-p', 'limit=ten'],
     '-p limit=ten: limit must be a whole number, 0 or more'),
    (['get', 'advertisers', '-p', 'limit=-5'], '-p limit=-5: limit must be'),
    (['get', 'advertisers', '-p', 'limit= 5'], '-p limit= 5: limit must be a whole number'),
    (['get', 'advertisers', '-p', 'offset=' + '9' * 19],
     f'-p offset={"9" * 19}: offset must be a whole number, 0 or more, of at most 18 ASCII '
     'digits'),
    (['get', 'advertiser', '42', '-p', 'depth=3'], '-p depth=3: depth must be 0, 1 or 2'),
])
def test_usage_errors_of_get_are_found_before_the_login(api, capsys, argv, words):
    status, out, err = run(argv, capsys)
    assert (status, out) == (2, '')
    assert err.startswith('atomx get: error: ') and words in err
    assert len(api.calls) == 0


def test_progress_without_tqdm_is_a_usage_error_before_the_login(api, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, 'tqdm', None)  # import tqdm fails
    status, out, err = run(['get', 'domains', '--all', '--progress'], capsys)
    assert (status, out) == (2, '')
    assert err == ('atomx get: error: --progress needs tqdm, which is not installed: '
                   'pip install "atomx[report]" (or pip install tqdm)\n')
    assert len(api.calls) == 0


@pytest.mark.parametrize('name, words', [
    ('missing/rows.csv', "the folder 'missing' does not exist"),
    ('missing/days', "the folder 'missing' does not exist"),
])
def test_an_output_file_that_cannot_be_written_is_refused_when_parsing(
        api, capsys, monkeypatch, tmp_path, name, words):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        cli.main(['report', '--scope', 'advertiser', '--groups', 'hour', '--daterange',
                  'yesterday', '-o', name], ENV)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert 'argument -o/--output: ' in err and words in err
    assert len(api.calls) == 0


def test_a_directory_without_split_is_a_usage_error_before_the_login(api, capsys, tmp_path):
    status, out, err = run(['report', '--scope', 'advertiser', '--groups', 'hour',
                            '--daterange', 'yesterday', '-o', str(tmp_path)], capsys)
    assert (status, out) == (2, '')
    assert err == (f'atomx report: error: -o {tmp_path} is a directory: add --split day (or '
                   f'hour, week, month) to export a Parquet dataset there, or name a file\n')
    assert len(api.calls) == 0


@pytest.mark.parametrize('extra, words', [
    (['--split', 'day'], '--split writes windows to -o DIR (a Parquet dataset) or '
                         '-o FILE.parquet'),
    (['--split', 'day', '-o', 'rows.csv'], '--split writes windows to -o DIR'),
    (['--split', 'day', '-o', 'days', '--limit', '5', '--sort', 'hour'],
     '--sort, --limit cannot be used with --split'),
    (['--split', 'day', '-o', 'days', '--page-size', '0'], '--page-size must be at least 1'),
    (['--split', 'fortnight', '-o', 'days'], "invalid choice: 'fortnight'"),
    (['--split', 'day', '-o', 'days', '--timezone', 'Mars/Olympus'],
     "--timezone='Mars/Olympus' is unknown: use an IANA name such as 'UTC' or 'Europe/Vienna'"),
])
def test_split_needs_a_parquet_output_and_no_single_report_options(
        api, capsys, monkeypatch, tmp_path, extra, words):
    monkeypatch.chdir(tmp_path)
    try:
        status, out, err = run(['report', '--scope', 'advertiser', '--groups', 'hour',
                                '--from', '2026-01-01', '--to', '2026-01-02', *extra], capsys)
    except SystemExit as exited:  # argparse's own usage errors
        status, out, err = exited.code, '', capsys.readouterr().err
    assert (status, out) == (2, '') and words in err
    assert len(api.calls) == 0


def test_a_report_that_cannot_be_written_names_its_id(api, capsys, monkeypatch, tmp_path):
    api.add(responses.POST, API + '/report', json={
        'success': True, 'resource': 'report',
        'report': {'id': 'r7', 'columns': ['hour'], 'data': [['2024-05-01 13:00:00']]}})

    def full_disk(self, path):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(reports.Report, 'to_csv', full_disk)
    status, out, err = run(['report', '--scope', 'advertiser', '--groups', 'hour',
                            '--daterange', 'yesterday', '-o', str(tmp_path / 'rows.csv')],
                           capsys)
    assert (status, out) == (1, '')
    assert err.startswith('atomx report: error: report r7 was created, but writing it to ')
    assert err.endswith('failed: [Errno 28] No space left on device\n')


def test_no_save_sends_save_false_and_one_row_is_singular(api, capsys, tmp_path):
    api.add(responses.POST, API + '/report', json={
        'success': True, 'resource': 'report',
        'report': {'id': 'r8', 'columns': ['hour'], 'data': [['2024-05-01 13:00:00']]}},
        match=[matchers.json_params_matcher({
            'scope': 'advertiser', 'groups': ['hour'], 'metrics': [], 'where': [],
            'daterange': 'yesterday', 'timezone': 'UTC', 'save': False, 'editable': False})])
    target = tmp_path / 'rows.csv'
    status, out, err = run(['report', '--scope', 'advertiser', '--groups', 'hour',
                            '--daterange', 'yesterday', '--no-save', '-o', str(target)], capsys)
    assert (status, out) == (0, '')
    assert err == f'report r8: 1 row written to {target}\n'


def test_report_help_says_what_saving_means(capsys):
    with pytest.raises(SystemExit):
        cli.main(['report', '--help'], ENV)
    help_text = ' '.join(capsys.readouterr().out.split())
    assert '--no-save' in help_text and 'report history' in help_text
    assert 'atomx get reports lists it' in help_text.replace('`', '')


def test_get_reports_prints_the_reports_data(api, capsys):
    api.add(responses.GET, API + '/reports', json={
        'success': True, 'resource': 'reporting',
        'reporting': {'reports': [{'id': 'fef0', 'name': 'daily', 'length': 14,
                                 'created_at': '2026-11-20T10:00:00'}],
                    'scheduled': [{'id': 'beef', 'length': 3, 'is_scheduled_report': True,
                                   'created_at': '2026-11-21T10:00:00'}]}})
    status, out, err = run(['get', 'reports', '--format', 'csv'], capsys)
    assert (status, err) == (0, '')
    assert out.splitlines() == ['id,name,length,created_at,scheduled',
                                'fef0,daily,14,2026-11-20 10:00:00,false',
                                'beef,,3,2026-11-21 10:00:00,true']


def test_an_os_error_while_printing_is_exit_status_1(api, capsys, monkeypatch):
    api.add(responses.GET, API + '/domain/1/hostname',
            json={'success': True, 'resource': 'domain', 'domain': 'a.example'})

    def full_disk(*args):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(cli.cli_commands.cli_output, 'write_value', full_disk)
    status, out, err = run(['get', 'domain', '1', 'hostname'], capsys)
    assert (status, out) == (1, '')
    assert err == 'atomx get: error: [Errno 28] No space left on device\n'


def test_sandbox_without_werkzeug_is_a_usage_error(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, 'werkzeug', None)
    for module in ('atomx.sandbox', 'atomx.sandbox.__main__'):
        monkeypatch.delitem(sys.modules, module, raising=False)
    status, out, err = run(['sandbox', '--port', '0'], capsys)
    assert (status, out) == (2, '')
    # the message of every missing optional package (atomx.optional.missing_message)
    assert err == ('atomx sandbox: error: atomx sandbox needs werkzeug, which is not '
                   'installed: pip install "atomx[sandbox]" (or pip install werkzeug)\n')


@responses.activate  # nothing may be sent: no login, no handshake
def test_watch_without_websockets_is_a_usage_error_before_the_login(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, 'websockets', None)
    monkeypatch.setitem(sys.modules, 'websockets.sync.client', None)
    status, out, err = run(['watch', 'advertiser:42'], capsys)
    assert (status, out, len(responses.calls)) == (2, '', 0)  # was 1, as if the API failed
    assert err == ('atomx watch: error: atomx watch needs websockets, which is not '
                   'installed: pip install "atomx[live]" (or pip install websockets)\n')


def add_two_pages(api, **query):
    """1,001 domains in a full page of 1,000 and a short one of 1, for ``query``."""
    for offset, first, number in ((0, 1, 1000), (1000, 1001, 1)):
        items = [{'id': ident, 'hostname': f'h{ident}'} for ident in range(first, first + number)]
        api.add(responses.GET, API + '/domains',
                json={'success': True, 'resource': 'domains', 'domains': items},
                match=[matchers.query_param_matcher(
                    {'limit': '1000', 'offset': str(offset), 'sort': 'id.asc', **query})])


def test_get_all_as_a_table_pages_through_and_prints_every_row(api, capsys):
    add_two_pages(api)
    status, out, err = run(['get', 'domains', '--all'], capsys)
    assert (status, err) == (0, '')
    lines = [line.split() for line in out.splitlines()]
    assert lines[:3] == [['id', 'hostname'], ['----', '--------'], ['1', 'h1']]
    assert lines[2:] == [[str(ident), f'h{ident}'] for ident in range(1, 1002)]
    assert len(api.calls) == 3  # the login and two pages


def test_get_all_json_streams_every_page_with_the_filters(api, capsys):
    add_two_pages(api, state='ACTIVE')
    status, out, err = run(['get', 'domains', '--all', '-p', 'state=ACTIVE',
                            '--format', 'json'], capsys)
    assert (status, err) == (0, '')
    assert json.loads(out) == [{'id': ident, 'hostname': f'h{ident}'}
                               for ident in range(1, 1002)]


def test_get_all_limit_caps_the_total(api, capsys):
    api.add(responses.GET, API + '/domains',
            json={'success': True, 'resource': 'domains', 'domains': [{'id': 5}, {'id': 6}]},
            match=[matchers.query_param_matcher({'limit': '2', 'offset': '4',
                                                 'sort': 'id.desc'})])
    status, out, err = run(['get', 'domains', '--all', '-p', 'limit=2', '-p', 'offset=4',
                            '-p', 'sort=id.desc', '--format', 'csv'], capsys)
    assert (status, err, out) == (0, '', 'id\n5\n6\n')


# -- the parser, as the docs show it ----------------------------------------------------

def sub_commands():
    parser = cli.build_parser()
    action = next(action for action in parser._actions
                  if isinstance(action, argparse._SubParsersAction))
    return parser, action.choices


def test_build_parser_has_every_command_with_a_summary():
    _, commands = sub_commands()
    assert sorted(commands) == ['config', 'get', 'logout', 'report', 'sandbox', 'search',
                                'watch']
    assert all(command.description for command in commands.values())


def test_every_help_ends_with_an_example():
    parser, commands = sub_commands()
    for command in [parser, *commands.values()]:
        last = command.format_help().rstrip().split('\n\n')[-1].splitlines()
        assert last[0] == 'example:', command.prog
        assert last[1].lstrip().startswith(('atomx ', 'ATOMX_EMAIL=')), command.prog


def test_the_sandbox_help_when_run_ends_with_its_example(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(['sandbox', '--help'])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith('example:\n  atomx sandbox --port 6543 --data sandbox.db')


def test_watch_keeps_its_own_timeout_and_the_connection_one_goes_before_it():
    parser = cli.build_parser()
    args = parser.parse_args(['watch', 'advertiser:42', '--timeout', '3'])
    assert args.timeout == 3.0 and not hasattr(args, 'request_timeout')
    args = parser.parse_args(['--timeout', '5,30', 'watch', 'advertiser:42'])
    assert args.request_timeout == Timeout(5, 30) and args.timeout is None
    args = parser.parse_args(['get', 'domains', '--timeout', '7', '--retries', '0'])
    assert (args.request_timeout, args.retries) == (Timeout(7, 7), 0)
    args = parser.parse_args(['get', 'domains', '--timeout', '5,60,90'])
    assert args.request_timeout == Timeout(5, 60, 90)


def test_split_passes_the_row_arguments_and_refuses_every_other_option_given():
    args = cli.build_parser().parse_args([
        'report', '--scope', 'advertiser', '--groups', 'hour', '--from', '2026-01-01',
        '--to', '2026-01-02', '--name', 'n', '--sort', 'hour', '--limit', '5', '--no-save',
        '--split', 'day', '-o', 'days'])
    selection, refused = cli.cli_commands.split_arguments(args)
    assert list(selection) == [name for name in cli.cli_commands.REPORT_PARAMETERS
                               if name in report_pages.ROW_ARGUMENTS]
    assert refused == ['--name', '--sort', '--limit']  # --no-save is what the pages do
    # every option of atomx report is passed on, refused when given, or --no-save
    given = cli.cli_commands.report_arguments(args)
    assert set(given) == set(selection) | {'name', 'sort', 'limit', 'save'}
