#!/usr/bin/env python3
"""The twarc2 import benchmark (issue #12): JSON-lines throughput of rankaudit's twarc2
importer against a plain line-by-line parse, in the same run.

    python3 bench/twarc2.py                 # ~200 MB flattened + ~200 MB raw, generated once
    python3 bench/twarc2.py --mb 50         # smaller files
    python3 bench/twarc2.py --repeat 3      # keep the fastest of 3 runs of each task

Needs only Python 3 (stdlib `json`) and cargo. Inputs go to bench/data/twarc2/ (git-ignored,
kept between runs); the Markdown table goes to stdout. See bench/README.md.

Tasks, on the same file, each a fresh process except Python's parse (timed in-process):
- rankaudit interactions: `rankaudit rank --interactions F --format twarc2 --graph
  interactions --method in-degree --timings`, the load phase (one pass: parse, rows,
  policies, id mapping);
- rankaudit accounts + interactions: the same with `--accounts F` (two passes: the
  accounts aggregated by id, then the interactions), with all cores and with --threads 1;
- serde_json Value / IgnoredAny: `examples/jsonl_baseline.rs`, one thread, every line
  parsed into a `serde_json::Value` (what a script does) or only validated (the floor);
- Python json.loads: every line, one thread (`json.loads` only, no table built).
MB/s is the file's size (decompressed bytes) over the task's wall time (rankaudit: its
load phase, from --timings; the baselines: their parse loop). "CPU s" is the whole
process's user + system time (rankaudit's includes start-up, the ranking, writing and
hashing the input for the manifest): on a shared machine it says what the wall time
cannot. Peak RSS is the process's maximum resident memory (none for Python's in-process
parse).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def user(u, page):
    return {
        "id": str(1_500_000_000_000_000_000 + u),
        "username": f"user_{u}",
        "name": f"User \u00e9 {u}",
        "created_at": "2012-05-01T08:00:00.000Z",
        "description": "Counting things, auditing rankings and writing about both. " * 2,
        "location": "Somewhere",
        "pinned_tweet_id": str(1_630_000_000_000_000_000 + u),
        "protected": False,
        "verified": u % 7 == 0,
        "verified_type": "blue" if u % 7 == 0 else "none",
        "public_metrics": {
            "followers_count": 100 + u + page,
            "following_count": 50 + u,
            "tweet_count": 1000 + page,
            "listed_count": u % 13,
        },
        "profile_image_url": "https://pbs.twimg.com/profile_images/0000000000/example_normal.jpg",
        "url": "https://t.co/xxxxxxxxxx",
        "entities": {"url": {"urls": [{"start": 0, "end": 23, "url": "https://t.co/xxxxxxxxxx",
                                       "expanded_url": "https://example.org", "display_url": "example.org"}]}},
    }


def tweet(k, users, page, flat, twarc):
    a, other = k % users, (k + 1 + k % 4) % users
    uid = lambda u: str(1_500_000_000_000_000_000 + u)  # noqa: E731
    t = {
        "id": str(1_640_000_000_000_000_000 + k),
        "author_id": uid(a),
        "created_at": f"2023-03-01T{k // 3600 % 24:02}:{k // 60 % 60:02}:{k % 60:02}.000Z",
        "text": f"tweet {k}: who audits the rankings? The league table is out and it is arbitrary. https://t.co/xxxxxxxxxx",
        "conversation_id": str(1_640_000_000_000_000_000 + k),
        "edit_history_tweet_ids": [str(1_640_000_000_000_000_000 + k)],
        "lang": "en",
        "possibly_sensitive": False,
        "reply_settings": "everyone",
        "source": "Twitter Web App",
        "public_metrics": {"retweet_count": k % 5, "reply_count": k % 3, "like_count": k % 11,
                           "quote_count": 0, "impression_count": 100 + k % 1000},
        "context_annotations": [{"domain": {"id": "46", "name": "Business Taxonomy",
                                            "description": "Categories within Brand Verticals"},
                                 "entity": {"id": "1557696940178935808", "name": "Gaming Business",
                                            "description": "Brands, companies, advertisers"}}],
        "entities": {
            "urls": [{"start": 86, "end": 109, "url": "https://t.co/xxxxxxxxxx",
                      "expanded_url": "https://example.org/league-table-2023",
                      "display_url": "example.org/league-table…"}],
            "hashtags": [{"start": 0, "end": 6, "tag": "audit"}],
        },
    }
    mention = {"start": 0, "end": 12, "username": f"user_{other}", "id": uid(other)}
    if flat:
        mention = {**mention, **user(other, page)}
    kind = k % 4
    if kind != 3:
        t["entities"]["mentions"] = [mention]
    if kind:
        ref = {"type": ["retweeted", "replied_to", "quoted"][kind - 1], "id": str(1_630_000_000_000_000_000 + k)}
        if flat:
            ref.update({"author_id": uid(other), "created_at": "2023-02-28T18:00:00.000Z",
                        "text": "Breaking: the league table is out.", "lang": "en",
                        "author": user(other, page)})
        t["referenced_tweets"] = [ref]
        if kind == 2:
            t["in_reply_to_user_id"] = uid(other)
            if flat:
                t["in_reply_to_user"] = user(other, page)
    if flat:
        t["author"] = user(a, page)
        t["__twarc"] = twarc
    return t


def generate(path, flat, target_bytes, users=5000):
    """Pages of 100 tweets until the file holds `target_bytes`."""
    k = page = 0
    size = 0
    with open(path, "w") as f:
        while size < target_bytes:
            twarc = {"url": "https://api.twitter.com/2/tweets/search/all?query=rankings&max_results=100",
                     "version": "2.14.1",
                     "retrieved_at": f"2023-03-02T{page // 3600 % 24:02}:{page // 60 % 60:02}:{page % 60:02}+00:00"}
            ks = range(k, k + 100)
            if flat:
                for j in ks:
                    line = json.dumps(tweet(j, users, page, True, twarc)) + "\n"
                    f.write(line)
                    size += len(line.encode())
            else:
                people, seen = [], set()
                for j in ks:
                    for u in (j % users, (j + 1 + j % 4) % users):
                        if u not in seen:
                            seen.add(u)
                            people.append(user(u, page))
                included = [{"id": str(1_630_000_000_000_000_000 + j),
                             "author_id": str(1_500_000_000_000_000_000 + (j + 1 + j % 4) % users),
                             "created_at": "2023-02-28T18:00:00.000Z", "text": "Breaking: the league table is out."}
                            for j in ks if j % 4]
                pg = {"data": [tweet(j, users, page, False, None) for j in ks],
                      "includes": {"users": people, "tweets": included},
                      "meta": {"result_count": 100, "newest_id": "1", "oldest_id": "2", "next_token": "x"},
                      "__twarc": twarc}
                line = json.dumps(pg) + "\n"
                f.write(line)
                size += len(line.encode())
            k += 100
            page += 1
    return k


def run(cmd):
    """(wall seconds, CPU seconds user + sys, peak RSS in MB, stdout) of one process."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode:
            sys.exit(f"bench: {' '.join(cmd)} failed:\n{err.read()}")
        return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, out.read()


