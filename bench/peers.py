#!/usr/bin/env python3
"""The peer side of the rankaudit benchmark, one task per process (bench/run times each
process with /usr/bin/time -v for wall time and peak memory).

Tasks (each prints one JSON line with its own phase timings on stdout):

  polars-read FOLLOWS                       read the edge list (the floor for any loader)
  igraph      FOLLOWS OUT TOL               load + PageRank (PRPACK), scores to OUT
  networkit   FOLLOWS OUT TOL               load + PageRank at our tolerance, scores to OUT
  networkx    FOLLOWS OUT TOL               load + PageRank (same stopping rule as ours)
  check-pagerank OURS PEER... [--tol T]     L1 distance and top-100 agreement
  check-rule  DIR RANKINGS_CSV              re-implement the follow-seeds rule, compare

Every peer reads the same follows.csv that rankaudit reads (`follower,followee`, integer
ids, one header line) with polars, and ranks the nodes that appear in it (as rankaudit's
quick mode does when no accounts table is given), so node sets agree.

Tolerance mapping. rankaudit (= networkx) stops when ||x' - x||_1 < n * tol. NetworKit
11 stops when the chosen norm of x' - x is <= its tol; with Norm.L1_NORM and
tol_nk = n * tol it is the same rule. Both distribute dangling mass uniformly
(NetworKit: SinkHandling.DistributeSinks). igraph's PRPACK solver has no tolerance
parameter (it solves to ~1e-10 internally); its answer is compared at the same bound.
"""

import json
import sys
import time

import numpy as np
import polars as pl


def read_edges(path):
    t = time.perf_counter()
    df = pl.read_csv(path, schema={"follower": pl.Int64, "followee": pl.Int64})
    src = df["follower"].to_numpy()
    dst = df["followee"].to_numpy()
    return src, dst, time.perf_counter() - t


def compact(src, dst):
    """Dense node numbers 0..n-1 for the ids that occur; returns (ids, src, dst)."""
    ids, inv = np.unique(np.concatenate([src, dst]), return_inverse=True)
    m = len(src)
    return ids, inv[:m].astype(np.int64), inv[m:].astype(np.int64)


def write_scores(out, ids, scores):
    pl.DataFrame({"account": ids, "score": np.asarray(scores, dtype=np.float64)}).write_csv(out)


def emit(**kw):
    print(json.dumps(kw), flush=True)


def task_polars_read(path):
    t = time.perf_counter()
    df = pl.read_csv(path)
    emit(task="polars-read", rows=df.height, read_s=time.perf_counter() - t)


def task_igraph(path, out, tol):
    import igraph as ig

    t0 = time.perf_counter()
    src, dst, _ = read_edges(path)
    ids, s, d = compact(src, dst)
    # A list of Python pairs is igraph's fastest documented edge input.
    g = ig.Graph(n=len(ids), edges=list(zip(s.tolist(), d.tolist())), directed=True)
    t1 = time.perf_counter()
    pr = g.pagerank(damping=0.85, directed=True, implementation="prpack")
    t2 = time.perf_counter()
    write_scores(out, ids, pr)
    emit(task="igraph", nodes=g.vcount(), edges=g.ecount(), load_s=t1 - t0, pagerank_s=t2 - t1)


def task_networkit(path, out, tol):
    import networkit as nk

    t0 = time.perf_counter()
    src, dst, _ = read_edges(path)
    ids, s, d = compact(src, dst)
    g = nk.Graph(len(ids), directed=True)
    g.addEdges((s.astype(np.uint64), d.astype(np.uint64)))
    t1 = time.perf_counter()
    n = g.numberOfNodes()
    pr = nk.centrality.PageRank(
        g, damp=0.85, tol=n * tol, distributeSinks=nk.centrality.SinkHandling.DistributeSinks
    )
    pr.norm = nk.centrality.Norm.L1_NORM
    pr.maxIterations = 1000
    pr.run()
    t2 = time.perf_counter()
    write_scores(out, ids, pr.scores())
    emit(
        task="networkit",
        nodes=n,
        edges=g.numberOfEdges(),
        iterations=pr.numberOfIterations(),
        load_s=t1 - t0,
        pagerank_s=t2 - t1,
    )


def task_networkx(path, out, tol):
    import networkx as nx

    t0 = time.perf_counter()
    src, dst, _ = read_edges(path)
    g = nx.DiGraph()
    g.add_edges_from(zip(src.tolist(), dst.tolist()))
    t1 = time.perf_counter()
    pr = nx.pagerank(g, alpha=0.85, tol=tol, max_iter=1000)
    t2 = time.perf_counter()
    ids = np.fromiter(pr.keys(), dtype=np.int64, count=len(pr))
    write_scores(out, ids, np.fromiter(pr.values(), dtype=np.float64, count=len(pr)))
    emit(task="networkx", nodes=g.number_of_nodes(), edges=g.number_of_edges(), load_s=t1 - t0, pagerank_s=t2 - t1)


