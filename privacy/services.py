from uuid import UUID

from privacy.context import current_ip
from privacy.models import AccessLog


def record_access(
    *,
    actor,
    action: str,
    record,
    family_id: UUID | None,
    child_id: UUID | None = None,
    reason: str = "",
) -> AccessLog | None:
    """Write one access-log row for a staff member's read or change of family data.

    Parents looking at their own family are not logged: the log is about staff access.
    """
    if actor is None or not getattr(actor, "is_jgz_staff", False):
        return None
    return AccessLog.objects.create(
        actor=actor,
        actor_email=actor.email,
        actor_role=actor.role,
        action=action,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        family_id=family_id,
        child_id=child_id,
        ip_address=current_ip.get(),
        reason=reason[:255],
    )
