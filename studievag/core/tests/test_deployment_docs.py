"""The README names every environment variable, and compose.yaml runs what the README says."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
README = (ROOT / "README.md").read_text()


def test_every_environment_variable_the_application_reads_is_in_the_readme():
    sources = [ROOT / "config" / "settings.py", ROOT / "scripts" / "healthcheck.py", ROOT / ".env.example"]
    names = {name for path in sources for name in re.findall(r"\bSTUDIEVAG_[A-Z0-9_]+[A-Z0-9]", path.read_text())}
    assert "STUDIEVAG_SECRET_KEY" in names
    missing = sorted(name for name in names if name not in README)
    assert not missing, f"Add these to the README's configuration tables: {missing}"


def test_compose_runs_the_database_a_migration_web_worker_and_scheduler():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "web", "worker", "scheduler"}
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert services["worker"]["command"] == ["python", "manage.py", "db_worker"]
    assert services["scheduler"]["command"] == ["python", "manage.py", "jobs_scheduler"]
    for name in ("web", "worker", "scheduler"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
        # The SAML metadata cache is shared: the worker fetches, the web application reads.
        assert "saml-metadata:/app/var/saml-metadata" in services[name]["volumes"]
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "command" not in services["web"]  # the image's gunicorn


def test_the_image_installs_the_debian_packages_the_application_needs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core", "xmlsec1"):
        assert package in dockerfile
        assert package in (ROOT / "scripts" / "system-deps").read_text()
    assert "USER studievag" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "scripts/healthcheck.py" in dockerfile
    assert "collectstatic" in dockerfile
