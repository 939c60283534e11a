"""A bounded load test on loopback: gunicorn with production settings, N clients, a URL mix.

Only 127.0.0.1 is ever a target. Each run stops by itself after ``seconds``
or ``max_requests``, whichever comes first.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"


@dataclass
class Target:
    """One kind of request: a path and the session cookie it is sent with."""

    name: str
    path: str
    cookie: str


@dataclass
class Outcome:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def collect_static(base: Path, env: dict | None = None) -> None:
    """The production static files storage reads a manifest: collect them as production would."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=base,
        env={**os.environ, **(env or {})},
        check=True,
    )


class Gunicorn:
    """gunicorn serving this project on loopback with production settings (DEBUG off)."""

    def __init__(self, *, secret_key: str, database_url: str, workers: int, threads: int, base: Path):
        self.port = free_port()
        self.command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ]
        if threads > 1:
            self.command += ["--worker-class", "gthread", "--threads", str(threads)]
        self.env = {
            **os.environ,
            "STUDIEVAG_DEBUG": "0",
            "STUDIEVAG_SECRET_KEY": secret_key or secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "STUDIEVAG_ALLOWED_HOSTS": HOST,
            "STUDIEVAG_SECURE_COOKIES": "0",  # plain HTTP on loopback
            "STUDIEVAG_LOG_LEVEL": "WARNING",
        }
        self.base = base
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        collect_static(self.base, self.env)
        self.process = subprocess.Popen(
            self.command, cwd=self.base, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
            if self.process.poll() is not None:
                break
        self.__exit__(None, None, None)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def run(port: int, targets: list[Target], *, clients: int, seconds: float, max_requests: int, seed: int = 1) -> Outcome:
    """``clients`` threads, each with a kept-alive connection, sending the mix until time or count runs out."""
    outcome = Outcome()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    sent = 0

    def client(n: int) -> None:
        nonlocal sent
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if sent >= max_requests:
                    break
                sent += 1
            target = rng.choice(targets)
            t0 = time.perf_counter()
            status = 0
            try:
                conn.request("GET", target.path, headers={"Cookie": target.cookie, "Host": HOST})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                outcome.requests += 1
                outcome.latencies_ms.append(elapsed)
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
                if not 200 <= status < 400:
                    outcome.errors += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 60)
    outcome.seconds = time.monotonic() - t0
    return outcome
