"""Plain text on its way to HTML and XML: no control characters.

XML 1.0 forbids the C0 controls other than tab, newline and carriage return, so one in a caption makes a
feed or sitemap that is not XML (Django's feed writer refuses to write it at all), and C1 controls are
invisible debris of legacy encodings. Text from forms, file metadata and imports passes `clean_text()`
where it comes in; the XML writers pass it again, so none can ever meet one.
"""

import re

# A word processor's line and page breaks (vertical tab, form feed, the information separators, NEL).
_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85]")
# Every other control but tab, newline and carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def clean_text(value):
    """`value` with line-break controls as newlines and every other control character removed."""
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", _BREAKS.sub("\n", value))
