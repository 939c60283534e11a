"""A page's report queries read on several database connections at once.

A linked report page reads a few dozen independent ``GROUP BY`` queries: the
term's and the school year's (each a handful), and a term of the trend with its
school year for each earlier term. On one connection they run one after the
other, each on one core; read side by side on ``STUDIEVAG_REPORT_CONNECTIONS``
connections (default 2, one per core of the machine the benchmark runs on),
the page waits for roughly the slowest half instead of the sum.

The extra connections belong to a small pool of threads kept by the process
(each thread keeps its own connection, checked before each use as a request's
is: ``CONN_MAX_AGE``, health checks). They read committed rows only, each query
in its own transaction, as the page's own connection does for a read-only page
under PostgreSQL's default isolation (each statement sees what was committed
when it began). So reading side by side is only done where the page's own
transaction holds nothing those queries could read: not inside a nested
transaction (a savepoint), and never inside a test's transaction; there the
queries are read on the page's connection, one after the other, with the same
rows. SQLite reads on one connection.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_pools: dict[int, ThreadPoolExecutor] = {}  # helpers -> the process's pool of reading threads
_pool_lock = threading.Lock()


def connections_to_use() -> int:
    """How many connections a page's queries are read on now (1: the page's own only)."""
    wanted = int(getattr(settings, "STUDIEVAG_REPORT_CONNECTIONS", 1))
    connection = connections[DEFAULT_DB_ALIAS]
    if wanted < 2 or connection.vendor != "postgresql":
        return 1
    blocks = connection.atomic_blocks
    if len(blocks) > 1 or any(getattr(block, "_from_testcase", False) for block in blocks):
        return 1
    return wanted


def _helpers(n: int) -> ThreadPoolExecutor:
    with _pool_lock:
        if n not in _pools:
            _pools[n] = ThreadPoolExecutor(max_workers=n, thread_name_prefix="report-reader")
        return _pools[n]


def read_all(queries: list) -> list[list[dict]]:
    """Every query's rows (``query.rows()``), in the order given; the longest SQL is started first."""
    n = connections_to_use()
    if n < 2 or len(queries) < 2:
        return [query.rows() for query in queries]
    results: list = [None] * len(queries)
    order = iter(sorted(range(len(queries)), key=lambda i: -len(queries[i].sql or "")))
    lock = threading.Lock()

    def take() -> int | None:
        with lock:
            return next(order, None)

    def work() -> None:
        while (i := take()) is not None:
            results[i] = queries[i].rows()

    def helper() -> None:
        # This thread's own connection: closed and opened again when it is too old or broken,
        # as Django does for a request's connection.
        connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
        work()

    pool = _helpers(n - 1)
    started = [pool.submit(helper) for _ in range(n - 1)]
    try:
        work()
    finally:
        for future in started:
            # A helper still busy with another page's queries is not waited for: this page's
            # connection has read what was left.
            if not future.cancel():
                future.result()
    return results


def close_all() -> None:
    """Close the reading threads' connections and stop the threads (a test's database is dropped
    after it; a process that ends needs none of this)."""
    with _pool_lock:
        pools = list(_pools.items())
        _pools.clear()
    for n, pool in pools:
        barrier = threading.Barrier(n)

        def close(barrier=barrier) -> None:
            try:
                barrier.wait(timeout=5)  # each thread of the pool takes one
            except threading.BrokenBarrierError:
                pass
            connections.close_all()

        for future in [pool.submit(close) for _ in range(n)]:
            future.result()
        pool.shutdown()
