"""The admin site: Django's, with the date drill-down of every changelist checked before it is used.

A changelist with `date_hierarchy` turns `?<field>__year=&__month=&__day=` into a date range. Django 5.2
catches a ValueError from building the first day but not an OverflowError (`?publish_at__year=99999999999`)
nor the year after 9999 that ends the range (`?publish_at__year=9999`), so those are 500s. Django has
fixed this upstream; until the release we run has the fix, `CheckedDateHierarchy` refuses such values as
Django refuses any other bad filter: the list redirects to `?e=1`. The site adds it to every ModelAdmin
registered, ours and those of django.contrib.auth, taggit and django-axes alike. INSTALLED_APPS names
`AdminConfig` instead of "django.contrib.admin" to make this the default site (`admin.site`).
"""

from datetime import MAXYEAR
from functools import cache

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.contrib.admin.options import IncorrectLookupParameters

# The largest value of each part that the date range can be built from (the range ends a year, a month or
# a day later, which must still be a date).
DATE_PARTS = {"year": MAXYEAR - 1, "month": 12, "day": 31}


class DateHierarchyCheck:
    """A ChangeList mixin: the date drill-down's year, month and day must be whole numbers in range."""

    def get_filters(self, request):
        if self.date_hierarchy:
            for part, largest in DATE_PARTS.items():
                values = self.filter_params.get(f"{self.date_hierarchy}__{part}")
                if not values:
                    continue
                try:
                    number = int(values[-1])  # the value Django uses
                except ValueError as error:
                    raise IncorrectLookupParameters(error) from error
                if not 1 <= number <= largest:
                    raise IncorrectLookupParameters(f"{part} {number} is out of range")
        return super().get_filters(request)


@cache
def checked_changelist(changelist_class):
    if issubclass(changelist_class, DateHierarchyCheck):
        return changelist_class
    return type(changelist_class.__name__, (DateHierarchyCheck, changelist_class), {})


class CheckedDateHierarchy:
    """A ModelAdmin mixin: its changelist, whichever class it is, checks the date drill-down."""

    def get_changelist(self, request, **kwargs):
        return checked_changelist(super().get_changelist(request, **kwargs))


class NewsmagAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CheckedDateHierarchy):
            # Same name and module, so the admin's messages and checks still name the class registered.
            admin_class = type(
                admin_class.__name__,
                (CheckedDateHierarchy, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)


class AdminConfig(DjangoAdminConfig):
    default_site = "newsmag.admin_site.NewsmagAdminSite"
