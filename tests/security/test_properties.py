"""Hypothesis feeds every form odd input: a clear error or safe storage, never a 500, escaped.

The forms are found, not listed: every URL whose GET gives a form (in the template context) to
the own parent, a professional or an anonymous visitor is posted with generated values for
each of its fields, with a valid CSRF token.
"""

import uuid
from contextlib import contextmanager
from datetime import date

import pytest
from django import forms
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.matrix import all_routes, path_for
from tests.security.test_url_matrix import World, _kwargs

PAYLOAD = "<script>alert(1)</script>"
ODD_TEXT = st.one_of(
    st.text(min_size=0, max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.sampled_from(
        [
            PAYLOAD,
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE families_child; --",
            "1 OR 1=1",
            "Ro\x00bert",
            "\x00",
            "x" * 20000,
            "\u202eevil",
            "😀" * 100,
            "{{ 7*7 }}{% debug %}",
            "   ",
            "",
        ]
    ),
)
ODD_DATE = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(["0000-00-00", "2026-02-30", "31-12-2025", "9999-99-99", "-1", "tomorrow"]),
)
# Statuses that are a clear answer; anything 5xx is a failure. Not 429: every example starts
# with no attempts counted (`_no_attempts_counted`), so a "too many attempts" page would mean
# the example tested the rate limiter instead of the form.
CLEAR = {200, 302, 400, 403, 404, 405, 409, 410}
ACTORS = ("own parent", "professional", "anonymous")
SKIP = {
    # Forms whose successful POST ends the session or the account: they would end the run.
    "account_logout",
    "privacy:delete_account_confirm",
    "account_change_password",
    "account_set_password",
    "mfa_deactivate_totp",
    "mfa_generate_recovery_codes",
}


@contextmanager
def _no_attempts_counted():
    """A fresh cache key space for one example: rate limits count from zero again."""
    cache = {**django_settings.CACHES["default"], "KEY_PREFIX": uuid.uuid4().hex}
    with override_settings(CACHES={"default": cache}):
        yield


def _form_routes(world, clients):
    found = []
    for route in all_routes():
        if route.namespace == "admin" or route.key in SKIP:
            continue
        try:
            path = path_for(route, _kwargs(route, world))
        except AssertionError:
            continue  # no objects for its URL yet; the matrix test reports that
        for actor in ACTORS:
            response = clients[actor].get(path)
            form = (response.context or {}).get("form") if response.status_code == 200 else None
            if isinstance(form, forms.BaseForm):
                found.append((actor, path, form))
    return found


def _value(field, draw):
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return draw(ODD_DATE)
    if isinstance(field, forms.ChoiceField) and draw(st.booleans()):
        choices = [key for key, _label in field.choices if key not in ("", None)]
        if choices:
            value = draw(st.sampled_from(choices))
            return str(getattr(value, "value", value))
    return draw(ODD_TEXT)


def _data(form, draw) -> dict:
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.MultiWidget):
            for index in range(len(field.widget.widgets)):
                data[f"{key}_{index}"] = _value(field, draw)
        else:
            data[key] = _value(field, draw)
    return data


@pytest.fixture
def world(db, settings):
    return World()


@pytest.fixture
def clients(world):
    result = {}
    for actor in ACTORS:
        result[actor] = Client()
        if world.user(actor) is not None:
            result[actor].force_login(world.user(actor))
    return result


@pytest.fixture
def form_routes(world, clients):
    return _form_routes(world, clients)


def test_forms_are_found(form_routes):
    paths = {path for _actor, path, _form in form_routes}
    assert "/gezin/kind/nieuw/" in paths and "/privacy/account-verwijderen/" in paths


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_odd_input_never_breaks_a_form(clients, form_routes, data):
    with _no_attempts_counted():
        for actor, path, form in form_routes:
            client = clients[actor]
            client.get(path)  # sets the CSRF cookie
            post = _data(form, data.draw)
            response = client.post(path, post, follow=True)
            assert response.status_code in CLEAR, f"{actor} POST {path} {post!r}"
            body = response.content.decode("utf-8", "replace")
            assert PAYLOAD not in body, f"unescaped output at {path}"


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    who=ODD_TEXT,
    family_id=ODD_TEXT,
    date_from=ODD_DATE,
    date_to=ODD_DATE,
    action=ODD_TEXT,
    page=ODD_TEXT,
)
def test_odd_access_log_search_never_breaks(
    officer_client, who, family_id, date_from, date_to, action, page
):
    params = {
        "who": who,
        "family_id": family_id,
        "date_from": date_from,
        "date_to": date_to,
        "action": action,
        "page": page,
    }
    for name in ("privacy:staff_access_log", "privacy:staff_access_log_export"):
        response = officer_client.get(reverse(name), params)
        assert response.status_code in (200, 400)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert PAYLOAD not in body.decode("utf-8", "replace")


@pytest.fixture
def officer_client(db, settings):
    from django.contrib.auth.models import Group

    from tests.factories import make_staff

    officer = make_staff(email="officer@example.org")
    officer.groups.add(Group.objects.get(name="Privacy officers"))
    client = Client()
    client.force_login(officer)
    return client


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_odd_input_in_the_question_thread_is_escaped_on_both_sides(world, clients, data):
    """Staff actions and the parent's reply: never a 500, never raw HTML on either page."""
    from vragen.views import ACTIONS

    question = world.question
    staff_page = reverse("vragen:staff_question", kwargs={"question_id": question.pk})
    parent_page = reverse("vragen:detail", kwargs={"question_id": question.pk})
    posts = [
        (
            "professional",
            reverse("vragen:staff_action", kwargs={"question_id": question.pk, "action": a}),
            form_class,
        )
        for a, (form_class, _name, _handler) in ACTIONS.items()
    ]
    from vragen.forms import ReplyForm

    posts.append(
        ("own parent", reverse("vragen:reply", kwargs={"question_id": question.pk}), ReplyForm)
    )
    with _no_attempts_counted():
        for actor, url, form_class in posts:
            response = clients[actor].post(url, _data(form_class(), data.draw), follow=True)
            assert response.status_code in CLEAR, f"{actor} POST {url}"
    for actor, page in (("professional", staff_page), ("own parent", parent_page)):
        response = clients[actor].get(page)
        assert response.status_code in (200, 404)
        assert PAYLOAD not in response.content.decode("utf-8", "replace")


def test_html_in_an_answer_is_shown_escaped_to_the_parent(world, clients):
    question = world.question
    url = reverse("vragen:staff_action", kwargs={"question_id": question.pk, "action": "answer"})
    response = clients["professional"].post(url, {"answer-body": PAYLOAD})
    assert response.status_code == 302
    page = clients["own parent"].get(reverse("vragen:detail", kwargs={"question_id": question.pk}))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and PAYLOAD not in page.text
