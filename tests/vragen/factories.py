"""Factories for questions: small functions with safe defaults (see tests/factories.py)."""

from vragen import services
from vragen.models import Topic


def topic(name: str = "Slapen") -> Topic:
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
