#!/usr/bin/env python3
"""Write the committed seed corpus (tests/fuzz/corpus/<target>/) from the repository's
fixtures and bundled data: small files, each a realistic start for the fuzzer.

Table inputs are two option bytes then the file (see harness.rs, `Options`): byte 0 bits
0-1 layout (csv, tsv, space-separated .txt, ';' .dat), 2 no header, 3 comment '#',
4 malformed=skip, 5-6 unknown_ids (add, drop, error), 7 gzip; byte 1 bits 0 keep
self-loops, 1 keep duplicate follows, 2-3 accounts table (none, names, ints, sparse),
4 alternate column mapping, 5 optional columns mapped (no header).

Run from the repository root: python3 tests/fuzz/seed_corpus.py
"""
import gzip
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fuzz" / "corpus"

CSV, TSV, TXT, DAT = 0, 1, 2, 3
NOHEADER, COMMENT, SKIP, DROP, ERROR, GZIP = 4, 8, 16, 1 << 5, 2 << 5, 128
KEEP_LOOPS, KEEP_DUPS, NAMES, INTS, SPARSE, ALT, OPTIONAL = 1, 2, 4, 8, 12, 16, 32


def head(rel, lines):
    """The first `lines` lines of a fixture (gunzipped)."""
    p = ROOT / rel
    data = gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
    return b"".join(data.splitlines(keepends=True)[:lines])


def write(target, name, body, b0=None, b1=0):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    data = body if b0 is None else bytes([b0, b1]) + body
    assert len(data) <= 4096, (target, name, len(data))
    (d / name).write_bytes(data)


