"""The output formats of the ``atomx`` command line."""
import io
import json
from datetime import datetime

import pytest

from atomx.cli_output import (
    MIN_COLUMN_WIDTH,
    TABLE_CELL_WIDTH,
    cell,
    fit_table,
    plain,
    plural,
    printable,
    table_width,
    write_json_stream,
    write_rows,
    write_value,
)
from atomx.models import Domain
from atomx.reports import Report


def written(write, *args):
    stream = io.StringIO()
    write(*args, stream)
    return stream.getvalue()


def domains():
    return [Domain(id=1, hostname='a.example', sites=[1, 2]),
            Domain(id=2, hostname='b.example', state='ACTIVE')]


def test_plain_replaces_models_by_their_attributes_at_any_depth():
    assert plain({'domains': domains()[:1], 'n': 3}) == {
        'domains': [{'id': 1, 'hostname': 'a.example', 'sites': [1, 2]}], 'n': 3}


def test_cells():
    assert [cell(None), cell(True), cell([1, 2]), cell({'a': 1}), cell(1.5)] == \
        ['', 'true', '[1,2]', '{"a":1}', '1.5']


def test_a_list_of_models_as_csv_has_every_column_in_first_seen_order():
    assert written(write_value, domains(), 'csv') == (
        'id,hostname,sites,state\n1,a.example,"[1,2]",\n2,b.example,,ACTIVE\n')


def test_a_list_of_models_as_json():
    assert json.loads(written(write_value, domains(), 'json')) == [
        {'id': 1, 'hostname': 'a.example', 'sites': [1, 2]},
        {'id': 2, 'hostname': 'b.example', 'state': 'ACTIVE'}]


def test_a_table_aligns_columns_and_cuts_long_cells():
    long = 'x' * (TABLE_CELL_WIDTH + 10)
    text = written(write_rows, ['id', 'name'], [[1, long], [22, 'short']], 'table')
    assert text.splitlines() == [
        'id  name',
        '--  ' + '-' * TABLE_CELL_WIDTH,
        '1   ' + 'x' * (TABLE_CELL_WIDTH - 1) + '…',
        '22  short',
    ]


def test_a_table_never_prints_control_characters_from_the_api():
    # anyone may name a site: ESC would drive the terminal (clear it, set its title)
    name = 'evil\x1b]0;owned\x07\x1b[2J\x9b31m\x7f'
    text = written(write_rows, ['id', 'name'], [[1, name]], 'table')
    assert text.splitlines()[2] == '1   evil\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\x7f'
    assert printable('a\nb\tc é') == 'a\\nb\\tc é'
    # csv and JSON keep the data exactly (csv quotes it, JSON escapes it)
    assert '\x1b' in written(write_rows, ['name'], [[name]], 'csv')


def test_a_table_makes_each_text_printable_once(monkeypatch):
    seen = []

    def counted(text):
        seen.append(text)
        return printable(text)

    monkeypatch.setattr('atomx.cli_output.printable', counted)
    stream = io.StringIO()
    write_rows(['id', 'name'], [[1, 'a  b'], [2, 'x' * 60], [3, None]], 'table', stream, 20)
    assert len(seen) == 2 + 3 * 2  # the header and each cell once (each was twice, and the
    # rule under the header once more)
    assert stream.getvalue().splitlines()[2:] == ['1   a b', '2   ' + 'x' * 15 + '…', '3']


def test_one_model_is_a_name_value_table_one_csv_row_or_a_json_object():
    model = Domain(id=3, hostname='c.example')
    assert written(write_value, model, 'table').splitlines() == [
        'attribute  value', '---------  ---------', 'id         3', 'hostname   c.example']
    assert written(write_value, model, 'csv') == 'id,hostname\n3,c.example\n'
    assert json.loads(written(write_value, model, 'json')) == {'id': 3, 'hostname': 'c.example'}


def test_plain_values_print_as_they_are():
    assert written(write_value, 'mininova.org', 'table') == 'mininova.org\n'
    assert written(write_value, 'mininova.org', 'json') == '"mininova.org"\n'
    assert written(write_value, [4, 5], 'csv') == 'value\n4\n5\n'


def test_json_stream_is_a_valid_json_list_of_any_length():
    for count in (0, 1, 3):
        stream = io.StringIO()
        models = (domains() * 2)[:count]
        assert write_json_stream(iter(models), stream) == count
        assert json.loads(stream.getvalue()) == [model.json for model in models]


# -- tables that fit the terminal ----------------------------------------------------

def wide_rows():
    columns = ['id', 'name', 'url', 'state', 'budget', 'created_at', 'notes']
    rows = [[7, 'Acme Shoes advertiser with a long name', 'https://acme.example/' + 'x' * 30,
             'ACTIVE', 1500.5, '2026-11-20T10:00:00', 'n' * 35]]
    return columns, rows


def table_lines(columns, rows, width):
    stream = io.StringIO()
    write_rows(columns, rows, 'table', stream, width)
    return stream.getvalue().splitlines()


