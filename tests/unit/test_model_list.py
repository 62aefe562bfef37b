"""What a notebook shows: the list of models that ``get`` returns (a real list with a
table and a DataFrame) and a model's table, whose values read as a person reads them."""
import copy
import pickle
import sys
from datetime import datetime

import pandas as pd
import pytest
import responses

from atomx.display import MAX_CELL, readable
from atomx.exceptions import NoPandasInstalledError
from atomx.model_list import HTML_ROWS, ModelList
from atomx.models import Advertiser, Creative, from_payload
from tests.unit.conftest import API

CREATIVES = [
    {'id': 1, 'title': 'Acme Shoes banner 1', 'state': 'ACTIVE', 'advertiser': 42,
     'created_at': '2026-11-01T10:00:00', 'sizes': [1, 2]},
    {'id': 2, 'title': '<b>bold</b> & "quoted"', 'state': 'INACTIVE', 'advertiser': 42,
     'created_at': '2026-11-02T11:30:00', 'budget': None},
]


@pytest.fixture
def creatives(session, mocked):
    mocked.add(responses.GET, API + '/creatives', json={
        'success': True, 'resource': 'creatives', 'creatives': CREATIVES, 'count': 2})
    listed = session.get('creatives')
    mocked.calls.reset()
    return listed


def test_get_returns_a_model_list_that_is_a_list_in_every_way(creatives):
    assert type(creatives) is ModelList and isinstance(creatives, list)
    assert creatives == [Creative(1), Creative(2)]
    assert [c.title for c in creatives] == ['Acme Shoes banner 1', '<b>bold</b> & "quoted"']
    assert type(creatives[0]) is Creative and creatives[-1].id == 2
    assert type(creatives[:1]) is ModelList and creatives[:1] == [Creative(1)]
    creatives.append(Creative(3))
    assert len(creatives) == 3 and creatives[2].id == 3
    assert type(pickle.loads(pickle.dumps(creatives))) is ModelList
    assert copy.deepcopy(creatives) == creatives


def test_search_lists_are_model_lists(session, mocked):
    mocked.add(responses.GET, API + '/search?q=acme', json={
        'success': True, 'search': {'advertisers': [{'id': 42, 'name': 'Acme'}]}})
    found = session.search('acme')['advertisers']
    assert type(found) is ModelList and found == [Advertiser(42)]


def test_the_html_table_has_a_row_per_model_and_a_column_per_attribute(creatives, mocked):
    page = creatives._repr_html_()
    assert page.startswith('<table class="atomx-models"><caption>2 Creative models</caption>')
    header = page[page.index('<thead>'):page.index('</thead>')]
    assert header == ('<thead><tr><th>id</th><th>title</th><th>state</th><th>advertiser</th>'
                      '<th>created_at</th><th>sizes</th><th>budget</th></tr>')
    assert ('<tr><td>1</td><td>Acme Shoes banner 1</td><td>ACTIVE</td><td>42</td>'
            '<td>2026-11-01T10:00:00</td><td>1, 2</td><td></td></tr>') in page
    # escaped, without Python's quotes; a missing attribute and None are empty cells
    assert ('<td>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;</td>') in page
    assert "'" not in page.replace('&#x27;', '')
    assert len(mocked.calls) == 0  # nothing is fetched to draw the table


def test_a_long_list_shows_its_first_rows_and_says_so():
    many = from_payload('domains', [{'id': n, 'hostname': f'h{n}.com'} for n in range(120)],
                        None)
    page = many._repr_html_()
    assert f'<caption>120 Domain models, the first {HTML_ROWS} shown</caption>' in page
    assert page.count('<tr>') == HTML_ROWS + 1  # the header row, then the models


def test_pandas_is_a_dataframe_of_the_loaded_attributes(creatives, mocked):
    frame = creatives.pandas
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ['id', 'title', 'state', 'advertiser', 'created_at', 'sizes',
                                   'budget']
    assert frame['id'].tolist() == [1, 2]
    assert frame['created_at'].tolist() == [datetime(2026, 11, 1, 10),
                                            datetime(2026, 11, 2, 11, 30)]
    assert str(frame['created_at'].dtype).startswith('datetime64')
    assert frame['sizes'].tolist()[0] == [1, 2]
    assert len(mocked.calls) == 0


def test_a_related_model_is_its_id_in_the_frame():
    profiles = from_payload('profiles', [{'id': 1, 'advertiser': {'id': 42, 'name': 'A'}}], None)
    assert isinstance(profiles[0].advertiser, Advertiser)  # read once: now a model
    assert profiles.pandas['advertiser'].tolist() == [42]
    assert '<td>Advertiser 42</td>' in profiles._repr_html_()


def test_pandas_without_pandas_is_the_documented_error_naming_the_extra(creatives, monkeypatch):
    monkeypatch.setitem(sys.modules, 'pandas', None)
    with pytest.raises(NoPandasInstalledError, match=r'ModelList.pandas needs pandas.*'
                                                     r'pip install "atomx\[report\]"'):
        creatives.pandas  # noqa: B018


def test_a_models_html_shows_values_as_a_person_reads_them(creatives):
    page = creatives[1]._repr_html_()
    assert '<caption>Creative 2</caption>' in page
    assert '<tr><th>title</th><td>&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;</td></tr>' \
        in page
    assert '<tr><th>budget</th><td></td></tr>' in page
    first = creatives[0]._repr_html_()
    assert '<td>Acme Shoes banner 1</td>' in first and "'Acme" not in first
    assert '<tr><th>sizes</th><td>1, 2</td></tr>' in first


@pytest.mark.parametrize('value, shown', [
    ('plain text', 'plain text'), (None, ''), (True, 'True'), (0.5, '0.5'),
    (datetime(2026, 11, 23, 19, 0), '2026-11-23 19:00:00'),
    ([1, 2, 3, 4, 5, 6, 7, 8], '1, 2, 3, 4, 5, 6, … 2 more'), ({'b', 'a'}, 'a, b'),
    (Advertiser(42), 'Advertiser 42'), ([Advertiser(1), None], 'Advertiser 1, '),
    ('x' * 100, 'x' * (MAX_CELL - 1) + '…'), ({'spent': 1.5, 'clicks': 3}, 'spent: 1.5, clicks: 3'),
    (object, "<class 'object'>"),
])
def test_a_cell_reads_as_a_person_reads_it(value, shown):
    assert readable(value) == shown


def test_a_password_never_shows_in_a_table_or_a_frame():
    users = from_payload('users', [{'id': 1, 'email': 'a@b.c', 'password': 'hunter2-secret'}],
                         None)
    for shown in (users._repr_html_(), users[0]._repr_html_(), users.pandas.to_string()):
        assert 'hunter2-secret' not in shown and '***' in shown
    assert users[0].password == 'hunter2-secret'  # the model still holds it
