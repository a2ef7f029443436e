"""Public reads from a streaming replica, when there is one (DATABASE_REPLICA_URL); everything else from the
primary.

Which database a request reads is decided once, when it arrives (`newsmag.middleware.ReadReplicaMiddleware`,
`reads_replica()`), and kept in a context variable that `ReplicaRouter` consults:

- the replica: GET and HEAD requests of anonymous readers (no session cookie) outside the admin, previews
  and the live poll (NEWSMAG_REPLICA_PRIMARY_PATHS);
- the primary: every other request (writes, the admin, anyone logged in, whose session is read there too),
  everything outside a request (commands, Celery jobs), the rest of a request once it has written
  anything through the ORM (`db_for_write()`), and for NEWSMAG_REPLICA_STICKY_SECONDS after a reader's
  own write: the response to a request that wrote (a comment, a report; not the read beacon, whose raw
  counter changes nothing the reader sees) carries a short-lived signed cookie (`note_write()`), so the
  page they return to shows what they just did, however far the replica lags. Those requests skip the
  page cache as well.

A replica that cannot be reached (refused, timed out, gone mid-request) is left alone for
NEWSMAG_REPLICA_RETRY_SECONDS (`mark_replica_down()`): requests read the primary meanwhile and the one that
met the failure is answered again from the primary, so readers never see it. Tables are created on the
primary only (`allow_migrate`): the replica copies them.

Raw SQL through `django.db.connection` always runs on the primary; code that must read what a page reads
(the content version) asks `django.db.router.db_for_read(model)` for the alias.
"""

import contextvars
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
STICKY_COOKIE = "newsmag_wrote"
_STICKY_SALT = "newsmag.db_router.sticky"
SAFE_METHODS = ("GET", "HEAD")


@dataclass
class RequestReads:
    """Where the current request reads, and whether it wrote anything through the ORM."""

    alias: str = DEFAULT_DB_ALIAS
    wrote: bool = False


# Mutable state in the variable, so a write seen in a copied context (a thread executor) still counts.
_current = contextvars.ContextVar("newsmag_request_reads", default=None)
_replica_down_until = 0.0  # time.monotonic() before which this process leaves the replica alone


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_available() -> bool:
    return replica_configured() and time.monotonic() >= _replica_down_until


def mark_replica_down():
    """Read the primary for the next NEWSMAG_REPLICA_RETRY_SECONDS in this process, so that an unreachable
    replica costs one connection timeout per process and period, not one per request."""
    global _replica_down_until
    _replica_down_until = time.monotonic() + settings.NEWSMAG_REPLICA_RETRY_SECONDS
    connections[REPLICA].close()


def replica_failed() -> bool:
    """Whether the replica's connection met an error in this request (cannot connect, lost, cancelled)."""
    return replica_configured() and connections[REPLICA].errors_occurred


def replica_unreachable() -> bool:
    wrapper = connections[REPLICA]
    return wrapper.connection is None or not wrapper.is_usable()


@contextmanager
def routing(*, replica):
    """Within this block, reads go to the replica if `replica` (while it is available and nothing was
    written), else to the primary. Yields the block's RequestReads."""
    token = _current.set(RequestReads(alias=REPLICA if replica else DEFAULT_DB_ALIAS))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def reads_replica(request, *, wrote_recently) -> bool:
    """Whether `request` may read the replica: a safe request of an anonymous reader who wrote nothing in the
    last NEWSMAG_REPLICA_STICKY_SECONDS (`wrote_recently(request)`), outside the paths that read the
    primary."""
    return (
        replica_available()
        and request.method in SAFE_METHODS
        and not request.path_info.startswith(tuple(settings.NEWSMAG_REPLICA_PRIMARY_PATHS))
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not wrote_recently
    )


def wrote_recently(request) -> bool:
    return (
        request.get_signed_cookie(
            STICKY_COOKIE, default=None, salt=_STICKY_SALT, max_age=settings.NEWSMAG_REPLICA_STICKY_SECONDS
        )
        is not None
    )


def note_write(response):
    """Mark the client of a writing request: its next requests read the primary and skip the page cache."""
    response.set_signed_cookie(
        STICKY_COOKIE,
        "1",
        salt=_STICKY_SALT,
        max_age=settings.NEWSMAG_REPLICA_STICKY_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads where the request's context says (see the module docstring)."""

    def db_for_read(self, model, **hints):
        reads = _current.get()
        if reads is not None and reads.alias == REPLICA and replica_available():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        reads = _current.get()
        if reads is not None:
            # What a request wrote, it reads back from the primary for the rest of the request, and its
            # client for a few seconds more (note_write).
            reads.alias = DEFAULT_DB_ALIAS
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases are one database: an article read from the replica may be linked to a new comment.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
