from django.urls import reverse

from studievag.audit.models import RecordRead


def test_schema_is_openapi_3_and_public(api, db):
    response = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/students/" in doc["paths"]


def test_docs_are_served_by_the_app(api, db):
    response = api.get(reverse("api:docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "https://" not in body


def test_students_list_is_the_accounts_scope_and_logged(api, cast, issue):
    token = issue("students:read")
    response = api.get(reverse("api:students"), token)
    assert response.status_code == 200, response.content
    body = response.json()
    ids = {s["id"] for s in body["results"]}
    assert ids == {cast.alice.pk, cast.adam.pk, cast.protected.pk}
    reads = RecordRead.objects.filter(via="Skolplattformen")
    assert {r.student_id for r in reads} == ids
    assert {r.part for r in reads} == {"record"}


def test_no_token_is_401_problem(api, db):
    response = api.get(reverse("api:students"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
