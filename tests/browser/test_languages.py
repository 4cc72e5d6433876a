"""At 360 px a parent finds an article for her baby's age, switches the portal to Arabic: the
page turns right-to-left without a horizontal scroll bar and stays axe-clean, the article is
in Arabic (marked as not yet checked by a native speaker), one without a translation shows
the Dutch text with a note in Arabic; she books an appointment with an interpreter and the
confirmation mail comes in Arabic. The same flow in Dutch, without a switch, for comparison."""

from datetime import date, time
from pathlib import Path

from django.core import mail
from django.utils import translation

from afspraken import services
from afspraken.models import Appointment
from outbox.models import OutgoingEmail
from tests.afspraken.factories import make_location, make_schedule, make_type, topic
from tests.browser.axe import assert_accessible
from tests.browser.test_afspraken import _login_with_cookie
from tests.factories import make_child, make_parent, make_staff
from tests.kennisbank.factories import ensure_seeded as ensure_articles
from tests.vragen.factories import ensure_seeded

SCREENSHOTS = Path(__file__).resolve().parents[2] / ".screenshots"


def _setup():
    ensure_seeded()  # alarm rules in every language: an earlier browser test emptied the tables
    ensure_articles()  # the seeded articles and their translations, for the same reason
    nurse = make_staff(first_name="Marieke", last_name="Visser")
    topic("Slapen")
    location = make_location(name="Consultatiebureau Utrecht Overvecht", phone="030 630 54 10")
    consult = make_type(name="Consult baby", min_age_months=0, max_age_months=12)
    for weekday in range(1, 8):
        make_schedule(
            professional=nurse,
            location=location,
            weekday=weekday,
            start_time=time(17, 30),
            end_time=time(20, 30),
            valid_from=date(2026, 1, 1),
            types=[consult],
        )
    services.generate_slots()
    parent = make_parent(email="amal@example.org")
    make_child(family=parent.family, first_name="Noor", age_months=1)
    return parent


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


NOT_CHECKED = "This translation has not yet been checked by a native speaker."
CONFIRMED = "Your appointment is booked. The appointment for your calendar is attached."
NOT_TRANSLATED = "This text is not yet available in your language. You see the Dutch text."


def _find_safe_sleep_article(page) -> None:
    """From the family page to "Informatie": the articles for Noor's age (1 month)."""
    page.get_by_role("link", name="Informatie", exact=True).first.click()
    page.wait_for_selector("text=Je ziet informatie voor de leeftijd van:")
    assert page.get_by_role("link", name="Je kind in de puberteit").count() == 0
    page.get_by_role("link", name="Veilig slapen voor je baby").click()
    page.wait_for_selector("h1:has-text('Veilig slapen voor je baby')")
    assert page.get_by_text("Leg je baby altijd op de rug").is_visible()
    assert_accessible(page)
    assert _no_horizontal_scroll(page)


def _switch(page, language: str) -> None:
    page.locator("#language-switch").select_option(language)
    page.locator("form:has(#language-switch) button[type=submit]").click()
    page.wait_for_selector(f'html[lang="{language}"]')


