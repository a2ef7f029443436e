"""Plain-text hygiene for what readers type: unicode abuse removed, links counted and rendered safely.

Comments are plain text. Nothing a reader types is ever rendered as HTML: `render_comment()` escapes
everything and only adds the links and paragraphs it builds itself.
"""

import re
import unicodedata

from django.utils.html import Urlizer, linebreaks
from django.utils.safestring import mark_safe

from articles.text import clean_text

# Invisible characters with no place in a comment: bidirectional overrides and isolates (the "RTL override"
# trick that shows "gpj.exe" as "exe.jpg"), zero-width spaces, the word joiner, invisible operators, the
# byte-order mark, interlinear annotations and other deprecated format characters.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# Zero-width joiners and non-joiners are real orthography (Persian, Indic scripts, emoji sequences) when
# alone between two visible characters; runs of them or stray ones are padding.
_JOINER_KEPT = re.compile(r"(?<=[^\s\u200c\u200d])([\u200c\u200d])[\u200c\u200d]*(?=[^\s\u200c\u200d])")
_JOINER_STRAY = re.compile(r"[\u200c\u200d]+")
# Placeholders for the joiners kept: control characters, already removed, cannot clash.
_JOINER_PLACEHOLDER = {"\u200c": "\x01", "\u200d": "\x02"}
_JOINER_RESTORE = str.maketrans({"\x01": "\u200c", "\x02": "\u200d"})
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[^\S\n]+")

# More combining marks than this on one base character is a "Zalgo" flood. Real text needs far fewer:
# Vietnamese stacks two after NFC composition, Indic and Hebrew scripts rarely more than three.
MAX_COMBINING_MARKS = 4


def _is_mark(char):
    return unicodedata.category(char) in {"Mn", "Me"}


def _limit_combining_marks(text):
    out = []
    run = 0
    for char in text:
        if _is_mark(char):
            run += 1
            if run > MAX_COMBINING_MARKS:
                continue
        else:
            run = 0
        out.append(char)
    return "".join(out)


def _clean(text):
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = clean_text(text.replace("\t", " "))  # a vertical tab or form feed is a line break, as anywhere
    text = _INVISIBLE.sub("", text)
    text = _JOINER_KEPT.sub(lambda match: _JOINER_PLACEHOLDER[match.group(1)], text)
    text = _JOINER_STRAY.sub("", text).translate(_JOINER_RESTORE)
    return _limit_combining_marks(text)


def clean_body(text: str) -> str:
    """A comment body made safe to store and show: invisible and control characters removed, combining
    mark floods cut, spaces and blank lines collapsed. Idempotent."""
    lines = [_SPACES.sub(" ", line).strip() for line in _clean(text).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(text: str) -> str:
    """A one-line value (a name) cleaned like a body, with every run of whitespace made one space."""
    return " ".join(_clean(text).split())


def for_matching(text: str) -> str:
    """The form used to compare words: compatibility-normalized (full-width and styled letters become plain
    ones), case-folded, marks dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKD", clean_line(text).casefold())
    return "".join(char for char in text if not _is_mark(char))


class CommentUrlizer(Urlizer):
    """Django's urlize, with the rel a user-generated link needs and without turning emails into links."""

    url_template = '<a href="{href}" rel="nofollow ugc noopener">{url}</a>'

    def is_email_simple(self, value):
        return False


_urlize = CommentUrlizer()


def count_links(text: str) -> int:
    """How many web addresses `render_comment()` would turn into links."""
    count = 0
    for word in _urlize.word_split_re.split(text):
        if "." not in word and ":" not in word:
            continue
        _lead, middle, _trail = _urlize.trim_punctuation(word)
        if _urlize.simple_url_re.match(middle) or _urlize.simple_url_2_re.match(middle):
            count += 1
    return count


def render_comment(text: str) -> str:
    """Escaped comment text with paragraphs and safe links (`rel="nofollow ugc noopener"`)."""
    linked = _urlize(str(text), trim_url_limit=60, nofollow=False, autoescape=True)
    return mark_safe(linebreaks(linked, autoescape=False))  # the urlizer escaped everything


def contains_phrase(text, phrase):
    """Whether `phrase` occurs in `text` as whole words (both already `for_matching`)."""
    words = [re.escape(word) for word in phrase.split()]
    return bool(words) and re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", text) is not None
