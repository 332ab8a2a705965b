#!/usr/bin/env python3
"""Turn one bench/run folder (bench/runs/<stamp>/<size>/...) into a Markdown report.

Times: the comparisons use in-process phases on both sides: the peers' time.perf_counter
around loading and around PageRank (leaving out Python start-up, imports and writing the
scores), rankaudit's `rank --timings` (load = reading + row policies + id map, graphs =
CSR build, rank = the method + competition ranks). The full audit has no peer phase to
match: it is rankaudit's whole-process wall time against NetworKit's load + PageRank
phases, which leans against rankaudit. Process wall times are shown too. Peak memory is
every process's peak RSS from /usr/bin/time -v (a Python peer's includes the interpreter).
"""

import json
import os
import platform
import subprocess
import sys
from importlib import metadata

SIZES = {"1.5m": 0, "15m": 1, "150m": 2}


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine(repo, runs):
    cpu = ""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
    mem = ""
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    osname = platform.platform()
    try:
        for line in open("/etc/os-release"):
            if line.startswith("PRETTY_NAME="):
                osname = line.split("=", 1)[1].strip().strip('"') + f" (kernel {platform.release()})"
    except OSError:
        pass
    cp = os.path.join(runs, "commit")
    if os.path.exists(cp):
        commit, dirty = open(cp).read().strip(), " (when built)"
    else:
        commit = sh("git", "-C", repo, "rev-parse", "--short", "HEAD")
        dirty = " + uncommitted changes" if sh("git", "-C", repo, "status", "--porcelain", "--", "src", "Cargo.toml") else ""
    vers = ", ".join(
        f"{p} {metadata.version(p)}" for p in ["igraph", "networkit", "networkx", "scipy", "polars", "numpy"]
    )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores; RAM {mem}",
        f"- OS: {osname}",
        f"- rankaudit: commit {commit}{dirty}; {sh('rustc', '--version')}",
        f"- Python {platform.python_version()}: {vers}",
        f"- load average at the end of the run (1, 5, 15 min): {load} (the machine is shared)",
    ]


def read_time(d, name):
    p = os.path.join(d, name + ".time")
    if not os.path.exists(p):
        return None
    wall, rss, rc = open(p).read().split()
    return dict(wall=float(wall), mb=int(rss) / 1024, ok=rc == "0")


def read_json(d, name):
    p = os.path.join(d, name + ".json")
    if not os.path.exists(p):
        return []
    out = []
    for line in open(p):
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def fmt(x, nd=2):
    return "—" if x is None else f"{x:.{nd}f}"


def status(ratio, target, below=True):
    if ratio is None:
        return "not measured"
    met = ratio <= target if below else ratio >= target
    if met:
        return "**met**"
    return f"missed by {ratio / target:.1f}×"


