#!/usr/bin/env python3
"""Rebuild rankaudit's bundled real datasets from the shared source data.

Usage:  python3 data/build_data.py [SOURCE_ROOT]

SOURCE_ROOT defaults to <repo>/../shared/data, where <repo> is the parent of the
folder holding this script. Python 3.11, standard library only.

Writes (next to this script):
  us-house-2022/  accounts.csv, follows.tsv.gz, interactions.csv, seeds/*.txt,
                  LICENSE.congress-twitter.txt, README.md
  higgs-2012/     accounts.csv, follows.tsv.gz, interactions.tsv.gz, seeds/*.txt, README.md
  README.md       index of the bundled data

Output is deterministic: rows are sorted, gzip members have mtime 0 and no file
name, text is UTF-8 with "\n" line endings. Every README is generated here, so its
counts and md5 sums always match the files.
"""

from __future__ import annotations

import ast
import collections
import csv
import datetime as dt
import gzip
import hashlib
import io
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SRC = HERE.parent.parent / "shared" / "data"
BUDGET_BYTES = 15 * 1000 * 1000
TWITTER_EPOCH_MS = 1288834974657

# ---------------------------------------------------------------------------
# Seed lists (us-house-2022). Handles are matched case-insensitively against the
# data and written in the canonical spelling. Every seed must be followed by at
# least MIN_SEED_FOLLOWERS of the 428 House members, or the build fails.
# ---------------------------------------------------------------------------
MIN_SEED_FOLLOWERS = 3
K_REPORT = (1, 3, 5, 7)

BOAT_ROCKERS = [
    # Squad (progressive insurgents), handle each is best known by in 2021-22 coverage
    "AOC", "IlhanMN", "RashidaTlaib", "AyannaPressley", "CoriBush", "JamaalBowmanNY",
    # Freedom-Caucus-style insurgents on the right
    "RepMTG", "mattgaetz", "laurenboebert", "RepThomasMassie", "chiproytx",
    "RepAndyBiggsAZ", "RepGosar", "RepBobGood",
]
BOAT_ROCKERS_OFFICIAL = [
    "RepAOC", "Ilhan", "RepRashida", "RepPressley", "RepCori", "RepBowman",
    "RepMTG", "RepMattGaetz", "RepBoebert", "RepThomasMassie", "RepChipRoy",
    "RepAndyBiggsAZ", "RepGosar", "RepBobGood",
]
POOL_EXTRA = [
    # right-flank hardliners (Freedom Caucus members and allies)
    "Jim_Jordan", "RepScottPerry", "RepMoBrooks", "RepCawthorn", "RepClayHiggins",
    "replouiegohmert", "RepRalphNorman", "RepMaryMiller", "RepRosendale", "Rep_Clyde",
    "WarrenDavidson", "RepKenBuck", "RepGregSteube",
    # Republicans who broke with their party over Trump / January 6
    "RepLizCheney", "RepKinzinger",
    # progressives who held out against leadership on the 2021 infrastructure deal
    "RepJayapal", "RepRoKhanna", "RepMondaire",
    # centrist Democrats who defied leadership (the "Unbreakable Nine", Build Back Better)
    "RepGolden", "RepJoshG", "RepSchrader", "RepCuellar",
]
LEADERSHIP = [
    "SpeakerPelosi", "LeaderHoyer", "WhipClyburn", "RepJeffries", "RepKClark",
    "RepPeteAguilar", "GOPLeader", "SteveScalise", "RepStefanik", "RepMikeJohnson",
    "HouseDemocrats", "HouseGOP", "DemCloakroom", "RepCloakroom",
]
OUTSIDE_VOICES = [
    "cspan", "thehill", "politico", "PunchbowlNews", "axios", "NewsHour", "ChadPergram",
    "govtrack", "CREWcrew", "propublica", "PolitiFact", "JudicialWatch", "pewresearch",
    "BrennanCenter",
]

