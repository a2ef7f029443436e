"""`make bench`: a large newsroom, production settings under gunicorn, and a load test of public pages.

    python -m tests.bench [--articles 100000] [--comments 1000000] [--baseline-articles 1000]
                          [--rounds 3] [--seconds 5] [--scenarios pages,search-latency] [--churn yes|no|only]

Builds (once, then reuses) a database `newsmag_bench` beside the configured one and a small baseline
database (`newsmag_bench_baseline`, 1,000 articles) to compare with, and starts gunicorn servers with
production settings, 2 sync workers each, for each database:
- cached: the full-page cache on, as readers get pages;
- uncached: the full-page cache off (NEWSMAG_PAGE_CACHE_SECONDS=0); page parts (fragments) kept;
- cold: both off: every page runs all its queries and renders everything, as right after a change;
and the floor: a `startproject`-like site (tests/bench/floor_settings.py: exactly startproject's
middleware) whose one view answers an HTML page as large as the home page, served by the same gunicorn
command. Figures are compared with the floor and with the baseline of the SAME run: the machine's load
changes between runs, so only figures of one run compare.

The scenarios (SCENARIOS, at the end) run in order: "pages" loads home, section, article, tag, search, a
live story's poll answer and the floors with wrk (or a bundled Python load generator), alternating
targets, for several rounds; "search-latency" asks the cold servers 40 different searches, one at a time.
Each prints its table; the targets met or missed follow, and everything goes to bench-results.json.
"""

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BENCH_DB = "newsmag_bench"
BASELINE_DB = "newsmag_bench_baseline"
WORKERS = 2
MODES = ("cached", "uncached", "cold")
PAGES = ("home", "section", "article", "tag", "search")
# Redis databases of the bench's page caches (when a Redis server answers): one per bench database, so
# that the two newsrooms never read each other's pages. Chosen away from the low numbers tests use.
REDIS_DATABASES = {"main": 13, "baseline": 14}
# The targets: a cached page answers at least this share of the floor's requests per second...
CACHED_SHARE_TARGET = 0.90
# ... a page built without the page cache (page parts kept) at least this share ...
UNCACHED_SHARE_TARGET = 0.25
UNCACHED_TARGET_PAGES = ("home", "article")
# ... every page of the large newsroom within this factor of its latency in the baseline ...
SCALE_FACTOR_TARGET = 1.5
# ... and a search, one at a time on a cold server, within this many milliseconds at the 99th percentile.
SEARCH_P99_TARGET_MS = 100


def log(message):
    print(message, file=sys.stderr, flush=True)


def base_database_url():
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    os.environ.setdefault("DJANGO_DEBUG", "1")
    sys.path.insert(0, str(BASE_DIR))
    from newsmag.embedded_db import database_settings

    db = database_settings(BASE_DIR / ".data")
    return f"postgres://{db['USER']}@/{db['NAME']}?host={db['HOST']}&port={db['PORT']}"