def load_scores(path):
    df = pl.read_csv(path, schema_overrides={"account": pl.Int64})
    return df.select("account", "score").sort("account")


def top_k(df, k):
    # Highest score first, ties by id (rankaudit's tie order in its output).
    return df.sort(["score", "account"], descending=[True, False]).head(k)


def task_check_pagerank(ours_path, peers, tol, n_hint=None):
    ours = load_scores(ours_path)
    n = ours.height
    alpha = 0.85
    # Each solver stops within n*tol (L1) of its previous iterate; its distance to the
    # fixed point is then at most n*tol*alpha/(1-alpha). Two solvers: twice that.
    bound = 2 * n * tol * alpha / (1 - alpha)
    rows = []
    for name, path in peers:
        peer = load_scores(path)
        if peer.height != n or not (peer["account"] == ours["account"]).all():
            rows.append(dict(peer=name, ok=False, why=f"node sets differ: {n} vs {peer.height}"))
            continue
        a = ours["score"].to_numpy()
        b = peer["score"].to_numpy()
        l1 = float(np.abs(a - b).sum())
        to = top_k(ours, 100)
        tp = top_k(peer, 100)
        same_set = set(to["account"]) == set(tp["account"])
        same_order = to["account"].to_list() == tp["account"].to_list()
        # Where the orders differ: are those accounts' scores closer than the bound
        # (near-ties any converged solver may order either way)?
        diff_pos = [i for i, (x, y) in enumerate(zip(to["account"], tp["account"])) if x != y]
        sc = to["score"].to_numpy()
        gaps = [float(abs(sc[i] - sc[i + 1])) for i in range(len(sc) - 1)]
        min_gap = min(gaps) if gaps else 0.0
        rows.append(
            dict(
                peer=name,
                nodes=n,
                l1=l1,
                bound=bound,
                l1_ok=l1 <= bound,
                top100_same_set=same_set,
                top100_same_order=same_order,
                top100_positions_differing=diff_pos[:10],
                top100_min_adjacent_gap=min_gap,
                ok=bool(l1 <= bound and same_set and (same_order or min_gap < bound)),
            )
        )
    for r in rows:
        emit(task="check-pagerank", **r)
    return all(r["ok"] for r in rows)


def read_list(path):
    out = []
    for line in open(path):
        s = line.split("#", 1)[0].strip().lstrip("@")
        if s:
            out.append(int(s))
    return out


def task_check_rule(data_dir, rankings_csv, ranking="published", k=5):
    """follow-seeds, min_follows k, lexicographic by followers then statuses, competition
    ranks; compared account by account with rankaudit's table."""
    seeds = read_list(f"{data_dir}/seeds.txt")
    f = pl.read_csv(f"{data_dir}/follows.csv", schema={"follower": pl.Int64, "followee": pl.Int64})
    q = (
        f.filter(pl.col("followee").is_in(seeds))
        .unique()
        .group_by("follower")
        .len()
        .filter(pl.col("len") >= k)
        .rename({"follower": "account"})
    )
    acc = pl.read_csv(f"{data_dir}/accounts.csv", schema_overrides={"account": pl.Int64})
    q = q.join(acc, on="account").select("account", "followers", "statuses")
    # Competition rank: 1 + the number of qualifiers strictly ahead.
    q = q.sort(["followers", "statuses", "account"], descending=[True, True, False])
    keys = list(zip(q["followers"].to_list(), q["statuses"].to_list()))
    ranks = []
    for i, key in enumerate(keys):
        ranks.append(ranks[-1] if i and keys[i - 1] == key else i + 1)
    want = dict(zip(q["account"].to_list(), ranks))
    r = pl.read_csv(rankings_csv, infer_schema_length=0).filter(pl.col("ranking") == ranking)
    got = dict(zip((int(a) for a in r["account"]), (int(x) for x in r["rank"])))
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    wrong = sorted(a for a in set(want) & set(got) if want[a] != got[a])
    ok = not missing and not extra and not wrong
    emit(
        task="check-rule",
        qualifiers_python=len(want),
        qualifiers_rankaudit=len(got),
        missing=missing[:10],
        extra=extra[:10],
        rank_differs=wrong[:10],
        ok=ok,
    )
    return ok


def main(argv):
    task = argv[1]
    if task == "polars-read":
        task_polars_read(argv[2])
    elif task in ("igraph", "networkit", "networkx"):
        {"igraph": task_igraph, "networkit": task_networkit, "networkx": task_networkx}[task](
            argv[2], argv[3], float(argv[4])
        )
    elif task == "check-pagerank":
        tol = float(argv[2])
        ours = argv[3]
        peers = [tuple(p.split("=", 1)) for p in argv[4:]]
        return 0 if task_check_pagerank(ours, peers, tol) else 1
    elif task == "check-rule":
        return 0 if task_check_rule(argv[2], argv[3]) else 1
    else:
        sys.exit(f"unknown task {task}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
