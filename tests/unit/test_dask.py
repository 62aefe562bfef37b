"""atomx.dask.read_report before any request: the meta, the arguments, the missing package,
and the task that pickles without the session."""
import pickle
import sys
from datetime import datetime

import pytest

from atomx.dask import WindowTask, read_report
from atomx.exceptions import MissingDependencyError
from atomx.report_pages import plan_pages
from tests.unit.test_report_pages import ARGS


def no_session():
    raise AssertionError('read_report must not open a session when scope is given')


def test_the_frame_has_one_partition_per_window_and_meta_from_the_columns():
    frame = read_report(no_session, **{**ARGS, 'to': datetime(2026, 3, 4)})
    assert frame.npartitions == 3
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == {
        'hour': 'datetime64[us]', 'site_id': 'int64', 'impressions': 'float64'}


def test_the_task_pickles_with_the_factory_and_the_query_only():
    plan = plan_pages(None, **ARGS)
    task = pickle.loads(pickle.dumps(WindowTask(no_session, plan)))
    assert task == WindowTask(no_session, plan) and task.plan.body['save'] is False
    assert read_report(no_session, split=None, **ARGS).npartitions == 1


def test_bad_arguments_are_refused_before_the_graph():
    with pytest.raises(TypeError, match='session_factory must be a function'):
        read_report('Atomx.from_env', **ARGS)
    with pytest.raises(ValueError, match="split='fortnight' is not allowed"):
        read_report(no_session, split='fortnight', **ARGS)
    with pytest.raises(TypeError, match='not emails:'):
        read_report(no_session, emails=['a@example.com'], **ARGS)


def test_without_dask_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, 'dask.dataframe', None)
    with pytest.raises(MissingDependencyError, match=r'pip install "atomx\[dask\]"') as error:
        read_report(no_session, **ARGS)
    assert error.value.package == 'dask'


OPEN = []  # the session the_open_session gives


def the_open_session():
    return OPEN[0]


def test_a_text_group_of_digits_stays_the_text_the_api_sent(session, mocked):
    import dask
    import responses

    from tests.unit.conftest import API

    columns = ['day', 'zip', 'impressions']
    mocked.add(responses.POST, API + '/report', json={'success': True, 'report': {
        'id': 'r', 'columns': columns, 'data': [['2026-03-01', '01234', 7]], 'query': {}}})
    arguments = {**ARGS, 'groups': ['day', 'zip'], 'to': datetime(2026, 3, 2)}
    OPEN.append(session)
    try:
        with dask.config.set(scheduler='synchronous'):
            computed = read_report(the_open_session, **arguments).compute()
    finally:
        OPEN.clear()
    assert computed['zip'].tolist() == ['01234']  # not 1234.0 read as a metric, then '1234.0'
    assert computed['impressions'].tolist() == [7.0]
