"""Writes for the content library: search index upkeep, votes, checked translations."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kennisbank.exceptions import AlreadyVoted
from kennisbank.models import Article, TranslationReview, Vote

# Dutch words weigh most in the title, then the summary, then the text.
_VECTOR = (
    SearchVector("title_nl", weight="A", config="dutch")
    + SearchVector("summary_nl", weight="B", config="dutch")
    + SearchVector("body_nl", weight="C", config="dutch")
)


def refresh_search_vector(*, article_ids=None) -> None:
    """Recompute the Dutch search vector (PostgreSQL only; SQLite searches with LIKE)."""
    if connection.vendor != "postgresql":
        return
    articles = Article.objects.all()
    if article_ids is not None:
        articles = articles.filter(pk__in=article_ids)
    articles.update(search_vector=_VECTOR)


def article_saved(*, article: Article) -> None:
    """After the admin saved an article: stamp the change and refresh its search vector."""
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    refresh_search_vector(article_ids=[article.pk])


def vote(*, article: Article, session_key: str, helpful: bool) -> Vote:
    """One vote per article per browser session; a second raises AlreadyVoted."""
    try:
        with transaction.atomic():
            return Vote.objects.create(article=article, session_key=session_key, helpful=helpful)
    except IntegrityError as exc:
        raise AlreadyVoted from exc


def mark_translation_reviewed(*, obj, language: str, reviewer_name: str, actor) -> None:
    """Record that a native speaker checked `obj`'s text in `language` (idempotent)."""
    TranslationReview.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        language=language,
        defaults={"reviewer_name": reviewer_name, "reviewed_by": actor},
    )
