from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from comments import posting, readers
from comments.models import Comment
from comments.text import clean_body, clean_line


class CommentForm(forms.Form):
    """A reader's comment or reply. Signed-in readers and staff comment under their account's name (no
    name/email asked); without an account the form asks for them, unless NEWSMAG_COMMENTS_ANONYMOUS is off
    (then it has no such fields and asks the reader to sign in).

    The form checks what a reader can fix (missing, too long, invalid); `posting.submit_comment()` decides
    the rest. Two fields are traps for bots: `website`, hidden from people, must stay empty, and `issued`
    carries the signed time the form was shown.
    """

    name = forms.CharField(
        label=_("Name"),
        max_length=Comment._meta.get_field("name").max_length,
        help_text=_("Shown with your comment."),
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("Never shown. We use it only if we need to contact you about your comment."),
    )
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}))
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # Opt-in, never ticked for the reader (comments.notifications: one email per reply, one-click stop).
    notify = forms.BooleanField(
        label=_("Email me when someone replies"),
        required=False,
        help_text=_("If your comment waits for a moderator, we also tell you when it is published."),
    )
    parent = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    issued = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def __init__(self, *args, article, user=None, sent_before=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.sent_before = tuple(sent_before)
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["issued"].initial = posting.make_form_token(article)
        body = self.fields["body"]
        body.max_length = settings.NEWSMAG_COMMENT_MAX_LENGTH
        body.validators.append(MaxLengthValidator(body.max_length))
        body.widget.attrs["maxlength"] = str(body.max_length)
        self.asks_identity = self.user is None and settings.NEWSMAG_COMMENTS_ANONYMOUS
        if not self.asks_identity:
            del self.fields["name"]
            del self.fields["email"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token
        self.helper.layout = Layout(
            # Readers signed in on a cached page drop these in the browser (comments.js).
            *([Div("name", "email", css_class="comment-identity")] if self.asks_identity else []),
            Field("body", css_class="comment-input"),
            "notify",
            # The honeypot: hidden from sight and from screen readers, found by bots that fill every field.
            Div("website", css_class="comment-hp visually-hidden", aria_hidden="true"),
            "parent",
            "issued",
        )
        self.helper.add_input(Submit("submit", _("Post comment")))

    @property
    def commenter_name(self):
        """The name a signed-in commenter's comment will appear under."""
        return readers.display_name(self.user) if self.user else ""

    def clean_name(self):
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_body(self):
        body = clean_body(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("Write something before posting."))
        if len(body) < settings.NEWSMAG_COMMENT_MIN_LENGTH:
            raise forms.ValidationError(posting.MESSAGE_TOO_SHORT)
        return body

    def clean_parent(self):
        """The comment replied to: a comment of this article this reader may answer (`posting.reply_allowed`:
        a published one, or a held one they sent or look after), or nothing."""
        value = self.cleaned_data["parent"].strip()
        if not value:
            return None
        if not value.isascii() or not value.isdigit() or int(value) >= 2**63:
            raise forms.ValidationError(posting.MESSAGE_REPLY_REFUSED)
        parent = Comment.objects.filter(article=self.article, pk=int(value)).first()
        allowed = parent is not None and posting.reply_allowed(
            parent, self.article, user=self.user, sent_before=self.sent_before
        )
        if not allowed:
            raise forms.ValidationError(posting.MESSAGE_REPLY_REFUSED)
        return parent

    def clean(self):
        cleaned = super().clean()
        if self.user is None and not self.asks_identity:
            raise forms.ValidationError(posting.MESSAGE_SIGN_IN)
        # The parent is a hidden field: say what went wrong where the reader can see it.
        if "parent" in self._errors:
            self.add_error(None, self._errors.pop("parent"))
        return cleaned

    def submission(self):
        """The keyword arguments for `posting.submit_comment()`."""
        data = self.cleaned_data
        return {
            "article": self.article,
            "user": self.user,
            "name": data.get("name", ""),
            "email": data.get("email", ""),
            "body": data["body"],
            "parent": data.get("parent"),
            "form_token": data.get("issued", ""),
            "honeypot": data.get("website", ""),
        }

    def add_refusal(self, refusal):
        """Show a pipeline refusal beside its field (or above the form)."""
        self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)


class ModerationDecisionForm(forms.Form):
    """One moderator's decision on one comment from the queue: approve, reject (with a reason) or spam.

    `seen` carries the comment's moderation state as the queue showed it, so that a decision taken on an
    out-of-date queue changes nothing (comments.moderation.moderate).
    """

    DECISIONS = [Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM]

    status = forms.ChoiceField(
        choices=[(status.value, status.label) for status in DECISIONS], widget=forms.HiddenInput
    )
    seen = forms.CharField(max_length=80, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Why reject it?"),
        choices=Comment.RejectionReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the other moderators (optional)"),
        max_length=Comment._meta.get_field("rejection_note").max_length,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("status") == Comment.Status.REJECTED:
            if not data.get("reason"):
                self.add_error("reason", _("Choose why this comment is rejected."))
            elif data["reason"] == Comment.RejectionReason.OTHER and not data.get("note"):
                self.add_error("note", _("Say why in the note."))
        else:
            data["reason"], data["note"] = "", ""
        return data