def test_parent_switches_to_arabic_books_and_gets_the_mail_in_arabic(live_server, page, settings):
    settings.AFSPRAKEN_MIN_NOTICE_HOURS = 48
    parent = _setup()
    _login_with_cookie(page.context, live_server, parent)
    SCREENSHOTS.mkdir(exist_ok=True)

    # Dutch first: left-to-right, axe-clean, no horizontal scroll. The first page of a fresh
    # server (templates, six catalogues) may take longer than the usual 8 s on a busy machine.
    page.goto(live_server.url + "/gezin/", timeout=30_000)
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert_accessible(page)
    assert _no_horizontal_scroll(page)

    # She finds the article about safe sleep for her baby's age, in Dutch.
    _find_safe_sleep_article(page)

    # The switch names every language in itself; Arabic turns the article right-to-left, in
    # Arabic, with a note that no native speaker checked it yet.
    assert page.locator("#language-switch option", has_text="العربية").count() == 1
    _switch(page, "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.wait_for_selector("h1:has-text('النوم الآمن لطفلك')")
    assert page.get_by_text("ضع طفلك دائمًا على ظهره لينام").is_visible()
    assert page.locator("article li").count() == 4  # the Markdown list, not "<li>" as text
    assert page.get_by_text(_in("ar", NOT_CHECKED)).is_visible()
    assert page.get_by_text("Leg je baby altijd op de rug").count() == 0
    assert_accessible(page)
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "ar-article-360.png"), full_page=True)

    # An article for her baby's age without an Arabic text: the Dutch text (lang="nl"), with a
    # note in Arabic saying so.
    page.get_by_role("link", name=_in("ar", "All information")).click()
    page.wait_for_selector(f"h1:has-text('{_in('ar', 'Information for parents')}')")
    untranslated = page.locator('li[lang="nl"] a', has_text="Borstvoeding: de eerste weken")
    untranslated.click()
    page.wait_for_selector("h1:has-text('Borstvoeding: de eerste weken')")
    assert page.get_by_text(_in("ar", NOT_TRANSLATED)).is_visible()
    assert page.locator('div[lang="nl"] h1').inner_text() == "Borstvoeding: de eerste weken"
    assert_accessible(page)
    assert _no_horizontal_scroll(page)

    page.goto(live_server.url + "/gezin/")
    assert page.get_by_role("link", name="مواعيدي").count() >= 1
    assert_accessible(page)
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "ar-family-360.png"), full_page=True)

    # Book an appointment in Arabic, with an interpreter.
    page.get_by_role("link", name="مواعيدي").first.click()
    page.get_by_role("link", name="احجز موعدًا").first.click()
    assert_accessible(page)
    assert _no_horizontal_scroll(page)
    page.get_by_label("Consult baby").check()
    page.get_by_label("أين؟").select_option(label="Consultatiebureau Utrecht Overvecht")
    page.get_by_role("button", name="اعرض الأوقات المتاحة").click()
    page.wait_for_url("**/afspraken/maken/tijden/**")
    assert_accessible(page)
    assert _no_horizontal_scroll(page)
    page.locator("a.slot-evening").click()
    page.locator("summary", has_text="ماذا تريد أن تناقش؟").click()
    page.get_by_label("أريد مترجمًا فوريًا").check()
    page.get_by_label("مترجم لأي لغة؟").select_option("ar")
    assert_accessible(page)
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "ar-confirm-360.png"), full_page=True)
    page.get_by_role("button", name="احجز هذا الموعد").click()
    page.wait_for_selector("text=تم حجز موعدك.")
    assert_accessible(page)
    assert _no_horizontal_scroll(page)

    parent.refresh_from_db()
    assert parent.preferred_language == "ar"
    row = OutgoingEmail.objects.get(kind="afspraken_confirmation", to="amal@example.org")
    assert row.subject == "تم حجز موعدك"
    # The row's body is emptied once sent (its link can cancel); the sent message is in Arabic.
    sent = next(m for m in mail.outbox if m.to == ["amal@example.org"])
    assert sent.subject == "تم حجز موعدك"
    assert "تم حجز موعدك. الموعد لتقويمك موجود في المرفق." in sent.body
    assert Appointment.objects.get(parent=parent).interpreter_language == "ar"

    # A question in Arabic about a feverish baby stops at "Call now", with the Dutch text and
    # numbers next to the (not yet reviewed) Arabic.
    page.goto(live_server.url + "/vragen/nieuw/")
    page.get_by_label("Noor").check()
    page.get_by_label("الموضوع").select_option(index=1)
    page.get_by_label("سؤالك").fill("طفلتي عندها حرارة عالية منذ الصباح، ماذا أفعل؟")
    page.get_by_role("button", name="أرسل السؤال").click()
    page.wait_for_selector("text=ما كتبته يبدو خطيرًا")
    assert page.locator('a[href="tel:112"]').count() >= 2  # Arabic and the Dutch copy
    assert page.locator('.safety-dutch[lang="nl"]').count() >= 1
    assert_accessible(page)
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "ar-call-now-360.png"), full_page=True)


def test_parent_finds_an_article_books_and_gets_the_mail_in_dutch(live_server, page, settings):
    settings.AFSPRAKEN_MIN_NOTICE_HOURS = 48
    parent = _setup()
    _login_with_cookie(page.context, live_server, parent)

    page.goto(live_server.url + "/gezin/", timeout=30_000)
    _find_safe_sleep_article(page)
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_text(_in("nl", NOT_CHECKED)).count() == 0

    page.goto(live_server.url + "/gezin/")
    page.get_by_role("link", name="Mijn afspraken").first.click()
    page.get_by_role("link", name="Maak een afspraak").first.click()
    page.get_by_label("Consult baby").check()
    page.get_by_label("Waar?").select_option(label="Consultatiebureau Utrecht Overvecht")
    page.get_by_role("button", name="Toon vrije tijden").click()
    page.wait_for_url("**/afspraken/maken/tijden/**")
    assert_accessible(page)
    assert _no_horizontal_scroll(page)
    page.locator("a.slot-evening").click()
    page.get_by_role("button", name="Maak deze afspraak").click()
    page.wait_for_selector("text=Je afspraak staat.")
    assert_accessible(page)
    assert _no_horizontal_scroll(page)

    sent = next(m for m in mail.outbox if m.to == ["amal@example.org"])
    assert sent.subject == "Je afspraak staat"
    assert _in("nl", CONFIRMED) in sent.body and "تم" not in sent.body
