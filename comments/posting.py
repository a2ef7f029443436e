"""Posting a comment: the moderation pipeline, one ordered list of checks that every new comment passes.

`submit_comment()` is the one way a comment is created (moderators' later decisions: comments.moderation).
The checks run in the order of `CHECKS`:

1. length          name and text within limits                         refused (form error)
   commenter       without an account only where NEWSMAG_COMMENTS_ANONYMOUS allows it; a signed-in reader
                   with a verified email; no anonymous use of a reader's display name   refused (form error)
2. open            article not closed, by policy or by age              refused
3. reply target    a reply answers a published comment of this article, or a held one its
                   writer (this browser), the article's author or an editor/moderator answers:
                   held until a moderator approves the parent (then it goes live with it)
                                                                        refused (form error)
4. duplicate       the same text from the same email, again             refused, no second row
5. flood           one comment per NEWSMAG_COMMENT_FLOOD_SECONDS per IP and per email   refused (429)
6. bot traps       honeypot field filled (reject), signed form timestamp missing, too fast or stale (hold)
7. words           banned words (reject), suspect words (hold), editable in the admin
8. links           more than NEWSMAG_COMMENT_MAX_LINKS links (hold)
9. history         unknown commenter (hold), high rejection rate (hold), approved history proven by the
                   account, or, without one, by this browser's signed cookie listing comments it sent without
                   an account (trusted)
10. moderation     pre-moderation, site-wide or for the article (hold)

A refusal raises `CommentRefused` and nothing is stored. Otherwise the comment is stored with the worst
verdict found (approve < hold < reject) and every reason, so moderators see why it waits in the queue.
Staff accounts are trusted people, not bots or strangers: they skip the flood, bot-trap, history and
pre-moderation checks, but not the content rules.
"""

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from articles import limits
from articles.limits import network_of
from articles.models import Article
from comments import notifications, readers
from comments.models import Comment, ModeratedWord
from comments.text import clean_body, clean_line, contains_phrase, count_links, for_matching

FORM_TOKEN_SALT = "comments.form-issued"

# What a reader is told, here and by the form (comments.forms), which checks what it can before this runs.
MESSAGE_TOO_SHORT = _lazy("Write a little more before posting.")
MESSAGE_REPLY_REFUSED = _lazy("You can only reply to a published comment on this article.")
MESSAGE_CLOSED = _lazy("Comments on this article are closed.")
MESSAGE_DUPLICATE = _lazy("We already have this comment: there is no need to send it again.")
MESSAGE_SIGN_IN = _lazy("Please sign in to comment.")
MESSAGE_VERIFY_FIRST = _lazy("Please confirm your email address and choose a display name before commenting.")
MESSAGE_READER_NAME = _lazy("A registered reader uses this name. Sign in, or choose another name.")

# The one reason a reply to a held comment waits: when a moderator approves the parent, replies held for
# this reason alone go live with it (comments.moderation.moderate); readers never see a reply whose parent
# they cannot see.
REASON_PARENT_HELD = "Answers a comment that is awaiting moderation."


class Verdict(enum.IntEnum):
    """What the pipeline decides, ordered by severity: the worst finding wins."""

    APPROVE = 0
    HOLD = 1
    REJECT = 2

    @property
    def status(self):
        return {
            Verdict.APPROVE: Comment.Status.APPROVED,
            Verdict.HOLD: Comment.Status.PENDING,
            Verdict.REJECT: Comment.Status.REJECTED,
        }[self]


@dataclass(frozen=True)
class Finding:
    verdict: Verdict
    reason: str


class CommentRefused(Exception):
    """The comment is not stored. `field` names the form field the message belongs to, if any."""

    status_code = 400

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class CommentsClosed(CommentRefused):
    status_code = 403


class DuplicateComment(CommentRefused):
    status_code = 409


