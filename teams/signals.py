"""Keep `FamilyTeam` (the copy lists read) in step with the rows the team derives from.

Connected in `TeamsConfig.ready`: families and appointments belong to other apps, which need
not know that teams exist.
"""


def family_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or update_fields is None or "postcode" in update_fields:
        from teams.services import refresh_family_teams

        refresh_family_teams(family_ids=[instance.pk])


def appointment_changed(sender, instance, **kwargs):
    from teams.services import refresh_family_teams

    refresh_family_teams(family_ids=[instance.family_id])
