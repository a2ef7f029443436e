"""Our own style sheets and scripts as browsers get them."""

import re
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "static"


@pytest.mark.parametrize("path", sorted((STATIC / "css").glob("*.css")), ids=lambda path: path.name)
def test_every_rule_block_of_our_style_sheets_is_closed(path):
    """An unclosed block (a merge that lost a brace) silently moves every later rule into a media query."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    text = re.sub(r'"[^"\n]*"|\'[^\'\n]*\'', '""', text)  # braces inside strings do not count
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number} closes a block that is not open"
    assert depth == 0, f"{path.name} leaves {depth} block(s) open"
