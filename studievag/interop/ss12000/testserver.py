"""A student register that answers as SS 12000 says: the test server.

``Register`` holds organisations, programmes, persons, groups and duties in
memory; every write stamps ``meta.created``/``meta.modified`` from a clock that
never goes backwards, and a deletion is remembered for ``/deletedEntities``.
``RegisterApp`` is a WSGI application over it with bearer-token checks,
``meta.modified.after`` filters, ``limit`` and opaque ``pageToken`` paging
(keyset: a page never skips or repeats an entity while others change), and
the standard's 400 when a page token is combined with filters. Every answer
is validated against the OpenAPI document before it leaves; one that does not
follow the standard is a 500 and is kept in ``RegisterApp.invalid`` so a test
can fail on it.

``serve()`` runs it on 127.0.0.1 in a thread, for the tests and for the
demo command that plays a municipality's register.
"""

import base64
import binascii
import contextlib
import datetime
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from . import schema
from .client import rfc3339

# The collections the register serves: URL path -> (kind in /deletedEntities, EndPointsEnum value).
COLLECTIONS = {
    "/organisations": ("organisations", "Organisation"),
    "/programmes": ("programmes", "Programme"),
    "/persons": ("persons", "Person"),
    "/groups": ("groups", "Group"),
    "/duties": ("duties", "Duty"),
    "/studyplans": ("studyPlans", "StudyPlan"),
}
KIND_BY_ENDPOINT = {endpoint: kind for kind, endpoint in COLLECTIONS.values()}