def with_database(url, name):
    """The same server URL with another database name."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(args, env, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, **kwargs)


def django_output(code, env):
    """Run Python code in `manage.py shell` and return what it printed (all lines)."""
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def bench_env(database_url, *, page_cache=True, fragments=True, redis_db=REDIS_DATABASES["main"]):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        "DJANGO_DEBUG": "",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Production settings, plus Newsmag's own trivial page (tests/bench/urls.py).
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "NEWSMAG_PAGE_CACHE_SECONDS": "600" if page_cache else "0",
        "NEWSMAG_FRAGMENT_CACHE_SECONDS": "600" if fragments else "0",
        "DJANGO_STATIC_ROOT": str(BASE_DIR / ".data" / "bench-static"),
    }
    if redis_available():
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
    return env


def floor_env(database_url, page_bytes):
    return {
        **bench_env(database_url),
        "DJANGO_SETTINGS_MODULE": "tests.bench.floor_settings",
        "NEWSMAG_BENCH_FLOOR_BYTES": str(page_bytes),
    }


def drain(port):
    """Wait until the server has answered everything the load generator left queued: a slow page's backlog
    would otherwise still be running during the next measurement. One request per worker, sent after the
    backlog, returns only once the backlog is done."""

    def ping():
        urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=300).read()

    pings = [threading.Thread(target=ping) for _ in range(WORKERS)]
    for thread in pings:
        thread.start()
    for thread in pings:
        thread.join()


def redis_available():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database_url, name, articles, comments):
    """Create, migrate and fill a bench database unless it already holds that many articles."""
    admin_url = with_database(database_url, "postgres")
    env = bench_env(database_url)
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    run(["migrate", "--noinput", "-v", "0"], env)
    run(["load_demo"], env, stdout=subprocess.DEVNULL)
    existing = int(django_output(COUNT_CODE, env).strip().splitlines()[-1])
    if existing < articles:
        log(f"Generating {articles - existing:,} articles and {comments:,} comments in {name} ...")
        run(["generate_content", "--articles", str(articles - existing), "--comments", str(comments)], env)
    run(["shell", "-c", THREAD_SQL], env)


COUNT_CODE = "from articles.models import Article; print(Article.objects.count())"

# The demo article gets 200 approved comments in threads, as the target page of the issue.
THREAD_SQL = """
from newsmag.demo.content import COMMENT_ARTICLE
from articles.models import Article
from comments.models import Comment
article = Article.objects.get(slug=COMMENT_ARTICLE)
have = Comment.objects.approved().filter(article=article).count()
parent = None
for n in range(max(0, 200 - have)):
    comment = Comment.objects.create(article=article, parent=parent if n % 3 else None, name=f"Bench {n}",
        email=f"bench{n}@example.com", body=f"Bench comment {n} on the night baker.", status="approved")
    parent = comment if n % 3 != 2 else None
"""


def start_gunicorn(env, port):
    """The same gunicorn command for every server, the floor's included."""
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "newsmag.wsgi",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def load_wrk(url, seconds, connections, headers):
    options = [f"--header={name}: {value}" for name, value in headers.items()]
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *options, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(percent):
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def load_python(url, seconds, connections, headers):
    """A small keep-alive load generator for machines without wrk."""
    host, port, path = re.match(r"http://([^:/]+):(\d+)(/.*)", url).groups()
    latencies, errors, stop = [], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status >= 400:
                errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50_ms": latencies[len(latencies) // 2],
        "p99_ms": latencies[int(len(latencies) * 0.99)],
        "errors": errors[0],
    }


QUERY_COUNT_CODE = """
import json, os
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from articles.caching import content_state
settings.NEWSMAG_PAGE_CACHE_SECONDS = 0
client = Client(SERVER_NAME="127.0.0.1")
counts = {}
paths = json.loads(os.environ["BENCH_PATHS"])
settings.NEWSMAG_FRAGMENT_CACHE_SECONDS = 0
for path in paths.values():
    client.get(path)  # what a process loads once and keeps (compiled templates, content types)
for name, path in paths.items():
    settings.NEWSMAG_FRAGMENT_CACHE_SECONDS = 0  # cold: every query a page needs
    content_state()  # read once a second per process, not per page: as tests/articles/test_query_counts.py
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    cold = len(queries)  # now: the next request empties the log that `queries` reads from
    settings.NEWSMAG_FRAGMENT_CACHE_SECONDS = 600
    client.get(path)  # fills the fragment caches, as the first request after a change does
    content_state()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    counts[name] = {"uncached": len(queries), "cold": cold, "status": status, "bytes": len(response.content)}
print("COUNTS" + json.dumps(counts))
"""


def page_weight(base, article_path):
    """The article page's HTML + CSS + JS, as transferred with gzip (bytes)."""

    def fetch(url):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            encoded = response.headers.get("Content-Encoding") == "gzip"
            return body if encoded else gzip.compress(body), gzip.decompress(body) if encoded else body

    sent, html = fetch(base + article_path)
    total = {"html": len(sent), "css": 0, "js": 0}
    for kind, pattern in (
        ("css", r'<link rel="stylesheet" href="([^"]+)"'),
        ("js", r'<script src="([^"]+)"'),
    ):
        for asset in re.findall(pattern, html.decode()):
            total[kind] += len(fetch(base + asset)[0])
    total["total"] = sum(total.values())
    return total


@dataclass
class Server:
    database: str  # "main", "baseline", or "floor" (the startproject floor)
    mode: str  # cached, uncached, cold; "floor" for the floor
    port: int
    process: subprocess.Popen


