"""Each app registers its own privacy part; privacy reaches into no other app's models."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from privacy import registry

ROOT = Path(settings.BASE_DIR)
FAMILY_MODELS = ("families.family", "families.child")
STAFF_ROWS = (
    "afspraken.schedule",
    "afspraken.slot",
    "afspraken.closure",
    "accounts.rolechange",
    "teams.team",
    "vragen.alarmrule",
    "vragen.alarmrulechange",
    "bereik.populationimport",  # a manager's import run: file name, counts, line errors
    "kennisbank.translationreview",  # which editor checked a translation
)


def _portal_apps():
    return [config for config in apps.get_app_configs() if Path(config.path).parent == ROOT]


def _holds_family_data(model) -> bool:
    """A relation to a family, a child or an account, or an e-mail address of its own."""
    user = get_user_model()._meta.label_lower
    if model._meta.label_lower in (*FAMILY_MODELS, user):
        return True
    for field in model._meta.get_fields():
        related = getattr(field, "related_model", None)
        if related is not None and not field.auto_created:
            if related._meta.label_lower in (*FAMILY_MODELS, user):
                return True
        if isinstance(field, models.EmailField):
            return True
    return False


def test_every_portal_app_holding_family_data_registers_its_privacy_part():
    holding = {
        config.label
        for config in _portal_apps()
        if any(
            _holds_family_data(model) and model._meta.label_lower not in STAFF_ROWS
            for model in config.get_models()
        )
    }
    assert {"accounts", "families", "outbox", "vragen", "afspraken"} <= holding  # sanity
    missing = holding - registry.contributing_apps()
    assert not missing, f"add a privacy_data.py (export, erasure, retention) to: {missing}"


def test_every_portal_model_holding_family_data_in_the_admin_is_logged_there():
    from django.contrib import admin

    unlogged = [
        model._meta.label_lower
        for model in admin.site._registry
        if Path(apps.get_app_config(model._meta.app_label).path).parent == ROOT
        and _holds_family_data(model)
        and model._meta.label_lower not in registry.FAMILY_DATA
        # Staff rows: they name a professional (schedules, slots, closures, teams' members, role
        # changes, who edited an alarm rule, who ran an import), not a family.
        and model._meta.label_lower not in STAFF_ROWS
    ]
    assert unlogged == []


def test_privacy_imports_no_other_apps_models():
    others = {config.label for config in _portal_apps()} - {"privacy", "core"}
    offenders = []
    for path in (ROOT / "privacy").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] in others and parts[-1] == "models":
                    offenders.append(f"{path.name}: from {node.module} import ...")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "get_model":
                label = node.args[0].value if node.args and hasattr(node.args[0], "value") else ""
                if str(label).split(".")[0] in others:
                    offenders.append(f"{path.name}: get_model({label!r})")
    assert offenders == []


@pytest.mark.django_db
def test_the_download_still_has_every_apps_part(parent):
    from privacy.services import collect_family_data

    keys = {section.key for section in collect_family_data(user=parent)}
    assert {"account", "family", "children", "emails", "access_log", "questions"} <= keys
    assert {"appointments"} <= keys


def test_record_access_is_the_one_writer_of_the_access_log():
    """No module but privacy/services.py creates log rows (no bulk inserts of its own)."""
    offenders = []
    paths = [path for config in _portal_apps() for path in Path(config.path).rglob("*.py")]
    for path in paths:
        relative = path.relative_to(ROOT)
        if "migrations" in relative.parts:
            continue
        if relative == Path("privacy/services.py"):
            continue
        source = path.read_text(encoding="utf-8")
        if "AccessLog" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            text = ast.unparse(node.func)
            if (
                text == "AccessLog"
                or text.startswith("AccessLog.objects.")
                and text.endswith(("create", "bulk_create", "get_or_create", "update_or_create"))
            ):
                offenders.append(f"{relative}: {text}(...)")
    assert offenders == []
