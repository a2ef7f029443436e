from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import Comment


class CommentForm(forms.ModelForm):
    """A reader's comment or reply. Logged-in staff comment under their own name (no name/email asked)."""

    parent = forms.ModelChoiceField(queryset=Comment.objects.none(), required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["name", "email", "body", "parent"]
        labels = {"body": _("Your comment")}
        help_texts = {"email": _("Never shown. We use it only if we need to contact you about your comment.")}
        widgets = {"body": forms.Textarea(attrs={"rows": 5, "maxlength": 3000})}

    def __init__(self, *args, article, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["parent"].queryset = Comment.objects.approved().filter(article=article)
        if self.user:
            del self.fields["name"]
            del self.fields["email"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Post comment")))

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something before posting."))
        return body

    def save(self, commit=True):
        comment = super().save(commit=False)
        comment.article = self.article
        if self.user:
            comment.user = self.user
            comment.name = self.user.get_full_name() or self.user.get_username()
            comment.email = self.user.email or f"{self.user.get_username()}@staff.invalid"
        if commit:
            comment.save()
        return comment
