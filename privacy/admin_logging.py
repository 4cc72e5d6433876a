"""The admin is a staff page too: reading or changing a family's data there is logged.

`log_admin_access()` (called from PrivacyConfig.ready, after admin autodiscovery) wraps the
object views of every ModelAdmin whose model holds family data, so no app's admin can forget
it. List pages write one row per page view (no family: a list is not one family's file).
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.utils import unquote

from privacy.models import AccessLog
from privacy.services import record_access


def _subscription_ids(obj):
    return obj.parent.family_id, None


# model label -> obj -> (family_id, child_id)
FAMILY_DATA_MODELS = {
    "families.family": lambda obj: (obj.pk, None),
    "families.child": lambda obj: (obj.family_id, obj.pk),
    "families.invitation": lambda obj: (obj.family_id, None),
    "accounts.user": lambda obj: (obj.family_id, None),
    "vragen.question": lambda obj: (obj.family_id, obj.child_id),
    "vragen.event": lambda obj: (obj.question.family_id, obj.question.child_id),
    "afspraken.appointment": lambda obj: (obj.family_id, obj.child_id),
    "afspraken.followup": lambda obj: (obj.appointment.family_id, obj.appointment.child_id),
    "nieuwsbrieven.subscription": _subscription_ids,
    "privacy.youthquestion": lambda obj: (obj.question.family_id, obj.question.child_id),
}


def _wrap_object_view(model_admin, view, action_on_post: str):
    @wraps(view)
    def wrapper(request, object_id, *args, **kwargs):
        response = view(request, object_id, *args, **kwargs)
        if response.status_code < 400:
            obj = model_admin.get_object(request, unquote(object_id))
            ids = FAMILY_DATA_MODELS[model_admin.model._meta.label_lower](obj) if obj else None
            if ids is not None and ids[0] is not None:
                action = action_on_post if request.method == "POST" else AccessLog.Action.VIEW
                record_access(
                    actor=request.user,
                    action=action,
                    record=obj,
                    family_id=ids[0],
                    child_id=ids[1],
                    reason="admin",
                )
        return response

    return wrapper


def _wrap_delete_view(model_admin, view):
    @wraps(view)
    def wrapper(request, object_id, *args, **kwargs):
        obj = model_admin.get_object(request, unquote(object_id))
        ids = FAMILY_DATA_MODELS[model_admin.model._meta.label_lower](obj) if obj else None
        response = view(request, object_id, *args, **kwargs)
        if ids is not None and ids[0] is not None and response.status_code < 400:
            record_access(
                actor=request.user,
                action=AccessLog.Action.DELETE
                if request.method == "POST"
                else AccessLog.Action.VIEW,
                record=(model_admin.model._meta.label_lower, object_id),
                family_id=ids[0],
                child_id=ids[1],
                reason="admin",
            )
        return response

    return wrapper


def _wrap_list_view(model_admin, view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            record_access(
                actor=request.user,
                action=AccessLog.Action.VIEW,
                record=(model_admin.model._meta.label_lower, "list"),
                family_id=None,
                reason=("admin list " + request.GET.urlencode())[:255],
            )
        return response

    return wrapper


def log_admin_access(site=admin.site) -> None:
    for model, model_admin in site._registry.items():
        if model._meta.label_lower not in FAMILY_DATA_MODELS:
            continue
        model_admin.change_view = _wrap_object_view(
            model_admin, model_admin.change_view, AccessLog.Action.CHANGE
        )
        model_admin.history_view = _wrap_object_view(
            model_admin, model_admin.history_view, AccessLog.Action.VIEW
        )
        model_admin.delete_view = _wrap_delete_view(model_admin, model_admin.delete_view)
        model_admin.changelist_view = _wrap_list_view(model_admin, model_admin.changelist_view)
