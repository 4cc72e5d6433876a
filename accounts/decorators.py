from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def staff_required(view):
    """JGZ professionals and managers only (MFA is enforced by the middleware before this)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_jgz_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def parent_required(view):
    """Parents with a family only; staff get 403 on parent pages."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_parent:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
