"""The load-test harness: bounded by count and time, counts errors, reads percentiles."""

import http.server
import threading

from studievag.benchmark import load


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 200 if self.headers.get("Cookie") == "sessionid=ok" else 403
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve():
    server = http.server.ThreadingHTTPServer((load.HOST, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_run_stops_at_its_request_count_and_counts_errors():
    server = serve()
    try:
        targets = [load.Target("page", "/", "sessionid=ok"), load.Target("denied", "/", "sessionid=no")]
        outcome = load.run(server.server_address[1], targets, clients=3, seconds=30, max_requests=60)
    finally:
        server.shutdown()
    assert outcome.requests == 60
    assert outcome.statuses.get(200, 0) + outcome.statuses.get(403, 0) == 60
    assert outcome.errors == outcome.statuses.get(403, 0) > 0
    assert len(outcome.latencies_ms) == 60
    assert outcome.percentile(50) <= outcome.percentile(95) <= outcome.percentile(99) <= max(outcome.latencies_ms)


def test_a_run_stops_at_its_time_limit():
    server = serve()
    try:
        outcome = load.run(
            server.server_address[1],
            [load.Target("page", "/", "sessionid=ok")],
            clients=2,
            seconds=0.5,
            max_requests=10**9,
        )
    finally:
        server.shutdown()
    assert outcome.errors == 0
    assert outcome.requests > 0
    assert outcome.seconds < 5


def test_percentiles_of_known_latencies():
    outcome = load.Outcome(latencies_ms=[float(n) for n in range(1, 101)])
    assert (outcome.p50, outcome.percentile(95), outcome.percentile(99)) == (50.5, 95.0, 99.0)
