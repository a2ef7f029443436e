"""What a commit would run, for tests whose writes live in a transaction that never commits."""

from django.db import connections


def run_after_commit_work(**kwargs):
    """Run the after-commit callbacks waiting in the test's transaction (transaction.on_commit), now.

    Pages are rendered with production's caches, which learn of a change through a content-version bump
    that runs after commit; a request started after this sees what a reader would see after the commit.
    """
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block and connection.run_on_commit:
            callbacks, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, callback, _robust in callbacks:
                callback()