@dataclass
class Bench:
    """What a scenario gets: the servers, the pages' paths, the load generator and the options."""

    options: argparse.Namespace
    paths: dict
    counts: dict  # {database: {page: {"uncached": queries, "cold": queries, ...}}}
    servers: dict  # {(database, mode): Server}
    load: object  # load_wrk or load_python: (url, seconds, connections, headers) -> {"rps", "p50_ms", ...}
    databases: list = field(default_factory=list)  # "main", then "baseline" if there is one

    def url(self, database, mode, path):
        return f"http://127.0.0.1:{self.servers[database, mode].port}{path}"


def pages(bench):
    """Requests/s and latency of each page under load, in each mode and database, beside the floors."""
    options, paths = bench.options, bench.paths
    plan = [
        ("floor", "floor", "floor", "/bench/floor/"),
        ("newsmag-floor", "main", "cached", "/bench/floor/"),
    ]
    plan += [(page, db, mode, paths[page]) for page in PAGES for db in bench.databases for mode in MODES]
    plan += [("article-gz", "main", mode, paths["article"]) for mode in ("cached", "uncached")]
    plan.append(("live-poll", "main", "cached", paths["live-poll"]))  # the same answer in every mode
    results = {}
    for round_number in range(1, options.rounds + 1):
        for name, database, mode, path in plan:
            url = bench.url(database, mode, path)
            try:
                urllib.request.urlopen(url, timeout=120).read()  # warm
            except (urllib.error.URLError, TimeoutError) as error:  # measured all the same: errors show
                log(f"warming {name} {database} {mode}: {error}")
            # wrk asks for no compression; "article-gz" asks as browsers and CDNs do.
            headers = {"Accept-Encoding": "gzip"} if name.endswith("-gz") else {}
            result = bench.load(url, options.seconds, options.connections, headers)
            drain(bench.servers[database, mode].port)
            results.setdefault((name, database, mode), []).append(result)
            log(f"round {round_number} {name:<13} {database:<8} {mode:<8} {result['rps']:>8.0f} req/s")

    floor = statistics.median(r["rps"] for r in results["floor", "floor", "floor"])
    rows = []
    for (name, database, mode), runs in results.items():
        counts = bench.counts.get(database, {}).get(name.removesuffix("-gz"), {})
        rows.append(
            {
                "page": name,
                "database": database,
                "mode": mode,
                "rps": round(statistics.median(r["rps"] for r in runs)),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
                "errors": sum(r["errors"] for r in runs),
                "queries": counts.get(mode),
                "share_of_floor": round(statistics.median(r["rps"] for r in runs) / floor, 3),
            }
        )
    by_key = {(row["page"], row["database"], row["mode"]): row for row in rows}
    for row in rows:
        baseline = by_key.get((row["page"], "baseline", row["mode"]))
        if row["database"] == "main" and baseline and baseline["p50_ms"]:
            row["p50_vs_baseline"] = round(row["p50_ms"] / baseline["p50_ms"], 2)
    print(
        f"\n{'page':<14}{'database':<10}{'mode':<10}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'queries':>8}"
        f"{'of floor':>9}{'p50 x base':>11}"
    )
    for row in rows:
        queries = "" if row["queries"] is None else row["queries"]
        ratio = row.get("p50_vs_baseline", "")
        print(
            f"{row['page']:<14}{row['database']:<10}{row['mode']:<10}{row['rps']:>8}{row['p50_ms']:>9}"
            f"{row['p99_ms']:>9}{queries!s:>8}{row['share_of_floor']:>9.0%}{ratio!s:>11}"
        )
    print("floor: a startproject site's one view (same gunicorn); newsmag-floor: a trivial view behind")
    print("Newsmag's middleware. queries: per request, besides the content-version read (once a second).")
    weight = page_weight(bench.url("main", "cached", ""), paths["article"])
    print(f"article page weight (gzip): {weight}")
    return {"pages": rows, "floor_rps": round(floor), "page_weight_bytes": weight}


