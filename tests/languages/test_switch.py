"""The language switch: six languages for parents (stored on the account), nl/en for staff,
and right-to-left pages in Arabic."""

from django.urls import reverse

from accounts.models import User


def test_parent_choice_is_stored_and_kept_after_login(parent_client, parent):
    parent_client.post(reverse("set_language"), {"language": "tr", "next": "/gezin/"})
    parent.refresh_from_db()
    assert parent.preferred_language == "tr"
    # A new browser (no language cookie) still gets the stored language.
    parent_client.cookies.pop("django_language", None)
    response = parent_client.get(reverse("families:home"))
    assert '<html lang="tr" dir="ltr">' in response.text


def test_arabic_pages_are_right_to_left_with_the_rtl_stylesheet(client, db):
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    response = client.get(reverse("home"))
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "bootstrap.rtl.min.css" in response.text


def test_switch_names_each_language_in_itself(client, db):
    response = client.get(reverse("home"))
    for name in ("Nederlands", "English", "العربية", "Türkçe", "Polski", "Українська"):
        assert name in response.text


def test_staff_switch_offers_only_dutch_and_english(nurse_client, nurse):
    response = nurse_client.get(reverse("staff_home"))
    assert "Türkçe" not in response.text and "English" in response.text
    refused = nurse_client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert refused.status_code == 400
    nurse.refresh_from_db()
    assert nurse.preferred_language == ""


def test_staff_pages_stay_dutch_when_the_browser_asks_for_arabic(nurse_client):
    response = nurse_client.get(reverse("staff_home"), HTTP_ACCEPT_LANGUAGE="ar")
    assert '<html lang="nl" dir="ltr">' in response.text


def test_preferred_language_defaults_to_the_portal_language(parent):
    from core.languages import language_of

    assert language_of(parent) == "nl"
    assert language_of(User(role=User.Role.NURSE, preferred_language="ar")) == "nl"


def test_language_chosen_before_logging_in_replaces_the_stored_one(client, parent):
    from tests.factories import PASSWORD

    parent.preferred_language = "nl"
    parent.save(update_fields=["preferred_language"])
    client.post(reverse("set_language"), {"language": "uk", "next": "/"})
    client.post(reverse("account_login"), {"login": parent.email, "password": PASSWORD})
    parent.refresh_from_db()
    assert parent.preferred_language == "uk"
    response = client.get(reverse("families:home"))
    assert '<html lang="uk" dir="ltr">' in response.text
