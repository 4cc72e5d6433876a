"""Teams: which professionals serve which families.

A team works at locations (consultatiebureaus) and for wijken (neighbourhoods); a wijk is a
set of 4-digit postcode areas. Which team a family belongs to is derived by one expression,
`teams.selectors.family_team_id`; access checks evaluate it live, lists read the copy in
`FamilyTeam` (kept by `teams.services.refresh_family_teams`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    locations = models.ManyToManyField(
        "afspraken.Location",
        verbose_name=_("locations"),
        through="TeamLocation",
        related_name="teams",
        blank=True,
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professionals"),
        through="TeamMembership",
        related_name="teams",
        blank=True,
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamLocation(models.Model):
    """A location belongs to one team: that team serves the families who come there."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="team_locations"
    )
    location = models.ForeignKey(
        "afspraken.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="team_locations",
    )

    class Meta:
        verbose_name = _("location of the team")
        verbose_name_plural = _("locations of the team")
        constraints = [
            models.UniqueConstraint(
                fields=["location"], name="teams_teamlocation_one_team_per_location"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.location_id}"


class TeamMembership(models.Model):
    """A professional works in one or more teams."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="teams_teammembership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.user_id}"


class Wijk(models.Model):
    """A neighbourhood as the municipality and the wijkteam know it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wijken",
    )

    class Meta:
        verbose_name = _("neighbourhood (wijk)")
        verbose_name_plural = _("neighbourhoods (wijken)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PostcodeArea(models.Model):
    """The 4 digits of a Dutch postcode ("3512") and the wijk they belong to."""

    digits = models.CharField(_("postcode (4 digits)"), max_length=4, primary_key=True)
    wijk = models.ForeignKey(
        Wijk, verbose_name=_("wijk"), on_delete=models.CASCADE, related_name="postcode_areas"
    )

    class Meta:
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")
        ordering = ["digits"]
        constraints = [
            models.CheckConstraint(
                condition=Q(digits__regex=r"^[1-9][0-9]{3}$"), name="teams_postcodearea_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.digits


class OutOfTeamAccess(models.Model):
    """'Break the glass': a professional opened another team's family, with a stated reason.

    Lets the professional read that family until `expires_at`; the reason is also in the
    access log (`privacy.services.record_access`). Rows are never changed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        related_name="out_of_team_accesses",
    )
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(_("when"))
    expires_at = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("access outside the own team")
        verbose_name_plural = _("accesses outside the own team")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="teams_outofteamaccess_expires_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "family", "expires_at"], name="teams_ota_actor_family"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.family_id}"


class FamilyTeam(models.Model):
    """The family's team as last derived, so long lists (the triage queue: tens of thousands
    of open questions) can filter with a join instead of deriving it per row.

    Only `teams.services.refresh_family_teams` writes it: on every change of a family's
    postcode or appointments, after every change of teams, wijken, postcodes or locations in
    the admin, and nightly for all families. Families without a team have no row. Access to a
    family is never decided on this copy: `teams.selectors.check_family_in_scope` derives it.
    """

    family = models.OneToOneField(
        "families.Family",
        verbose_name=_("family"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="team_link",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="family_links"
    )
    refreshed_at = models.DateTimeField(_("refreshed at"))

    class Meta:
        verbose_name = _("team of a family")
        verbose_name_plural = _("teams of families")

    def __str__(self) -> str:
        return f"{self.family_id}: {self.team_id}"
