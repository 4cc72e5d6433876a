from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from outbox.services import queue_rendered


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        from families.services import create_family_for_parent

        user = super().save_user(request, user, form, commit=commit)
        if commit and user.is_parent:
            create_family_for_parent(parent=user)
        return user

    def send_mail(self, template_prefix, email, context):
        """allauth's mails go through the outbox too: retried, never silently dropped."""
        ctx = {"email": email, "current_site": None, **context}
        request = context.get("request")
        if request is not None:
            from django.contrib.sites.shortcuts import get_current_site

            ctx["current_site"] = get_current_site(request)
        msg = self.render_mail(template_prefix, email, ctx)
        html = next(
            (body for body, mime in getattr(msg, "alternatives", []) if mime == "text/html"), ""
        )
        queue_rendered(
            to=email,
            subject=msg.subject,
            body_text=msg.body,
            body_html=html,
            kind=template_prefix.rsplit("/", 1)[-1],
        )

    def get_login_redirect_url(self, request):
        if request.user.is_jgz_staff:
            return reverse("staff_home")
        return reverse("home")
