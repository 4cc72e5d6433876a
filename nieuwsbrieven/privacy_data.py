"""What the nieuwsbrieven app holds for the privacy registry (privacy/registry.py): the
subscription and what was sent in the download, erased with the account, and which admin pages are
family data. Discovered by PrivacyConfig.ready.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nieuwsbrieven.models import Delivery, Edition, Subscription
from privacy.registry import Section, eraser, exporter, family_data, retention_rule

family_data("nieuwsbrieven.subscription", family="parent__family_id")
family_data("nieuwsbrieven.delivery", family="subscription__parent__family_id", child="child_id")
family_data("nieuwsbrieven.milestonedelivery", family="child__family_id", child="child_id")


@exporter("nieuwsbrieven")
def export_newsletters(*, user, family):
    if user is None:
        return []
    subscription = Subscription.objects.filter(parent=user).first()
    if subscription is None:
        return []
    deliveries = Delivery.objects.filter(subscription=subscription).select_related("edition")
    return [
        Section(
            "newsletter_subscription",
            str(_("Newsletter")),
            [
                {
                    "email": subscription.email,
                    "status": str(subscription.get_status_display()),
                    "milestones": subscription.milestones,
                    "requested_at": subscription.requested_at,
                    "consented_at": subscription.consented_at,
                    "consent_text": subscription.consent_text,
                    "unsubscribed_at": subscription.unsubscribed_at,
                }
            ],
            labels={
                "email": _("E-mail address"),
                "status": _("Status"),
                "milestones": _("Milestone messages"),
                "requested_at": _("Requested at"),
                "consented_at": _("Consent given at"),
                "consent_text": _("Consent text"),
                "unsubscribed_at": _("Unsubscribed at"),
            },
        ),
        Section(
            "newsletters_sent",
            str(_("Newsletters sent to you")),
            [
                {"title": d.edition.title, "child": d.child_name, "sent_at": d.sent_at}
                for d in deliveries.order_by("sent_at")
            ],
            labels={"title": _("Title"), "child": _("Child"), "sent_at": _("Sent at")},
        ),
    ]


@eraser("nieuwsbrieven")
def erase_newsletters(*, user, family, family_removed):
    if user is None:
        return {}
    deleted, _details = Subscription.objects.filter(parent=user).delete()  # deliveries cascade
    return {"subscriptions": deleted}


@retention_rule("newsletter_deliveries")
def old_deliveries(*, now):
    """Deliveries of editions that finished sending more than RETENTION_MAIL_DAYS ago: a
    finished edition never fans out again, so the once-per-subscription row is no longer needed."""
    cutoff = now - timedelta(days=settings.RETENTION_MAIL_DAYS)
    return Delivery.objects.filter(
        edition__status=Edition.Status.SENT, edition__finished_at__lt=cutoff
    )
