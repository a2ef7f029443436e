"""Readers with an account (django-allauth): the display name they comment under, and what commenting asks
of an account. The account pages themselves (sign-up, export, deletion) live in newsmag.accounts.

A reader's comments hang on their user (Comment.user); trust earned by those comments belongs to the account
(comments.posting.check_history), never to a name and email someone else could type.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from articles.models import Author
from comments.models import DISPLAY_NAME_MAX, Comment, ModeratedWord, ReaderProfile
from comments.text import clean_line, contains_phrase, for_matching

DISPLAY_NAME_MIN = 2
# Names a reader cannot take: they would pass for the newsroom.
RESERVED_NAMES = {"admin", "administrator", "editor", "moderator", "newsroom", "staff", "author"}


def display_name_taken(name, *, exclude_user=None) -> bool:
    profiles = ReaderProfile.objects.filter(display_name__iexact=name)
    if exclude_user is not None:
        profiles = profiles.exclude(user=exclude_user)
    return profiles.exists()


def validate_display_name(name, *, user=None) -> str:
    """The cleaned display name, or ValidationError: 2-50 characters of one line, no banned or suspect word,
    not a newsroom name (a reserved word, a byline's name), not another reader's (whatever the case)."""
    name = clean_line(name or "")
    if len(name) < DISPLAY_NAME_MIN or len(name) > DISPLAY_NAME_MAX:
        raise ValidationError(
            _("Choose a name of %(min)d to %(max)d characters.")
            % {"min": DISPLAY_NAME_MIN, "max": DISPLAY_NAME_MAX}
        )
    matched = for_matching(name)
    if matched in RESERVED_NAMES or matched == for_matching(settings.NEWSMAG_DELETED_READER_NAME):
        raise ValidationError(_("This name is reserved. Please choose another."))
    if any(
        contains_phrase(matched, for_matching(phrase))
        for phrase in ModeratedWord.objects.values_list("phrase", flat=True)
    ):
        raise ValidationError(_("This name cannot be used on our site. Please choose another."))
    if Author.objects.filter(name__iexact=name).exists():
        raise ValidationError(_("This is the name of one of our writers. Please choose another."))
    if display_name_taken(name, exclude_user=user):
        raise ValidationError(_("Another reader already uses this name. Please choose another."))
    return name


@transaction.atomic
def rename_reader(user, name):
    """Give a reader a new display name; their comments show it too (the pages they are on turn over)."""
    ReaderProfile.objects.update_or_create(user=user, defaults={"display_name": name})
    Comment.objects.filter(user=user).update(name=name)


def display_name(user) -> str:
    """The name `user`'s comments appear under: a reader's display name; staff keep their full name."""
    profile = getattr(user, "reader_profile", None) if not user.is_staff else None
    if profile is not None:
        return profile.display_name
    return user.get_full_name() or user.get_username()


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def may_comment(user) -> bool:
    """Whether a signed-in user may comment under their account: staff always; a reader once their email is
    verified and they have a display name."""
    if not user.is_active:
        return False
    if user.is_staff:
        return True
    return hasattr(user, "reader_profile") and has_verified_email(user)


def is_reader_name(name) -> bool:
    """Whether `name` is a registered reader's display name (an anonymous commenter may not use it)."""
    return bool(name) and ReaderProfile.objects.filter(display_name__iexact=name).exists()


@transaction.atomic
def forget_reader(user) -> dict:
    """Delete a reader's account. Their published comments stay, signed NEWSMAG_DELETED_READER_NAME, with
    no email, IP address or user agent and no link to anyone; their comments that were never published
    (held, rejected, spam) are deleted with the account. Returns the counts."""
    comments = Comment.objects.filter(user=user)
    unpublished, _deleted = comments.exclude(status=Comment.Status.APPROVED).delete()
    kept = comments.update(
        user=None,
        name=settings.NEWSMAG_DELETED_READER_NAME,
        # Unique per comment: the no-exact-duplicate constraint includes the email.
        email=Concat(Value("deleted-"), Cast("pk", models.CharField()), Value("@deleted.invalid")),
        ip_address=None,
        user_agent="",
    )
    user.delete()
    return {"comments_kept": kept, "comments_deleted": unpublished}


def purge_unverified_accounts(cutoff) -> int:
    """Delete reader sign-ups whose email was never verified and that joined before `cutoff`. Staff and
    accounts without any allauth email address (made in the admin) are left alone. Returns how many."""
    user_model = get_user_model()
    signed_up = EmailAddress.objects.values("user")
    verified = EmailAddress.objects.filter(verified=True).values("user")
    stale = user_model.objects.filter(
        pk__in=signed_up, date_joined__lt=cutoff, is_staff=False, is_superuser=False
    ).exclude(pk__in=verified)
    count = 0
    for user in stale:
        forget_reader(user)
        count += 1
    return count
