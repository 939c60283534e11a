"""The API fuzzed against its own OpenAPI document with schemathesis (property-based).

The document is the one the application serves at /api/v1/schema/; schemathesis
generates requests from it (valid and invalid query strings, bodies and ids) and
sends them through the WSGI application with a token that has every scope, for an
integration whose account is principal at school A. Every response must be no
5xx, have a documented status code and content type, and match the documented
schema. Half of the generated ids are swapped for those of real objects the
account reaches, so the objects are answered as well as the 404s. The number of examples is bounded so
the run stays around a minute on each database.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.validators import RegexValidator
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from studievag.api.drf import PerTokenThrottle
from studievag.api.models import Scope
from studievag.api.serializers import StudentListQuery
from studievag.limits import SEARCH_MAX_WORDS, search_words

from .endpoints import alice_with_plan, course_group, handover

EXAMPLES = 8


@pytest.fixture
def _connection_kept():
    """The WSGI handler closes the database connection after each request when it is not in
    autocommit, as inside the test's transaction; Django's test client keeps it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(cast, issue, monkeypatch, _connection_kept):
    # The per-token limit is tested on its own; here it would only cut the run short.
    monkeypatch.setattr(PerTokenThrottle, "rate", "1000000/min", raising=False)
    return issue(*Scope.values)


def _document() -> dict:
    """The OpenAPI document as /api/v1/schema/ serves it (generated here, before any database)."""
    generator = SchemaGenerator(urlconf=get_resolver().urlconf_name)
    return json.loads(json.dumps(generator.get_schema(request=None, public=True), default=str))


schema = schemathesis.openapi.from_dict(_document())
schema.app = get_wsgi_application()

REAL_IDS = {
    "/api/v1/students/": alice_with_plan,
    "/api/v1/course-groups/": course_group,
    "/api/v1/handovers/": handover,
}


@pytest.fixture
def real_ids(cast) -> dict[str, int]:
    """Objects the account reaches: half of the generated ids are swapped for these."""
    return {prefix: make(cast)["id"] for prefix, make in REAL_IDS.items()}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case, fuzz_token, real_ids):
    generated = (case.path_parameters or {}).get("id")
    if isinstance(generated, int) and generated % 2 == 0:
        prefix = next(p for p in real_ids if case.path.startswith(p))
        case.path_parameters["id"] = real_ids[prefix]
    # A write that fits the document can still be refused by the rules the document cannot hold
    # (the student is in the group, the week starts on a Monday, absence within the scheduled
    # minutes): a 400 naming the row, not the "schema-valid data is accepted" that fits reads.
    excluded = [positive_data_acceptance] if case.method.upper() == "POST" else []
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, excluded_checks=excluded)


_SPACES_AND_MORE = "\t\n\x0b\x0c\r \x1c\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b"


@given(st.text(alphabet=st.sampled_from([*_SPACES_AND_MORE, "a", "Å", "1", "-"]), max_size=40))
def test_the_documented_search_pattern_counts_words_as_the_search_does(text):
    """The fuzzer once found a search the document allowed and the list refused: the
    pattern took U+FEFF for a space, Python's split keeps it in a word. The pattern
    counts words as Python splits them, and what it allows the search takes."""
    (validator,) = [v for v in StudentListQuery().fields["q"].validators if isinstance(v, RegexValidator)]
    allowed = bool(validator.regex.search(text))
    assert allowed == (len(text.split()) <= SEARCH_MAX_WORDS)
    if allowed:
        search_words(text)  # raises if the list would refuse it
