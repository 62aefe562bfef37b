"""Property-based: whatever Python values a model holds, the body save() sends is
JSON, and decoding it gives the values back in their JSON form."""
import datetime
import json
from decimal import Decimal

from dateutil.parser import isoparse
from hypothesis import given
from hypothesis import strategies as st

from atomx.models import MODEL_CLASSES, AtomxModel, Campaign

TIMEZONES = st.sampled_from([None, datetime.timezone.utc,
                             datetime.timezone(datetime.timedelta(hours=-7, minutes=-30))])
MODELS = st.builds(lambda cls, id: cls(id), st.sampled_from(list(MODEL_CLASSES.values())),
                   st.integers(min_value=1, max_value=10**9))
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(timezones=TIMEZONES), st.dates(),
    st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False,
                allow_infinity=False),
    MODELS,
)
VALUES = st.recursive(
    st.one_of(SCALARS, st.sets(st.integers(), max_size=4), st.lists(MODELS, max_size=3)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=10)
NAMES = st.from_regex(r'[a-z][a-z_]{0,10}', fullmatch=True).filter(
    lambda name: name != 'id' and not hasattr(AtomxModel, name))


class RecordingSession:
    """Stands in for Atomx: keeps what save() hands to put()."""

    def __init__(self):
        self.sent = []

    def put(self, resource, id, json):
        self.sent.append((resource, id, json))
        return {'id': id}


def assert_round_trip(original, decoded):
    """``decoded`` (from the JSON body) is ``original`` in its JSON form."""
    if isinstance(original, AtomxModel):
        assert decoded == original.id
    elif isinstance(original, datetime.datetime):
        assert isoparse(decoded) == original
        assert isoparse(decoded).utcoffset() == original.utcoffset()
    elif isinstance(original, datetime.date):
        assert datetime.date.fromisoformat(decoded) == original
    elif isinstance(original, Decimal):
        assert Decimal(repr(decoded)) == original
    elif isinstance(original, set):
        assert isinstance(decoded, list) and set(decoded) == original
        assert len(decoded) == len(original)
    elif isinstance(original, list):
        assert isinstance(decoded, list) and len(decoded) == len(original)
        for item, decoded_item in zip(original, decoded):
            assert_round_trip(item, decoded_item)
    elif isinstance(original, dict):
        assert isinstance(decoded, dict) and decoded.keys() == original.keys()
        for key, item in original.items():
            assert_round_trip(item, decoded[key])
    else:
        assert decoded == original and type(decoded) is type(original)


@given(st.dictionaries(NAMES, VALUES, min_size=1, max_size=5))
def test_the_save_body_is_json_and_round_trips(changes):
    session = RecordingSession()
    campaign = Campaign(7, session)
    for name, value in changes.items():
        setattr(campaign, name, value)
    campaign.save()
    [(resource, model_id, body)] = session.sent
    assert (resource, model_id) == ('campaign', 7)
    decoded = json.loads(json.dumps(body, allow_nan=False))
    assert decoded.keys() == changes.keys()
    for name, value in changes.items():
        assert_round_trip(value, decoded[name])
    assert campaign._changed_names() == []
