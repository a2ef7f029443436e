"""Readers' newsletter pages: the list with its subscribe form (cacheable: no per-reader content), the
subscribe form itself (uncached, with its CSRF token), the confirmation and unsubscribe links, and the mail
provider's bounce and complaint webhook.
"""

import hmac
import json

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.caching import public_page
from articles.limits import client_network
from articles.models import Newsletter
from articles.newsletters import optin
from articles.newsletters.suppression import BadEvent, parse_events, suppress

MESSAGE_BAD_LINK = _(
    "This link has expired or is not valid. Subscribe again and use the link in the newest email."
)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    newsletters = forms.ModelMultipleChoiceField(
        label=_("Newsletters"),
        queryset=Newsletter.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one newsletter.")},
    )


@require_GET
@public_page
def newsletter_list(request):
    """The newsletters on offer and the subscribe form (its CSRF token is fetched by newsletters.js)."""
    return render(
        request,
        "newsletters/newsletter_list.html",
        {"newsletters": Newsletter.objects.active(), "form": SubscribeForm()},
    )


@never_cache
@require_GET
def form_token(request):
    """The CSRF token for a subscribe form on a cached page (fetched by newsletters.js)."""
    return JsonResponse({"csrf": get_token(request)})


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """The subscribe form and its answer. Every accepted request gets the same answer, whether or not the
    address is subscribed already: the page never tells who reads what. The compact form (an address
    only) leads here to choose the newsletters."""
    if request.method == "GET" or "compact" in request.POST:
        initial = {"email": request.POST.get("email", "")[:254]}
        form = SubscribeForm(initial=initial)
        return render(request, "newsletters/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "newsletters/subscribe.html", {"form": form}, status=400)
    try:
        optin.request_subscription(
            email=form.cleaned_data["email"],
            newsletters=form.cleaned_data["newsletters"],
            network=client_network(request),
        )
    except optin.SubscribeFlood as flood:
        response = render(
            request, "newsletters/subscribe.html", {"form": form, "refusal": str(flood)}, status=429
        )
        response["Retry-After"] = str(flood.retry_after)
        return response
    return render(request, "newsletters/subscribe_done.html")


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """The link of the confirmation email: a page with a button (mail scanners that open links do not
    subscribe anyone); the button confirms."""
    try:
        subscriber, newsletters = optin.confirmation_request(token)
    except signing.BadSignature:
        return render(request, "newsletters/link_invalid.html", {"message": MESSAGE_BAD_LINK}, status=400)
    if request.method == "POST":
        optin.confirm(subscriber=subscriber, newsletters=newsletters)
        return render(request, "newsletters/confirmed.html", {"newsletters": newsletters})
    return render(request, "newsletters/confirm.html", {"newsletters": newsletters, "token": token})


@csrf_exempt  # RFC 8058 one-click: the mail program POSTs without a token; the signed link is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET: a page with an Unsubscribe button. POST (that button, or a mail program's one-click
    `List-Unsubscribe=One-Click`): unsubscribed, without login. Idempotent."""
    try:
        newsletter = optin.unsubscription_target(token)
    except signing.BadSignature:
        return render(request, "newsletters/link_invalid.html", {"message": MESSAGE_BAD_LINK}, status=400)
    if request.method == "POST":
        optin.unsubscribe(token)
        return render(request, "newsletters/unsubscribed.html", {"newsletter": newsletter})
    return render(request, "newsletters/unsubscribe.html", {"newsletter": newsletter, "token": token})


@csrf_exempt  # called by the mail provider, authenticated by the shared secret
@never_cache
@require_POST
def provider_webhook(request):
    """Bounce and complaint events from the mail provider (format: articles/newsletters/suppression.py)."""
    secret = settings.NEWSMAG_NEWSLETTER_WEBHOOK_SECRET
    if not secret:
        raise Http404("The newsletter webhook is not configured.")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {secret}".encode()):
        return JsonResponse({"error": "Send Authorization: Bearer <the shared secret>."}, status=401)
    try:
        events = parse_events(json.loads(request.body))
    except (ValueError, UnicodeDecodeError) as error:
        message = str(error) if isinstance(error, BadEvent) else "The body must be JSON."
        return JsonResponse({"error": message}, status=400)
    with transaction.atomic():
        suppressed = sum(suppress(email, reason=reason, detail=detail) for email, reason, detail in events)
    return JsonResponse({"accepted": len(events), "newly_suppressed": suppressed})
