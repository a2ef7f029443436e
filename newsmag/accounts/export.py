"""A reader's data as JSON (the "Download my data" button): what the site holds about their account, and
the newsletter subscriptions of its addresses (newsletters need no account, so they are found by address).
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone

from articles.newsletters.optin import newsletter_subscriptions
from comments import readers
from comments.models import Comment, Recommendation

FORMAT_VERSION = 1


def _time(value):
    return value.isoformat() if value else None


def account_data(user) -> dict:
    """Everything the export holds, in sections: account, emails, comments, then the registered ones."""
    profile = getattr(user, "reader_profile", None)
    addresses = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    data = {
        "format": FORMAT_VERSION,
        "exported_at": _time(timezone.now()),
        "site": settings.NEWSMAG_SITE_NAME,
        "account": {
            "username": user.get_username(),
            "display_name": readers.display_name(user),
            "display_name_chosen_at": _time(profile.created_at) if profile else None,
            "joined_at": _time(user.date_joined),
            "last_sign_in_at": _time(user.last_login),
        },
        "emails": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in addresses
        ],
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.headline,
                "url": comment.article.get_absolute_url(),
                "in_reply_to": comment.parent_id,
                "name": comment.name,
                "text": comment.body,
                "status": comment.status,
                "status_label": str(comment.get_status_display()),
                "posted_at": _time(comment.created_at),
                "moderated_at": _time(comment.moderated_at),
                "email_on_reply": bool(
                    getattr(comment, "subscription", None) and comment.subscription.active
                ),
            }
            for comment in Comment.objects.filter(user=user).select_related(
                "article__section", "subscription"
            )
        ],
        "recommended": [
            {
                "comment": recommendation.comment_id,
                "article": recommendation.comment.article.headline,
                "recommended_at": _time(recommendation.created_at),
            }
            for recommendation in Recommendation.objects.filter(user=user).select_related("comment__article")
        ],
    }
    data["newsletters"] = [
        {"email": address.email, **subscription}
        for address in addresses
        for subscription in newsletter_subscriptions(address.email)
    ]
    return data
