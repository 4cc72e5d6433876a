"""What the contactmomenten app holds for the privacy registry (privacy/registry.py): each
child's contact moments, the parents' pre-consult answers, what was agreed and the family's
message preferences in the download; they go with the family when the last parent leaves
(children cascade); which admin pages are family data. Discovered by PrivacyConfig.ready.
"""

from django.utils.translation import gettext_lazy as _

from contactmomenten.models import ChildMoment, FamilyPreferences, PreConsultAnswer, VisitNote
from privacy.registry import Section, eraser, exporter, family_data, labels_of, rows_of

family_data("contactmomenten.childmoment", family="child__family_id", child="child_id")
family_data(
    "contactmomenten.momentmessage",
    family="child_moment__child__family_id",
    child="child_moment__child_id",
)
family_data(
    "contactmomenten.preconsultanswer",
    family="child_moment__child__family_id",
    child="child_moment__child_id",
)
family_data(
    "contactmomenten.visitnote",
    family="child_moment__child__family_id",
    child="child_moment__child_id",
)
family_data("contactmomenten.familypreferences", family="family_id")


@exporter("contactmomenten")
def export_contact_moments(*, user, family):
    if family is None:
        return []
    moments = ChildMoment.objects.filter(child__family=family).order_by("window_opens")
    moment_fields = ["child__first_name", "moment__name", "state", "window_opens"]
    answers = PreConsultAnswer.objects.filter(child_moment__child__family=family)
    answer_fields = ["question_text", "answer", "answered_at"]
    notes = VisitNote.objects.filter(child_moment__child__family=family)
    note_fields = ["text", "follow_up", "follow_up_text", "written_at"]
    preferences = FamilyPreferences.objects.filter(family=family)
    return [
        Section(
            "contact_moments",
            str(_("Contact moments")),
            _rows(moments, moment_fields),
            labels={
                "child__first_name": _("Child"),
                "moment__name": _("Contact moment"),
                "state": _("State"),
                "window_opens": _("From"),
            },
        ),
        Section(
            "pre_consult_answers",
            str(_("Your answers before an appointment")),
            rows_of(answers, answer_fields),
            labels=labels_of(PreConsultAnswer, answer_fields),
        ),
        Section(
            "visit_notes",
            str(_("What we agreed")),
            rows_of(notes, note_fields),
            labels=labels_of(VisitNote, note_fields),
        ),
        Section(
            "moment_preferences",
            str(_("Message preferences")),
            rows_of(preferences, ["invitations", "changed_at"]),
            labels=labels_of(FamilyPreferences, ["invitations", "changed_at"]),
        ),
    ]


def _rows(queryset, fields):
    state = dict(ChildMoment.State.choices)
    return [
        {**row, "state": str(state.get(row["state"], row["state"]))}
        for row in queryset.values(*fields)
    ]


@eraser("contactmomenten")
def erase_contact_moments(*, user, family, family_removed):
    """Everything here hangs off the children: it goes with them when the family goes."""
    if family is None or not family_removed:
        return {}
    return {"child_moments": ChildMoment.objects.filter(child__family=family).count()}