class CommentFlood(CommentRefused):
    status_code = 429

    def __init__(self, message, *, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class Submission:
    """A comment on its way in, with what the checks need to know about where it came from."""

    article: Article
    body: str
    name: str = ""
    email: str = ""
    user: object = None
    parent: Comment | None = None
    ip_address: str | None = None
    user_agent: str = ""
    form_token: str = ""
    honeypot: str = ""
    # Comments this browser proved it sent (the signed cookie comments.views sets after each post).
    sent_before: tuple[int, ...] = ()
    now: datetime = field(default_factory=timezone.now)

    @property
    def is_staff(self):
        return self.user is not None and self.user.is_active and self.user.is_staff


# Policy: when an article takes comments, and how they are moderated.


def closes_at(article) -> datetime | None:
    """When comments close by age (NEWSMAG_COMMENTS_CLOSE_AFTER_DAYS after first publication), or None."""
    days = settings.NEWSMAG_COMMENTS_CLOSE_AFTER_DAYS
    published = article.first_published_at or article.publish_at
    if not days or published is None:
        return None
    return published + timedelta(days=days)


def is_open(article, *, now=None) -> bool:
    if article.comment_policy == Article.CommentPolicy.CLOSED:
        return False
    deadline = closes_at(article)
    return deadline is None or (now or timezone.now()) < deadline


def is_premoderated(article) -> bool:
    """Every comment waits for a moderator: the article says so, or the whole site does."""
    return (
        article.comment_policy == Article.CommentPolicy.PREMODERATED
        or settings.NEWSMAG_COMMENT_MODERATION == "pre"
    )


# The signed form timestamp: issued with the form, checked when it comes back.


def make_form_token(article, *, now=None) -> str:
    issued = (now or timezone.now()).timestamp()
    return signing.dumps({"a": article.pk, "t": issued}, salt=FORM_TOKEN_SALT, compress=True)


def form_age(token, article, *, now=None) -> float | None:
    """Seconds since the form was issued for this article; None when the token is missing or forged."""
    try:
        data = signing.loads(token or "", salt=FORM_TOKEN_SALT)
        if data["a"] != article.pk:
            return None
        return (now or timezone.now()).timestamp() - float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


# The checks, in order. Each returns findings or raises CommentRefused.


def check_length(s: Submission):
    minimum, maximum = settings.NEWSMAG_COMMENT_MIN_LENGTH, settings.NEWSMAG_COMMENT_MAX_LENGTH
    if len(s.body) < minimum:
        raise CommentRefused(str(MESSAGE_TOO_SHORT), field="body")
    if len(s.body) > maximum:
        raise CommentRefused(
            _("Keep your comment under %(max)d characters (it has %(count)d).")
            % {"max": maximum, "count": len(s.body)},
            field="body",
        )
    name_max = Comment._meta.get_field("name").max_length
    if not s.name or len(s.name) > name_max:
        raise CommentRefused(_("Enter a name of up to %(max)d characters.") % {"max": name_max}, field="name")
    if not s.email or len(s.email) > Comment._meta.get_field("email").max_length:
        raise CommentRefused(_("Enter a valid email address."), field="email")
    return []


def check_commenter(s: Submission):
    if s.user is None:
        if not settings.NEWSMAG_COMMENTS_ANONYMOUS:
            raise CommentRefused(str(MESSAGE_SIGN_IN))
        if readers.is_reader_name(s.name):
            raise CommentRefused(str(MESSAGE_READER_NAME), field="name")
    elif not readers.may_comment(s.user):
        raise CommentRefused(str(MESSAGE_VERIFY_FIRST))
    return []


def check_open(s: Submission):
    if not is_open(s.article, now=s.now):
        raise CommentsClosed(str(MESSAGE_CLOSED))
    return []


def may_reply_to_held(user, article) -> bool:
    """Staff who look after this thread: moderators, editors and the article's own authors (their
    "Thank you!" to a reader need not wait for a moderator to act on the reader's comment first)."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.has_perm("comments.can_moderate") or user.has_perm("articles.publish_article"):
        return True
    return any(author.user_id == user.pk for author in article.byline_authors)


def reply_allowed(parent, article, *, user=None, sent_before=()) -> bool:
    """Whether a reply to `parent` may be sent: a published comment of this article, or a held one
    (pending) answered by the browser that sent it or by staff who may (`may_reply_to_held`)."""
    if parent.article_id != article.pk:
        return False
    if parent.status == Comment.Status.APPROVED:
        return True
    if parent.status != Comment.Status.PENDING:
        return False
    return parent.pk in sent_before or may_reply_to_held(user, article)


def check_reply_target(s: Submission):
    parent = s.parent
    if parent is None:
        return []
    if not reply_allowed(parent, s.article, user=s.user, sent_before=s.sent_before):
        raise CommentRefused(str(MESSAGE_REPLY_REFUSED))
    if parent.status != Comment.Status.APPROVED:
        return [Finding(Verdict.HOLD, REASON_PARENT_HELD)]
    return []


def check_duplicate(s: Submission):
    duplicate = Comment.objects.by_email(s.email).filter(article=s.article, parent=s.parent, body=s.body)
    if duplicate.exists():
        raise DuplicateComment(str(MESSAGE_DUPLICATE))
    return []


def check_flood(s: Submission):
    """One comment per NEWSMAG_COMMENT_FLOOD_SECONDS from a network (an IPv6 /64 counts as one) and from an
    email address.

    The counters are shared by every process and app server (articles.limits, in PostgreSQL): neither a
    second worker nor a burst of requests that churns a cache lets a second comment through.
    """
    seconds = settings.NEWSMAG_COMMENT_FLOOD_SECONDS
    if not seconds or s.is_staff:
        return []
    senders = [("email", s.email.lower())]
    if s.ip_address:
        senders.append(("network", network_of(s.ip_address)))
    for kind, sender in senders:
        allowance = limits.hit("comment", kind, sender, limit=1, seconds=seconds, now=s.now)
        if not allowance.allowed:
            raise CommentFlood(
                ngettext(
                    "You are commenting too quickly. Please wait %(seconds)d second and send it again.",
                    "You are commenting too quickly. Please wait %(seconds)d seconds and send it again.",
                    allowance.retry_after,
                )
                % {"seconds": allowance.retry_after},
                retry_after=allowance.retry_after,
            )
    return []


def check_bot_traps(s: Submission):
    if s.is_staff:
        return []
    findings = []
    if s.honeypot:
        findings.append(Finding(Verdict.REJECT, "The hidden honeypot field was filled in (a bot)."))
    age = form_age(s.form_token, s.article, now=s.now)
    if age is None:
        findings.append(Finding(Verdict.HOLD, "The signed form timestamp was missing or invalid."))
    elif age < settings.NEWSMAG_COMMENT_MIN_FORM_SECONDS:
        findings.append(
            Finding(Verdict.HOLD, f"Sent {max(age, 0):.1f} s after the form was shown (too fast).")
        )
    elif age > settings.NEWSMAG_COMMENT_FORM_MAX_AGE:
        findings.append(Finding(Verdict.HOLD, f"The form was shown {age / 3600:.0f} h before it was sent."))
    return findings


def check_words(s: Submission):
    text = for_matching(f"{s.name}\n{s.body}")
    findings = []
    for phrase, action in ModeratedWord.objects.values_list("phrase", "action"):
        if not contains_phrase(text, for_matching(phrase)):
            continue
        if action == ModeratedWord.Action.REJECT:
            findings.append(Finding(Verdict.REJECT, f"Banned word: “{phrase}”."))
        else:
            findings.append(Finding(Verdict.HOLD, f"Suspect word: “{phrase}”."))
    return findings


def check_links(s: Submission):
    links = count_links(s.body) + count_links(s.name)
    maximum = settings.NEWSMAG_COMMENT_MAX_LINKS
    if links > maximum:
        return [Finding(Verdict.HOLD, f"{links} links (more than {maximum}).")]
    return []


def check_history(s: Submission):
    """Trust is earned, and proven: a commenter is trusted once a moderator approved one of their comments
    that this account wrote (or, without an account, that this browser sent without one), and loses it when
    too many of their comments were rejected. A name and an email anyone can type prove nothing: someone
    who knows a trusted commenter's email still waits for a moderator, and a reader's account history
    never counts for a comment sent without signing in.
    """
    if s.is_staff:
        return []
    if s.user is not None:
        history = Comment.objects.filter(user=s.user).history()
    else:
        history = (
            Comment.objects.by_email(s.email)
            .filter(user=None)
            .history(approved_as=s.name, approved_among=s.sent_before)
        )
    approved, refused = history["approved"], history["refused"]
    if not approved:
        if history.get("approved_elsewhere"):
            reason = "Known email, but none of its approved comments was sent from this browser."
            return [Finding(Verdict.HOLD, reason)]
        return [Finding(Verdict.HOLD, "First comment from this commenter (no approved comment yet).")]
    if refused / (approved + refused) >= settings.NEWSMAG_COMMENT_REJECTION_RATE:
        return [Finding(Verdict.HOLD, f"{refused} of {approved + refused} earlier comments were rejected.")]
    return []


def check_moderation(s: Submission):
    if s.is_staff or not is_premoderated(s.article):
        return []
    if s.article.comment_policy == Article.CommentPolicy.PREMODERATED:
        return [Finding(Verdict.HOLD, "The article is pre-moderated.")]
    return [Finding(Verdict.HOLD, "Site-wide pre-moderation is on.")]


CHECKS = [
    check_length,
    check_commenter,
    check_open,
    check_reply_target,
    check_duplicate,
    check_flood,
    check_bot_traps,
    check_words,
    check_links,
    check_history,
    check_moderation,
]


# The checks that judge a comment and its commenter rather than the request that brought it: the ones that
# can run again on a stored comment.
CONTENT_CHECKS = [check_words, check_links, check_history, check_moderation]


def run_checks(submission: Submission, checks=CHECKS) -> tuple[Verdict, list[str]]:
    findings = [finding for check in checks for finding in check(submission)]
    verdict = max((finding.verdict for finding in findings), default=Verdict.APPROVE)
    return verdict, [finding.reason for finding in findings]


def recheck(comment) -> tuple[Verdict, list[str]]:
    """The content checks' verdict and reasons on a stored comment (as if its browser proved nothing)."""
    submission = Submission(
        article=comment.article,
        body=comment.body,
        name=comment.name,
        email=comment.email,
        user=comment.user,
        parent=comment.parent,
        now=comment.created_at,
    )
    return run_checks(submission, CONTENT_CHECKS)


@transaction.atomic
def submit_comment(
    *,
    article,
    body,
    name="",
    email="",
    user=None,
    parent=None,
    ip_address=None,
    user_agent="",
    form_token="",
    honeypot="",
    sent_before=(),
) -> Comment:
    """Run the pipeline on a new comment and store it with its verdict and reasons.

    Signed-in users comment under their account's name (a reader's display name) and email. Raises
    `CommentRefused` (or one of its subclasses) when the comment must not be stored; nothing is written.
    """
    if user is not None and not user.is_authenticated:
        user = None
    if user is not None:
        name = readers.display_name(user)[: Comment._meta.get_field("name").max_length]
        email = user.email or f"{user.get_username()}@staff.invalid"
    submission = Submission(
        article=article,
        body=clean_body(body or ""),
        name=clean_line(name or ""),
        email=(email or "").strip(),
        user=user,
        parent=parent,
        ip_address=ip_address,
        user_agent=clean_line(user_agent or "")[: Comment._meta.get_field("user_agent").max_length],
        form_token=form_token or "",
        honeypot=(honeypot or "").strip(),
        sent_before=tuple(sent_before),
    )
    verdict, reasons = run_checks(submission)
    comment = Comment(
        article=article,
        parent=parent,
        user=user,
        name=submission.name,
        email=submission.email,
        body=submission.body,
        status=verdict.status,
        moderation_reasons=reasons,
        ip_address=ip_address,
        user_agent=submission.user_agent,
        created_at=submission.now,
    )
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError as error:
        if (
            getattr(getattr(error.__cause__, "diag", None), "constraint_name", "")
            == "comment_no_exact_duplicate"
        ):
            raise DuplicateComment(str(MESSAGE_DUPLICATE)) from None
        raise
    if comment.status == Comment.Status.APPROVED:
        # A reply published at once: the writer of the comment it answers may have asked to hear of it.
        notifications.announce([comment.pk])
    return comment