def best(n, f):
    return min((f() for _ in range(n)), key=lambda r: r[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=int, default=200, help="size of each generated file (MB)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--data", default=str(HERE / "data" / "twarc2"))
    args = ap.parse_args()
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    print("bench: building rankaudit and the serde_json baseline", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "rankaudit",
                    "--example", "jsonl_baseline"], check=True, cwd=REPO)
    bin_ = REPO / "target" / "release" / "rankaudit"
    base = REPO / "target" / "release" / "examples" / "jsonl_baseline"
    rows = []
    for shape in ["flat", "raw"]:
        path = data / f"{shape}-{args.mb}mb.jsonl"
        if not path.exists():
            print(f"bench: generating {path}", file=sys.stderr)
            generate(path, shape == "flat", args.mb * 1_000_000)
        mb = path.stat().st_size / 1e6
        out = tempfile.mkdtemp()

        def rank(accounts, threads=None):
            cmd = [str(bin_), "--quiet"] + (["--threads", str(threads)] if threads else [])
            cmd += ["rank", "--interactions", str(path), "--format", "twarc2", "--graph", "interactions",
                    "--method", "in-degree", "--timings", "--out", out]
            if accounts:
                cmd += ["--accounts", str(path)]
            def task():
                _, cpu, rss, out = run(cmd)
                return json.loads(out.strip().splitlines()[-1])["load_s"], cpu, rss
            return task

        def baseline(mode):
            def task():
                _, cpu, rss, out = run([str(base), str(path), mode])
                return json.loads(out)["seconds"], cpu, rss
            return task

        def python():
            t, c = time.perf_counter(), time.process_time()
            with open(path, "rb") as f:
                for line in f:
                    json.loads(line)
            return time.perf_counter() - t, time.process_time() - c, None

        tasks = [
            ("rankaudit twarc2: interactions (1 pass), 2 threads", rank(False)),
            ("rankaudit twarc2: accounts + interactions (2 passes), 2 threads", rank(True)),
            ("rankaudit twarc2: accounts + interactions (2 passes), 1 thread", rank(True, 1)),
            ("serde_json::Value per line, 1 thread", baseline("value")),
            ("serde_json IgnoredAny per line (validate only), 1 thread", baseline("ignored")),
            ("Python json.loads per line, 1 thread", python),
        ]
        for name, f in tasks:
            print(f"bench: {shape}: {name}", file=sys.stderr)
            s, cpu, rss = best(args.repeat, f)
            rows.append((shape, mb, name, s, cpu, rss))
    load = os.getloadavg()
    print(f"\n2 cores; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end; "
          f"best of {args.repeat}\n")
    print("| file | task | seconds | MB/s | CPU s (process) | MB per CPU s | peak RSS MB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for shape, mb, name, s, cpu, rss in rows:
        rss = "–" if rss is None else f"{rss:.0f}"
        print(f"| {shape} ({mb:.0f} MB) | {name} | {s:.2f} | {mb / s:.0f} | {cpu:.2f} | {mb / cpu:.0f} | {rss} |")


if __name__ == "__main__":
    main()
