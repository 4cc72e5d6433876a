"""What the waiting list holds about a family, for the privacy registries (privacy/registry.py)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.registry import Section, eraser, exporter, family_data, labels_of, retention_rule

# Admin pages of entries and offers show a family's wishes: logged (privacy/admin_logging.py).
family_data("wachtlijst.entry", family="family_id", child="child_id")
family_data("wachtlijst.offer", family="entry__family_id", child="entry__child_id")


@exporter("wachtlijst")
def export_waitlist(*, user, family):
    if family is None:
        return []
    from wachtlijst.models import Entry, Offer

    entries = Entry.objects.filter(family=family).select_related(
        "appointment_type", "child", "location"
    )
    offers = Offer.objects.filter(entry__family=family).select_related("slot__location")
    entry_labels = labels_of(Entry, ["created_at", "status", "appointment_type", "child", "part"])
    offer_labels = labels_of(Offer, ["created_at", "status", "sent_at", "expires_at", "slot"])
    return [
        Section(
            "waitlist",
            str(_("Waiting list")),
            [
                {
                    "created_at": e.created_at,
                    "status": str(e.get_status_display()),
                    "appointment_type": e.appointment_type.name,
                    "child": e.child.first_name if e.child else "",
                    "part": str(e.get_part_display()),
                }
                for e in entries.order_by("created_at")
            ],
            labels=entry_labels,
        ),
        Section(
            "waitlist_offers",
            str(_("Places offered to you")),
            [
                {
                    "created_at": o.created_at,
                    "status": str(o.get_status_display()),
                    "sent_at": o.sent_at,
                    "expires_at": o.expires_at,
                    "slot": f"{timezone.localtime(o.slot.starts_at):%Y-%m-%d %H:%M}, "
                    f"{o.slot.location.name}",
                }
                for o in offers.order_by("created_at")
            ],
            labels=offer_labels,
        ),
    ]


@eraser("wachtlijst")
def end_waiting(*, user, family, family_removed):
    """A deleted account waits for nothing: its entries end, and an offer not yet answered
    goes to the next family at the next scan."""
    from wachtlijst.models import Entry, Offer

    mine = Q(entry__family=family) if family_removed and family else Q(parent=user)
    now = timezone.now()
    declined = Offer.objects.filter(mine, status__in=Offer.LIVE).update(
        status=Offer.Status.DECLINED, answered_at=now
    )
    entries = Entry.objects.filter(status=Entry.Status.WAITING)
    entries = (
        entries.filter(family=family) if family_removed and family else entries.filter(parent=user)
    )
    ended = entries.update(status=Entry.Status.ENDED, ended_at=now)
    return {"entries_ended": ended, "offers_declined": declined}


@retention_rule("waitlist")
def old_waitlist_entries(*, now):
    from wachtlijst.models import Entry

    cutoff = now - timedelta(days=settings.RETENTION_PAST_APPOINTMENTS_DAYS)
    return Entry.objects.exclude(status=Entry.Status.WAITING).filter(ended_at__lt=cutoff)
