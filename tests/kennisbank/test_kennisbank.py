"""The content library: age filter, Dutch search, votes, review list, readability, fallback."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from kennisbank import readability, selectors, services
from kennisbank.exceptions import AlreadyVoted
from kennisbank.models import Article, TranslationReview, Vote
from kennisbank.seed import ARTICLES
from onderwerpen.models import Topic
from tests.factories import make_child, make_parent, make_staff

pytestmark = pytest.mark.django_db


def make_article(**overrides) -> Article:
    today = timezone.localdate()
    values = {
        "slug": f"test-{Article.objects.count()}",
        "title": "Testtekst",
        "summary": "Kort",
        "body": "Een korte tekst.",
        "month_from": 0,
        "month_to": 12,
        "checked_on": today,
        "source": "JGZ-richtlijn",
        "review_by": today + timedelta(days=365),
    }
    values.update(overrides)
    article = Article.objects.create(**values)
    services.refresh_search_vector(article_ids=[article.pk])
    return article


def slugs(articles) -> set[str]:
    return {a.slug for a in articles}


# --- Age filtering ------------------------------------------------------------------------------


def test_pregnancy_week_finds_pregnancy_articles_only():
    family_child = make_child(due_in_days=7 * 10)  # 30 weeks pregnant
    ages = selectors.ages_of_children([family_child], today=timezone.localdate())
    assert ages[0].weeks == 30
    found = slugs(selectors.list_published(ages=ages))
    assert "klaar-voor-je-baby" in found
    assert {"kinkhoestprik-in-je-zwangerschap", "gezond-eten-in-je-zwangerschap"} <= found
    assert "veilig-slapen" not in found


def test_baby_in_months_finds_baby_articles():
    baby = make_child(age_months=5)
    found = slugs(
        selectors.list_published(
            ages=selectors.ages_of_children([baby], today=timezone.localdate())
        )
    )
    assert {"veilig-slapen", "de-eerste-hapjes", "je-baby-huilt-veel"} <= found
    assert "de-hielprik" not in found
    assert "je-kind-in-de-puberteit" not in found


def test_teenager_in_years_finds_teen_articles():
    teen = make_child(age_months=14 * 12 + 3)
    found = slugs(
        selectors.list_published(
            ages=selectors.ages_of_children([teen], today=timezone.localdate())
        )
    )
    assert {"je-kind-in-de-puberteit", "de-hpv-prik"} <= found
    assert "veilig-slapen" not in found


def test_parent_sees_information_for_their_childs_age(client):
    parent = make_parent()
    make_child(family=parent.family, age_months=3, first_name="Noor")
    client.force_login(parent)
    page = client.get(reverse("kennisbank:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Noor" in text
    assert "Veilig slapen voor je baby" in text
    assert "Je kind in de puberteit" not in text
    everything = client.get(reverse("kennisbank:index") + "?all=1").content.decode()
    assert "Je kind in de puberteit" in everything


def test_anonymous_visitor_filters_by_age_band(client):
    page = client.get(reverse("kennisbank:index"), {"age": "pregnancy"})
    text = page.content.decode()
    assert "Gezond eten als je zwanger bent" in text
    assert "Tanden poetsen" not in text


def test_unknown_age_band_is_refused_in_dutch(client):
    page = client.get(reverse("kennisbank:index"), {"age": "99", "q": "slapen"})
    assert page.status_code == 400
    assert 'value="slapen"' in page.content.decode()


def test_browse_by_theme(client):
    sleep = Topic.objects.get(name="Slapen")
    text = client.get(reverse("kennisbank:index"), {"topic": sleep.pk}).content.decode()
    assert "Veilig slapen voor je baby" in text
    assert "De eerste hapjes" not in text


# --- Search (PostgreSQL `dutch`) ----------------------------------------------------------------


def test_dutch_search_finds_other_forms_of_a_word():
    # "slaapt" and "slapen" share the Dutch stem; "koortsig" is not in any text.
    assert "veilig-slapen" in slugs(selectors.search(text="baby slaapt"))
    assert "koorts" in slugs(selectors.search(text="koorts"))
    assert not selectors.search(text="ruimtevaart")


def test_search_ranks_title_words_first():
    results = list(selectors.search(text="tanden poetsen"))
    assert results[0].slug == "tanden-poetsen"


def test_search_page_shows_results(client):
    text = client.get(reverse("kennisbank:index"), {"q": "borstvoeding"}).content.decode()
    assert "Borstvoeding: de eerste weken" in text


def test_search_uses_the_gin_index():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'kennisbank_article_search'"
        )
        assert "gin" in cursor.fetchone()[0].lower()


# --- Votes --------------------------------------------------------------------------------------


def test_vote_counts_once_per_session(client):
    article = Article.objects.get(slug="koorts")
    url = reverse("kennisbank:vote", args=[article.slug])
    first = client.post(url, {"helpful": "yes"})
    assert first.status_code == 302
    client.post(url, {"helpful": "no"})
    assert list(article.votes.values_list("helpful", flat=True)) == [True]
    page = client.get(reverse("kennisbank:article", args=[article.slug])).content.decode()
    assert "Bedankt voor je antwoord" in page or "Thank you" in page


def test_another_session_may_vote_too(client, django_user_model):
    from django.test import Client

    article = Article.objects.get(slug="koorts")
    url = reverse("kennisbank:vote", args=[article.slug])
    client.post(url, {"helpful": "yes"})
    Client().post(url, {"helpful": "no"})
    assert selectors.vote_counts()[article.pk] == (1, 1)


def test_second_vote_in_service_is_refused():
    article = Article.objects.get(slug="koorts")
    services.vote(article=article, session_key="abc", helpful=True)
    with pytest.raises(AlreadyVoted):
        services.vote(article=article, session_key="abc", helpful=False)
    assert Vote.objects.filter(article=article).count() == 1


def test_vote_without_answer_is_refused(client):
    page = client.post(reverse("kennisbank:vote", args=["koorts"]), {})
    assert page.status_code == 400
    assert not Vote.objects.exists()


# --- Review list --------------------------------------------------------------------------------


def test_review_list_shows_articles_due_oldest_first():
    today = date(2028, 1, 10)
    Article.objects.update(review_by=date(2030, 1, 1))
    late = make_article(slug="laat", review_by=date(2027, 6, 1))
    due = make_article(slug="vandaag", review_by=today)
    make_article(slug="later", review_by=today + timedelta(days=1))
    assert list(selectors.list_due_for_review(today=today)) == [late, due]


def test_editor_sees_due_filter_and_vote_counts_in_admin(client):
    editor = make_staff(role="editor")
    client.force_login(editor)
    Article.objects.filter(slug="koorts").update(review_by=date(2000, 1, 1))
    services.vote(article=Article.objects.get(slug="koorts"), session_key="s1", helpful=True)
    page = client.get(reverse("admin:kennisbank_article_changelist") + "?review=due")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Koorts bij je baby of kind" in text
    assert "Veilig slapen voor je baby" not in text


# --- Readability --------------------------------------------------------------------------------


HARD = (
    "De jeugdgezondheidszorgorganisatie verzorgt preventieve gezondheidsonderzoeken "
    "overeenkomstig de landelijke richtlijnen en professionele standaarden die in heel "
    "Nederland voor iedereen gelden."
)


def test_hard_text_is_above_b1_with_long_sentence_and_words():
    result = readability.check(HARD)
    assert result.above_b1
    assert len(result.long_sentences) == 1
    assert "jeugdgezondheidszorgorganisatie" in result.long_words
    html = readability.highlighted(HARD)
    assert "<mark" in html and "<strong" in html


@pytest.mark.parametrize("slug", [a[0] for a in ARTICLES])
def test_seeded_articles_pass_b1(slug):
    body = next(a[3] for a in ARTICLES if a[0] == slug)
    result = readability.check(body)
    assert not result.above_b1, (slug, result.score)
    assert not result.long_sentences, slug


def test_saving_hard_article_in_admin_warns_editor(client):
    editor = make_staff(role="editor")
    client.force_login(editor)
    article = Article.objects.get(slug="koorts")
    url = reverse("admin:kennisbank_article_change", args=[article.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "title_nl": article.title_nl,
        "slug": article.slug,
        "summary_nl": article.summary_nl,
        "body_nl": HARD,
        "month_from": 0,
        "month_to": 48,
        "checked_on": "2026-11-01",
        "source": "Thuisarts",
        "review_by": "2027-11-01",
        "is_published": "on",
        "kennisbank-translationreview-content_type-object_id-TOTAL_FORMS": "0",
        "kennisbank-translationreview-content_type-object_id-INITIAL_FORMS": "0",
    }
    for lang in ("en", "ar", "tr", "pl", "uk"):
        data.update({f"title_{lang}": "", f"summary_{lang}": "", f"body_{lang}": ""})
    saved = client.post(url, data, follow=True)
    assert saved.status_code == 200
    assert "B1" in saved.content.decode()
    article.refresh_from_db()
    assert article.body_nl == HARD
    # The search vector follows the change.
    assert "koorts" in slugs(selectors.search(text="jeugdgezondheidszorgorganisatie"))


def test_readability_report_lists_long_catalogue_entries():
    from io import StringIO

    out = StringIO()
    call_command("readability_report", stdout=out)
    text = out.getvalue()
    assert "Flesch-Douma" in text
    assert "words" in text


# --- Translations -------------------------------------------------------------------------------


def test_missing_translation_shows_dutch_with_a_note(client, settings):
    article = Article.objects.get(slug="koorts")  # in English and Arabic, not in Turkish
    with translation.override("tr"):
        assert article.title == "Koorts bij je baby of kind"  # the Dutch falls in
        state = selectors.translation_state(article, field="body")
        note = translation.gettext(
            "This text is not yet available in your language. You see the Dutch text."
        )
    assert state.missing
    page = client.get(
        reverse("kennisbank:article", args=["koorts"]), HTTP_ACCEPT_LANGUAGE="tr"
    ).content.decode()
    assert note in page
    assert "Koorts bij je baby of kind" in page


def test_every_seeded_article_has_simple_english_not_yet_checked(client):
    articles = {a.slug: a for a in Article.objects.all()}
    for slug, *_rest in ARTICLES:
        article = articles[slug]
        assert article.title_en and article.summary_en and article.body_en, slug
        assert article.title_en != article.title_nl, slug
        state = selectors.translation_state(article, field="body", language="en")
        assert not state.missing and not state.reviewed, slug
    assert not TranslationReview.objects.exists()
    page = client.get(
        reverse("kennisbank:article", args=["veilig-slapen"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Safe sleep for your baby" in page and "Always put your baby on their back" in page
    assert "<li>Use a sleeping bag." in page and "&lt;li&gt;" not in page  # Markdown as HTML
    assert "not yet been checked by a native speaker" in page
    assert "Veilig slapen" not in page


def test_english_list_marks_only_untranslated_titles_as_dutch(client):
    article = Article.objects.get(slug="de-hpv-prik")
    Article.objects.filter(pk=article.pk).update(title_en="", summary_en="", body_en="")
    page = client.get(
        reverse("kennisbank:index"), {"all": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<li class="mb-3" lang="nl">' in page and "De HPV-prik" in page
    assert page.count('<li class="mb-3" lang="nl">') == 1
    assert "Safe sleep for your baby" in page


def test_translation_shows_with_reviewed_state(client):
    article = Article.objects.get(slug="koorts")
    article.title_en = "Fever in your baby or child"
    article.body_en = "Fever is a temperature of 38 degrees or more."
    article.save()
    with translation.override("en"):
        assert article.title == "Fever in your baby or child"
        assert not selectors.translation_state(article, field="body").reviewed
    page = client.get(
        reverse("kennisbank:article", args=["koorts"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Fever in your baby or child" in page
    assert "not yet been checked by a native speaker" in page
    services.mark_translation_reviewed(
        obj=article, language="en", reviewer_name="J. Smith", actor=None
    )
    assert TranslationReview.objects.count() == 1
    page = client.get(
        reverse("kennisbank:article", args=["koorts"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "native speaker" not in page


# --- Linked from other pages --------------------------------------------------------------------


def test_contact_moment_page_shows_read_ahead_for_that_age(client):
    parent = make_parent()
    child = make_child(family=parent.family, age_months=14)
    client.force_login(parent)
    page = client.get(reverse("contactmomenten:moment", args=[child.pk, "cb-14m"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lees alvast" in text
    assert "Je peuter leert praten" in text
    assert "Veilig slapen voor je baby" not in text
    assert "kb-translation-note" not in text  # Dutch is the original: no note
    arabic = client.get(
        reverse("contactmomenten:moment", args=[child.pk, "cb-14m"]), HTTP_ACCEPT_LANGUAGE="ar"
    ).content.decode()
    assert "kb-translation-note" in arabic  # no Arabic description yet: the Dutch, with a note


def test_read_ahead_for_pregnancy_moment():
    found = [a.slug for a in selectors.list_read_ahead(unit="pregnancy_week", value=28)]
    assert found[0] == "kinkhoestprik-in-je-zwangerschap"


def test_professional_links_an_article_in_an_answer(nurse_client, nurse, parent):
    from tests.vragen.factories import ensure_seeded, make_question
    from vragen import services as vragen_services

    ensure_seeded()
    child = make_child(family=parent.family, age_months=8)
    question = make_question(parent=parent, child=child)
    url = reverse("vragen:staff_question", args=[question.pk])
    page = nurse_client.get(url).content.decode()
    assert "?article=veilig-slapen" in page  # offered: an article for an 8-month-old
    page = nurse_client.get(url, {"article": "veilig-slapen"}).content.decode()
    assert "Lees meer: Veilig slapen voor je baby http" in page
    body = "Leg haar op de rug.\n\nLees meer: Veilig slapen http://testserver/informatie/veilig-slapen/"
    vragen_services.answer_question(actor=nurse, question_id=question.pk, body=body)
    nurse_client.force_login(parent)
    thread = nurse_client.get(reverse("vragen:detail", args=[question.pk])).content.decode()
    assert 'href="http://testserver/informatie/veilig-slapen/"' in thread


def test_content_languages_are_the_parent_languages(settings):
    assert list(settings.CONTENT_LANGUAGES) == list(settings.PARENT_LANGUAGES)


def test_saving_a_hard_standard_answer_warns_the_editor(client):
    from vragen.models import StandardAnswer

    editor = make_staff(role="editor")
    client.force_login(editor)
    answer = StandardAnswer.objects.first()
    url = reverse("admin:vragen_standardanswer_change", args=[answer.pk])
    data = {
        "topic": answer.topic_id,
        "title_nl": answer.title,
        "body_nl": HARD,
        "is_active": "on",
        "kennisbank-translationreview-content_type-object_id-TOTAL_FORMS": "0",
        "kennisbank-translationreview-content_type-object_id-INITIAL_FORMS": "0",
    }
    saved = client.post(url, data, follow=True)
    assert saved.status_code == 200
    text = saved.content.decode()
    assert "moeilijker dan B1" in text
    form = client.get(url).content.decode()
    assert '<mark class="long-sentence">' in form


# --- Translations of the other content ----------------------------------------------------------


def test_topic_name_shows_in_the_readers_language_else_dutch():
    sleep = Topic.objects.get(name="Slapen")
    assert sleep.name_nl == "Slapen"  # the migration moved the Dutch into its column
    sleep.name_ar = "النوم"
    sleep.save()
    with translation.override("ar"):
        assert Topic.objects.get(pk=sleep.pk).name == "النوم"
    with translation.override("tr"):
        assert Topic.objects.get(pk=sleep.pk).name == "Slapen"


def test_alarm_advice_in_arabic_on_the_call_now_page(client):
    from vragen.models import AlarmRule

    rule = AlarmRule.objects.filter(advice_nl__gt="").first()
    assert rule.advice_nl  # seeded Dutch advice kept in the Dutch column
    rule.advice_ar = "اتصل الآن بطبيب العائلة."
    rule.save()
    with translation.override("ar"):
        assert AlarmRule.objects.get(pk=rule.pk).advice == "اتصل الآن بطبيب العائلة."
    with translation.override("pl"):
        assert AlarmRule.objects.get(pk=rule.pk).advice == rule.advice_nl


def test_editor_writes_an_edition_per_language_and_sent_ones_stay_frozen(client):
    from nieuwsbrieven.models import Edition

    editor = make_staff(role="editor")
    client.force_login(editor)
    edition = Edition.objects.create(
        title="Slapen",
        body="Je baby slaapt veel.",
        phase="child",
        age_from_months=0,
        age_to_months=6,
    )
    url = reverse("admin:nieuwsbrieven_edition_change", args=[edition.pk])
    form = client.get(url).content.decode()
    assert 'name="title_nl"' in form and 'name="body_ar"' in form
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.SENT, scheduled_at=timezone.now()
    )
    frozen = client.get(url).content.decode()
    assert 'name="body_ar"' not in frozen and 'name="title_nl"' not in frozen


def test_demo_data_adds_an_editor_who_opens_the_articles(client, settings):
    from accounts.models import User

    settings.DEBUG = True
    call_command("demo_data", stdout=__import__("io").StringIO())
    editor = User.objects.get(email="redactie@example.org")
    assert editor.role == User.Role.EDITOR and editor.is_staff
    assert Article.objects.filter(slug="veilig-slapen").exists()
    client.force_login(editor)
    assert client.get(reverse("admin:kennisbank_article_changelist")).status_code == 200
    assert client.get(reverse("admin:families_family_changelist")).status_code == 403


def _queries(client, url, params=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_information_page_queries_do_not_grow_with_the_articles(client, time_machine):
    """A parent's information page costs the same with 2 or 40 articles for the child's age."""
    # The clock stands still: the idle-timeout session write (once a minute, not per row)
    # cannot land in one measurement and not the other.
    time_machine.move_to(timezone.now(), tick=False)
    parent = make_parent()
    make_child(family=parent.family, age_months=5)
    client.force_login(parent)
    theme = Topic.objects.get_or_create(name="Slapen")[0]
    for _ in range(2):
        make_article().topics.add(theme)
    url = reverse("kennisbank:index")
    _queries(client, url)  # the first request after logging in also saves the session
    few = _queries(client, url)
    for _ in range(38):
        make_article().topics.add(theme)
    assert _queries(client, url) == few
    assert _queries(client, url, {"q": "korte tekst"}) <= few + 1
