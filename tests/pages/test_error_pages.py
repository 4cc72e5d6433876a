"""404, 403, CSRF failure and 500: the portal's layout, Dutch (or the visitor's language), the
emergency numbers and a way back, instead of Django's bare English pages."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import PASSWORD


def _text(response) -> str:
    return response.content.decode()


def _has_way_back_and_emergency(html: str) -> bool:
    return 'href="/"' in html and "112" in html and "huisartsenpost" in html


@pytest.mark.django_db
def test_404_is_a_dutch_portal_page_with_a_way_back(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    html = _text(response)
    assert "We kunnen deze pagina niet vinden" in html
    assert "Naar de startpagina" in html
    assert _has_way_back_and_emergency(html)
    assert 'class="portal-header' in html


@pytest.mark.django_db
def test_404_speaks_the_visitors_language(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _text(client.get("/bestaat-niet/"))
    assert "We cannot find this page" in html
    assert "Life in danger: call 112." in html


@pytest.mark.django_db
def test_403_tells_a_parent_the_page_is_not_for_their_account(parent_client):
    response = parent_client.get(reverse("staff_home"))
    assert response.status_code == 403
    html = _text(response)
    assert "Je hebt geen toegang tot deze pagina" in html
    assert _has_way_back_and_emergency(html)


@pytest.mark.django_db
def test_csrf_failure_is_a_dutch_page_that_says_what_to_do(parent):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_login"),
        {"login": parent.email, "password": PASSWORD},
        HTTP_REFERER="http://testserver" + reverse("account_login"),
    )
    assert response.status_code == 403
    html = _text(response)
    assert "Het formulier is verlopen" in html
    assert "Django" not in html and "Referer" not in html
    assert f'href="http://testserver{reverse("account_login")}"' in html  # back to the form
    assert _has_way_back_and_emergency(html)


def test_csrf_failure_does_not_link_back_to_another_site():
    from ouderportaal.views import csrf_failure

    request = RequestFactory().post("/", HTTP_REFERER="https://evil.example/phish")
    request.user = _anonymous()
    request.session = {}
    html = csrf_failure(request).content.decode()
    assert "evil.example" not in html


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_500_page_renders_without_the_database():
    """No django_db mark: any query here fails the test. The 500 page must still show when
    the database is what broke."""
    from ouderportaal import urls
    from ouderportaal.views import server_error

    assert urls.handler500 == "ouderportaal.views.server_error"
    response = server_error(RequestFactory().get("/vragen/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging bij ons iets mis" in html
    assert _has_way_back_and_emergency(html)
    assert "0900-1515" in html  # the huisartsenpost number from the settings


@pytest.mark.django_db
def test_an_exception_in_a_view_gives_the_portal_500_page(settings):
    settings.ROOT_URLCONF = "tests.pages.failing_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/stuk/")
    assert response.status_code == 500
    assert "Er ging bij ons iets mis" in _text(response)
