"""The admin is a staff page too: reading or changing a family's data there is logged.

`log_admin_access()` (called from PrivacyConfig.ready, after admin autodiscovery) wraps the
views of every ModelAdmin whose model holds family data (see `registry.FAMILY_DATA`), so no
app's admin can forget it: the list (one row per page, naming every family and child on it),
the change, history and delete pages, the add page and what it creates, list actions, and the
user's password page. The autocomplete answers of family-data models are logged as searches.
"""

import json
from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote

from privacy import registry
from privacy.models import AccessLog
from privacy.services import record_access


def _record(request, model, action, pks, reason, scope_pks=None) -> None:
    label = model._meta.label_lower
    family_ids, child_ids = registry.family_scope(
        label, model._default_manager.filter(pk__in=scope_pks if scope_pks is not None else pks)
    )
    record_access(
        actor=request.user,
        action=action,
        record_type=label,
        record_ids=pks,
        child_ids=child_ids,
        family_ids=family_ids,
        reason=reason,
    )


def _wrap_object_view(model_admin, view, action_on_post: str, reason: str):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # change/history views take `object_id`, the user password view `id`.
        object_id = args[0] if args else kwargs.get("object_id", kwargs.get("id"))
        if response.status_code < 400:
            obj = model_admin.get_object(request, unquote(object_id))
            if obj is not None:
                action = action_on_post if request.method == "POST" else AccessLog.Action.VIEW
                _record(request, model_admin.model, action, [obj.pk], reason)
        return response

    return wrapper


def _wrap_delete_view(model_admin, view):
    @wraps(view)
    def wrapper(request, object_id, *args, **kwargs):
        # The scope is read before the row (and what cascades with it) is gone.
        obj = model_admin.get_object(request, unquote(object_id))
        scope = None
        if obj is not None:
            scope = registry.family_scope(
                model_admin.model._meta.label_lower,
                model_admin.model._default_manager.filter(pk=obj.pk),
            )
        response = view(request, object_id, *args, **kwargs)
        if scope is not None and response.status_code < 400:
            deleted = request.method == "POST"
            record_access(
                actor=request.user,
                action=AccessLog.Action.DELETE if deleted else AccessLog.Action.VIEW,
                record_type=model_admin.model,
                record_ids=[obj.pk],
                family_ids=scope[0],
                child_ids=scope[1],
                reason="admin delete",
            )
        return response

    return wrapper


def _wrap_list_view(model_admin, view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        if request.method == "POST" and selected:
            # A list action (e.g. "Send again"): logged with the rows it was applied to.
            action = request.POST.get("action", "")
            _record(
                request,
                model_admin.model,
                AccessLog.Action.CHANGE,
                selected,
                f"admin action {action}"[:255],
            )
        response = view(request, *args, **kwargs)
        changelist = getattr(response, "context_data", {}) or {}
        changelist = changelist.get("cl")
        if response.status_code == 200 and changelist is not None:
            shown = [obj.pk for obj in changelist.result_list]
            _record(
                request,
                model_admin.model,
                AccessLog.Action.VIEW,
                [],
                ("admin list " + request.GET.urlencode())[:255],
                scope_pks=shown,
            )
        return response

    return wrapper


def _wrap_add_view(model_admin, view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            _record(request, model_admin.model, AccessLog.Action.VIEW, [], "admin add")
        return response

    return wrapper


def _wrap_log_addition(model_admin, log_addition):
    # Django calls this right after saving a new object from the add page.
    @wraps(log_addition)
    def wrapper(request, obj, message):
        result = log_addition(request, obj, message)
        _record(request, model_admin.model, AccessLog.Action.CREATE, [obj.pk], "admin add")
        return result

    return wrapper


def _wrap_autocomplete(site):
    view = site.autocomplete_view

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        target = _autocomplete_target(site, request)
        if target is None:
            return response
        ids = [row["id"] for row in json.loads(response.content).get("results", [])]
        _record(
            request,
            target,
            AccessLog.Action.SEARCH,
            [],
            f"admin autocomplete {request.GET.get('term', '')}"[:255],
            scope_pks=ids,
        )
        return response

    return wrapper


def _autocomplete_target(site, request):
    """The model whose rows the autocomplete answer lists, if it holds family data."""
    from django.apps import apps

    try:
        source = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        field = source._meta.get_field(request.GET["field_name"])
    except (KeyError, LookupError, ValueError):
        return None
    target = getattr(field, "related_model", None)
    if target is None or target._meta.label_lower not in registry.FAMILY_DATA:
        return None
    return target


def log_admin_access(site=admin.site) -> None:
    for model, model_admin in site._registry.items():
        if model._meta.label_lower not in registry.FAMILY_DATA:
            continue
        model_admin.change_view = _wrap_object_view(
            model_admin, model_admin.change_view, AccessLog.Action.CHANGE, "admin"
        )
        model_admin.history_view = _wrap_object_view(
            model_admin, model_admin.history_view, AccessLog.Action.VIEW, "admin history"
        )
        model_admin.delete_view = _wrap_delete_view(model_admin, model_admin.delete_view)
        model_admin.changelist_view = _wrap_list_view(model_admin, model_admin.changelist_view)
        model_admin.add_view = _wrap_add_view(model_admin, model_admin.add_view)
        model_admin.log_addition = _wrap_log_addition(model_admin, model_admin.log_addition)
        if hasattr(model_admin, "user_change_password"):
            model_admin.user_change_password = _wrap_object_view(
                model_admin,
                model_admin.user_change_password,
                AccessLog.Action.CHANGE,
                "admin password",
            )
    site.autocomplete_view = _wrap_autocomplete(site)
