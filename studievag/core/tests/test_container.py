"""The container image: built from ./Dockerfile, it migrates, serves and turns healthy.

Runs only where a container engine can build and run images and where this was asked for:
``make test-container`` (STUDIEVAG_CONTAINER_TEST=1). There a missing or broken docker
fails the test instead of skipping it. ``make test`` (and CI, whose machines have no
container engine and reach no image registry) shows it as skipped with that reason.
STUDIEVAG_CONTAINER_BASE builds on another Debian bookworm image with Python 3.11 than
``python:3.11-slim`` (a machine that cannot pull from an image registry).
"""

import http.client
import json
import os
import re
import subprocess
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.container,
    pytest.mark.skipif(
        os.environ.get("STUDIEVAG_CONTAINER_TEST") != "1",
        reason="the image is built and run by `make test-container` (STUDIEVAG_CONTAINER_TEST=1)",
    ),
]

ROOT = Path(__file__).resolve().parents[3]
HOST = "studievag.test"


def docker(*args: str, timeout: int = 120, check: bool = True) -> str:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, check=False)
    if check and result.returncode:
        raise AssertionError(f"docker {' '.join(args[:3])} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout.strip()


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": HOST})
    response = connection.getresponse()
    return response.status, response.read()


@pytest.fixture(scope="module")
def image() -> str:
    tag = "studievag:container-test"
    base = os.environ.get("STUDIEVAG_CONTAINER_BASE", "")
    build_args = ["--build-arg", f"BASE_IMAGE={base}"] if base else []
    docker("build", "-t", tag, *build_args, str(ROOT), timeout=45 * 60)
    return tag


@pytest.fixture
def container(image):
    name = f"studievag-test-{uuid.uuid4().hex[:8]}"
    volume = f"{name}-var"
    environment = [
        "-e",
        "STUDIEVAG_SECRET_KEY=container-test-only-secret-key",
        "-e",
        f"STUDIEVAG_ALLOWED_HOSTS={HOST}",
        "-e",
        "STUDIEVAG_SECURE_COOKIES=0",
        "-e",
        "DATABASE_URL=sqlite:////app/var/studievag.sqlite3",
    ]
    try:
        # The one-off migration, as compose.yaml's migrate service runs it.
        docker("run", "--rm", "-v", f"{volume}:/app/var", *environment, image, "python", "manage.py", "migrate",
               "--no-input", "-v", "0", timeout=600)  # fmt: skip
        docker("run", "-d", "--name", name, "-v", f"{volume}:/app/var", "-p", "127.0.0.1::8000", *environment, image)
        yield name
    finally:
        docker("rm", "-f", name, check=False)
        docker("volume", "rm", "-f", volume, check=False)


def test_the_image_serves_the_application_and_turns_healthy(container):
    deadline = time.monotonic() + 180
    status = ""
    while time.monotonic() < deadline:
        status = docker("inspect", "-f", "{{.State.Health.Status}}", container)
        if status in ("healthy", "unhealthy"):
            break
        time.sleep(3)
    assert status == "healthy", docker("logs", container, check=False)[-3000:]

    port = int(docker("port", container, "8000/tcp").splitlines()[0].rsplit(":", 1)[1])
    code, body = get(port, "/healthz")
    assert (code, json.loads(body)) == (200, {"status": "ok", "database": "sqlite"})

    # Static files were collected at build time and are served with hashed names.
    code, body = get(port, "/login/")
    assert code == 200
    stylesheet = re.search(rb'href="(/static/studievag/studievag\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, body[:2000]
    assert get(port, stylesheet.group(1).decode())[0] == 200
    # Translations were compiled: the log-in page speaks Swedish.
    assert b"Logga in" in body

    # gunicorn started without complaint.
    logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True, check=False)
    assert "[ERROR]" not in logs.stdout + logs.stderr, (logs.stdout + logs.stderr)[-3000:]

    # Not root; xmlsec1 and WeasyPrint's libraries are there.
    assert docker("exec", container, "id", "-u") == "10001"
    docker("exec", container, "xmlsec1", "--version")
    docker("exec", container, "python", "-c", "import weasyprint; weasyprint.HTML(string='<p>ok</p>').write_pdf()")
