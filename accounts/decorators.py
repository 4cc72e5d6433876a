from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.roles import Capability


def staff_required(view):
    """Anyone working for the JGZ (MFA is enforced by the middleware before this). Pages that
    show family data use `professional_required` or `planner_required` instead."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_jgz_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def capability_required(capability: Capability):
    """Staff whose roles give `capability` (`accounts.roles.ROLE_CAPABILITIES`)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_jgz_staff and user.has_capability(capability)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Clinical pages: questions with their texts and notes, the family context (nurse, doctor).
professional_required = capability_required(Capability.CLINICAL)
# Planning pages: the agenda and booking for families (nurse, doctor, assistant).
planner_required = capability_required(Capability.PLANNING)


def cohost_required(view):
    """A partner's co-host account (`User.Role.COHOST`; MFA enforced by the middleware)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_capability(Capability.COHOST):
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
