from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from comments import readers
from comments.models import DISPLAY_NAME_MAX, ReaderProfile

DISPLAY_NAME_HELP = _("Shown with your comments. You can change it later in your account.")


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Display name"), max_length=DISPLAY_NAME_MAX, help_text=DISPLAY_NAME_HELP, **kwargs
        )


class DisplayNameSignupForm(forms.Form):
    """ACCOUNT_SIGNUP_FORM_CLASS: allauth's sign-up form (email, password twice) plus the display name."""

    display_name = DisplayNameField()

    def clean_display_name(self):
        return readers.validate_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        ReaderProfile.objects.create(user=user, display_name=self.cleaned_data["display_name"])


class DisplayNameForm(forms.Form):
    """Change the display name: the reader's published comments show the new one."""

    display_name = DisplayNameField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save name")))

    def clean_display_name(self):
        return readers.validate_display_name(self.cleaned_data["display_name"], user=self.user)

    def save(self):
        name = self.cleaned_data["display_name"]
        readers.rename_reader(self.user, name)
        return name


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: my account goes, my published comments stay under a neutral name."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's form says where it goes
        self.helper.add_input(Submit("delete", _("Delete my account"), css_class="btn-danger"))
