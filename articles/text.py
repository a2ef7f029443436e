"""Plain text on its way to HTML and XML: no control characters.

XML 1.0 forbids the C0 controls other than tab, newline and carriage return, so one in a caption makes a
feed or sitemap that is not XML (Django's feed writer refuses to write it at all), and C1 controls are
invisible debris of legacy encodings. Text from forms, file metadata and imports passes `clean_text()`
where it comes in: every model whose text readers see is registered with `keep_text_clean()`, so no save
stores one. The XML writers pass it again (`clean_xml_document()`, the feeds' generators), so rows that
never went through a save (a queryset update, raw SQL, rows older than this rule) cannot break them.
"""

import re
from functools import wraps

from django.db import models
from django.db.models.signals import pre_save
from taggit.utils import _parse_tags

# A word processor's line and page breaks (vertical tab, form feed, the information separators, NEL).
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85]")
# Every other control but tab, newline and carriage return, and the two noncharacters XML forbids as well.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\r\n]+")


def clean_text(value, *, one_line=False):
    """`value` with line-break controls as newlines and every other control character removed.

    With `one_line` (a headline, a name, a credit) every run of line breaks becomes one space instead.
    Anything but a string is returned as it is.
    """
    if not isinstance(value, str):
        return value
    value = _CONTROLS.sub("", _BREAKS.sub("\n", value))
    return _LINE_BREAKS.sub(" ", value) if one_line else value


def _clean_text_fields(sender, instance, update_fields=None, **kwargs):
    # A field not loaded (deferred) is not written either: reading it would cost a query for nothing.
    skipped = instance.get_deferred_fields()
    for field in sender._meta.concrete_fields:
        if field.attname in skipped or (update_fields is not None and field.name not in update_fields):
            continue
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            cleaned = clean_text(value, one_line=isinstance(field, models.CharField))
            if cleaned != value:
                setattr(instance, field.attname, cleaned)


def keep_text_clean(model):
    """Readers see the text of `model`: every CharField and TextField passes `clean_text()` before each save
    (one-line for a CharField), whatever saves it: a form, the admin, an import, a fixture."""
    pre_save.connect(
        _clean_text_fields, sender=model, weak=False, dispatch_uid=f"clean-text-{model._meta.label_lower}"
    )


def parse_tags(text):
    """Tag names typed in a form (settings.TAGGIT_TAGS_FROM_STRING), cleaned before taggit looks them up.

    Cleaning only at the save would be too late: taggit looks for an existing tag by the name as typed, finds
    none, and creating the cleaned name a second time would break the names' uniqueness.
    """
    return _parse_tags(clean_text(text, one_line=True))


def _clean_content(response):
    if response.streaming:
        return
    charset = response.charset or "utf-8"
    text = response.content.decode(charset)
    cleaned = clean_text(text)
    if cleaned != text:
        response.content = cleaned.encode(charset)


def clean_xml_document(view):
    """`view`, whose XML documents are rendered from templates (the sitemaps), with every control character
    XML forbids removed from the rendered document, whatever the rows held."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        if getattr(response, "is_rendered", True):
            _clean_content(response)
        else:  # a TemplateResponse: cleaned once it is rendered
            response.add_post_render_callback(_clean_content)
        return response

    return wrapper
