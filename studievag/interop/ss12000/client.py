"""A small SS 12000 client: bearer token, paging by ``pageToken``, changes since a time.

The standard pages with ``limit`` and an opaque ``pageToken`` that the server
returns while more data remains; a follow-up request carries only the token
(and ``limit``), never the filters again. Changes since the last run are
asked for with ``meta.modified.after`` (exclusive) and deletions with
``/deletedEntities?after=…``.
"""

import datetime
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import requests

DEFAULT_PAGE_SIZE = 200
MAX_PAGES = 10_000  # a server that never stops handing out tokens is broken, not big
RETRY_STATUSES = frozenset({429, 502, 503, 504})


class ClientError(Exception):
    """The register could not be read: the status, the standard's error code and message when given."""

    def __init__(self, message: str, *, status: int | None = None, code: str = ""):
        self.status = status
        self.code = code
        super().__init__(message)


def rfc3339(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("SS 12000 times must carry a time zone")
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Client:
    def __init__(
        self,
        base_url: str,
        *,
        token: str = "",
        session: requests.Session | None = None,
        timeout: float = 30.0,
        page_size: int = DEFAULT_PAGE_SIZE,
        retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["Accept"] = "application/json"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout
        self.page_size = page_size
        self.retries = retries
        self.sleep = sleep
        self.requests_made = 0

    # --- transport ------------------------------------------------------------------

    def _request(self, method: str, path: str, *, params=None, json=None) -> Any:
        url = f"{self.base_url}{path}"
        for attempt in range(self.retries + 1):
            self.requests_made += 1
            try:
                response = self.session.request(method, url, params=params, json=json, timeout=self.timeout)
            except requests.RequestException as error:
                if attempt < self.retries:
                    self.sleep(2**attempt)
                    continue
                reason = error.__class__.__name__
                raise ClientError(f"{method} {path}: the register did not answer ({reason})") from error
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                self.sleep(_retry_after(response, 2**attempt))
                continue
            if response.status_code == 404:
                return None
            if response.status_code != 200:
                raise _error_from(method, path, response)
            try:
                return response.json()
            except ValueError as error:
                raise ClientError(f"{method} {path}: the answer is not JSON", status=200) from error
        raise AssertionError("unreachable")  # pragma: no cover

    # --- the standard's operations ----------------------------------------------------

    def pages(self, path: str, *, params: dict[str, Any] | None = None) -> Iterator[list[dict]]:
        """Each page of a collection (``/persons``, ``/groups`` …) as a list of entities."""
        query: dict[str, Any] = {**(params or {}), "limit": self.page_size}
        seen_tokens: set[str] = set()
        for _page in range(MAX_PAGES):
            body = self._request("GET", path, params=query)
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise ClientError(f"GET {path}: the answer has no list of data")
            yield body["data"]
            token = body.get("pageToken")
            if not token:
                return
            if token in seen_tokens:
                raise ClientError(f"GET {path}: the register handed out the same page token twice")
            seen_tokens.add(token)
            query = {"pageToken": token, "limit": self.page_size}
        raise ClientError(f"GET {path}: more than {MAX_PAGES} pages")

    def collection(
        self, path: str, *, modified_after: datetime.datetime | None = None, params: dict[str, Any] | None = None
    ) -> Iterator[dict]:
        """Every entity of a collection, changed after ``modified_after`` when given."""
        query = dict(params or {})
        if modified_after is not None:
            query["meta.modified.after"] = rfc3339(modified_after)
        for page in self.pages(path, params=query):
            yield from page

    def get(self, path: str, entity_id: str) -> dict | None:
        """One entity by id, ``None`` when the register does not have it."""
        return self._request("GET", f"{path}/{entity_id}")

    def lookup(self, path: str, ids: Iterable[str]) -> list[dict]:
        """Many entities by id in one request (``POST /persons/lookup``)."""
        ids = list(ids)
        if not ids:
            return []
        body = self._request("POST", f"{path}/lookup", json={"ids": ids})
        if not isinstance(body, list):
            raise ClientError(f"POST {path}/lookup: the answer is not a list")
        return body

    def deleted_entities(self, *, after: datetime.datetime | None, entities: Iterable[str]) -> dict[str, list[str]]:
        """Ids of deleted entities by kind (``persons``, ``groups`` …), every page merged."""
        params: dict[str, Any] = {"entities": list(entities)}
        if after is not None:
            params["after"] = rfc3339(after)
        merged: dict[str, list[str]] = {}
        query: dict[str, Any] = {**params, "limit": self.page_size}
        seen_tokens: set[str] = set()
        for _page in range(MAX_PAGES):
            body = self._request("GET", "/deletedEntities", params=query)
            if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
                raise ClientError("GET /deletedEntities: the answer has no data")
            for kind, ids in body["data"].items():
                merged.setdefault(kind, []).extend(ids or [])
            token = body.get("pageToken")
            if not token:
                return merged
            if token in seen_tokens:
                raise ClientError("GET /deletedEntities: the register handed out the same page token twice")
            seen_tokens.add(token)
            query = {"pageToken": token, "limit": self.page_size}
        raise ClientError(f"GET /deletedEntities: more than {MAX_PAGES} pages")


def _retry_after(response: requests.Response, default: float) -> float:
    try:
        return min(float(response.headers.get("Retry-After", default)), 60.0)
    except ValueError:
        return default


def _error_from(method: str, path: str, response: requests.Response) -> ClientError:
    code, message = "", ""
    try:
        body = response.json()
        if isinstance(body, dict):
            code, message = str(body.get("code", "")), str(body.get("message", ""))
    except ValueError:
        pass
    text = f"{method} {path}: the register answered {response.status_code}"
    if code or message:
        text += f" ({code}: {message})" if code else f" ({message})"
    return ClientError(text, status=response.status_code, code=code)
