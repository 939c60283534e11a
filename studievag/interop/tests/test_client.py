"""The client and the test register: paging by pageToken, changes since a time, deletions, errors,
and every answer of the register checked against SS 12000's OpenAPI document."""

import datetime

import pytest
import requests

from studievag.interop.ss12000 import builders, schema
from studievag.interop.ss12000.client import Client, ClientError, rfc3339
from studievag.interop.ss12000.testserver import Register, serve

TOKEN = "t0ken"


@pytest.fixture
def clock():
    class Clock:
        now = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)

        def __call__(self):
            return self.now

    return Clock()


@pytest.fixture
def register(clock):
    register = Register(clock=clock)
    for i in range(7):
        register.put("/persons", builders.person(given_name=f"Elev{i}", family_name="Test"))
        clock.now += datetime.timedelta(minutes=1)
    return register


@pytest.fixture
def server(register):
    with serve(register, token=TOKEN) as (url, app):
        yield url, app
        assert app.invalid == []


def test_every_page_is_read_and_no_entity_twice(server, register):
    url, app = server
    client = Client(url, token=TOKEN, page_size=3)
    ids = [p["id"] for p in client.collection("/persons")]
    assert sorted(ids) == sorted(p["id"] for p in register.all("/persons"))
    assert len(ids) == len(set(ids)) == 7
    assert client.requests_made == 3
    # Follow-up pages carry only the token and the limit, never the filters again.
    assert all(r.startswith("GET /persons?pageToken=") and "&limit=3" in r for r in app.requests[1:])


def test_changes_while_paging_are_neither_skipped_nor_repeated(server, register, clock):
    url, _app = server
    client = Client(url, token=TOKEN, page_size=3)
    pages = client.pages("/persons")
    first = next(pages)
    clock.now += datetime.timedelta(hours=1)
    changed = register.put("/persons", {**register.get("/persons", first[0]["id"]), "givenName": "Ny"})
    rest = [p for page in pages for p in page]
    assert [p["id"] for p in first + rest].count(changed["id"]) == 2  # once as it was, once changed at the end
    assert len({p["id"] for p in first + rest}) == 7


def test_modified_after_is_exclusive(server, register):
    url, _app = server
    persons = sorted(register.all("/persons"), key=lambda p: p["meta"]["modified"])
    after = datetime.datetime.fromisoformat(persons[3]["meta"]["modified"].replace("Z", "+00:00"))
    got = list(Client(url, token=TOKEN).collection("/persons", modified_after=after))
    assert [p["id"] for p in got] == [p["id"] for p in persons[4:]]


def test_deleted_entities_are_read_across_pages(server, register, clock):
    url, _app = server
    before = clock.now
    ids = [p["id"] for p in register.all("/persons")[:5]]
    for i in ids:
        clock.now += datetime.timedelta(seconds=1)
        register.delete("/persons", i)
    client = Client(url, token=TOKEN, page_size=2)
    assert client.deleted_entities(after=before, entities=["Person"]) == {"persons": ids}
    assert client.deleted_entities(after=clock.now, entities=["Person"]) == {}


def test_a_page_token_with_filters_is_a_400_as_the_standard_says(server):
    url, _app = server
    response = requests.get(
        f"{url}/persons",
        params={"pageToken": "abc", "meta.modified.after": "2026-01-01T00:00:00Z"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5,
    )
    assert response.status_code == 400
    assert schema.errors("Error", response.json()) == []


def test_a_forged_page_token_is_refused(server):
    url, _app = server
    with pytest.raises(ClientError, match="400"):
        list(Client(url, token=TOKEN).pages("/persons", params={"pageToken": "bm90LWEtdG9rZW4"}))


def test_without_the_token_the_register_says_no(server):
    url, _app = server
    with pytest.raises(ClientError) as error:
        list(Client(url, token="wrong").collection("/persons"))
    assert error.value.status == 401 and error.value.code == "UNAUTHORIZED"


def test_one_entity_and_a_lookup(server, register):
    url, _app = server
    client = Client(url, token=TOKEN)
    some = register.all("/persons")[:2]
    assert client.get("/persons", some[0]["id"]) == some[0]
    assert client.get("/persons", "00000000-0000-4000-8000-000000000000") is None
    assert {p["id"] for p in client.lookup("/persons", [p["id"] for p in some])} == {p["id"] for p in some}


def test_the_register_refuses_to_send_what_breaks_the_standard(server, register):
    url, app = server
    register.put("/persons", {"id": "00000000-0000-4000-8000-00000000000b", "givenName": "X"})  # no familyName
    with pytest.raises(ClientError, match="500"):
        list(Client(url, token=TOKEN, retries=0).collection("/persons"))
    assert app.invalid and "PersonsExpanded" in app.invalid[0]
    app.invalid.clear()


def test_busy_answers_are_retried_then_reported(monkeypatch):
    calls = []

    class Busy(requests.Session):
        def request(self, method, url, **kwargs):
            calls.append(url)
            response = requests.Response()
            response.status_code = 503
            response._content = b'{"code": "BUSY", "message": "try later"}'
            return response

    client = Client("http://register.invalid", token=TOKEN, session=Busy(), retries=2, sleep=lambda s: None)
    with pytest.raises(ClientError, match="503"):
        list(client.collection("/persons"))
    assert len(calls) == 3


def test_times_are_sent_in_utc_with_a_zone():
    moment = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    assert rfc3339(moment) == "2026-09-01T08:00:00.000Z"
    with pytest.raises(ValueError):
        rfc3339(datetime.datetime(2026, 9, 1))
