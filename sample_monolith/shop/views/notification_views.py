"""Email preference centre and provider callbacks."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..services import email_service, notification_dispatcher
from ..services.customer_service import get_customer_for_user
from ..utils.http import JsonView, json_response, parse_json_body


def unsubscribe(request, token: str):
    scope = request.GET.get("scope", "marketing")
    ok = notification_dispatcher.unsubscribe(token, scope=scope)
    return HttpResponse("You have been unsubscribed." if ok else "Link expired.", status=200 if ok else 404)


class PreferencesView(JsonView):
    FIELDS = ("order_updates_email", "order_updates_sms", "marketing_email")

    def get(self, request):
        prefs = notification_dispatcher.preferences_for(get_customer_for_user(request.user))
        return json_response({f: getattr(prefs, f) for f in self.FIELDS})

    def patch(self, request):
        prefs = notification_dispatcher.preferences_for(get_customer_for_user(request.user))
        for field in self.FIELDS:
            if field in request.json:
                setattr(prefs, field, bool(request.json[field]))
        prefs.save()
        return json_response({f: getattr(prefs, f) for f in self.FIELDS})


preferences = login_required(PreferencesView.as_view())


@csrf_exempt
@require_POST
def ses_bounce_webhook(request):
    payload = parse_json_body(request)
    bounce = payload.get("bounce", {})
    email_service.handle_bounce(
        payload.get("mail", {}).get("messageId", ""), permanent=bounce.get("bounceType") == "Permanent"
    )
    return HttpResponse(status=204)
