import json
from functools import wraps

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from articles.caching import READER_COOKIE
from comments import readers
from comments.models import Comment
from newsmag.accounts.export import account_data
from newsmag.accounts.forms import DeleteAccountForm, DisplayNameForm


@never_cache
@require_GET
def me(request):
    """Who is signed in, for the header of a cached page (static/js/account.js): {"authenticated": false}
    or the name and the account's links. Sent only with a session (no query without one), never cached."""
    user = request.user
    if not user.is_authenticated:
        response = JsonResponse({"authenticated": False})
        response.delete_cookie(READER_COOKIE, samesite="Lax")  # the session is gone: the page cache may
        return response
    response = JsonResponse(
        {
            "authenticated": True,
            "name": readers.display_name(user),
            "account_url": reverse("reader-account"),
            "logout_url": reverse("account_logout"),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The reader's account page: display name, email, password, sign-in codes, export, deletion."""
    user = request.user
    form = None
    if not user.is_staff:
        initial = {"display_name": readers.display_name(user) if hasattr(user, "reader_profile") else ""}
        form = DisplayNameForm(request.POST or None, user=user, initial=initial)
        if request.method == "POST" and form.is_valid():
            form.save()
            messages.success(request, _("Your display name is saved."))
            return redirect("reader-account")
    context = {
        "form": form,
        "email": EmailAddress.objects.filter(user=user, primary=True).first(),
        "comment_count": Comment.objects.filter(user=user).count(),
    }
    return render(request, "newsmag_accounts/account.html", context)


@never_cache
@login_required
@require_GET
def export(request):
    """Download my data: the account, its email addresses, its comments with their status (and the sections
    other parts of the site register) as one JSON file."""
    data = account_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="newsmag-account-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _readers_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_staff or request.user.is_superuser:
            return render(request, "newsmag_accounts/delete.html", {"staff": True}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@login_required
@_readers_only
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete(request):
    """Delete my account, once the reader has confirmed who they are again (allauth's reauthentication:
    their password, within ACCOUNT_REAUTHENTICATION_TIMEOUT). Staff accounts are closed in the admin."""
    user = request.user
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        readers.forget_reader(user)
        logout(request)
        messages.success(request, _("Your account is deleted. Thank you for reading."))
        return redirect("articles:home")
    context = {"form": form, "deleted_name": settings.NEWSMAG_DELETED_READER_NAME}
    return render(request, "newsmag_accounts/delete.html", context)
