"""Factories for questions: small functions with safe defaults (see tests/factories.py)."""

from vragen import services
from vragen.models import Topic


def topic(name: str = "Slapen") -> Topic:
    ensure_seeded()  # other apps' tests use these factories too, after a flush
    return Topic.objects.get(name=name)


def make_question(*, parent, text: str = "Mijn dochter slaapt slecht sinds een week.", **kw):
    """A question through the real service (so deadline, events and search are set)."""
    return services.submit_question(
        parent=parent,
        topic=kw.pop("topic", None) or topic(),
        text=text,
        channel=kw.pop("channel", "online"),
        **kw,
    )


def ensure_seeded() -> None:
    """Re-run the seed migration's data (idempotent): transactional tests (the browser tests)
    empty every table afterwards, seeded topics and opening hours included."""
    import importlib

    from django.apps import apps

    from vragen.models import OpeningHours

    if Topic.objects.exists() and OpeningHours.objects.exists():
        return
    importlib.import_module("vragen.migrations.0002_seed").seed(apps, None)