def _parse_time(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("no time zone")
    return moment


@dataclass
class Register:
    """The register's data. ``put`` and ``delete`` are what its users do in the school system."""

    clock: Callable[[], datetime.datetime] = lambda: datetime.datetime.now(datetime.UTC)
    entities: dict[str, dict[str, dict]] = field(default_factory=lambda: {p: {} for p in COLLECTIONS})
    deletions: list[tuple[datetime.datetime, str, str]] = field(default_factory=list)
    _last: datetime.datetime | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _tick(self) -> datetime.datetime:
        now = self.clock().astimezone(datetime.UTC).replace(microsecond=self.clock().microsecond // 1000 * 1000)
        if self._last is not None and now <= self._last:
            now = self._last + datetime.timedelta(milliseconds=1)
        self._last = now
        return now

    def put(self, path: str, entity: dict) -> dict:
        """Create or replace an entity (``path`` as ``/persons``); its meta is stamped here."""
        with self._lock:
            now = self._tick()
            old = self.entities[path].get(entity["id"])
            created = old["meta"]["created"] if old else rfc3339(now)
            stored = {**entity, "meta": {"created": created, "modified": rfc3339(now)}}
            self.entities[path][entity["id"]] = stored
            return stored

    def delete(self, path: str, entity_id: str) -> None:
        with self._lock:
            del self.entities[path][entity_id]
            self.deletions.append((self._tick(), COLLECTIONS[path][0], entity_id))

    def get(self, path: str, entity_id: str) -> dict | None:
        return self.entities[path].get(entity_id)

    def all(self, path: str) -> list[dict]:
        return list(self.entities[path].values())


class BadRequest(Exception):
    pass


def _token(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def _untoken(token: str) -> dict:
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise BadRequest("The page token is not one this server gave out.") from error
    if not isinstance(payload, dict) or "path" not in payload:
        raise BadRequest("The page token is not one this server gave out.")
    return payload


class RegisterApp:
    """The WSGI application. ``token``: the bearer token it accepts."""

    max_page_size = 1000

    def __init__(self, register: Register, *, token: str):
        self.register = register
        self.token = token
        self.invalid: list[str] = []
        self.requests: list[str] = []

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        self.requests.append(f"{method} {path}?{environ.get('QUERY_STRING', '')}")
        if environ.get("HTTP_AUTHORIZATION", "") != f"Bearer {self.token}":
            denied = _error("UNAUTHORIZED", "A valid bearer token is needed.")
            return self._send(start_response, "401 Unauthorized", denied)
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        try:
            status, body, schema_name = self._route(method, path, query, environ)
        except BadRequest as error:
            status, body, schema_name = "400 Bad Request", _error("BAD_REQUEST", str(error)), "Error"
        if body is None:
            return self._send(start_response, status, None)
        problems = schema.errors(schema_name, body)
        if problems:
            self.invalid.append(f"{method} {path}: {schema_name}: {problems[:3]}")
            return self._send(start_response, "500 Internal Server Error", _error("INVALID", "; ".join(problems[:3])))
        return self._send(start_response, status, body)

    @staticmethod
    def _send(start_response, status: str, body: Any):
        if body is None:
            start_response(status, [("Content-Length", "0")])
            return [b""]
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))]
        start_response(status, headers)
        return [data]

    def _route(self, method: str, path: str, query: dict[str, list[str]], environ) -> tuple[str, Any, str]:
        if method == "GET" and path == "/deletedEntities":
            return "200 OK", self._deleted(query), "DeletedEntities"
        if method == "GET" and path in COLLECTIONS:
            return "200 OK", self._list(path, query), schema.response_schema(path)
        if method == "POST" and path.endswith("/lookup") and path.removesuffix("/lookup") in COLLECTIONS:
            collection = path.removesuffix("/lookup")
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                request = json.loads(environ["wsgi.input"].read(length) or b"{}")
            except ValueError as error:
                raise BadRequest("The body is not JSON.") from error
            ids = request.get("ids") or []
            found = [e for i in ids if (e := self.register.get(collection, i)) is not None]
            return "200 OK", found, schema.response_schema(path, "post")
        parent, _, entity_id = path.rpartition("/")
        if method == "GET" and parent in COLLECTIONS:
            try:
                uuid.UUID(entity_id)
            except ValueError as error:
                raise BadRequest("The id is not a UUID.") from error
            entity = self.register.get(parent, entity_id)
            if entity is None:
                return "404 Not Found", None, ""
            return "200 OK", entity, schema.response_schema(f"{parent}/{{id}}")
        return "404 Not Found", None, ""

    @classmethod
    def _limit(cls, query: dict[str, list[str]]) -> int:
        raw = query.get("limit", [str(cls.max_page_size)])[0]
        if not raw.isdigit() or int(raw) < 1:
            raise BadRequest("limit must be a whole number of at least 1.")
        return min(int(raw), cls.max_page_size)

    def _list(self, path: str, query: dict[str, list[str]]) -> dict:
        limit = self._limit(query)
        filters = {k: v for k, v in query.items() if k not in ("limit", "pageToken")}
        if "pageToken" in query:
            if filters:
                raise BadRequest("Filters cannot be combined with pageToken.")
            state = _untoken(query["pageToken"][0])
            if state["path"] != path:
                raise BadRequest("The page token belongs to another collection.")
            filters, after_key = state["filters"], tuple(state["after"])
        else:
            after_key = None
        rows = self._filtered(path, filters)
        rows.sort(key=lambda e: (e["meta"]["modified"], e["id"]))
        if after_key is not None:
            rows = [e for e in rows if (e["meta"]["modified"], e["id"]) > after_key]
        page, rest = rows[:limit], rows[limit:]
        token = None
        if rest:
            last = page[-1]
            token = _token({"path": path, "filters": filters, "after": [last["meta"]["modified"], last["id"]]})
        return {"data": page, "pageToken": token}

    def _filtered(self, path: str, filters: dict[str, list[str]]) -> list[dict]:
        rows = self.register.all(path)
        after = filters.get("meta.modified.after")
        if after:
            try:
                moment = _parse_time(after[0])
            except ValueError as error:
                raise BadRequest("meta.modified.after is not an RFC 3339 time.") from error
            rows = [e for e in rows if _parse_time(e["meta"]["modified"]) > moment]
        for name in ("organisation", "groupType", "type"):
            if name in filters:
                wanted = set(filters[name])
                rows = [e for e in rows if _field_value(e, name) in wanted]
        return rows

    def _deleted(self, query: dict[str, list[str]]) -> dict:
        limit = self._limit(query)
        if "pageToken" in query:
            if set(query) - {"pageToken", "limit"}:
                raise BadRequest("Filters cannot be combined with pageToken.")
            state = _untoken(query["pageToken"][0])
            if state["path"] != "/deletedEntities":
                raise BadRequest("The page token belongs to another collection.")
            after, kinds, offset = state["after"], set(state["kinds"]), state["offset"]
        else:
            after = query.get("after", [""])[0]
            kinds = {KIND_BY_ENDPOINT[e] for e in query.get("entities", []) if e in KIND_BY_ENDPOINT}
            bad = [e for e in query.get("entities", []) if e not in schema.enum("EndPointsEnum")]
            if bad:
                raise BadRequest(f"Unknown entity type: {bad[0]}.")
            offset = 0
            if not query.get("entities"):
                kinds = {kind for kind, _endpoint in COLLECTIONS.values()}
        try:
            moment = _parse_time(after) if after else None
        except ValueError as error:
            raise BadRequest("after is not an RFC 3339 time.") from error
        rows = [
            (kind, i) for at, kind, i in self.register.deletions if kind in kinds and (moment is None or at > moment)
        ]
        page, rest = rows[offset : offset + limit], rows[offset + limit :]
        data: dict[str, list[str]] = {}
        for kind, entity_id in page:
            data.setdefault(kind, []).append(entity_id)
        token = None
        if rest:
            state = {"path": "/deletedEntities", "after": after, "kinds": sorted(kinds), "offset": offset + limit}
            token = _token(state)
        return {"data": data, "pageToken": token}


def _field_value(entity: dict, name: str) -> Any:
    value = entity.get(name)
    return value.get("id") if isinstance(value, dict) else value


def _error(code: str, message: str) -> dict:
    return {"code": code, "message": message}


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(register: Register, *, token: str, port: int = 0) -> Iterator[tuple[str, RegisterApp]]:
    """Serve ``register`` on 127.0.0.1 (a free port unless given); yields (base URL, app)."""
    app = RegisterApp(register, token=token)
    server = make_server("127.0.0.1", port, app, server_class=_ThreadingServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="ss12000-register", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
