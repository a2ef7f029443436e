from django.contrib import admin
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.models import Article, ArticleAuthor, Author, Image, Section, SourceType


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "position", "in_navigation"]
    list_editable = ["position", "in_navigation"]
    list_filter = ["in_navigation", "parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "user"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


class AIGeneratedFilter(admin.SimpleListFilter):
    title = _("AI-generated")
    parameter_name = "ai"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        ai_types = [choice for choice in SourceType if choice.is_ai]
        if self.value() == "yes":
            return queryset.filter(source_type__in=ai_types)
        if self.value() == "no":
            return queryset.exclude(source_type__in=ai_types)
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "title", "credit_line", "source_type", "width", "height", "uploaded_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [AIGeneratedFilter, "source_type", "uploaded_at"]
    search_fields = ["title", "caption", "credit", "creator", "alt_text"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview", "credit_line", "usage", "width", "height", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "title", "alt_text", "is_decorative", "caption"]}),
        (
            _("Credit and provenance"),
            {
                "fields": [
                    "credit",
                    "creator",
                    "source_type",
                    "ai_system",
                    "copyright_notice",
                    "licence",
                    "credit_line",
                ],
            },
        ),
        (
            _("Details"),
            {"classes": ["collapse"], "fields": ["width", "height", "uploaded_by", "uploaded_at", "usage"]},
        ),
    ]

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return (
            format_html('<img src="{}" alt="" width="80" loading="lazy">', obj.file.url) if obj.file else ""
        )

    @admin.display(description=_("preview"))
    def preview(self, obj):
        return format_html('<img src="{}" alt="" width="320">', obj.file.url) if obj.file else "-"

    @admin.display(description=_("credit line"))
    def credit_line(self, obj):
        return obj.credit_line()

    @admin.display(description=_("used by"))
    def usage(self, obj):
        articles = obj.lead_for.select_related("section") if obj.pk else []
        return (
            format_html_join(", ", '<a href="{}">{}</a>', ((a.get_absolute_url(), a) for a in articles))
            or "-"
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = _("byline")
    verbose_name_plural = _("byline (in order)")


def can_publish(user):
    return user.has_perm("articles.publish_article")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "status", "publish_at", "byline", "featured", "updated_at"]
    list_filter = ["status", "section", "featured", "comment_policy"]
    search_fields = ["headline", "kicker", "dek", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["lead_image", "section"]
    list_select_related = ["section"]
    inlines = [ArticleAuthorInline]
    fieldsets = [
        (None, {"fields": ["kicker", "headline", "slug", "dek", "source_label", "body"]}),
        (_("Placement"), {"fields": ["section", "tags", "lead_image", "featured"]}),
        (_("Publishing"), {"fields": ["status", "publish_at", "comment_policy"]}),
    ]

    class Media:
        js = ["js/admin-tags.js"]

    @admin.display(description=_("byline"))
    def byline(self, obj):
        return ", ".join(author.name for author in obj.byline_authors)

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author")))
        )
        if can_publish(request.user):
            return queryset
        # A journalist sees the articles they created or carry their byline.
        return (
            queryset.filter(created_by=request.user) | queryset.filter(bylines__author__user=request.user)
        ).distinct()

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and not can_publish(request.user)
            and obj.status
            not in (
                Article.Status.DRAFT,
                Article.Status.REVIEW,
            )
        ):
            return False
        return super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "tags" in form.base_fields:
            form.base_fields["tags"].widget.attrs.update(
                {"data-suggest-url": reverse("admin:articles_tag_suggestions"), "autocomplete": "off"}
            )
        return form

    def get_readonly_fields(self, request, obj=None):
        return [] if can_publish(request.user) else ["publish_at", "featured"]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not can_publish(request.user):
            kwargs["choices"] = [
                (value, label)
                for value, label in Article.Status.choices
                if value in (Article.Status.DRAFT, Article.Status.REVIEW)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        author = getattr(request.user, "author", None)
        if author is not None and not form.instance.bylines.exists():
            ArticleAuthor.objects.create(article=form.instance, author=author)

    def get_urls(self):
        return [
            path(
                "tag-suggestions/",
                self.admin_site.admin_view(self.tag_suggestions),
                name="articles_tag_suggestions",
            ),
            *super().get_urls(),
        ]

    def tag_suggestions(self, request):
        """Existing tags starting with ?q=, for the tag field's autocomplete (staff only)."""
        term = request.GET.get("q", "").strip()
        names = (
            Tag.objects.filter(name__istartswith=term).order_by("name").values_list("name", flat=True)[:10]
        )
        return JsonResponse({"tags": list(names) if term else []})
