import html

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# PostgreSQL's ts_headline marks matches with these; they cannot occur in text typed by people.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_STOP = "\x03"


@register.filter
def highlight(snippet):
    """Escape a search snippet and turn the match markers into <mark> elements.

    Usage: {{ article.snippet|highlight }}
    """
    text = escape(html.unescape(snippet or ""))
    return mark_safe(text.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))