# Searches a reader might type: two words, one word, a phrase, an exclusion; none kept between requests
# (the cold servers keep nothing), each asked twice.
SEARCHES = [
    "harbour bakery", "council budget", "ferry", "election climate", "river school", "hospital market",
    "festival museum", "railway bridge", "housing energy", "water farmers", "research library",
    "storm tourism", "workers union", "court mayor", "students science", "bread coffee", "night shift",
    "city region", "minister village", "forest glacier", "port prices", '"night shift"', "bakery -bread",
    "glacier or forest", "topic 7", "harbour", "baker", "bridge workers", "energy prices", "museum night",
]  # fmt: skip


def search_latency(bench):
    """Searches one at a time on the cold servers: each request's own time, with no queue in front."""
    samples = {database: [] for database in bench.databases}
    for _ in range(2):
        for text in SEARCHES:
            for database in bench.databases:
                query = urllib.parse.urlencode({"q": text})
                url = bench.url(database, "cold", f"/search/?{query}")
                started = time.perf_counter()
                urllib.request.urlopen(url).read()
                samples[database].append((time.perf_counter() - started) * 1000)
    summary = {}
    print(f"\n{'search, one at a time, cold':<30}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for database, times in samples.items():
        times.sort()
        summary[database] = {
            "requests": len(times),
            "p50_ms": round(times[len(times) // 2], 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
            "max_ms": round(times[-1], 1),
        }
        row = summary[database]
        print(f"{database:<30}{row['p50_ms']:>9}{row['p99_ms']:>9}{row['max_ms']:>9}")
    return {"search_latency": summary}


# The scenarios `make bench` runs, in this order (`--scenarios` picks some). Each takes the Bench and
# returns what it adds to bench-results.json. A new scenario goes in its own module and one line here.
SCENARIOS = {
    "pages": pages,
    "search-latency": search_latency,
}


def targets(report):
    """Each target of the benchmark, its figure and whether it was met."""
    checks = []

    def check(target, measured, met):
        checks.append({"target": target, "measured": measured, "met": met})

    rows = {(row["page"], row["database"], row["mode"]): row for row in report.get("pages", [])}
    for page in PAGES:
        if row := rows.get((page, "main", "cached")):
            share = row["share_of_floor"]
            check(
                f"{page} cached >= {CACHED_SHARE_TARGET:.0%} of floor",
                f"{share:.0%}",
                share >= CACHED_SHARE_TARGET,
            )
    for page in UNCACHED_TARGET_PAGES:
        if row := rows.get((page, "main", "uncached")):
            share = row["share_of_floor"]
            target = f"{page} uncached >= {UNCACHED_SHARE_TARGET:.0%} of floor"
            check(target, f"{share:.0%}", share >= UNCACHED_SHARE_TARGET)
    for (page, _, mode), row in rows.items():
        if ratio := row.get("p50_vs_baseline"):
            check(
                f"{page} {mode} p50 <= {SCALE_FACTOR_TARGET}x baseline",
                f"{ratio}x",
                ratio <= SCALE_FACTOR_TARGET,
            )
    if search := report.get("search_latency", {}).get("main"):
        target = f"search p99 < {SEARCH_P99_TARGET_MS} ms (cold, one at a time)"
        check(target, f"{search['p99_ms']} ms", search["p99_ms"] < SEARCH_P99_TARGET_MS)
    if churn := report.get("churn"):
        target = "random articles under one change a second >= 50% of their quiet rate"
        check(target, f"{churn['ratio']:.0%} of {churn['quiet_rps']} req/s", churn["meets_floor"])
    return checks


def machine():
    import platform

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.node()}: {os.cpu_count()} CPUs, {memory:.0f} GB, {platform.platform(terse=True)}"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--baseline-articles", type=int, default=1_000, help="0: no baseline")
    parser.add_argument("--baseline-comments", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"of {', '.join(SCENARIOS)}")
    parser.add_argument("--output", default="bench-results.json")
    parser.add_argument("--prepare-only", action="store_true", help="build the databases, measure nothing")
    parser.add_argument(
        "--database", default=BENCH_DB, help="kept between runs; use another name to compare sizes"
    )
    parser.add_argument("--baseline-database", default=BASELINE_DB)
    parser.add_argument("--churn", choices=["yes", "no", "only"], default="yes", help="tests/bench/churn.py")
    parser.add_argument("--churn-warm-seconds", type=int, default=600)
    options = parser.parse_args()
    scenarios = [SCENARIOS[name] for name in options.scenarios.split(",") if name]

    base_url = base_database_url()
    urls = {"main": with_database(base_url, options.database)}
    prepare(urls["main"], options.database, options.articles, options.comments)
    if options.baseline_articles:
        urls["baseline"] = with_database(base_url, options.baseline_database)
        prepare(
            urls["baseline"], options.baseline_database, options.baseline_articles, options.baseline_comments
        )
    env = bench_env(urls["main"])
    run(["collectstatic", "--noinput", "-v", "0"], env)
    if options.prepare_only:
        return
    churn = None
    if options.churn != "no":  # random articles under one change a second (tests/bench/churn.py)
        from tests.bench.churn import run_churn

        churn = run_churn(
            env,
            python=PYTHON,
            base_dir=BASE_DIR,
            start_gunicorn=start_gunicorn,
            log=log,
            warm_seconds=options.churn_warm_seconds,
            seconds=max(options.seconds, 20),
        )
        if options.churn == "only":
            Path(options.output).write_text(
                json.dumps({"articles": options.articles, "churn": churn}, indent=2)
            )
            return
    paths = json.loads(django_output(PATHS_CODE, env).strip().splitlines()[-1])
    counts = {}
    for database, url in urls.items():
        output = django_output(QUERY_COUNT_CODE, {**bench_env(url), "BENCH_PATHS": json.dumps(paths)})
        counts[database] = json.loads(output.split("COUNTS", 1)[1])
    load_before = os.getloadavg()
    servers = {}
    try:
        port = free_port()
        servers["floor", "floor"] = Server(
            "floor",
            "floor",
            port,
            start_gunicorn(floor_env(urls["main"], counts["main"]["home"]["bytes"]), port),
        )
        for database, url in urls.items():
            for mode in MODES:
                port = free_port()
                mode_env = bench_env(
                    url,
                    page_cache=mode == "cached",
                    fragments=mode != "cold",
                    redis_db=REDIS_DATABASES[database],
                )
                servers[database, mode] = Server(database, mode, port, start_gunicorn(mode_env, port))
        bench = Bench(
            options, paths, counts, servers, load_wrk if shutil.which("wrk") else load_python, list(urls)
        )
        report = {}
        for scenario in scenarios:
            report.update(scenario(bench))
    finally:
        for server in servers.values():
            server.process.terminate()
            server.process.wait()
    load_after = os.getloadavg()
    checks = targets({**report, "churn": churn})
    print("\ntargets (figures of this run only):")
    for check in checks:
        print(f"  {'met   ' if check['met'] else 'MISSED'} {check['target']}: {check['measured']}")
    print(f"load average (1, 5, 15 min) before: {load_before}, after: {load_after}; {machine()}")
    report = {
        "articles": options.articles,
        "comments": options.comments,
        "baseline_articles": options.baseline_articles,
        "baseline_comments": options.baseline_comments,
        "rounds": options.rounds,
        "seconds": options.seconds,
        "connections": options.connections,
        "workers": WORKERS,
        "load_generator": bench.load.__name__,
        "cache": "redis" if "REDIS_URL" in env else "locmem",
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "paths": paths,
        "queries": counts,
        **report,
        "churn": churn,
        "targets": checks,
    }
    Path(options.output).write_text(json.dumps(report, indent=2))
    print(f"written to {options.output}")


PATHS_CODE = """
import json
from newsmag.demo.content import COMMENT_ARTICLE
from articles.models import Article, Section
from taggit.models import Tag
from newsmag.demo.live import LIVE_STORY
article = Article.objects.get(slug=COMMENT_ARTICLE)
section = Section.objects.order_by("position").first()
tag = Tag.objects.filter(slug__startswith="topic-").first() or Tag.objects.first()
live = Article.objects.get(slug=LIVE_STORY["slug"])
print(json.dumps({"home": "/", "section": section.get_absolute_url(), "article": article.get_absolute_url(),
                  "tag": f"/tag/{tag.slug}/", "search": "/search/?q=harbour+bakery",
                  "live-poll": f"/live/{live.pk}/updates/"}))
"""


if __name__ == "__main__":
    main()
