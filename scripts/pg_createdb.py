"""Create the PostgreSQL database named in a URL when it does not exist yet.

Usage: python scripts/pg_createdb.py postgres://user@host:5432/name
Connects to the server's maintenance database (``postgres``) with the same
credentials; exits non-zero when the server cannot be reached.
"""

import sys
from urllib.parse import unquote, urlsplit

import psycopg
from psycopg import sql


def main(url: str) -> int:
    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        print(f"No database name in {url}", file=sys.stderr)
        return 2
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "dbname": "postgres",
        "autocommit": True,
    }
    if parts.password:
        params["password"] = unquote(parts.password)
    with psycopg.connect(**params) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return 0
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created the database {name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
