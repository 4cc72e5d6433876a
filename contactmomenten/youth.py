"""Youth rules for contact moments (WGBO, see privacy/youth.py for questions).

From YOUTH_PRIVATE_QUESTIONS_FROM_AGE (16) a moment belongs to the youth, not the parent: no
invitation to the parent, no "Plan nu"; until youth accounts exist the professional arranges it
by phone or at school. From YOUTH_NOTICE_FROM_AGE (12) the family page shows the notice.
"""

from django.conf import settings

from families import ages


def arranged_with_youth(child, moment, window=None) -> bool:
    """Is the child at least the private age on the moment's target day?

    Judged by the definition's target day, never by a stored row's window (a row keeps only
    when its window opened), so a moment does not change hands once something happened.
    `window` may pass the definition's window when the caller has it already; a row's window
    (`services.child_window` sets its target to the day it opens) is worked out again.
    """
    from contactmomenten import schedule

    limit = settings.YOUTH_PRIVATE_QUESTIONS_FROM_AGE
    if not limit or child.date_of_birth is None:
        return False
    if window is None or window.target == window.opens:
        window = schedule.window_for(
            moment.as_definition, born=child.date_of_birth, due=child.due_date
        )
    if window is None:
        return False
    return ages.months_between(child.date_of_birth, window.target) >= 12 * limit
