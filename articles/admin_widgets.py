"""Admin autocomplete that survives garbled input.

To redraw a refused form, Django's autocomplete widget looks up the submitted value again; a value that is
not a valid key (say "x" for a section id, sent by a broken client or a fuzzer) then raises ValueError and
the editor gets a 500 instead of the form with "Select a valid choice". This widget drops such values.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        valid = []
        for item in value:
            try:
                key.run_validators(key.to_python(item))
                valid.append(item)
            except (ValidationError, TypeError, ValueError):
                continue
        return super().optgroups(name, valid, attr)


class SafeAutocompleteMixin:
    """For a ModelAdmin or inline with `autocomplete_fields`: use SafeAutocompleteSelect for them."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
