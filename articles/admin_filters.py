"""Admin list filters that refuse a value they do not offer.

A SimpleListFilter gets its value straight from the query string. Left alone, a value it does not offer
(a garbled or hand-made link) either reaches a query, where the database may refuse it (a 500), or is
silently ignored while the list looks filtered. `ChoiceListFilter` refuses it the way Django refuses a bad
value for a field filter: the list redirects to its "?e=1" page.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters


class ChoiceListFilter(admin.SimpleListFilter):
    """A SimpleListFilter whose value must be the key of one of its `lookups()`."""

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        value = self.value()
        if value is not None and value not in {str(key) for key, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(f"{self.parameter_name}={value!r} is not one of the choices.")
