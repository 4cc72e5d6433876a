import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ratelimit import rate_limit
from sms import services

logger = logging.getLogger(__name__)


def _signature_ok(request) -> bool:
    expected = hmac.new(
        settings.SMS_INBOUND_SECRET.encode(), request.body, hashlib.sha256
    ).hexdigest()
    given = request.headers.get("X-Signature", "").removeprefix("sha256=").strip().lower()
    return hmac.compare_digest(given, expected)


def _fields(request) -> tuple[str, str]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
    else:
        data = request.POST
    sender = data.get("originator") or data.get("sender") or data.get("from") or ""
    text = data.get("body") or data.get("message") or data.get("text") or ""
    return str(sender), str(text)


# The provider calls this, not a browser: no session, so no CSRF token; the HMAC signature over
# the raw body with SMS_INBOUND_SECRET is what proves the sender.
@csrf_exempt
@require_POST
@rate_limit("sms_inbound")
def inbound(request):
    if not settings.SMS_INBOUND_SECRET:
        raise Http404
    if not _signature_ok(request):
        logger.warning("Inbound SMS callback with a wrong signature refused")
        return HttpResponseForbidden("bad signature")
    sender, text = _fields(request)
    outcome = services.handle_inbound(sender=sender, text=text)
    return HttpResponse(outcome, content_type="text/plain")
