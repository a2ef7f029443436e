"""Storages that fail the way a full disk does, for the fault tests."""

import errno
import os

from django.core.files.storage import FileSystemStorage


class FullDiskStorage(FileSystemStorage):
    """Every write whose name starts with `failing_prefix` fails with ENOSPC, after `writes_allowed` more."""

    failing_prefix = ""
    writes_allowed = 0

    def _save(self, name, content):
        if name.startswith(self.failing_prefix):
            if type(self).writes_allowed <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
            type(self).writes_allowed -= 1
        return super()._save(name, content)


class FullDiskForRenditions(FullDiskStorage):
    """The original is stored; the disk fills up after three renditions."""

    failing_prefix = "renditions/"
    writes_allowed = 3
