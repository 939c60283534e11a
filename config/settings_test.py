"""Fast settings for the test suite: cheap password hashing, no secure cookies.

The database comes from ``DATABASE_URL`` like everywhere else; the Makefile
runs the suite once on SQLite and once on PostgreSQL when one is reachable.
"""

import os

# The suite runs as production does, whatever the shell (the Makefile exports
# STUDIEVAG_DEBUG=1 for the demo): security headers, error pages and static files.
os.environ["STUDIEVAG_DEBUG"] = "0"
os.environ.setdefault("STUDIEVAG_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STUDIEVAG_SECURE_COOKIES", "0")

from .settings import *  # noqa: F403
from .settings import BASE_DIR, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Never the project's own STATIC_ROOT: what `make bench` or a production-style
# collectstatic left there (about 1,100 files) would be scanned by WhiteNoise for
# every test client, doubling the suite's time. Tests find static files through
# the finders (the live server serves them that way).
STATIC_ROOT = BASE_DIR / "var" / "test-static-root-never-collected"
LOGGING = {"version": 1, "disable_existing_loggers": False}
