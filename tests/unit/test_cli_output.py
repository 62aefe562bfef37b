"""The output formats of the ``atomx`` command line."""
import io
import json

from atomx.cli_output import (
    TABLE_CELL_WIDTH,
    cell,
    plain,
    printable,
    write_json_stream,
    write_rows,
    write_value,
)
from atomx.models import Domain


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