@pytest.mark.parametrize('width', [80, 60, 40])
def test_a_table_fits_the_width_by_shortening_the_widest_cells_first(width):
    columns, rows = wide_rows()
    lines = table_lines(columns, rows, width)
    table = [line for line in lines if not line.startswith('(')]
    assert all(len(line) <= width for line in table), lines
    assert table[0].split()[:2] == ['id', 'name']  # the first columns stay, headers whole
    assert '…' in table[2]  # cells were shortened, and say so


def test_columns_that_cannot_fit_are_left_out_from_the_end_and_named():
    columns, rows = wide_rows()
    lines = table_lines(columns, rows, 40)
    shown = lines[0].split()
    left_out = columns[len(shown):]
    assert shown == columns[:len(shown)] and left_out
    assert lines[-1] == (f'({plural(len(left_out), "column")} left out to fit 40 characters: '
                         f'{", ".join(left_out)}; --wide shows every column)')


def test_without_a_width_every_column_is_written_in_full():
    columns, rows = wide_rows()
    lines = table_lines(columns, rows, None)
    assert lines[0].split() == columns
    assert 'Acme Shoes advertiser with a long name' in lines[2]
    assert len(lines) == 3  # no note


def test_a_table_that_fits_is_not_changed_by_the_width():
    columns, rows = ['id', 'name'], [[1, 'a'], [22, 'bb']]
    assert table_lines(columns, rows, 80) == table_lines(columns, rows, None)


def test_fit_table_never_shortens_below_the_floor_or_cuts_a_header():
    widths = fit_table(['id', 'hostname_of_the_domain', 'x'],
                       [['1', 'h' * 30, 'y' * 30]], 60)
    assert widths[0] == 2 and widths[1] >= len('hostname_of_the_domain')
    assert all(width >= min(MIN_COLUMN_WIDTH, 30) for width in widths[1:])
    assert sum(widths) + 2 * (len(widths) - 1) <= 60


def test_one_column_wider_than_the_terminal_is_cut_to_it():
    assert fit_table(['name'], [['n' * 40]], 12) == [12]


def test_table_width_reads_columns_then_the_terminal_and_not_a_pipe():
    assert table_width(io.StringIO(), environ={'COLUMNS': '72'}) == 72
    assert table_width(io.StringIO(), wide=True, environ={'COLUMNS': '72'}) is None
    assert table_width(io.StringIO(), environ={}) is None  # not a terminal: every column


def test_plural():
    assert [plural(count, 'row') for count in (0, 1, 2)] == ['0 rows', '1 row', '2 rows']


# -- reports, as `atomx get reports` shows them ---------------------------------------

def reports_answer():
    created = '2026-11-20T10:00:00'
    return {'reports': [Report('fef0', name='daily', length=14, created_at=created,
                               data=[[1]] * 14)],
            'scheduled': [Report('beef', name=None, length=0, created_at=created,
                                 is_scheduled_report=True)]}


def test_get_reports_prints_each_reports_data_not_its_repr():
    for output_format in ('table', 'csv', 'json'):
        text = written(write_value, reports_answer(), output_format)
        assert 'Report(' not in text, output_format
    assert written(write_value, reports_answer(), 'csv').splitlines() == [
        'id,name,length,created_at,scheduled',
        'fef0,daily,14,2026-11-20 10:00:00,false',
        'beef,,0,2026-11-20 10:00:00,true']
    assert json.loads(written(write_value, reports_answer(), 'json')) == {
        'reports': [{'id': 'fef0', 'name': 'daily', 'length': 14,
                     'created_at': '2026-11-20 10:00:00', 'scheduled': False}],
        'scheduled': [{'id': 'beef', 'name': None, 'length': 0,
                       'created_at': '2026-11-20 10:00:00', 'scheduled': True}]}
    assert written(write_value, reports_answer(), 'table').splitlines()[0].split() == [
        'id', 'name', 'length', 'created_at', 'scheduled']


def test_no_reports_is_an_empty_table_with_the_report_columns():
    text = written(write_value, {'reports': [], 'scheduled': []}, 'csv')
    assert text == 'id,name,length,created_at,scheduled\n'


def test_report_summary_keeps_the_created_at_datetime_for_json():
    summary = plain(Report('a', created_at='2026-11-20T10:00:00'))
    assert summary['created_at'] == datetime(2026, 11, 20, 10)


def test_one_report_prints_its_rows_as_atomx_report_does():
    report = Report('fef0', columns=['day', 'impressions'],
                    data=[['2026-11-20', 5], ['2026-11-21', 7]])
    assert written(write_value, report, 'csv') == (
        'day,impressions\n2026-11-20,5\n2026-11-21,7\n')
    assert json.loads(written(write_value, report, 'json')) == [
        {'day': '2026-11-20', 'impressions': 5}, {'day': '2026-11-21', 'impressions': 7}]
