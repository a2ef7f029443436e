"""Newsroom roles. Each is a Django group whose permissions a migration keeps in sync with this table.

Object-level rules (a journalist edits only their own drafts and cannot publish) live in the admin.
"""

JOURNALIST = "Journalist"
EDITOR = "Editor"
MODERATOR = "Moderator"

_CRUD = ("add", "change", "delete", "view")
# What editors add, change, delete and view, every row of it.
EDITOR_MODELS = (
    "article",
    "articleauthor",
    "author",
    "correction",
    "embed",
    "image",
    "liveupdate",
    "page",  # the site pages: About, Contact, Privacy, Terms, Imprint
    "section",
)

ROLE_PERMISSIONS = {
    JOURNALIST: [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_articleauthor",
        "articles.change_articleauthor",
        "articles.delete_articleauthor",
        "articles.view_articleauthor",
        "articles.add_image",
        "articles.change_image",
        "articles.view_image",
        "articles.add_embed",
        "articles.change_embed",
        "articles.view_embed",
        # Live updates: a journalist changes and deletes only their own (checked in the admin's live desk).
        *(f"articles.{action}_liveupdate" for action in _CRUD),
        "articles.view_author",
        "articles.view_section",
        "taggit.view_tag",
    ],
    EDITOR: [
        *(f"articles.{action}_{model}" for model in EDITOR_MODELS for action in _CRUD),
        "articles.publish_article",
        # The front page: arrange the working copy (containers, pins), preview, publish, restore.
        "articles.view_frontpage",
        "articles.change_frontpage",
        "articles.publish_frontpage",
        *(f"articles.{action}_{model}" for model in ("container", "pin") for action in _CRUD),
        "articles.view_frontrevision",
        *(f"articles.{action}_newsalert" for action in _CRUD),  # breaking news banners
        *(f"taggit.{action}_tag" for action in _CRUD),
        *(f"comments.{action}_moderatedword" for action in _CRUD),  # banned and suspect words
        # Newsletters: define them, shape and test each issue before it goes, keep the suppression list.
        # Subscribers' addresses are nobody's to browse: the admin shows counts only.
        *(
            f"articles.{action}_{model}"
            for model in ("newsletter", "issueitem", "suppression")
            for action in _CRUD
        ),
        "articles.view_issue",
        "articles.change_issue",
    ],
    MODERATOR: ["comments.view_comment", "comments.change_comment", "comments.can_moderate"],
}


def sync_roles(apps):
    """Create the role groups and set exactly the permissions above (used by migrations)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)  # None in migrations; keep the registry intact
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        # A permission whose model a later migration creates is skipped here; that migration syncs again.
        permissions = [
            permission
            for name in names
            for permission in Permission.objects.filter(
                content_type__app_label=name.split(".")[0], codename=name.split(".")[1]
            )
        ]
        group.permissions.set(permissions)
