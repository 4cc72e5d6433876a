"""The printable invitation letter: HTML (B1 Dutch, from a template) to PDF with WeasyPrint.

The QR code is drawn as SVG by `qrcode` (no image library needed) and embedded in the page.
WeasyPrint needs Pango from the system (Dockerfile, scripts/system-deps.sh).
"""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe


def qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    text = buffer.getvalue().decode()
    return text[text.index("<svg") :]  # without the XML declaration, to embed it


def letter_language(contact) -> str:
    """The family's language from the DD JGZ (`FamilyContact.language`) when the portal speaks
    it to parents, else Dutch. Arabic letters are laid out right-to-left."""
    language = (getattr(contact, "language", "") or "").lower()
    return language if language in settings.PARENT_LANGUAGES else settings.LANGUAGE_CODE


def render_invitation(*, child, contact, code: str) -> bytes:
    from weasyprint import HTML

    html = invitation_html(child=child, contact=contact, code=code)
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def invitation_html(*, child, contact, code: str) -> str:
    from bereik.services import opening_hours

    url = settings.SITE_URL + reverse("bereik:activate")
    with translation.override(letter_language(contact)):
        return render_to_string(
            "bereik/letter.html",
            {
                "child": child,
                "parent_name": getattr(contact, "parent_name", "") or "",
                "code": code,
                "url": url,
                "site": settings.SITE_URL.split("://", 1)[-1],
                "qr": mark_safe(qr_svg(url)),  # noqa: S308 (our own SVG from qrcode)
                "phone": settings.JGZ_PHONE,
                "opening_hours": opening_hours(),
                "organisation": settings.ORGANISATION_NAME,
                "today": timezone.localdate(),
            },
        )