def prepared_section(d):
    """Cold (parse the edge list) vs warm (map the prepared graph file), issue #15."""
    prep = read_time(d, "rankaudit-prepare")
    if prep is None:
        return []
    pb = os.path.join(d, "prepared-bytes")
    size = f", file {int(open(pb).read()) / 1e6:.0f} MB" if os.path.exists(pb) else ""
    flag = "" if prep["ok"] else " **(failed)**"
    lines = [
        f"Prepared graph file (`rankaudit prepare`: parse + hash + write{size}): "
        f"{fmt(prep['wall'])} s, {prep['mb']:.0f} MB peak{flag}.",
        "",
        "| whole process | cold: parse wall s | peak MB | load + CSR phases s | warm: prepared file wall s | peak MB | load + CSR phases s | warm / cold wall |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    def audit_phase(key):
        mf = os.path.join(d, key.replace("rankaudit-", "") + "-manifest.json")
        if not os.path.exists(mf):
            return None
        ts = json.load(open(mf)).get("timings_seconds") or {}
        return ts.get("load", 0) + ts.get("graphs", 0)

    for cold, label in [
        ("rankaudit-load", "`rank --method in-degree --top 1`"),
        ("rankaudit-pagerank", "`rank --method pagerank`"),
        ("rankaudit-audit", "full audit (`prepare STUDY` for the warm run)"),
    ]:
        c, w = read_time(d, cold), read_time(d, cold + "-warm")
        if c is None or w is None:
            continue
        if cold == "rankaudit-audit":
            cp, wp = audit_phase(cold), audit_phase(cold + "-warm")
        else:
            phase = lambda js: js[0]["load_s"] + js[0]["graphs_s"] if js else None
            cp, wp = (phase(read_json(d, k)) for k in (cold, cold + "-warm"))
        ok = c["ok"] and w["ok"]
        lines.append(
            f"| {label}{'' if ok else ' **(failed)**'} | {fmt(c['wall'])} | {c['mb']:.0f} | {fmt(cp)} | "
            f"{fmt(w['wall'])} | {w['mb']:.0f} | {fmt(wp)} | {fmt(w['wall'] / c['wall'] if c['wall'] else None)} |"
        )
    same = os.path.join(d, "audit-warm-same")
    if os.path.exists(same):
        lines.append("")
        lines.append(f"Tables of the warm and the cold audit: {open(same).read().strip()}.")
    lines.append("")
    return lines


def size_section(d, name):
    scale, edges, nbytes = (int(x) for x in open(os.path.join(d, "size")).read().split())
    lines = [f"### {name}: R-MAT scale {scale} ({2**scale:,} ids), {edges:,} edges, edge list {nbytes / 1e6:.0f} MB", ""]
    lines += ["| tool | task | wall s | peak MB |", "|---|---|---:|---:|"]
    t = {}
    peer = {}
    for tool in ["polars-read", "igraph", "networkit", "networkx"]:
        tm = read_time(d, tool)
        js = read_json(d, tool)
        if tm is None:
            continue
        j = js[0] if js else {}
        peer[tool] = (tm, j)
        if not tm["ok"]:
            lines.append(f"| {tool} | failed (exit ≠ 0) | {fmt(tm['wall'])} | {tm['mb']:.0f} |")
            continue
        if tool == "polars-read":
            lines.append(f"| polars | read the edge list | {fmt(j.get('read_s'))} | {tm['mb']:.0f} |")
        else:
            extra = f", {j['iterations']} iterations" if "iterations" in j else ""
            lines.append(f"| {tool} | load (polars read + graph build) | {fmt(j.get('load_s'))} | |")
            lines.append(f"| {tool} | PageRank{extra} | {fmt(j.get('pagerank_s'))} | |")
            lines.append(
                f"| {tool} | load + PageRank | {fmt(j.get('load_s', 0) + j.get('pagerank_s', 0))} | {tm['mb']:.0f} |"
            )
    ph = {}
    for key in ["rankaudit-load", "rankaudit-pagerank"]:
        js = read_json(d, key)
        ph[key] = js[0] if js else {}
    lp = ph["rankaudit-load"]
    pp = ph["rankaudit-pagerank"]
    if lp:
        lines.append(f"| rankaudit | load (read + row policies + id map) | {fmt(lp['load_s'])} | |")
        lines.append(f"| rankaudit | CSR build (out + in) | {fmt(lp['graphs_s'])} | |")
    for key, label in [
        ("rankaudit-load", "whole process: load + CSR + in-degree (`rank --method in-degree --top 1`)"),
        ("rankaudit-pagerank", "whole process: load + CSR + PageRank + write all scores (`rank --method pagerank`)"),
        ("rankaudit-audit", "whole process: full audit of the synth study (1,000 replicates, charts)"),
        ("rankaudit-audit-ideg", "whole process: full audit, `[data] order = \"in-degree\"`"),
    ]:
        tm = read_time(d, key)
        if tm is None:
            continue
        t[key] = tm
        flag = "" if tm["ok"] else " **(failed)**"
        if key == "rankaudit-pagerank" and pp:
            lines.append(f"| rankaudit | PageRank (scores, as the peers time it) | {fmt(pp['score_s'])} | |")
            lines.append(f"| rankaudit | competition ranks of the scores | {fmt(pp['rank_s'])} | |")
            lines.append(
                f"| rankaudit | load + PageRank (phases) | {fmt(pp['load_s'] + pp['graphs_s'] + pp['score_s'])} | |"
            )
        lines.append(f"| rankaudit | {label}{flag} | {fmt(tm['wall'])} | {tm['mb']:.0f} |")
    lines.append("")

    def pj(tool, key):
        v = peer.get(tool)
        if not v or not v[0]["ok"]:
            return None
        j = v[1]
        if key == "both":
            return j.get("load_s", 0) + j.get("pagerank_s", 0)
        return j.get(key)

    def rw(key):
        v = t.get(key)
        return v["wall"] if v and v["ok"] else None

    ok_load = "rankaudit-load" in t and t["rankaudit-load"]["ok"] and lp
    ok_pr = "rankaudit-pagerank" in t and t["rankaudit-pagerank"]["ok"] and pp
    ra_load = lp["load_s"] + lp["graphs_s"] if ok_load else None
    ra_pr_alone = pp["score_s"] if ok_pr else None
    ra_pr = pp["load_s"] + pp["graphs_s"] + pp["score_s"] if ok_pr else None
    ra_audit = rw("rankaudit-audit")
    rows = []

    def ratio(a, b):
        return a / b if a is not None and b else None

    r = ratio(ra_load, pj("polars-read", "read_s"))
    rows.append(("load + CSR vs polars' read of the same file", ra_load, pj("polars-read", "read_s"), r, "≤ 2", status(r, 2)))
    r = ratio(ra_pr_alone, pj("networkit", "pagerank_s"))
    rows.append(("PageRank at equal tolerance vs NetworKit", ra_pr_alone, pj("networkit", "pagerank_s"), r, "≤ 0.5 (≥ 2× faster)", status(r, 0.5)))
    for tool in ["igraph", "networkit", "networkx"]:
        if pj(tool, "both") is not None:
            r = ratio(ra_pr, pj(tool, "both"))
            rows.append((f"load + PageRank vs {tool}", ra_pr, pj(tool, "both"), r, "", ""))
    r = ratio(ra_audit, pj("networkit", "both"))
    rows.append(("full audit vs NetworKit load + PageRank", ra_audit, pj("networkit", "both"), r, "< 0.5", status(r, 0.5)))
    ra_audit_ideg = rw("rankaudit-audit-ideg")
    r = ratio(ra_audit_ideg, pj("networkit", "both"))
    if ra_audit_ideg is not None:
        rows.append(("full audit, accounts most-followed first, vs NetworKit load + PageRank", ra_audit_ideg, pj("networkit", "both"), r, "< 0.5", status(r, 0.5)))
    lines += [
        "| comparison | rankaudit s | peer s | ratio rankaudit/peer | target | status |",
        "|---|---:|---:|---:|---|---|",
    ]
    for label, a, b, r, tgt, st in rows:
        lines.append(f"| {label} | {fmt(a)} | {fmt(b)} | {fmt(r)} | {tgt} | {st} |")
    lines.append("")
    mem = []
    for key, label in [("rankaudit-load", "load + CSR"), ("rankaudit-pagerank", "PageRank"), ("rankaudit-audit", "full audit")]:
        if key in t:
            bpe = t[key]["mb"] * 1024 * 1024 / edges
            mem.append(f"{label} {t[key]['mb']:.0f} MB = {bpe:.1f} B/edge")
    if mem:
        lines.append("Peak memory of rankaudit (target ≤ 16 B/edge + a small constant): " + "; ".join(mem) + ".")
        lines.append("")
    lines += prepared_section(d)
    mf = os.path.join(d, "audit-manifest.json")
    if os.path.exists(mf):
        ts = json.load(open(mf)).get("timings_seconds") or {}
        stages = [f"{k} {v:.2f}" for k, v in ts.items() if not k.startswith("ranking:") and k != "total"]
        if stages:
            lines.append("rankaudit audit stages, seconds (manifest.json): " + ", ".join(stages) + ".")
            lines.append("")
    loc = []
    for th in ("2", "1"):
        pair = [read_json(d, f"rankaudit-pagerank-acc-{th}t{x}") for x in ("", "-ideg")]
        times = [read_time(d, f"rankaudit-pagerank-acc-{th}t{x}") for x in ("", "-ideg")]
        if all(pair) and all(tm and tm["ok"] for tm in times):
            a, b = pair[0][0], pair[1][0]
            loc.append(
                f"| {th} | {fmt(a['graphs_s'])} | {fmt(b['graphs_s'])} | {fmt(a['score_s'])} | {fmt(b['score_s'])} | "
                f"{fmt(a['rank_s'])} | {fmt(b['rank_s'])} | {fmt(times[0]['wall'])} | {fmt(times[1]['wall'])} | {fmt(a['score_s'] / b['score_s'])} |"
            )
    if loc:
        lines += [
            "Locality: `rank --method pagerank` with the accounts table (accounts numbered in its order, which says",
            "nothing of degree) and with `--order in-degree` (most-followed first):",
            "",
            "| threads | CSR build s | most-followed first | PageRank s | most-followed first | ranks s | most-followed first | whole process s | most-followed first | PageRank speed-up |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ] + loc + [""]
    differ = os.path.join(d, "audit-ideg-differ")
    if os.path.exists(differ):
        tabs = open(differ).read().split()
        lines.append(
            "Tables of the audit with accounts most-followed first that differ from the file-order audit's: "
            + (", ".join(tabs) if tabs else "none")
            + " (rounded sums in another order; lists in account order)."
        )
        lines.append("")
    mf = os.path.join(d, "audit-ideg-manifest.json")
    if os.path.exists(mf):
        ts = json.load(open(mf)).get("timings_seconds") or {}
        stages = [f"{k} {v:.2f}" for k, v in ts.items() if ":" not in k and k != "total"]
        if stages:
            lines.append("Audit stages with accounts most-followed first, seconds: " + ", ".join(stages) + ".")
            lines.append("")
    lines += cost_lines(d, edges)
    checks = read_json(d, "check-pagerank") + read_json(d, "check-rule")
    if checks:
        lines.append("Agreement:")
        lines.append("")
        for c in checks:
            if c["task"] == "check-pagerank":
                if "l1" not in c:
                    lines.append(f"- PageRank vs {c['peer']}: **FAILED** ({c.get('why')})")
                    continue
                lines.append(
                    f"- PageRank vs {c['peer']}: L1 distance {c['l1']:.2e} (bound {c['bound']:.2e}: {'within' if c['l1_ok'] else '**EXCEEDED**'}); "
                    f"top-100 same set: {c['top100_same_set']}, same order: {c['top100_same_order']}"
                    + ("" if c["top100_same_order"] else f" (positions {c['top100_positions_differing']}; smallest adjacent score gap {c['top100_min_adjacent_gap']:.1e})")
                    + (" — ok" if c["ok"] else " — **MISMATCH**")
                )
            else:
                lines.append(
                    f"- follow-seeds rule (Python re-implementation vs rankaudit's `published` ranking): "
                    f"{c['qualifiers_python']} vs {c['qualifiers_rankaudit']} qualifiers; "
                    + ("identical accounts and ranks — ok" if c["ok"] else f"**MISMATCH**: missing {c['missing']}, extra {c['extra']}, rank differs {c['rank_differs']}")
                )
        lines.append("")
    growth = []
    if ok_load:
        growth.append(("load + CSR (phases)", ra_load, t["rankaudit-load"]["mb"]))
    if ok_pr:
        growth.append(("PageRank (phase; MB of the load + PageRank process)", ra_pr_alone, t["rankaudit-pagerank"]["mb"]))
    if ra_audit is not None:
        growth.append(("full audit (whole process)", ra_audit, t["rankaudit-audit"]["mb"]))
    ideg = t.get("rankaudit-audit-ideg")
    if ideg and ideg["ok"]:
        growth.append(("full audit, most-followed first (whole process)", ideg["wall"], ideg["mb"]))
    return lines, dict(edges=edges, growth=growth)


# McSherry, Isard & Murray, "Scalability! But at what COST?" (HotOS 2015): 20 PageRank
# iterations on twitter_rv (41.7M nodes, 1,468,365,182 edges) on one laptop thread.
COST_EDGES = 1_468_365_182
COST_SINGLE_THREAD_S = (242, 300)
COST_SYSTEMS = [("GraphX, 128 cores", 419), ("Giraph, 128 cores", 596), ("Spark, 128 cores", 857)]


def cost_lines(d, edges):
    """PageRank's time per edge and iteration, on 2 threads and on 1, beside COST."""
    rows = []
    for key, threads in [
        ("rankaudit-pagerank", "2, edge list's order"),
        ("rankaudit-pagerank-1t", "1, edge list's order"),
        ("rankaudit-pagerank-acc-2t", "2, accounts table's order"),
        ("rankaudit-pagerank-acc-1t", "1, accounts table's order"),
        ("rankaudit-pagerank-acc-2t-ideg", "2, most-followed first"),
        ("rankaudit-pagerank-acc-1t-ideg", "1, most-followed first"),
    ]:
        tm = read_time(d, key)
        js = read_json(d, key)
        mf = os.path.join(d, key.replace("rankaudit-", "ra-") + "-manifest.json")
        if not tm or not tm["ok"] or not js or not os.path.exists(mf):
            continue
        m = json.load(open(mf))
        iters = (m.get("rankings") or [{}])[0].get("diagnostics", {}).get("iterations")
        e = (m.get("follow_graph") or {}).get("edges") or edges
        if not iters:
            continue
        ns = js[0]["score_s"] / (iters * e) * 1e9
        rows.append((threads, js[0]["score_s"], iters, ns, ns * 20 * COST_EDGES / 1e9))
    if not rows:
        return []
    lo, hi = (s / (20 * COST_EDGES) * 1e9 for s in COST_SINGLE_THREAD_S)
    out = [
        "PageRank per edge and iteration, beside COST (McSherry, Isard & Murray 2015: 20 iterations",
        f"on twitter_rv, {COST_EDGES:,} edges, {COST_SINGLE_THREAD_S[0]}–{COST_SINGLE_THREAD_S[1]} s on one laptop thread = "
        f"{lo:.1f}–{hi:.1f} ns per edge-iteration; "
        + ", ".join(f"{n} {t} s" for n, t in COST_SYSTEMS)
        + "):",
        "",
        "| threads (account order) | PageRank s | iterations | ns per edge-iteration | 20 iterations at twitter_rv's size, projected s |",
        "|---|---:|---:|---:|---:|",
    ]
    for threads, sec, iters, ns, proj in rows:
        out.append(f"| {threads} | {sec:.2f} | {iters} | {ns:.1f} | {proj:.0f} |")
    out.append("")
    return out


def main(runs, repo):
    stamp = os.path.basename(os.path.normpath(runs))
    out = [f"# rankaudit benchmark, {stamp} UTC", "", "## Machine", ""] + machine(repo, runs) + [""]
    rp = os.path.join(runs, "repeat")
    rep = int(open(rp).read()) if os.path.exists(rp) else 1
    if rep > 1:
        out += [f"Each task ran {rep} times; the fastest run is reported.", ""]
    out += [
        "Comparisons use in-process phases on both sides (peers: `time.perf_counter` around loading",
        "and PageRank, without Python start-up, imports or writing scores; rankaudit: `rank --timings`),",
        "except the full audit: rankaudit's whole-process wall time against NetworKit's load + PageRank",
        "phases. Peak MB is the process's maximum RSS (/usr/bin/time -v).",
        "",
        "## Results",
        "",
    ]
    series = []
    for name in sorted(os.listdir(runs), key=lambda s: SIZES.get(s, 99)):
        d = os.path.join(runs, name)
        if os.path.isdir(d) and os.path.exists(os.path.join(d, "size")):
            lines, s = size_section(d, name)
            out += lines
            series.append((name, s))
    if len(series) > 1:
        out += ["## Growth per edge", "", "| size | task | wall s | ns/edge | peak MB | B/edge |", "|---|---|---:|---:|---:|---:|"]
        for name, s in series:
            e = s["edges"]
            for label, wall, mb in s["growth"]:
                out.append(f"| {name} | {label} | {wall:.2f} | {wall / e * 1e9:.0f} | {mb:.0f} | {mb * 1048576 / e:.1f} |")
        out.append("")
        out += [
            "Marginal cost between consecutive sizes (the slope: what each added edge costs, the",
            "constant removed):",
            "",
            "| from → to | task | ns/edge | B/edge |",
            "|---|---|---:|---:|",
        ]
        for (n0, s0), (n1, s1) in zip(series, series[1:]):
            de = s1["edges"] - s0["edges"]
            g0 = {lab: (w, m) for lab, w, m in s0["growth"]}
            for lab, w1, m1 in s1["growth"]:
                if lab in g0:
                    w0, m0 = g0[lab]
                    out.append(f"| {n0} → {n1} | {lab} | {(w1 - w0) / de * 1e9:.0f} | {(m1 - m0) * 1048576 / de:.1f} |")
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
