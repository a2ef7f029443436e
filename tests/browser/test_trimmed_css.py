"""The trimmed Bootstrap build matches the templates: a class added to a template is in the CSS too."""

import os
import shutil
import subprocess
import sys

from tests.browser.conftest import HERE, INSTALL_NPM, NODE_MODULES, missing, require


def test_trimmed_bootstrap_is_up_to_date_with_the_templates():
    node = shutil.which("node")
    if not node:
        missing("Node.js not found", "`apt-get install nodejs` (CI's .ci/run does)")
    require(NODE_MODULES / "purgecss", "PurgeCSS", INSTALL_NPM)
    checked = subprocess.run(
        [node, str(HERE / "trim-css.mjs"), "--check"],
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr or checked.stdout
