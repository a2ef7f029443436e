from django import template

from articles.dashboard import desk

register = template.Library()


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def newsroom_desk(context):
    """The desk's panels (my drafts, waiting for review, scheduled, published lately) for the admin's front
    page. Syntax: ``{% newsroom_desk %}`` (two queries a panel; staff pages only)."""
    request = context["request"]
    user = request.user
    if not user.has_perm("articles.view_article") and not user.has_perm("articles.change_article"):
        return {"panels": []}
    return {"panels": desk(user), "request": request}
