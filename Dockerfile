# Studieväg in one image: the web application (gunicorn, the default command), the job
# worker (`python manage.py db_worker`) and the scheduler (`python manage.py jobs_scheduler`).
# compose.yaml runs all three beside PostgreSQL; the README ("Container") says how.
#
#   docker build -t studievag .
#
# BASE_IMAGE: any Debian bookworm image with Python 3.11 and its venv module.
ARG BASE_IMAGE=python:3.11-slim

# --- Front-end libraries from the npm registry (only their built files are kept) ---------
FROM ${BASE_IMAGE} AS assets
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# --- The application -------------------------------------------------------------------
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings

# WeasyPrint's Pango and HarfBuzz, DejaVu fonts (PDFs, Arabic shaping included), and
# xmlsec1, which pysaml2 signs and verifies SAML messages with.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core xmlsec1 \
 && rm -rf /var/lib/apt/lists/*

RUN python3 -m venv /opt/venv
WORKDIR /app
COPY requirements.txt requirements-dev.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /build/node_modules/chart.js/dist/chart.umd.min.js \
                   /build/node_modules/chart.js/dist/chart.umd.min.js.map \
                   /build/node_modules/chart.js/LICENSE.md \
                   /app/studievag/static/vendor/chart.js/

# Translations compiled (polib only for this step) and static files collected into the
# image (served by WhiteNoise, compressed and with hashed names). The secret key here is
# for these two commands only; the container needs its own STUDIEVAG_SECRET_KEY.
RUN pip install "$(grep '^polib==' requirements-dev.txt)" \
 && python scripts/compile_messages.py \
 && pip uninstall -y polib \
 && STUDIEVAG_SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
      python manage.py collectstatic --no-input -v 0 \
 && rm -f /tmp/build.sqlite3

# Not root. var/ holds the SAML metadata cache (a volume shared with the worker in compose.yaml).
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin studievag \
 && mkdir -p /app/var/saml-metadata \
 && chown -R studievag:studievag /app/var
USER studievag

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "scripts/healthcheck.py"]

# The README's recommendation for 2 cores with PostgreSQL beside (see "gunicorn");
# more with GUNICORN_CMD_ARGS, e.g. "--threads 4". No control socket: the container
# is managed by its signals, and the user has no writable home for one.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--timeout", "30", \
     "--max-requests", "2000", "--max-requests-jitter", "200", "--access-logfile", "-", "--no-control-socket"]
