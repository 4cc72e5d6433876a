"""Factories for questions: small functions with safe defaults (see tests/factories.py)."""

from onderwerpen.models import Topic
from vragen import services


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
    """Re-run the seed migrations' data (idempotent): transactional tests (the browser tests)
    empty every table afterwards, seeded topics, opening hours and alarm rules included."""
    import importlib

    from vragen.models import AlarmRule, OpeningHours

    if (
        Topic.objects.exists()
        and OpeningHours.objects.exists()
        and AlarmRule.objects.filter(language="nl").exists()
        and AlarmRule.objects.exclude(language="nl").exists()
    ):
        return
    importlib.import_module("vragen.migrations.0002_seed").seed(_SeedApps(), None)
    importlib.import_module("vragen.migrations.0007_seed_alarm_rules").seed(_SeedApps(), None)
    # The same rules in the other parent languages, copied from the Dutch ones.
    importlib.import_module("vragen.migrations.0010_alarm_rules_per_language").seed(
        _SeedApps(), None
    )
    importlib.import_module("vragen.migrations.0013_more_alarm_rules_per_language").seed(
        _SeedApps(), None
    )


class _NoAlarmPhrases:
    """0002 also seeded the literal alarm phrases, a table replaced by the alarm rules."""

    class objects:  # noqa: N801 - stands in for a model's manager
        @staticmethod
        def get_or_create(**kwargs):
            return None, False


class _SeedApps:
    def get_model(self, app_label: str, model_name: str):
        from django.apps import apps

        if (app_label, model_name) == ("vragen", "AlarmPhrase"):
            return _NoAlarmPhrases
        if (app_label, model_name) == ("vragen", "Topic"):
            app_label = "onderwerpen"  # moved to the shared vocabulary after 0002
        return apps.get_model(app_label, model_name)
