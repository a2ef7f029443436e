"""`make bench`: a large newsroom, production settings under gunicorn, and a load test of public pages.

    python -m tests.bench [--articles 100000] [--comments 1000000] [--rounds 3] [--seconds 5] [--churn only]

Builds (once, then reuses) a database `newsmag_bench` beside the configured one, starts three gunicorn
servers with production settings, 2 sync workers each:
- cached: the full-page cache on, as readers get pages;
- uncached: the full-page cache off; fragment caches (page parts, kept until the content changes) on;
- cold: both off: every page runs all its queries and renders everything, as right after a change.
It loads home, section, article, tag, search, a live story's poll answer and a one-view floor with wrk (or a bundled Python load
generator), alternating targets, for several rounds. wrk asks for no compression, so the article is also
loaded as browsers and CDNs ask for it ("article-gz": gzip, compressed per request unless cached).
Prints a table of medians and writes bench-results.json.
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
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BENCH_DB = "newsmag_bench"
WORKERS = 2


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


def bench_env(database_url, *, page_cache=True, fragments=True):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        "DJANGO_DEBUG": "",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Production settings, plus the floor's URL (tests/bench/urls.py).
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "NEWSMAG_PAGE_CACHE_SECONDS": "600" if page_cache else "0",
        "NEWSMAG_FRAGMENT_CACHE_SECONDS": "600" if fragments else "0",
        "DJANGO_STATIC_ROOT": str(BASE_DIR / ".data" / "bench-static"),
    }
    if redis_available():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/3"
    return env


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


def prepare(database_url, name, articles, comments):
    """Create, migrate and fill the bench database unless it already holds that many articles."""
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
    run(["collectstatic", "--noinput", "-v", "0"], env)


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
    for _ in range(100):
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
        client.get(path)
    cold = len(queries)  # now: the next request empties the log that `queries` reads from
    settings.NEWSMAG_FRAGMENT_CACHE_SECONDS = 600
    client.get(path)  # fills the fragment caches, as the first request after a change does
    content_state()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    counts[name] = {"uncached": len(queries), "cold": cold, "status": status}
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


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--output", default="bench-results.json")
    parser.add_argument("--churn", choices=["yes", "no", "only"], default="yes", help="tests/bench/churn.py")
    parser.add_argument(
        "--database", default=BENCH_DB, help="kept between runs; use another name to compare sizes"
    )
    parser.add_argument("--churn-warm-seconds", type=int, default=600)
    options = parser.parse_args()
    options.churn_options = {"warm_seconds": options.churn_warm_seconds, "seconds": max(options.seconds, 20)}

    database_url = with_database(base_database_url(), options.database)
    prepare(database_url, options.database, options.articles, options.comments)
    env = bench_env(database_url)
    churn = None
    if options.churn != "no":  # random articles under one change a second (tests/bench/churn.py)
        from tests.bench.churn import run_churn

        churn = run_churn(
            env,
            python=PYTHON,
            base_dir=BASE_DIR,
            start_gunicorn=start_gunicorn,
            log=log,
            **options.churn_options,
        )
        if options.churn == "only":
            Path(options.output).write_text(
                json.dumps({"articles": options.articles, "churn": churn}, indent=2)
            )
            return
    paths = json.loads(django_output(PATHS_CODE, env).strip().splitlines()[-1])
    counts_output = django_output(QUERY_COUNT_CODE, {**env, "BENCH_PATHS": json.dumps(paths)})
    counts = json.loads(counts_output.split("COUNTS", 1)[1])
    load = load_wrk if shutil.which("wrk") else load_python
    servers = {"cached": (start_gunicorn(env, 8101), 8101)}
    servers["uncached"] = (start_gunicorn(bench_env(database_url, page_cache=False), 8102), 8102)
    cold_env = bench_env(database_url, page_cache=False, fragments=False)
    servers["cold"] = (start_gunicorn(cold_env, 8103), 8103)
    results = {}
    try:
        targets = {"floor": "/bench/floor/", **paths, "article-gz": paths["article"]}
        for round_number in range(1, options.rounds + 1):
            for name, path in targets.items():
                for mode, (_, port) in servers.items():
                    if name == "floor" and mode != "cached":
                        continue
                    url = f"http://127.0.0.1:{port}{path}"
                    urllib.request.urlopen(url).read()  # warm
                    # wrk asks for no compression; "article-gz" asks as browsers and CDNs do.
                    headers = {"Accept-Encoding": "gzip"} if name.endswith("-gz") else {}
                    result = load(url, options.seconds, options.connections, headers)
                    drain(port)
                    results.setdefault((name, mode), []).append(result)
                    log(f"round {round_number} {name:<8} {mode:<8} {result['rps']:>8.0f} req/s")
        weight = page_weight("http://127.0.0.1:8101", paths["article"])
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait()

    floor = statistics.median(r["rps"] for r in results[("floor", "cached")])
    rows = []
    for (name, mode), runs in results.items():
        rows.append(
            {
                "page": name,
                "mode": mode,
                "rps": round(statistics.median(r["rps"] for r in runs)),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
                "errors": sum(r["errors"] for r in runs),
                "queries": counts.get(name.removesuffix("-gz"), {}).get(mode) if mode != "cached" else None,
                "share_of_floor": round(statistics.median(r["rps"] for r in runs) / floor, 3),
            }
        )
    print(f"\n{'page':<11}{'mode':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'of floor':>10}")
    for row in rows:
        queries = "" if row["queries"] is None else row["queries"]
        print(
            f"{row['page']:<11}{row['mode']:<10}{row['rps']:>9}{row['p50_ms']:>9}{row['p99_ms']:>9}"
            f"{queries!s:>9}{row['share_of_floor']:>9.0%}"
        )
    print("queries: per request, besides the content-version read (once a second per process)")
    print(f"\narticle page weight (gzip): {weight}")
    report = {
        "articles": options.articles,
        "comments": options.comments,
        "rounds": options.rounds,
        "seconds": options.seconds,
        "connections": options.connections,
        "workers": WORKERS,
        "load_generator": load.__name__,
        "cache": "redis" if "REDIS_URL" in env else "locmem",
        "paths": paths,
        "results": rows,
        "page_weight_bytes": weight,
        "churn": churn,
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
