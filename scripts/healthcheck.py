"""The container's health check: GET /healthz on the local gunicorn, exit 0 when it says ok.

Sends the first allowed host name as Host (production sets STUDIEVAG_ALLOWED_HOSTS to the
public name, and Django refuses any other); /healthz is exempt from the HTTPS redirect.
Uses only the standard library, so it runs in the image as it is.
"""

import http.client
import json
import os
import sys


def main() -> int:
    hosts = [h.strip() for h in os.environ.get("STUDIEVAG_ALLOWED_HOSTS", "127.0.0.1").split(",") if h.strip()]
    host = next((h.lstrip(".") for h in hosts if h != "*"), "127.0.0.1")
    port = int(os.environ.get("STUDIEVAG_HEALTHCHECK_PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        response = connection.getresponse()
        body = json.loads(response.read() or b"{}")
    except (OSError, ValueError) as error:
        print(f"unhealthy: {error}")
        return 1
    if response.status == 200 and body.get("status") == "ok":
        return 0
    print(f"unhealthy: {response.status} {body}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
