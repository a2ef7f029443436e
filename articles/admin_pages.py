"""The site pages' admin (About, Contact, Privacy, Terms, Imprint): editors only (articles/roles.py)."""

from django.contrib import admin

from articles.forms import PageAdminForm
from articles.models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageAdminForm
    list_display = ["title", "slug", "in_footer", "position", "updated_at"]
    list_editable = ["in_footer", "position"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "body"]}),
        ("Listing", {"fields": ["summary", "in_footer", "position"]}),
    ]