def main():
    # follows
    small = head("tests/fixtures/small/follows.csv", 100)
    write("follows", "small", small, CSV)
    write("follows", "small-names-skip", small, CSV | SKIP, NAMES)
    write("follows", "small-names-drop-keep", small, CSV | DROP, NAMES | KEEP_LOOPS | KEEP_DUPS)
    higgs = head("data/higgs-2012/follows.tsv.gz", 60)
    write("follows", "higgs-ints", higgs, TSV)
    write("follows", "higgs-ints-accounts", higgs, TSV | SKIP, INTS)
    write("follows", "higgs-sparse-error", higgs, TSV | ERROR, SPARSE)
    write("follows", "higgs-gzip", higgs, TSV | GZIP, INTS)
    write("follows", "house", head("data/us-house-2022/follows.tsv.gz", 30), TSV)
    body = b"".join(b"%d %d\n" % (i % 7, (3 * i + 1) % 11) for i in range(40))
    write("follows", "space-headerless", body, TXT | NOHEADER)
    write("follows", "space-headerless-swapped", body, TXT | NOHEADER, ALT | INTS)
    write("follows", "semicolon", b"follower;followee\n" + body.replace(b" ", b";"), DAT)
    write("follows", "renamed", b"src,dst\n" + body.replace(b" ", b","), CSV, ALT)
    write(
        "follows",
        "messy",
        b"\xef\xbb\xbffollower , followee\r\n1,2\r\n\r\n 3 , 4 \n5,5\n1,2\n\"6\",\"7\"\n"
        b"8,9,10\n,1\n\xff,2\n007,1\n12345678901234567890,1\n18446744073709551616,2\n",
        CSV | SKIP,
        KEEP_LOOPS,
    )
    write("follows", "comments", b"# a comment\nfollower,followee\n1,2\n# another\n2,3\n", CSV | COMMENT)
    write(
        "follows",
        "long-lines",
        b"follower,followee\n" + b"1" * 19 + b"," + b"2" * 19 + b"\n" + b"x" * 150 + b",y\n3,4",
        CSV | SKIP,
    )
    # accounts
    write("accounts", "small", head("tests/fixtures/small/accounts.csv", 100), CSV)
    write("accounts", "house", head("data/us-house-2022/accounts.csv", 25), CSV)
    write("accounts", "higgs", head("data/higgs-2012/accounts.csv", 25), CSV)
    write("accounts", "conv", head("tests/fixtures/conv/accounts.csv", 100), CSV)
    write("accounts", "headerless", b"s1,10,5\ns2,,7\na,3.0,1\n", CSV | NOHEADER, OPTIONAL)
    write("accounts", "renamed", b"id\tfans\tparty\ns1\t10\tD\nb\t20\tR\n", TSV, ALT)
    write(
        "accounts",
        "bad-counts",
        b"account,followers,statuses,x\na,1e300,1,1\nb,-1,2,n\nc,1.5,3,\nd,12.0,4,2\n"
        b"e,9007199254740993,5,inf\n,1,1,1\nf,NaN,1,1\n",
        CSV | SKIP,
    )
    write("accounts", "gzip", head("tests/fixtures/small/accounts.csv", 100), CSV | GZIP)
    # interactions
    conv = head("tests/fixtures/conv/interactions.csv", 100)
    write("interactions", "conv", conv, CSV)
    write("interactions", "conv-names", conv, CSV | SKIP, NAMES)
    write("interactions", "house", head("data/us-house-2022/interactions.csv", 20), CSV)
    write("interactions", "higgs", head("data/higgs-2012/interactions.tsv.gz", 20), TSV, INTS)
    write(
        "interactions",
        "headerless",
        b"a b reply 1 2014-05-01T00:00:10Z #x\nb a mention 0.5 1341101208 #y\nc a rt  1.5e9\n",
        TXT | NOHEADER,
        OPTIONAL,
    )
    write("interactions", "renamed", b"from,to,type\na,b,reply\nb,c,RT\n", CSV, ALT)
    write(
        "interactions",
        "messy",
        b"source,target,kind,time,weight,tag\na,b,reply,2012-07-01 02:02:52+02:00,1,\n"
        b"a,b,x,2012-13-01T00:00:00Z,1,t\na,b,x,1e400,-1,t\na,a,x,,inf,\n,b,x,,,\n"
        b"a,b,x,2000-02-29T00:00:00.5z,NaN,t\n",
        CSV | SKIP,
        KEEP_LOOPS,
    )
    # seed lists
    for rel in [
        "tests/fixtures/small/seeds.txt",
        "tests/fixtures/small/pool.txt",
        "data/us-house-2022/seeds/boat-rockers.txt",
        "data/us-house-2022/seeds/leadership.txt",
        "data/higgs-2012/seeds/watched.txt",
    ]:
        write("seeds", pathlib.Path(rel).stem, head(rel, 200))
    write("seeds", "messy", b"\xef\xbb\xbf@alice\r\n\n# c\nbob  # trailing\ncarol dave\n@\n")
    # study files
    # Each study-level check once (the fuzzer rarely reaches these values by itself).
    small = (ROOT / "tests/fixtures/small/study.toml").read_text()
    for name, old, new in [
        ("bad-name", 'name = "small"', 'name = "../x"'),
        ("top-n-0", "top_n = 2", "top_n = 0"),
        ("rbo-p", "top_n = 2", "top_n = 2\nrbo_p = 1.5"),
        ("compare-top", "top_n = 2", "top_n = 2\ncompare_top = [0.5, 2.0]"),
        ("same-ranking-name", 'name = "in-degree"', 'name = "published"'),
        ("unknown-sensitivity-ranking", 'ranking = "published"\n[[sens', 'ranking = "nope"\n[[sens'),
        ("huge-replicates", "replicates = 25", "replicates = 9223372036854775807"),
    ]:
        assert old in small, name
        write("study", "check-" + name, small.replace(old, new, 1).encode())
    for rel in [
        "tests/fixtures/small/study.toml",
        "data/us-house-2022/study.toml",
        "data/higgs-2012/study.toml",
        "data/higgs-2012/study-full.toml",
    ]:
        body = (ROOT / rel).read_bytes()
        name = rel.split("/")[-2] + "-" + pathlib.Path(rel).stem
        if len(body) <= 4096:
            write("study", name, body)
        else:
            # Larger than the fuzzer's input limit: cut at a table boundary.
            cut = body[:4096].rfind(b"\n[")
            write("study", name, body[:cut + 1])


if __name__ == "__main__":
    main()
