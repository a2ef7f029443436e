"""Random articles under churn: the page cache keeps serving the long tail while the newsroom works.

    python -m tests.bench --churn [--articles 10000]    (also part of `make bench`)

One gunicorn server with production settings (page cache and fragments on) serves random published
articles among up to CHURN_ARTICLES. After each of them has been loaded once (warm; at most
`warm_seconds`, the load then asks for those it loaded), the load runs
twice for the same time: without changes, then with one change a second (alternately a headline edit and a
comment approval, on random stories, through the ORM as the admin does: `watch()` retires what shows them).
The requirement: under churn, at least CHURN_FLOOR of the quiet rate.
"""

import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

CHURN_ARTICLES = 10_000
CHURN_FLOOR = 0.5

PATHS_CODE = """
import json
from articles.models import Article
rows = Article.objects.published().select_related("section").only("slug", "section__slug").order_by("?")
print("PATHS" + json.dumps([article.get_absolute_url() for article in rows[:%d]]))
"""

# One change a second for `seconds`: a headline edit, then a comment approval, on random stories.
CHANGES_CODE = """
import random, sys, time
from articles.models import Article
from comments import moderation
from comments.models import Comment
ids = list(Article.objects.published().values_list("pk", flat=True))
end, n = time.monotonic() + %f, 0
while time.monotonic() < end:
    started = time.monotonic()
    article = Article.objects.get(pk=random.choice(ids))
    if n %% 2:
        comment = Comment.objects.create(article=article, name="Churn", email="churn@example.com",
                                         body=f"Churn comment {n}", status=Comment.Status.PENDING)
        moderation.approve([comment], moderator=None)
    else:
        article.headline = f"{article.headline.split(' [')[0]} [{n}]"
        article.save()
    n += 1
    time.sleep(max(0, 1 - (time.monotonic() - started)))
print("CHANGES", n)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_random(port, paths, seconds, connections):
    """Requests for random paths among `paths` for `seconds`: requests per second and error count."""
    if shutil.which("wrk"):
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write("paths = " + json.dumps(paths).replace("[", "{").replace("]", "}") + "\n")
            script.write(
                "init = function(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end\n"
                'request = function() return wrk.format("GET", paths[math.random(#paths)]) end\n'
            )
        try:
            output = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "-s",
                    script.name,
                    f"http://127.0.0.1:{port}",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            os.unlink(script.name)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), int(
            errors.group(1)
        ) if errors else 0
    import http.client

    done, errors, stop, lock = [0], [0], time.monotonic() + seconds, threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        count = failed = 0
        while time.monotonic() < stop:
            conn.request("GET", random.choice(paths))
            response = conn.getresponse()
            response.read()
            count += 1
            failed += response.status >= 400
        with lock:
            done[0] += count
            errors[0] += failed

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / seconds, errors[0]


def warm(port, paths, seconds, threads=2):
    """Load each path once (kept from then on, until what it shows changes), for at most `seconds`: the
    paths loaded. Every article is built cold once: ~65 ms of work each, minutes for 10,000 on a busy
    machine, so the budget bounds it and the load then asks for the paths it loaded."""
    queue, loaded = list(paths), []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120).read()
            with lock:
                loaded.append(path)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return loaded


def run_churn(env, *, python, base_dir, start_gunicorn, articles=CHURN_ARTICLES, seconds=20, rounds=2,
              connections=16, warm_seconds=600, log=print):  # fmt: skip
    """The churn scenario against the bench database of `env`; returns its figures (req/s, ratio)."""
    output = subprocess.run(
        [python, "manage.py", "shell", "-c", PATHS_CODE % articles],
        cwd=base_dir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    paths = json.loads(output.split("PATHS", 1)[1])
    port = free_port()
    server = start_gunicorn(env, port)
    quiet, churned, changes, errors = [], [], 0, 0
    try:
        started = time.monotonic()
        paths = warm(port, paths, warm_seconds)
        log(f"churn: {len(paths):,} articles loaded once in {time.monotonic() - started:.0f} s")
        for round_number in range(1, rounds + 1):
            rps, failed = load_random(port, paths, seconds, connections)
            quiet.append(rps)
            errors += failed
            changer = subprocess.Popen(
                [python, "manage.py", "shell", "-c", CHANGES_CODE % (seconds + 1)],
                cwd=base_dir,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            time.sleep(1)  # the first change lands as the load starts
            rps, failed = load_random(port, paths, seconds, connections)
            churned.append(rps)
            errors += failed
            out, _ = changer.communicate(timeout=120)
            changes += int(out.split("CHANGES", 1)[1]) if "CHANGES" in out else 0
            log(
                f"round {round_number} churn    quiet {quiet[-1]:>7.0f} req/s   one change/s {churned[-1]:>7.0f} req/s"
            )
    finally:
        server.terminate()
        server.wait()
    result = {
        "articles": len(paths),  # asked for at random: those loaded within the warm-up budget
        "seconds": seconds,
        "rounds": rounds,
        "changes": changes,
        "errors": errors,
        "quiet_rps": round(statistics.median(quiet)),
        "churn_rps": round(statistics.median(churned)),
    }
    result["ratio"] = round(result["churn_rps"] / result["quiet_rps"], 3) if result["quiet_rps"] else 0
    result["meets_floor"] = result["ratio"] >= CHURN_FLOOR
    print(
        f"\nrandom articles among {result['articles']:,}: {result['quiet_rps']} req/s quiet, "
        f"{result['churn_rps']} req/s under one change a second ({result['ratio']:.0%}; at least "
        f"{CHURN_FLOOR:.0%} required: {'met' if result['meets_floor'] else 'NOT MET'})"
    )
    return result


if __name__ == "__main__":
    sys.exit("run it through the bench: python -m tests.bench --churn only")
