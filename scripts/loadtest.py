#!/usr/bin/env python3
"""A bounded load test against a running Studieväg on this machine (loopback only).

    .venv/bin/python scripts/loadtest.py --base http://127.0.0.1:8010 --users 16 --seconds 30

Each simulated user logs in with a demo account (password ``demo``), collects
the pages its start page and student list link to, and then requests them in
turn as fast as the server answers, for ``--seconds``. Every read of a
student's record writes a read-log row, so this is a mixed read/write load.
Then two users save the same study plan at the same moment: one save must
win and the other must get the conflict page, never a server error.

Prints one figure a line: requests, errors (5xx or no answer), error share,
median and 95th percentile time, and the outcome of the simultaneous saves.
Only standard library; it refuses any host but 127.0.0.1 / localhost.
"""

import argparse
import http.cookiejar
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

LOGINS = ["mentor", "teacher", "counsellor", "student_health", "principal", "student", "guardian", "organiser_analyst"]
SKIP = re.compile(r"logout|/admin|/i18n|export|\.pdf|\.json|\.csv|\.xlsx|/new/|/edit/|import|approve|#")


class Forms(HTMLParser):
    """The fields of each POST form on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.textarea = None
        self.select = None
        self.selected = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.in_form = True
            self.fields = []
        if not self.in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button"):
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self.select, self.selected = a["name"], None
        elif tag == "option" and self.select:
            if "selected" in a or self.selected is None:
                if "selected" in a or self.selected is None:
                    self.selected = (a.get("value", ""), "selected" in a)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select:
            self.fields.append((self.select, self.selected[0] if self.selected else ""))
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form = False
            self.forms.append(self.fields)


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.last_url = ""

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str) -> tuple[int, str, float]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields) -> tuple[int, str, float]:
        body = urllib.parse.urlencode(list(fields)).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-CSRFToken": self.csrf(), "Referer": self.base + path}
        )
        return self._open(request)

    def _open(self, request) -> tuple[int, str, float]:
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                self.last_url = response.url
                return response.status, response.read().decode("utf-8", "replace"), time.perf_counter() - start
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), time.perf_counter() - start
        except OSError:
            return 0, "", time.perf_counter() - start

    def login(self, username: str) -> bool:
        self.get("/login/")
        status, body, _ = self.post("/login/", [("username", username), ("password", "demo"), ("next", "/")])
        return status == 200 and "logout" in body


def links(body: str) -> set[str]:
    return {h for h in re.findall(r'href="(/[^"]*)"', body) if not SKIP.search(h) and "static" not in h}


def user_run(base, username, deadline, results, lock):
    browser = Browser(base)
    if not browser.login(username):
        with lock:
            results.append((0, 0.0, "/login/"))
        return
    pages = set()
    for start in ("/", "/students/"):
        _, body, _ = browser.get(start)
        pages |= links(body)
    pages = sorted(pages)[:40] or ["/"]
    i = 0
    while time.time() < deadline:
        path = pages[i % len(pages)]
        status, _, seconds = browser.get(path)
        with lock:
            results.append((status, seconds, path))
        i += 1


def simultaneous_plan_saves(base) -> list[str]:
    """Two mentors' sessions open the same plan's edit page and save at the same moment."""
    a, b = Browser(base), Browser(base)
    a.login("mentor")
    b.login("mentor")
    _, body, _ = a.get("/students/")
    student = re.search(r'href="/students/(\d+)/"', body).group(1)
    edit = f"/students/{student}/plan/edit/"
    forms = []
    for browser in (a, b):
        _, page, _ = browser.get(edit)
        parser = Forms()
        parser.feed(page)
        plan_form = next(f for f in parser.forms if any(k == "version" for k, _ in f))
        fields = [(k, v) for k, v in plan_form if k != "reason"]
        fields.append(("reason", "Samtidig ändring (lasttest)"))
        fields = [(k, (v + " (ändrad)") if k == "study_path" else v) for k, v in fields]
        forms.append(fields)
    barrier = threading.Barrier(2)
    statuses: list[str] = ["", ""]

    def save(index, browser):
        barrier.wait()
        status, page, _ = browser.post(edit, forms[index])
        if status == 200 and 'id="conflict"' in page:
            statuses[index] = "conflict page"
        elif status == 200 and "/plan/edit/" not in browser.last_url:
            statuses[index] = "saved"
        else:
            statuses[index] = f"HTTP {status}"

    threads = [threading.Thread(target=save, args=(i, br)) for i, br in enumerate((a, b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8010")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.base).hostname
    if host not in ("127.0.0.1", "localhost"):
        sys.exit("loadtest: only against this machine (127.0.0.1)")
    results: list[tuple[int, float, str]] = []
    lock = threading.Lock()
    deadline = time.time() + args.seconds
    threads = [
        threading.Thread(target=user_run, args=(args.base, LOGINS[i % len(LOGINS)], deadline, results, lock))
        for i in range(args.users)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [r for r in results if r[0] == 0 or r[0] >= 500]
    times = sorted(r[1] for r in results)
    print(f"users: {args.users}")
    print(f"seconds: {args.seconds:g}")
    print(f"requests: {len(results)}")
    print(f"errors: {len(errors)}")
    print(f"error_share: {100 * len(errors) / max(len(results), 1):.1f} %")
    if times:
        print(f"median: {1000 * statistics.median(times):.0f} ms")
        print(f"p95: {1000 * times[int(0.95 * (len(times) - 1))]:.0f} ms")
    for status, _, path in errors[:5]:
        print(f"error_example: {status} {path}")
    saves = simultaneous_plan_saves(args.base)
    print(f"simultaneous_plan_saves: {sorted(saves)}")
    return 1 if errors or sorted(saves) != ["conflict page", "saved"] else 0


if __name__ == "__main__":
    sys.exit(main())