SEED_LISTS = [
    ("boat-rockers", BOAT_ROCKERS, [
        "Boat-rockers: 117th-Congress House members widely described as rocking their own",
        "party's boat: the progressive 'Squad' and Freedom-Caucus-style insurgents on the right.",
        "One account per person: the handle each is best known by (personal or campaign account",
        "where the data has one, else the official one). 7 Democrats, 7 Republicans.",
    ]),
    ("boat-rockers-official", BOAT_ROCKERS_OFFICIAL, [
        "Sensitivity variant of boat-rockers.txt: the same 14 people, each by their official",
        "House account (all are among the 428 members with complete following lists).",
        "Official accounts are followed far more by colleagues, so many more members qualify",
        "at the same k: the league table depends on which handle a list-maker picks.",
    ]),
    ("boat-rockers-pool", BOAT_ROCKERS + POOL_EXTRA, [
        "Candidate pool for random resampling of the boat-rocker seed list: a superset of",
        "boat-rockers.txt (first 14 lines, same handles) plus House members plausibly seen as",
        "defying their party in 2021-22: right-flank hardliners, anti-Trump Republicans,",
        "progressive and centrist Democratic holdouts. One account per person.",
    ]),
    ("leadership", LEADERSHIP, [
        "Institutional hubs: House party leaders of the 117th Congress (Speaker, leaders,",
        "whips, caucus/conference chairs and vice chairs) plus the party caucus and",
        "cloakroom accounts. 7 Democratic and 7 Republican accounts. Nearly every member",
        "follows these, so 'follows >= k of them' is barely selective: a null-like baseline.",
    ]),
    ("outside-voices", OUTSIDE_VOICES, [
        "Outside voices: non-member accounts from outside the institution that cover or",
        "watch Congress: news outlets (C-SPAN, The Hill, Politico, Punchbowl, Axios,",
        "PBS NewsHour), a Hill reporter (Chad Pergram) and watchdog / fact-check / research",
        "accounts (GovTrack, CREW, ProPublica, PolitiFact, Judicial Watch, Pew, Brennan Center).",
    ]),
]

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def md5_of(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_gz(path: Path, text: str) -> None:
    write_bytes(path, gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def csv_text(header, rows, delimiter=",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def tsv_text(header, rows) -> str:
    for r in rows:
        for v in r:
            if "\t" in v or "\n" in v:
                raise SystemExit(f"tab/newline inside a TSV field: {r!r}")
    return "\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in rows)


def snowflake_time(i: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(((i >> 22) + TWITTER_EPOCH_MS) / 1000, dt.timezone.utc)


def fmt_bytes(n: int) -> str:
    return f"{n:,} B ({n / 1e6:.2f} MB)"


def table(header, rows) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


class Log:
    def __init__(self):
        self.lines = []

    def __call__(self, msg=""):
        print(msg)
        self.lines.append(msg)


log = Log()

# ---------------------------------------------------------------------------
# us-house-2022
# ---------------------------------------------------------------------------


def build_us_house(src: Path, out: Path) -> dict:
    hf_dir = src / "us-house-following"
    ct_dir = src / "congress-twitter"
    info: dict = {"problems": []}
    P = info["problems"]

    # --- inputs
    with open(hf_dir / "house_members.tsv", encoding="utf-8", newline="") as f:
        members = list(csv.DictReader(f, delimiter="\t"))
    with open(ct_dir / "congress_nodes.tsv", encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f, delimiter="\t"))
    with gzip.open(hf_dir / "house_following_edges.tsv.gz", "rt", encoding="utf-8", newline="") as f:
        rd = csv.reader(f, delimiter="\t")
        hdr = next(rd)
        assert hdr == ["member_username", "member_id", "followed_id", "followed_username"], hdr
        edges = [tuple(r) for r in rd]
    assert len(members) == 428, len(members)
    assert len(nodes) == 475, len(nodes)
    info["n_edges_src"] = len(edges)

    mem_by_lc = {}
    for m in members:
        lc = m["member_username"].lower()
        if lc in mem_by_lc:
            raise SystemExit(f"case collision among members: {m['member_username']}")
        mem_by_lc[lc] = m
    node_by_lc = {}
    for n in nodes:
        lc = n["username"].lower()
        if lc in node_by_lc:
            raise SystemExit(f"case collision among congress nodes: {n['username']}")
        node_by_lc[lc] = n

    # --- followed_username <-> followed_id
    uname_ids = collections.defaultdict(set)
    id_unames = collections.defaultdict(collections.Counter)
    for m, mid, fid, fu in edges:
        uname_ids[fu].add(fid)
        id_unames[fid][fu] += 1
    lc_spellings = collections.defaultdict(collections.Counter)
    for m, mid, fid, fu in edges:
        lc_spellings[fu.lower()][fu] += 1
    multi_u = {u: s for u, s in uname_ids.items() if len(s) > 1}
    multi_i = {i: c for i, c in id_unames.items() if len(c) > 1}
    case_var = {k: c for k, c in lc_spellings.items() if len(c) > 1}
    info["n_followed_usernames"] = len(uname_ids)
    info["n_followed_ids"] = len(id_unames)
    if multi_u:
        raise SystemExit(f"a followed_username maps to several ids: {sorted(multi_u)[:10]}")
    if case_var:
        raise SystemExit(f"followed_username spellings differing only in case: {list(case_var)[:10]}")

    known_handles = set(mem_by_lc) | set(node_by_lc)
    alias = {}  # lower(old name) -> chosen followed_username
    info["renames"] = []
    for fid, cnt in sorted(multi_i.items()):
        # rule: most edges; tie -> a name that is a member/congress handle; tie -> smallest (casefold)
        chosen = sorted(cnt, key=lambda u: (-cnt[u], u.lower() not in known_handles, u.lower(), u))[0]
        for u in cnt:
            if u != chosen:
                if u.lower() in known_handles:
                    raise SystemExit(f"renamed-away name {u} is a member/congress handle")
                alias[u.lower()] = chosen
        info["renames"].append((fid, chosen, ", ".join(f"{u} ({cnt[u]})" for u in sorted(cnt, key=lambda u: (-cnt[u], u)))))
    P.append(
        f"followed_username -> followed_id is 1:1 ({len(uname_ids):,} names), but {len(multi_i)} "
        f"followed_ids carry two usernames (accounts renamed while the lists were being "
        f"collected), so there are {len(uname_ids):,} names for {len(id_unames):,} accounts. Rule: one "
        f"account per id, named by the username seen on the most edges (ties: a member/congress "
        f"handle, then alphabetical); the other name is folded into it. No member follows both names."
    )

    # consistency: member ids and congress twitter ids vs followed ids
    followed_id_by_lc = {fu.lower(): fid for fu, s in uname_ids.items() for fid in s}
    for m in members:
        fid = followed_id_by_lc.get(m["member_username"].lower())
        if fid is not None and fid != m["member_id"]:
            raise SystemExit(f"member id mismatch for {m['member_username']}")
    n_id_checked = 0
    for n in nodes:
        tid = n["twitter_id_legislators_2022"]
        lc = n["username"].lower()
        other = mem_by_lc[lc]["member_id"] if lc in mem_by_lc else followed_id_by_lc.get(lc)
        if tid and other:
            n_id_checked += 1
            if tid != other:
                raise SystemExit(f"congress twitter id {tid} != following-data id {other} for {n['username']}")
    info["n_id_checked"] = n_id_checked

    # --- canonical spelling per lower-case handle
    canon = {}
    for m in members:
        canon[m["member_username"].lower()] = m["member_username"]
    for n in nodes:
        canon.setdefault(n["username"].lower(), n["username"])
    for lc, c in lc_spellings.items():
        if lc in alias:
            continue
        canon.setdefault(lc, c.most_common(1)[0][0])
    spell_diffs = []
    for lc, c in sorted(lc_spellings.items()):
        for sp in c:
            if lc in canon and sp != canon[lc]:
                spell_diffs.append(f"{sp} (followed_username) -> {canon[lc]}")
    for n in nodes:
        lc = n["username"].lower()
        if n["username"] != canon[lc]:
            spell_diffs.append(f"{n['username']} (congress_nodes) -> {canon[lc]}")
    info["spell_diffs"] = spell_diffs
    P.append(
        "Handles differing only in case across files (canonical spelling = house_members.tsv, "
        "then congress_nodes.tsv, then followed_username): " + "; ".join(spell_diffs) + "."
    )

    def C(name: str) -> str:
        lc = name.lower()
        if lc in alias:
            lc = alias[lc].lower()
        return canon[lc]

    # --- follows
    follows = sorted({(C(m), C(fu)) for m, mid, fid, fu in edges})
    if len(follows) != len(edges):
        raise SystemExit(f"canonicalisation merged edges: {len(edges)} -> {len(follows)}")
    if any(a == b for a, b in follows):
        P.append("self-follows present")
    info["n_self_follows"] = sum(a == b for a, b in follows)
    members_c = sorted(C(m["member_username"]) for m in members)
    member_set = set(members_c)
    assert {a for a, _ in follows} == member_set
    house_followers = collections.Counter(b for _, b in follows)
    out_deg = collections.Counter(a for a, _ in follows)
    for m in members:
        if int(m["n_following"]) != out_deg[C(m["member_username"])]:
            raise SystemExit(f"n_following mismatch for {m['member_username']}")
    info["n_followed_accounts"] = len(house_followers)
    info["n_followed_ge2"] = sum(1 for v in house_followers.values() if v >= 2)
    info["n_edges_to_ge2"] = sum(v for v in house_followers.values() if v >= 2)

    # collection date bounds from snowflake ids
    newest = {}
    for m, mid, fid, fu in edges:
        folder = mem_by_lc[m.lower()]["source_folder"]
        if int(fid) > newest.get(folder, (0, ""))[0]:
            newest[folder] = (int(fid), fu)
    info["newest_followed"] = {k: (snowflake_time(v[0]).strftime("%Y-%m-%d %H:%M UTC"), C(v[1])) for k, v in sorted(newest.items())}

    # --- interactions
    node_name = {int(n["node"]): C(n["username"]) for n in nodes}
    node_tw = {int(n["node"]): n["tweets_in_window"] for n in nodes}
    inter = []
    n_empty = 0
    n_nonint = 0
    max_dev = 0.0
    n_self_inter = 0
    empty_sources = collections.Counter()
    with open(ct_dir / "congress.edgelist", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            a, b, rest = line.rstrip("\n").split(" ", 2)
            i, j = int(a), int(b)
            w = float(ast.literal_eval(rest)["weight"])
            if i == j:
                n_self_inter += 1
            t = node_tw[i]
            if t:
                x = w * int(t)
                dev = abs(x - round(x))
                max_dev = max(max_dev, dev)
                if dev > 1e-6:
                    n_nonint += 1
                cnt = round(x)
                if cnt < 1:
                    raise SystemExit(f"recovered count < 1 on edge {line!r}")
                weight = str(cnt)
            else:
                weight = ""
                n_empty += 1
                empty_sources[node_name[i]] += 1
            inter.append((node_name[j], node_name[i], "engagement", weight))
    inter.sort()
    if len(set((s, t) for s, t, _, _ in inter)) != len(inter):
        raise SystemExit("duplicate interaction pairs")
    info.update(n_inter=len(inter), n_inter_empty=n_empty, n_inter_nonint=n_nonint,
                inter_max_dev=max_dev, n_inter_self=n_self_inter,
                inter_empty_targets=sorted(empty_sources),
                inter_weight_sum=sum(int(r[3]) for r in inter if r[3]),
                inter_weight_max=max(int(r[3]) for r in inter if r[3]))

    # --- seeds
    seed_info = []
    seed_accounts = set()
    member_out = collections.defaultdict(set)
    for a, b in follows:
        member_out[a].add(b)
    known_lc = set(canon) | set(alias)
    for name, handles, rationale in SEED_LISTS:
        canon_list = []
        for h in handles:
            if h.lower() not in known_lc:
                raise SystemExit(f"seed {h} ({name}) is not in the data")
            c = C(h)
            if c != h:
                raise SystemExit(f"seed {h} ({name}) should be spelled {c}")
            if house_followers[c] < MIN_SEED_FOLLOWERS:
                raise SystemExit(f"seed {c} ({name}) followed by only {house_followers[c]} members")
            canon_list.append(c)
        if len(set(canon_list)) != len(canon_list):
            raise SystemExit(f"duplicate seed in {name}")
        seed_accounts |= set(canon_list)
        sset = set(canon_list)
        hits = collections.Counter(len(member_out[m] & sset) for m in members_c)
        ge = {k: sum(v for c, v in hits.items() if c >= k) for k in K_REPORT}
        seed_info.append((name, canon_list, rationale, ge))
    if not set(BOAT_ROCKERS) <= set(BOAT_ROCKERS + POOL_EXTRA):
        raise SystemExit("pool is not a superset of boat-rockers")
    info["seeds"] = seed_info

    # --- accounts
    party_map = {"Democrat": "D", "Republican": "R", "Independent": "I", "": ""}
    rows = {}
    for m in members:
        c = C(m["member_username"])
        n = node_by_lc.get(m["member_username"].lower())
        rows[c] = [c, "house", m["party"], "rep", n["state"] if n else "",
                   house_followers[c], n["tweets_in_window"] if n else "", out_deg[c], "true"]
    role_map = {"rep": "house", "sen": "senate"}
    for n in nodes:
        c = C(n["username"])
        if c in rows:
            continue
        # repdelgado has no chamber in congress_nodes (Antonio Delgado left the House in
        # May 2022, before the legislators snapshot); he was a House member in the window.
        role = role_map.get(n["chamber"], "house" if n["username"] == "repdelgado" else "other")
        chamber = n["chamber"] or ("rep" if n["username"] == "repdelgado" else "")
        rows[c] = [c, role, party_map[n["party_legislators_2022"]], chamber, n["state"],
                   house_followers[c], n["tweets_in_window"], "", "false"]
    n_seed_extra = 0
    for c in sorted(seed_accounts):
        if c not in rows:
            n_seed_extra += 1
            rows[c] = [c, "other", "", "", "", house_followers[c], "", "", "false"]
    acc_rows = [rows[k] for k in sorted(rows, key=lambda s: (s.lower(), s))]
    info["n_accounts"] = len(acc_rows)
    info["n_seed_extra"] = n_seed_extra
    info["role_counts"] = collections.Counter(r[1] for r in acc_rows)
    info["house_not_member"] = sorted(r[0] for r in acc_rows if r[1] == "house" and r[8] == "false")
    info["tw_missing"] = {
        "members_not_in_network": sorted(C(m["member_username"]) for m in members
                                         if m["member_username"].lower() not in node_by_lc),
        "nodes_manual_or_none": sorted(C(n["username"]) for n in nodes if not n["tweets_in_window"]),
    }
    info["members_in_network"] = sum(1 for m in members if m["member_username"].lower() in node_by_lc)
    info["n_tw_known"] = sum(1 for r in acc_rows if r[6] != "")
    info["party_empty"] = sorted(r[0] for r in acc_rows if r[2] == "" and r[1] != "other")
    info["state_empty_members"] = sum(1 for r in acc_rows if r[1] == "house" and r[4] == "")

    # --- interactions endpoints must be accounts
    acc_names = set(rows)
    for s, t, _, _ in inter:
        assert s in acc_names and t in acc_names

    # --- write
    out.mkdir(parents=True, exist_ok=True)
    write_text(out / "accounts.csv", csv_text(
        ["account", "role", "party", "chamber", "state", "house_followers", "tweets_in_window",
         "following", "complete_out"], acc_rows))
    write_gz(out / "follows.tsv.gz", tsv_text(["follower", "followee"], follows))
    write_text(out / "interactions.csv", csv_text(["source", "target", "kind", "weight"], inter))
    seeds_dir = out / "seeds"
    seeds_dir.mkdir(exist_ok=True)
    for old in seeds_dir.glob("*.txt"):
        old.unlink()
    for name, lst, rationale, _ in seed_info:
        write_text(seeds_dir / f"{name}.txt", "".join(f"# {l}\n" for l in rationale) + "".join(f"{h}\n" for h in lst))
    write_bytes(out / "LICENSE.congress-twitter.txt", (ct_dir / "LICENSE.upstream.txt").read_bytes())
    info["n_follows"] = len(follows)
    info["house_followers"] = house_followers
    return info


# ---------------------------------------------------------------------------
# higgs-2012
# ---------------------------------------------------------------------------
KIND = {"RT": "retweet", "MT": "mention", "RE": "reply"}

# The announcement cut. CERN's seminar began 2012-07-04 07:00 UTC (09:00 CEST), but in the
# data the burst starts near 04:00 UTC (events per 10 minutes rise from ~250 to >1,000) and
# peaks 05:50-07:00 UTC, before the seminar as recorded: either the stamps are shifted or
# the anticipation peaked early; the data cannot tell. Cutting at midnight UTC puts every
# "before" event in the rumour phase (1-3 July: rumours, the Tevatron result of 2 July)
# under either reading, with 4 h to spare.
HIGGS_CUT = 1341360000      # 2012-07-04 00:00:00 UTC
HIGGS_END = 1341705600      # 2012-07-08 00:00:00 UTC, just after the last event
HIGGS_SEEDS = 20            # seeds per list
HIGGS_POOL = 60             # candidate pool for the resample family
HIGGS_MIN_SEED_FOLLOWERS = 10
HIGGS_K = 5                 # the study's threshold (NHS: "at least 5")
HIGGS_K_REPORT = (1, 3, 4, 5, 6, 7, 10)
HIGGS_SEED_LISTS = [
    # name, stream filter (kinds, before cut?), size, header
    ("watched", ("RT", True), HIGGS_SEEDS, [
        "'Watched' accounts: the stand-in for a hand-picked list (the data is anonymised, so",
        "nobody can hand-pick). The {n} accounts retweeted by the most distinct accounts BEFORE",
        "the announcement day (events before 2012-07-04 00:00 UTC, i.e. the rumour phase of",
        "1-3 July): the accounts the Higgs conversation already amplified, as a list-maker who",
        "knew the field would name them. Exact construction (data/build_data.py): full activity",
        "stream (563,069 rows); retweet rows with userA != userB and time < 1341360000; rank",
        "userB by distinct retweeters, then retweet rows, then id; keep accounts followed by",
        ">= {minf} of the 5,394 users with complete follow lists (else nobody in the sample",
        "can be seen following them); take the first {n}. Skipped: {skipped}.",
        "Trailing comments: distinct retweeters before the cut / followers in the sample.",
    ]),
    ("watched-pool", ("RT", True), HIGGS_POOL, [
        "Candidate pool for the seed-resample family: the first {n} accounts of the same",
        "ordering as watched.txt (whose {n0} seeds are its first {n0} lines). Same filter",
        "(>= {minf} followers in the sample). Skipped: {skipped}.",
        "Trailing comments: distinct retweeters before the cut / followers in the sample.",
    ]),
    ("talked-to", ("MT", True), HIGGS_SEEDS, [
        "Alternative list: the {n} accounts MENTIONED (or replied to: every reply row has a",
        "mention row) by the most distinct accounts before 2012-07-04 00:00 UTC: who the",
        "conversation addressed rather than amplified. Same ordering rule and filter",
        "(>= {minf} followers in the sample) as watched.txt. Skipped: {skipped}.",
        "Trailing comments: distinct mentioners before the cut / followers in the sample.",
    ]),
    ("hindsight", ("RT", False), HIGGS_SEEDS, [
        "Alternative list: the {n} accounts retweeted by the most distinct accounts over the",
        "WHOLE week (1-7 July): the list someone compiling after the announcement would pick.",
        "Same ordering rule and filter (>= {minf} followers in the sample) as watched.txt.",
        "Skipped: {skipped}.",
        "Trailing comments: distinct retweeters in the week / followers in the sample.",
    ]),
    ("most-followed", (None, True), HIGGS_SEEDS, [
        "Baseline list: the {n} accounts most followed within the sample among those that",
        "retweeted, mentioned or replied to someone before 2012-07-04 00:00 UTC (ties: id). The",
        "Higgs analogue of a list of institutional hubs: popular, not chosen for a view.",
        "Trailing comments: events initiated before the cut / followers in the sample.",
    ]),
]


def build_higgs(src: Path, out: Path) -> dict:
    d = src / "higgs-twitter"
    info: dict = {}
    follows = []
    with gzip.open(d / "higgs-social_network.partial-5394-sources.edgelist.gz", "rt", encoding="ascii") as f:
        for line in f:
            if not line.strip():
                continue
            a, b = line.split()
            follows.append((int(a), int(b)))
    sources = {a for a, _ in follows}
    assert len(sources) == 5394, len(sources)
    info["n_follows_src"] = len(follows)
    info["n_follow_dups"] = len(follows) - len(set(follows))
    follows_sorted = sorted(set(follows)) if info["n_follow_dups"] else sorted(follows)
    info["n_follow_self"] = sum(a == b for a, b in follows_sorted)
    indeg = collections.Counter(b for _, b in follows_sorted)
    outdeg = collections.Counter(a for a, _ in follows_sorted)

    rows = []
    ev_init = collections.Counter()
    tweets = collections.defaultdict(set)
    n_all = 0
    kinds_all = collections.Counter()
    tmin, tmax = None, None
    stream = []
    with gzip.open(d / "higgs-activity_time.txt.gz", "rt", encoding="ascii") as f:
        for line in f:
            if not line.strip():
                continue
            a, b, t, k = line.split()
            a, b, t = int(a), int(b), int(t)
            n_all += 1
            kinds_all[k] += 1
            ev_init[a] += 1
            tweets[a].add(t)
            stream.append((a, b, t, k))
            if a in sources or b in sources:
                rows.append((t, a, b, KIND[k]))
                tmin = t if tmin is None else min(tmin, t)
                tmax = t if tmax is None else max(tmax, t)
    rows.sort()
    info["n_activity_src"] = n_all
    info["kinds_all"] = dict(kinds_all)
    info["n_inter"] = len(rows)
    info["n_inter_self"] = sum(1 for t, a, b, k in rows if a == b)
    info["n_inter_exact_dups"] = len(rows) - len(set(rows))
    info["kinds"] = collections.Counter(k for *_, k in rows)
    info["n_inter_both_in"] = sum(1 for t, a, b, k in rows if a in sources and b in sources)
    info["n_inter_src_in"] = sum(1 for t, a, b, k in rows if a in sources)
    info["n_inter_dst_in"] = sum(1 for t, a, b, k in rows if b in sources)
    info["t_range"] = (tmin, tmax)
    info["sources_active"] = len({a for t, a, b, k in rows if a in sources})
    info["sources_any"] = len({x for t, a, b, k in rows for x in (a, b) if x in sources})

    # First own Higgs activity: the first event the account initiated (any kind), or the
    # first time it was retweeted (a retweet carries the author's own Higgs tweet; being
    # mentioned or replied to is someone else's act).
    first_own = {}
    for a, b, t, k in stream:
        for u in ((a, b) if k == "RT" else (a,)):
            if u not in first_own or t < first_own[u]:
                first_own[u] = t
    if max(t for _, _, t, _ in stream) >= HIGGS_END:
        raise SystemExit("an event after HIGGS_END: move the end of the stream")

    accounts = set(sources) | {b for _, b in follows_sorted} | {a for _, a, _, _ in rows} | {b for _, _, b, _ in rows}
    acc_rows = []
    for u in sorted(accounts):
        acc_rows.append([u, "true" if u in sources else "false", indeg[u], ev_init[u], len(tweets[u]),
                         *joined_cols(first_own.get(u))])
    info["n_accounts"] = len(acc_rows)
    info["n_followees"] = len(indeg)
    info["outdeg"] = (min(outdeg.values()), sorted(outdeg.values())[len(outdeg) // 2], max(outdeg.values()))
    info["max_indeg"] = indeg.most_common(1)[0]

    out.mkdir(parents=True, exist_ok=True)
    write_gz(out / "follows.tsv.gz", tsv_text(["follower", "followee"], [(str(a), str(b)) for a, b in follows_sorted]))
    write_gz(out / "interactions.tsv.gz", tsv_text(["source", "target", "kind", "time"],
                                                   [(str(a), str(b), k, str(t)) for t, a, b, k in rows]))
    write_text(out / "accounts.csv", csv_text(
        ["account", "in_follow_sample", "followers_in_sample", "events_initiated", "distinct_tweets",
         "joined", "seniority_hours"], acc_rows))
    info["n_follows"] = len(follows_sorted)
    info["joined"] = {g: collections.Counter(r[5] for r in acc_rows if r[1] == "true")[g]
                      for g in ("before", "after", "never")}
    sen = sorted(float(r[6]) for r in acc_rows if r[1] == "true" and r[6] != "")
    info["seniority"] = (sen[0], sen[len(sen) // 2], sen[-1])
    info["seeds"] = build_higgs_seeds(stream, indeg, sources, follows_sorted, out)
    return info


def joined_cols(t):
    """`joined` and `seniority_hours` from the time of an account's first own activity."""
    if t is None:
        return ["never", ""]
    return ["before" if t < HIGGS_CUT else "after", f"{(HIGGS_END - t) / 3600:.2f}"]


def build_higgs_seeds(stream, indeg, sources, follows, out: Path) -> list:
    """Derive the Higgs seed lists (HIGGS_SEED_LISTS) from the activity stream; write
    seeds/*.txt; return (name, accounts, header, qualifiers-at-k, skipped) per list."""
    follow_out = collections.defaultdict(set)
    for a, b in follows:
        if a != b:  # the study drops self-loops; a seed cannot qualify by following itself
            follow_out[a].add(b)
    for old in (out / "seeds").glob("*.txt"):
        old.unlink()
    lists = []
    for name, (kind, before), n, header in HIGGS_SEED_LISTS:
        if kind is None:
            active = collections.Counter(a for a, _, t, _ in stream if not before or t < HIGGS_CUT)
            order = sorted(active, key=lambda u: (-indeg[u], u))
            stat = active
        else:
            who = collections.defaultdict(set)
            stat = collections.Counter()
            for a, b, t, k in stream:
                if k == kind and a != b and (not before or t < HIGGS_CUT):
                    who[b].add(a)
            for u, s in who.items():
                stat[u] = len(s)
            rows = collections.Counter(b for a, b, t, k in stream
                                       if k == kind and a != b and (not before or t < HIGGS_CUT))
            order = sorted(who, key=lambda u: (-len(who[u]), -rows[u], u))
        chosen, skipped = [], []
        for u in order:
            if len(chosen) == n:
                break
            if indeg[u] >= HIGGS_MIN_SEED_FOLLOWERS:
                chosen.append(u)
            else:
                skipped.append(u)
        if len(chosen) < n:
            raise SystemExit(f"higgs seed list {name}: only {len(chosen)} eligible accounts")
        sset = set(chosen)
        hits = collections.Counter(len(follow_out[m] & sset) for m in sources)
        ge = {k: sum(v for c, v in hits.items() if c >= k) for k in HIGGS_K_REPORT}
        skip_txt = (f"{len(skipped)} higher-placed accounts with < {HIGGS_MIN_SEED_FOLLOWERS} "
                    f"followers in the sample ({', '.join(f'{u} ({indeg[u]})' for u in skipped)})"
                    if skipped else "none")
        para = " ".join(l.format(n=n, n0=HIGGS_SEEDS, minf=HIGGS_MIN_SEED_FOLLOWERS, skipped=skip_txt)
                        for l in header[:-1])
        text = textwrap.wrap(para, width=88) + [header[-1]]
        body = "".join(f"{u}  # {stat[u]} / {indeg[u]}\n" for u in chosen)
        write_text(out / "seeds" / f"{name}.txt", "".join(f"# {l}\n" for l in text) + body)
        lists.append((name, chosen, text, ge, skipped,
                      sum(u in sources for u in chosen)))
    pool = dict((x[0], x[1]) for x in lists)
    if pool["watched-pool"][:HIGGS_SEEDS] != pool["watched"]:
        raise SystemExit("watched-pool does not start with watched")
    return lists


# ---------------------------------------------------------------------------
# READMEs
# ---------------------------------------------------------------------------


def file_table(folder: Path, counts: dict) -> str:
    rows = []
    # Study files live beside the data but are not built here: leave them out, so editing a
    # study does not make the generated README stale.
    for p in sorted(x for x in folder.rglob("*") if x.is_file() and x.name != "README.md"
                    and x.suffix != ".toml"):
        rel = p.relative_to(folder).as_posix()
        rows.append([f"`{rel}`", f"{p.stat().st_size:,}", counts.get(rel, ""), f"`{md5_of(p)}`"])
    return table(["file", "bytes", "rows (excl. header)", "md5"], rows)


def us_house_readme(out: Path, I: dict) -> str:
    seeds = I["seeds"]
    hf = I["house_followers"]
    counts = {
        "accounts.csv": f"{I['n_accounts']:,}",
        "follows.tsv.gz": f"{I['n_follows']:,}",
        "interactions.csv": f"{I['n_inter']:,}",
        "LICENSE.congress-twitter.txt": "",
    }
    for name, lst, _, _ in seeds:
        counts[f"seeds/{name}.txt"] = f"{len(lst)} handles"
    rc = I["role_counts"]
    tw = I["tw_missing"]
    seed_sections = []
    for name, lst, rationale, ge in seeds:
        seed_sections.append(
            f"### `seeds/{name}.txt` ({len(lst)} handles)\n\n" + " ".join(rationale) + "\n\n"
            + "Members following at least k of the list: "
            + ", ".join(f"k={k}: **{ge[k]}**" for k in K_REPORT) + " (of 428).\n\n"
            + "House members following each seed: " + ", ".join(f"{h} {hf[h]}" for h in lst) + ".\n"
        )
    ren = table(["followed_id", "name used", "names seen (edges)"], I["renames"])
    newest = "; ".join(f"{k}: {v[0]} (@{v[1]})" for k, v in I["newest_followed"].items())
    return f"""# us-house-2022: US House following lists (late 2022) + 117th-Congress interactions (Feb-Jun 2022)

Generated by `data/build_data.py` from `shared/data/us-house-following/` and
`shared/data/congress-twitter/`. Do not edit by hand; rerun the script.

## Provenance and licences

- **Follow layer**: github.com/okeneo/USCongressFollowingSet, HEAD
  6421190c0a91670eb2e42b78c81eee0b979b50dd (2023-01-09); data files added in
  9bd6b12c3bdc00d495b69bb54f476899f42f86fc. Complete Twitter API v2 "following" lists of 428
  House members of the 117th Congress ("used by Dr. Akcora for Graph Neural Network research").
  No licence stated upstream; attribute to the repository. The shared copy is a format
  conversion of the upstream JSON (names/descriptions dropped).
- **Interaction layer**: github.com/gsprint23/CongressionalTwitterNetwork, HEAD
  205ca40d973e13944051e1e44240d005a9b1a1bc (2023-08-16), also on SNAP
  (snap.stanford.edu/data/congress-twitter.html). MIT licence, (c) 2023 Gina Sprint: see
  `LICENSE.congress-twitter.txt`, which must travel with `interactions.csv`.
- **Node attributes** (bioguide-joined party, chamber, state; `tweets_in_window`): the derived
  `congress_nodes.tsv` of the shared set, built from github.com/unitedstates/congress-legislators
  at b6c8c0bd07e48f96ff077ceec08aaff139e34496 (2022-05-26, CC0 1.0) and from the upstream
  `congress_tweet_ids` (count of tweet ids per account, 2022-02-09 to 2022-06-08).

### Citation

> C.G. Fink, N. Omodt, S. Zinnecker, G. Sprint. "A Congressional Twitter network dataset
> quantifying pairwise probability of influence". *Data in Brief* 50 (2023) 109521.
> doi:10.1016/j.dib.2023.109521

> C.G. Fink, K. Fullin, G. Gutierrez, N. Omodt, S. Zinnecker, G. Sprint, S. McCulloch. "A
> centrality measure for quantifying spread on weighted, directed networks". *Physica A* (2023).
> doi:10.1016/j.physa.2023.129083

Follow layer: okeneo, *USCongressFollowingSet* (GitHub, 2023), commit 6421190c.

## Files

{file_table(out, counts)}

All text is UTF-8 with `\\n` line endings; gzip members have mtime 0. Rows are sorted.

## Handles

`account` is the Twitter handle. Handles are case-insensitive, so all files were joined on the
lower-cased handle and every file uses ONE canonical spelling per account: the spelling in
`house_members.tsv`, else `congress_nodes.tsv`, else `followed_username`. Changes made:
{"; ".join(f"`{x}`" for x in I["spell_diffs"])}.

## `accounts.csv` ({I['n_accounts']:,} rows)

Rows: the 428 House members with complete following lists, the other
{I['n_accounts'] - 428 - I['n_seed_extra']} nodes of the congress-twitter network (senators,
House members without a following list, alternate accounts), and {I['n_seed_extra']} non-member
seed / pool accounts. It does NOT list all {I['n_followed_accounts']:,} followed accounts; any
account in `follows.tsv.gz` that is not here has no attributes.
Roles: house {rc['house']}, senate {rc['senate']}, other {rc['other']}.

| column | meaning |
|---|---|
| `account` | canonical handle |
| `role` | `house` (House member account), `senate`, `other` (not a member account of the data: media, watchdogs, members' personal/campaign accounts that are not congress-twitter nodes) |
| `party` | D / R / I: `house_members.tsv` (from upstream `handles_party.txt`) for the 428, else `party_legislators_2022` of `congress_nodes.tsv`. Empty if unknown: {", ".join(I["party_empty"]) or "none"} among members, and all `other` rows |
| `chamber` | `rep` / `sen` (congress-legislators 2022-05-26; `rep` for all 428 members); empty for `other` |
| `state` | two-letter state from `congress_nodes.tsv`; empty for {I['state_empty_members']} `house` rows (the members that are not congress-twitter nodes, for which no source gives a state, and repdelgado) and for `other` |
| `house_followers` | number of the 428 House members who follow the account in `follows.tsv.gz`. A **proxy** for popularity inside the House only. Real follower counts are NOT in the data |
| `tweets_in_window` | tweets the account posted 2022-02-09..2022-06-08 (count of its ids in upstream `congress_tweet_ids`; a status-count proxy). **Empty = unknown, not 0** (see below). Known for {I['n_tw_known']} rows |
| `following` | out-degree in `follows.tsv.gz` (= upstream `n_following`) for the 428 members; empty for everyone else (their lists were not collected) |
| `complete_out` | `true` for the 428 members (their whole following list is present), `false` otherwise |

## `follows.tsv.gz` ({I['n_follows']:,} rows)

`follower<TAB>followee`: the House member follows the account. All {I['n_edges_src']:,}
upstream edges are kept (nothing cut): {I['n_follows']:,} edges from 428 members to
{I['n_followed_accounts']:,} distinct accounts ({I['n_followed_ge2']:,} of them followed by >= 2
members, receiving {I['n_edges_to_ge2']:,} edges). No duplicates, no self-follows.

Username/id check: `followed_username -> followed_id` is 1:1, but {len(I['renames'])} ids appear
under two usernames (renamed during collection). One account per id, named by the username on
the most edges; the other name does not appear anywhere in this folder:

{ren}

Member ids agree with followed ids for the same handle, and the {I['n_id_checked']} congress-twitter
nodes with both a legislators twitter id and a following-data id agree.

## `interactions.csv` ({I['n_inter']:,} rows)

From upstream `congress.edgelist` (Feb 9 - Jun 8 2022, 475 accounts). Upstream edge i->j with
weight w means member j engaged with member i (retweet, quote, reply or mention, aggregated),
w = (j's tweets engaging i) / (tweets i posted in the window).

| column | meaning |
|---|---|
| `source` | j, the account that acted (retweeted/quoted/replied to/mentioned) |
| `target` | i, the account engaged with |
| `kind` | always `engagement` (the four kinds are aggregated upstream) |
| `weight` | recovered integer count of j's tweets engaging i = round(w x tweets_in_window(i)); empty when i's tweets_in_window is unknown |

Every recovered count was within {I['inter_max_dev']:.1e} of an integer ({I['n_inter_nonint']} failures of
the 1e-6 test). Counts sum to {I['inter_weight_sum']:,}; max {I['inter_weight_max']}.
**{I['n_inter_empty']} rows have an empty weight** (the loader defaults them to 1 and counts them
in its manifest): edges whose target has no tweets_in_window, i.e. {", ".join(I['inter_empty_targets'])}.
Self-loops: {I['n_inter_self']}.

## `seeds/`

One handle per line (canonical spelling), `#` comment header with the rationale. Every seed is
followed by at least {MIN_SEED_FOLLOWERS} of the 428 members (checked by the build). Rankings using
"follows >= k seeds" can only be computed for the 428 members, because only their out-lists are
complete.

{chr(10).join(seed_sections)}
Note: a seed who is also one of the 428 members cannot follow themselves, so for member seeds the
maximum reachable count is one lower.

## What is missing / caveats

- **No real follower counts** or status counts. `house_followers` counts followers among the
  428 members only; `tweets_in_window` is a 4-month status-count proxy.
- **Two House members' following lists are missing**: EleanorNorton (27,999 follows per the
  upstream README) and RepJudyChu; their upstream files were too large to fetch. Both are
  congress-twitter nodes, so they are rows with `role=house`, `complete_out=false`.
  All `house` rows without a following list: {", ".join(I['house_not_member'])}.
- **`tweets_in_window` is empty** for: (a) the {len(tw['members_not_in_network'])} of the 428 members
  who are not congress-twitter nodes (the upstream network keeps only members with >= 100 tweets
  in the window, and some members appear there under another account):
  {", ".join(tw['members_not_in_network'])}; (b) the {len(tw['nodes_manual_or_none'])} congress-twitter
  nodes that were matched to a legislator by name, not by official handle (personal or campaign
  accounts, so the tweet-id file of the official account does not apply) or not matched at all
  (repdelgado): {", ".join(tw['nodes_manual_or_none'])}; (c) every `other` account.
- `repdelgado` (Antonio Delgado) has no chamber/party in `congress_nodes.tsv` because he left the
  House on 2022-05-25, before the legislators snapshot; he is `role=house`, `chamber=rep` here,
  party left empty.
- **Time gap**: the interaction layer covers 2022-02-09..2022-06-08. The follow layer was
  collected later: the newest followed accounts were created {newest} (Twitter snowflake ids),
  and the data was committed 2023-01-09, so the lists date from roughly late December 2022,
  6-10 months after the interactions. Membership changed in between (e.g. repfinstad, sworn in
  Sept 2022, has a following list; RepCharlieCrist and RepBobbyRush are interaction nodes that no
  member follows in the late-2022 lists, probably because those accounts had been renamed or
  closed by then).
- {I['members_in_network']} of the 428 members are congress-twitter nodes. Prominent members absent
  from the interaction network (so no `tweets_in_window` and no interaction rows) include RepAOC,
  RepKinzinger, RepScottPerry, RepCuellar, RepMaxineWaters and RepZoeLofgren.
- **The 428 accounts are 427 people**: David Cicilline has two accounts in the member list,
  `RepCicilline` and `davidcicilline` (both in upstream `handles_party.txt`, both with complete
  lists). Both are kept as separate `house` rows; party counts D 216 / R 212 include him twice.
  The 428 also include the non-voting delegates / resident commissioner GuamCongressman,
  RepAmata, Kilili_Sablan, StaceyPlaskett and RepJenniffer.
- Upstream `handles_party.txt` lists 439 handles; the 11 without a following list are the 2 noted
  above plus 9 for which the shared copy has no following file (RepCardenas, RepMikeCarey,
  RepJerryCarl, RepAndreCarson, RepCharlieCrist, rosadelauro, RepConorLamb, teammoulton,
  RepBobbyRush; RepConorLamb and teammoulton are not congress-twitter nodes either, so they are
  not rows here).
"""


def higgs_readme(out: Path, I: dict) -> str:
    counts = {"accounts.csv": f"{I['n_accounts']:,}", "follows.tsv.gz": f"{I['n_follows']:,}",
              "interactions.tsv.gz": f"{I['n_inter']:,}"}
    for name, lst, *_ in I["seeds"]:
        counts[f"seeds/{name}.txt"] = f"{len(lst)} accounts"
    seed_sections = []
    for name, lst, text, ge, skipped, n_in in I["seeds"]:
        seed_sections.append(
            f"### `seeds/{name}.txt` ({len(lst)} accounts, {n_in} of them in the follow sample)\n\n"
            + " ".join(text[:-1]) + "\n\n"
            + "Sample users following at least k of the list: "
            + ", ".join(f"k={k}: **{ge[k]:,}**" for k in HIGGS_K_REPORT) + " (of 5,394).\n")
    j = I["joined"]
    cut = dt.datetime.fromtimestamp(HIGGS_CUT, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    end = dt.datetime.fromtimestamp(HIGGS_END, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    k = I["kinds"]
    t0, t1 = I["t_range"]
    ts = lambda t: dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"""# higgs-2012: SNAP Higgs Twitter, 1-7 July 2012 (partial follow graph + interactions)

Generated by `data/build_data.py` from `shared/data/higgs-twitter/`. Do not edit by hand.

## Provenance

- Stanford SNAP, "Higgs Twitter Dataset", https://snap.stanford.edu/data/higgs-twitter.html.
  Tweets about the Higgs-boson announcement, 2012-07-01..2012-07-07. User ids are anonymised
  integers, the same across files. No licence stated; SNAP asks users to cite the paper below.
- Activity stream: byte-identical SNAP `higgs-activity_time.txt.gz` from
  github.com/trygvell/network-and-nlp-m2 (file commit b731f62fd21f7d317f6876d84aa14ef204b8e8d1).
- Follow graph: the full SNAP `higgs-social_network.edgelist.gz` (456,626 nodes, 14,855,842
  edges) was NOT obtainable. A truncated prefix of it (github.com/HimangiM/Anomaly_Graph_Neural_Net,
  commit 4a06dcb6c6d28768a739b7d70bbafaa73603ebb0) holds complete, contiguous out-lists for 5,394
  source users (last, incomplete block removed in the shared copy).

### Citation

> M. De Domenico, A. Lima, P. Mougel, M. Musolesi. "The Anatomy of a Scientific Rumor".
> *Scientific Reports* 3, 2980 (2013). doi:10.1038/srep02980

Also cite SNAP: J. Leskovec, A. Krevl. SNAP Datasets: Stanford Large Network Dataset Collection,
http://snap.stanford.edu/data (2014).

## Files

{file_table(out, counts)}

UTF-8, `\\n` line endings, gzip mtime 0, rows sorted. Ids are the anonymised integers written
as strings.

## The sample

The **follow sample** is the 5,394 users whose complete following lists are present (the
sources of the partial edgelist). Only for them can "follows >= k seeds" be evaluated.

## `follows.tsv.gz` ({I['n_follows']:,} rows)

`follower<TAB>followee` (follower follows followee), the partial edgelist as is, sorted
numerically: {I['n_follows']:,} edges from 5,394 followers to {I['n_followees']:,} distinct followees.
Out-degree min/median/max {I['outdeg'][0]}/{I['outdeg'][1]}/{I['outdeg'][2]}.
**{I['n_follow_self']} self-loops are kept** (the loader applies its self-loop policy).
Duplicate edges: {I['n_follow_dups']}.

## `interactions.tsv.gz` ({I['n_inter']:,} rows)

Rows of `higgs-activity_time.txt.gz` ({I['n_activity_src']:,} rows in all) where userA or userB
is in the follow sample: {I['n_inter_src_in']:,} with the sample user acting,
{I['n_inter_dst_in']:,} with the sample user as target, {I['n_inter_both_in']:,} both.
{I['sources_any']:,} of the 5,394 appear, {I['sources_active']:,} of them as actors.

| column | meaning |
|---|---|
| `source` | userA, the account acting |
| `target` | userB, the account retweeted / mentioned / replied to |
| `kind` | `retweet` (RT, {k['retweet']:,} rows), `mention` (MT, {k['mention']:,}), `reply` (RE, {k['reply']:,}) |
| `time` | Unix seconds, UTC; here {ts(t0)} .. {ts(t1)} |

**{I['n_inter_self']} self-rows (source = target) are kept.** Exact duplicate rows (same source,
target, kind and time): {I['n_inter_exact_dups']}.
One tweet can produce several rows: every reply row has a matching mention row with the same
(source, target, time), and some retweet rows share (source, time) with mention rows.

## `accounts.csv` ({I['n_accounts']:,} rows)

Every account that appears in either file.

| column | meaning |
|---|---|
| `account` | anonymised id |
| `in_follow_sample` | `true` for the 5,394 users with complete following lists |
| `followers_in_sample` | in-degree in `follows.tsv.gz`: how many of the 5,394 sampled users follow the account (self-loops included). A **proxy**, NOT the follower count: the other ~451k users' out-lists are missing. Max {I['max_indeg'][1]} (account {I['max_indeg'][0]}) |
| `events_initiated` | rows of the FULL upstream activity stream with the account as userA (all kinds; one tweet can give several rows). For the 5,394 this equals their rows as `source` in `interactions.tsv.gz`; for other accounts it also counts events not involving the sample, so it is larger than what the bundled file shows |
| `distinct_tweets` | distinct (userA, time) pairs in the full stream: a **proxy** for the number of Higgs-related tweets posted in the week, NOT the account's status count (which is not in the data) |
| `joined` | when the account first took part in the Higgs conversation: `before` the cut ({cut}: the rumour phase, 1-3 July), `after` it, or `never`. "Taking part" = the first event of the FULL stream the account initiated (any kind) or the first time it was retweeted (a retweet carries the author's own Higgs tweet); being mentioned or replied to does not count (someone else's act). Among the 5,394: before **{j['before']:,}**, after **{j['after']:,}**, never **{j['never']:,}** |
| `seniority_hours` | hours from that first activity to {end} (the end of the stream): seniority in the conversation, larger = earlier. Empty for `never`. Among the 5,394 with a value: min/median/max {I['seniority'][0]}/{I['seniority'][1]}/{I['seniority'][2]} |

## The announcement cut

CERN's seminar began on 2012-07-04 at 07:00 UTC (09:00 CEST). In the stream the burst starts
near 04:00 UTC (events per 10 minutes rise from ~250 to over 1,000) and peaks 05:50-07:00 UTC,
before the seminar as recorded: either the timestamps are shifted by a few hours or the
anticipation peaked early, and the data cannot tell which. The cut used for `joined` and the
"before" seed lists is **{cut}** (Unix {HIGGS_CUT}): under either reading every event before it
belongs to the rumour phase (rumours from 1 July, the Tevatron result of 2 July), with 4 hours
to spare before the burst.

## `seeds/`: derived seed lists (proxies for a hand-picked list)

The data is anonymised, so nobody can hand-pick "boat-rockers". These lists are built from the
activity stream by fixed rules, as stand-ins for the lists a list-maker who knew the field
might have picked; they are proxies, not anybody's choice. One anonymised id per line, with a
trailing `#` comment giving the statistic the list is ordered by and the account's followers in
the sample. Every seed is followed by at least {HIGGS_MIN_SEED_FOLLOWERS} of the 5,394 users with
complete follow lists, because "follows >= k seeds" can only be seen through those users' lists;
accounts placed higher but followed by fewer are skipped and named in each file's header. A seed
need not itself be in the sample: whether a sampled user follows it is known from the user's
complete list, whoever the seed is. (A seed that is in the sample cannot count itself: self-loops
are dropped.)

{chr(10).join(seed_sections)}
The study's rule is `watched` with k = {HIGGS_K} (the NHS "at least 5").

## What is missing

- The full follow graph (14.9M edges), so no real follower counts; in-degree within the
  sample is only a proxy.
- Status counts, tweet texts, and which tweet a retweet refers to.
- Everything is anonymised: no handles, so accounts cannot be joined to other data, and no
  list can be hand-picked: the seed lists above are rules applied to the stream.
- Original (non-retweet) tweets are not rows of the stream, so an account that only posted
  tweets nobody retweeted, mentioned or replied to looks `never` active.
- The 5,394 sampled users are the first source blocks of the SNAP edgelist, not a random
  sample: their ids run from 1 to 76,850 (median 24,185) out of 456,626, and 1,562 of them are
  among ids 1-10,000. How SNAP numbered users is not documented; if ids follow crawl order, the
  sample leans towards users reached early (plausibly better connected).
"""


def index_readme(summary) -> str:
    rows = [[f"`{p}`", f"{b:,}", r] for p, b, r in summary]
    total = sum(b for _, b, _ in summary)
    return f"""# Bundled real datasets

Rebuilt by `python3 data/build_data.py [SOURCE_ROOT]` (stdlib only; default source
`<repo>/../shared/data`). Each folder has a README with provenance, citation, columns and md5s.

- `us-house-2022/`: who the 428 House members follow (late 2022), with an interaction layer
  among the 117th Congress (Feb-Jun 2022) and seed lists for "follows >= k seeds" audits.
- `higgs-2012/`: SNAP Higgs Twitter (July 2012), 5,394 users with complete following lists and
  their retweet/mention/reply events, with seed lists derived from the stream (the data is
  anonymised) and a `joined` attribute (active before the announcement day or not).

{table(["file", "bytes", "rows"], rows)}

Total of the files above: {total:,} bytes ({total / 1e6:.2f} MB).
"""


# ---------------------------------------------------------------------------


def main(argv) -> int:
    src = Path(argv[1]).resolve() if len(argv) > 1 else DEFAULT_SRC.resolve()
    if not (src / "us-house-following").is_dir() or not (src / "higgs-twitter").is_dir():
        print(f"source root {src} lacks us-house-following/ or higgs-twitter/", file=sys.stderr)
        return 2
    log(f"source: {src}")
    house_out = HERE / "us-house-2022"
    higgs_out = HERE / "higgs-2012"

    H = build_us_house(src, house_out)
    log("\n== us-house-2022")
    log(f"accounts.csv      {H['n_accounts']:>9,} rows  roles {dict(sorted(H['role_counts'].items()))}")
    log(f"follows.tsv.gz    {H['n_follows']:>9,} rows  (source {H['n_edges_src']:,}; kept all)")
    log(f"interactions.csv  {H['n_inter']:>9,} rows  ({H['n_inter_empty']} empty weights, "
        f"{H['n_inter_nonint']} non-integer, max dev {H['inter_max_dev']:.1e})")
    for p in H["problems"]:
        log(f"note: {p}")
    log("\nseeds (members following each seed):")
    for name, lst, _, ge in H["seeds"]:
        log(f"  {name} ({len(lst)}): " + ", ".join(f"{h}={H['house_followers'][h]}" for h in lst))
        log(f"    members following >= k: " + "  ".join(f"k={k}:{ge[k]}" for k in K_REPORT))

    G = build_higgs(src, higgs_out)
    log("\n== higgs-2012")
    log(f"accounts.csv      {G['n_accounts']:>9,} rows")
    log(f"follows.tsv.gz    {G['n_follows']:>9,} rows  ({G['n_follow_self']} self-loops, {G['n_follow_dups']} dups)")
    log(f"interactions.tsv.gz {G['n_inter']:>7,} rows  ({G['n_inter_self']} self-rows, "
        f"{G['n_inter_exact_dups']} exact dup rows) kinds {dict(sorted(G['kinds'].items()))}")
    log(f"joined (5,394 sample users): {G['joined']}; seniority_hours min/median/max {G['seniority']}")
    for name, lst, _, ge, skipped, n_in in G["seeds"]:
        log(f"  {name} ({len(lst)}; {n_in} in the sample; {len(skipped)} skipped): sample users following >= k: "
            + "  ".join(f"k={k}:{ge[k]}" for k in HIGGS_K_REPORT))

    write_text(house_out / "README.md", us_house_readme(house_out, H))
    write_text(higgs_out / "README.md", higgs_readme(higgs_out, G))

    row_counts = {
        "us-house-2022/accounts.csv": f"{H['n_accounts']:,}",
        "us-house-2022/follows.tsv.gz": f"{H['n_follows']:,}",
        "us-house-2022/interactions.csv": f"{H['n_inter']:,}",
        "higgs-2012/accounts.csv": f"{G['n_accounts']:,}",
        "higgs-2012/follows.tsv.gz": f"{G['n_follows']:,}",
        "higgs-2012/interactions.tsv.gz": f"{G['n_inter']:,}",
    }
    for name, lst, _, _ in H["seeds"]:
        row_counts[f"us-house-2022/seeds/{name}.txt"] = f"{len(lst)}"
    for name, lst, *_ in G["seeds"]:
        row_counts[f"higgs-2012/seeds/{name}.txt"] = f"{len(lst)}"
    files = sorted(p for p in HERE.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p != HERE / "README.md" and p.resolve() != Path(__file__).resolve()
                   and p.suffix != ".toml")
    summary = [(p.relative_to(HERE).as_posix(), p.stat().st_size, row_counts.get(p.relative_to(HERE).as_posix(), ""))
               for p in files]
    write_text(HERE / "README.md", index_readme(summary))

    log("\n== files")
    total = 0
    for p in sorted(x for x in HERE.rglob("*") if x.is_file() and "__pycache__" not in x.parts):
        rel = p.relative_to(HERE).as_posix()
        size = p.stat().st_size
        total += size
        log(f"  {rel:<45} {size:>11,} B  {row_counts.get(rel, ''):>9}  {md5_of(p)}")
    log(f"total data/: {fmt_bytes(total)} (budget {fmt_bytes(BUDGET_BYTES)})")
    if total > BUDGET_BYTES:
        log("WARNING: over budget")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
