import pytest

from studievag.people.models import Guardian

pytestmark = pytest.mark.django_db


def test_pages_are_swedish_whatever_the_browser_asks_for(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.wsgi_request.LANGUAGE_CODE == "sv"
    assert '<html lang="sv"' in response.content.decode()


def test_the_language_menu_switches_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/")
    assert '<html lang="en"' in response.content.decode()


def test_a_guardian_who_prefers_arabic_gets_the_family_pages_in_arabic(client, cast):
    Guardian.objects.filter(user=cast.guardian).update(preferred_language="ar")
    cast.guardian.set_password("pw-for-test-1")
    cast.guardian.save()
    client.post("/login/", {"username": "guardian", "password": "pw-for-test-1"})
    response = client.get("/", follow=True)
    assert '<html lang="ar" dir="rtl"' in response.content.decode()


def test_staff_log_in_in_swedish(client, cast):
    cast.mentor_a.set_password("pw-for-test-1")
    cast.mentor_a.save()
    client.post("/login/", {"username": "mentor_a", "password": "pw-for-test-1"})
    response = client.get("/")
    assert '<html lang="sv"' in response.content.decode()
