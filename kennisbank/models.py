"""The content library: short checked articles for parents, by age and theme.

Editors keep the articles in the admin. Texts have a column per content language
(`kennisbank/translation.py`); `TranslationReview` records which translations a native speaker
has checked, for articles and for the other translated content (editions, standard answers, ...).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_PREGNANCY_WEEK = 42
MAX_MONTHS = 12 * 18 + 1


class Article(models.Model):
    """One short article. It is for a pregnancy (weeks), a child's age (months), or both."""

    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(
        _("text (Markdown)"),
        help_text=_("Markdown: **bold**, lists with -, links as [text](https://…)."),
    )
    topics = models.ManyToManyField(
        "onderwerpen.Topic", verbose_name=_("themes"), related_name="articles", blank=True
    )
    week_from = models.PositiveSmallIntegerField(
        _("from pregnancy week"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PREGNANCY_WEEK)],
    )
    week_to = models.PositiveSmallIntegerField(
        _("until pregnancy week (not included)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PREGNANCY_WEEK + 1)],
    )
    month_from = models.PositiveSmallIntegerField(
        _("from age in months"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MONTHS)],
    )
    month_to = models.PositiveSmallIntegerField(
        _("until age in months (not included)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MONTHS)],
    )
    checked_on = models.DateField(_("checked on"))
    source = models.CharField(
        _("source"), max_length=200, help_text=_("For example the JGZ guideline or Thuisarts.")
    )
    review_by = models.DateField(_("review by"), help_text=_("Check the text again by this date."))
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # Dutch full-text search (PostgreSQL `dutch` configuration), kept by kennisbank.services;
    # its GIN index is made by migration 0002 on PostgreSQL only (SQLite has no tsvector).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(week_from__isnull=True) & Q(week_to__isnull=True))
                | Q(week_to__gt=F("week_from")),
                name="kennisbank_article_week_range",
            ),
            models.CheckConstraint(
                condition=(Q(month_from__isnull=True) & Q(month_to__isnull=True))
                | Q(month_to__gt=F("month_from")),
                name="kennisbank_article_month_range",
            ),
            models.CheckConstraint(
                condition=Q(week_from__isnull=False) | Q(month_from__isnull=False),
                name="kennisbank_article_has_age",
            ),
        ]
        indexes = [
            models.Index(fields=["review_by"], name="kennisbank_article_review_by"),
        ]

    def __str__(self) -> str:
        return self.title


class Vote(models.Model):
    """ "Was dit nuttig?": one answer per article per browser session, no account needed."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="votes"
    )
    session_key = models.CharField(_("session"), max_length=64)
    helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "session_key"], name="kennisbank_vote_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class TranslationReview(models.Model):
    """A native speaker checked the translation of one object into one language."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of content"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("object"), max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    language = models.CharField(
        _("language"), max_length=8, choices=[(c, c) for c in settings.CONTENT_LANGUAGES]
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer_name = models.CharField(
        _("native speaker"), max_length=120, help_text=_("Who checked the translation.")
    )
    reviewed_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("checked translation")
        verbose_name_plural = _("checked translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language"],
                name="kennisbank_translationreview_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.language}"
