"""Build hook (the rest of the packaging is in pyproject.toml): the wheel carries the site's templates and
static files. They stay top-level folders of the checkout; the build copies them into the package as
newsmag/site/templates and newsmag/site/static, where settings.py finds them when Newsmag is installed."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SITE_FOLDERS = ("templates", "static")


class BuildWithSiteFiles(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        for folder in SITE_FOLDERS:
            shutil.copytree(
                Path(folder), Path(self.build_lib) / "newsmag" / "site" / folder, dirs_exist_ok=True
            )


setup(cmdclass={"build_py": BuildWithSiteFiles})
