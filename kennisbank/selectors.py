"""Reads for the content library: articles by age, theme and search; review lists."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _

from families.ages import months_between, pregnancy_week
from kennisbank.models import Article, TranslationReview
from onderwerpen.models import Topic


@dataclass(frozen=True)
class Age:
    """A child's stage on a day: pregnancy week or whole months (one of the two)."""

    name: str
    weeks: int | None = None
    months: int | None = None


def ages_of_children(children, *, today: date) -> list[Age]:
    """The stages of a parent's children today (children without dates are left out)."""
    found = []
    for child in children:
        if child.date_of_birth is not None:
            found.append(Age(child.first_name, months=months_between(child.date_of_birth, today)))
        elif child.due_date is not None:
            found.append(Age(child.first_name, weeks=pregnancy_week(child.due_date, today)))
    return found


def age_q(age: Age) -> Q:
    if age.weeks is not None:
        return Q(week_from__lte=age.weeks, week_to__gt=age.weeks)
    return Q(month_from__lte=age.months, month_to__gt=age.months)


def list_published(*, ages=(), topic: Topic | None = None) -> QuerySet[Article]:
    articles = Article.objects.filter(is_published=True)
    if ages:
        combined = Q()
        for age in ages:
            combined |= age_q(age)
        articles = articles.filter(combined)
    if topic is not None:
        articles = articles.filter(topics=topic)
    return articles.order_by(F("week_from").asc(nulls_last=True), "month_from", "title")


def band_q(band: str) -> Q:
    """Articles for an age band of the staff filters (pregnancy, 0-1, 1-4, ...)."""
    from onderwerpen import age_bands

    if band == age_bands.PREGNANCY:
        return Q(week_from__isnull=False)
    low, high = age_bands.MONTHS[band]
    return Q(month_from__lt=high, month_to__gt=low)


def list_for_months(*, months: int, limit: int = 3) -> list[Article]:
    """ "Lees alvast": published articles for a child of `months` months, narrowest age first."""
    articles = list_published(ages=[Age("", months=months)])
    return list(articles.order_by(F("month_to") - F("month_from"), "title")[:limit])


def list_for_pregnancy_week(*, week: int, limit: int = 3) -> list[Article]:
    articles = list_published(ages=[Age("", weeks=week)])
    return list(articles.order_by(F("week_to") - F("week_from"), "title")[:limit])


_MONTHS_PER_UNIT = {"days": 1 / 30.44, "weeks": 7 / 30.44, "months": 1, "years": 12}


def list_read_ahead(*, unit: str, value: int, limit: int = 3) -> list[Article]:
    """ "Lees alvast" for a contact moment at `value` `unit` (e.g. 8 weeks, 14 months)."""
    if unit == "pregnancy_week":
        return list_for_pregnancy_week(week=value, limit=limit)
    return list_for_months(months=int(value * _MONTHS_PER_UNIT.get(unit, 1)), limit=limit)


def search(*, text: str, ages=()) -> QuerySet[Article]:
    """Dutch full-text search (stems: "slaapt" finds "slapen"); LIKE on SQLite."""
    articles = list_published(ages=ages)
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="dutch", search_type="websearch")
        return (
            articles.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "title")
        )
    fields = ("title", "summary", "body")
    combined = Q()
    for word in text.split():
        per_word = Q()
        for name in fields:
            per_word |= Q(**{f"{name}_nl__icontains": word})
        combined &= per_word
    return articles.filter(combined)


def get_published(*, slug: str) -> Article:
    return get_object_or_404(Article.objects.filter(is_published=True), slug=slug)


def list_topics_with_articles() -> QuerySet[Topic]:
    return (
        Topic.objects.filter(is_active=True, articles__is_published=True)
        .annotate(article_count=Count("articles"))
        .order_by("position", "name")
    )


def list_due_for_review(*, today: date) -> QuerySet[Article]:
    """Articles whose review date has come, oldest first (the editor's work list)."""
    return Article.objects.filter(review_by__lte=today).order_by("review_by", "title")


def vote_counts() -> dict[int, tuple[int, int]]:
    """{article id: (helpful, not helpful)} for the editors' list."""
    rows = Article.objects.annotate(
        yes=Count("votes", filter=Q(votes__helpful=True)),
        no=Count("votes", filter=Q(votes__helpful=False)),
    ).values_list("pk", "yes", "no")
    return {pk: (yes, no) for pk, yes, no in rows}


@dataclass(frozen=True)
class TranslationState:
    """How the reader's language version of a text stands."""

    language: str
    missing: bool  # no translation: the Dutch text is shown
    reviewed: bool  # a native speaker checked it


def translation_state(obj, *, field: str, language: str | None = None) -> TranslationState:
    """Is `obj.<field>` translated into the active language, and was that checked?"""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE:
        return TranslationState(language, missing=False, reviewed=True)
    if language not in settings.CONTENT_LANGUAGES:
        return TranslationState(language, missing=True, reviewed=False)
    missing = not getattr(obj, f"{field}_{language}", None)
    reviewed = (
        not missing
        and TranslationReview.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            language=language,
        ).exists()
    )
    return TranslationState(language, missing=missing, reviewed=reviewed)


def has_voted(*, article: Article, session_key: str | None) -> bool:
    if not session_key:
        return False
    return article.votes.filter(session_key=session_key).exists()


def list_to_share(*, child, topic_id=None, today: date, limit: int = 5) -> list[Article]:
    """Articles a professional may link in an answer: for the child's age, the topic first."""
    ages = ages_of_children([child], today=today) if child is not None else []
    articles = list_published(ages=ages)
    if topic_id is not None:
        articles = articles.annotate(
            on_topic=Count("topics", filter=Q(topics__pk=topic_id))
        ).order_by("-on_topic", "title")
    return list(articles[:limit])


def get_published_or_none(*, slug: str) -> Article | None:
    return Article.objects.filter(is_published=True, slug=slug).first()


def share_line(article: Article) -> str:
    """The line a professional's answer gets for a linked article, in Dutch."""
    from django.urls import reverse

    url = settings.SITE_URL + reverse("kennisbank:article", args=[article.slug])
    with translation.override(settings.LANGUAGE_CODE):
        return _("Read more: %(title)s %(url)s") % {"title": article.title, "url": url}
