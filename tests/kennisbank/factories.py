def ensure_seeded() -> None:
    """Re-load the seeded articles (idempotent): transactional tests (the browser tests) empty
    every table afterwards, the articles of migration 0002 included."""
    from kennisbank import services
    from kennisbank.models import Article
    from kennisbank.seed import load
    from onderwerpen.models import Topic
    from tests.vragen.factories import ensure_seeded as ensure_topics

    ensure_topics()
    if Article.objects.exists():
        return
    load(Article, Topic)
    services.refresh_search_vector()
