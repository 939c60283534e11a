"""Error pages: in the page frame, in the user's language, revealing nothing."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from studievag.people.models import Student

from .error_urls import SECRET_DETAIL

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _log_in(client, user):
    client.force_login(user)
    return client


def _body(response) -> str:
    # The CSRF token is masked afresh on every response; nothing else may differ.
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())


def test_debug_is_off_in_the_tests():
    assert settings.DEBUG is False


def test_a_missing_and_an_out_of_scope_student_get_the_same_404(client, cast):
    _log_in(client, cast.mentor_a)
    missing_pk = Student.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    missing = client.get(reverse("people:student_detail", args=[missing_pk]))
    out_of_scope = client.get(reverse("people:student_detail", args=[cast.bertil.pk]))
    # The same page for a student in scope works, so the 404s come from the scope check.
    assert client.get(reverse("people:student_detail", args=[cast.alice.pk])).status_code == 200
    assert missing.status_code == out_of_scope.status_code == 404
    assert _body(missing) == _body(out_of_scope)
    body = _body(missing)
    # In the frame: stylesheet, header with the product name, the user's menu.
    assert re.search(r'<link rel="stylesheet" href="/static/studievag/studievag[.\w]*css">', body)
    assert '<a class="brand"' in body
    assert "Maria Mentor" in body
    assert '<html lang="sv" dir="ltr">' in body
    assert "Sidan finns inte" in body
    assert "kontakta skolans administratör" in body
    assert 'href="/">Gå till startsidan</a>' in body
    # Nothing about what was asked for or why it failed.
    assert str(missing_pk) not in body
    assert f"/students/{cast.bertil.pk}/" not in body
    assert cast.bertil.first_name not in body
    assert "No such student" not in body and "Eleven finns inte" not in body
    # The language menu goes to the start page, not back to the requested address.
    assert '<input name="next" type="hidden" value="/">' in body


def test_404_for_someone_not_logged_in_is_in_the_frame_without_a_user_menu(client):
    response = client.get("/no-such-page/?q=<script>secret</script>")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Sidan finns inte" in body
    assert "no-such-page" not in body and "secret" not in body
    assert "Logga ut" not in body


@pytest.mark.urls("studievag.core.tests.error_urls")
def test_403_says_what_to_do_and_not_why(client, cast):
    _log_in(client, cast.mentor_a)
    response = client.get("/test-errors/forbidden/")
    body = response.content.decode()
    assert response.status_code == 403
    assert '<h1 id="error-heading">Inte tillåtet</h1>' in body
    assert "Din roll ger dig inte behörighet" in body
    assert 'href="/">Gå till startsidan</a>' in body
    assert "Maria Mentor" in body
    assert "Internal reason" not in body and "hunter2" not in body and "test-errors" not in body


def test_a_real_denied_page_renders_the_403_page(client, cast):
    _log_in(client, cast.student)
    response = client.get(reverse("people:student_list"))
    assert response.status_code == 403
    assert "Inte tillåtet" in response.content.decode()


@pytest.mark.urls("studievag.core.tests.error_urls")
def test_500_is_in_the_frame_and_shows_no_exception_text(client, cast):
    client.raise_request_exception = False
    _log_in(client, cast.mentor_a)
    response = client.get("/test-errors/crash/")
    body = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="sv" dir="ltr">' in body
    assert re.search(r'<link rel="stylesheet" href="/static/studievag/studievag[.\w]*css">', body)
    assert '<a class="brand" href="/">Studieväg</a>' in body
    assert '<h1 id="error-heading">Något gick fel</h1>' in body
    assert 'href="/">Gå till startsidan</a>' in body
    assert "kontakta skolans administratör" in body
    for leak in ("hunter2", "Database exploded", "RuntimeError", "Traceback", "test-errors", SECRET_DETAIL):
        assert leak not in body
    # No user menu: the 500 page needs nothing from the request or the database.
    assert "Maria Mentor" not in body and "Logga ut" not in body


def test_400_is_in_the_frame(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Begäran kunde inte hanteras" in body
    assert "evil.example.com" not in body


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [("sv", "ltr", "Sidan finns inte"), ("en", "ltr", "Page not found"), ("ar", "rtl", "الصفحة غير موجودة")],
)
def test_404_in_the_chosen_language(client, language, direction, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/no-such-page/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert f'<h1 id="error-heading">{heading}</h1>' in body
    # Students and guardians can choose Arabic here too.
    assert '<option value="ar" lang="ar"' in body


@pytest.mark.urls("studievag.core.tests.error_urls")
@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [("en", "ltr", "Something went wrong"), ("ar", "rtl", "حدث خطأ ما")],
)
def test_500_in_the_chosen_language(client, language, direction, heading):
    client.raise_request_exception = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/test-errors/crash/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body
    assert f'<h1 id="error-heading">{heading}</h1>' in body
    assert "hunter2" not in body
