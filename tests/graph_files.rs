//! The graph handoffs (graph/*.gexf, graph/*.graphml) read back with networkx and igraph,
//! and every Parquet table opened with pyarrow; each check skips, with a message, when
//! Python or the library is missing.

use crate::support::*;

/// Shared by the networkx and igraph checks: the manifest's counts, the rankings CSV.
const COMMON: &str = r#"
import csv, json, os, sys
out = sys.argv[1]
man = json.load(open(os.path.join(out, "manifest.json")))
n_nodes, n_edges = man["accounts"], man["follow_graph"]["edges"]
listed = [o["path"] for o in man["outputs"]]
assert "graph/follows.gexf" in listed and "graph/follows.graphml" in listed, listed
ranks = [(r["ranking"], r["account"], int(r["rank"]))
         for r in csv.DictReader(open(os.path.join(out, "tables", "rankings.csv")))]
assert ranks
"#;

#[test]
fn gexf_and_graphml_read_back_in_networkx() {
    if !has_python_module("networkx") {
        eprintln!("skipped: python3 cannot import networkx");
        return;
    }
    let out = audit_small("graph-nx");
    let script = format!(
        "{COMMON}{}",
        r#"
import networkx as nx
for name, g in [("gexf", nx.read_gexf(os.path.join(out, "graph", "follows.gexf"))),
                ("graphml", nx.read_graphml(os.path.join(out, "graph", "follows.graphml")))]:
    assert g.is_directed(), name
    assert g.number_of_nodes() == n_nodes, (name, g.number_of_nodes(), n_nodes)
    assert g.number_of_edges() == n_edges, (name, g.number_of_edges(), n_edges)
    assert all(g.nodes[v].get("label") for v in g.nodes), name
    for ranking, account, rank in ranks:
        assert g.nodes[account][ranking + "_rank"] == rank, (name, ranking, account)
    assert any(k.startswith("p_top_n_") for v in g.nodes for k in g.nodes[v]), name
print("networkx ok")
"#
    );
    python(&script, &out);
}

#[test]
fn gexf_and_graphml_read_back_in_igraph() {
    if !has_python_module("igraph") {
        eprintln!("skipped: python3 cannot import igraph (pip install igraph)");
        return;
    }
    let out = audit_small("graph-ig");
    let script = format!(
        "{COMMON}{}",
        r#"
import igraph as ig
g = ig.Graph.Read_GraphML(os.path.join(out, "graph", "follows.graphml"))
assert g.is_directed()
assert g.vcount() == n_nodes and g.ecount() == n_edges, (g.vcount(), g.ecount())
index = {v["id"]: v for v in g.vs}
for ranking, account, rank in ranks:
    assert int(index[account][ranking + "_rank"]) == rank, (ranking, account)
print("igraph ok")
"#
    );
    python(&script, &out);
}

#[test]
fn every_parquet_table_opens_in_pyarrow_with_the_csv_columns() {
    if !has_python_module("pyarrow") {
        eprintln!("skipped: python3 cannot import pyarrow (pip install pyarrow)");
        return;
    }
    let out = audit_small("graph-pa");
    python(
        r#"
import csv, glob, os, sys
import pyarrow.parquet as pq, pyarrow.types as t
out = sys.argv[1]
paths = sorted(glob.glob(os.path.join(out, "tables", "*.parquet")))
assert paths
for p in paths:
    schema = pq.read_table(p).schema
    header = next(csv.reader(open(p[:-len(".parquet")] + ".csv")))
    assert schema.names == header, (p, schema.names, header)
    for f in schema:
        ty = f.type.value_type if t.is_dictionary(f.type) else f.type
        assert (t.is_integer(ty) or t.is_floating(ty) or t.is_boolean(ty)
                or t.is_string(ty) or t.is_large_string(ty)
                or getattr(t, "is_string_view", lambda _: False)(ty)), (p, f)
print("pyarrow ok", len(paths))
"#,
        &out,
    );
}

#[test]
fn graph_files_false_writes_none_and_says_so() {
    let dir = temp_dir("graph-off");
    for f in ["accounts.csv", "follows.csv", "pool.txt", "seeds.txt"] {
        std::fs::copy(fixture("small").join(f), dir.join(f)).unwrap();
    }
    let study = std::fs::read_to_string(fixture("small/study.toml")).unwrap();
    std::fs::write(
        dir.join("study.toml"),
        format!("{study}\n[output]\ngraph_files = false\n"),
    )
    .unwrap();
    let o = ok(&dir, &["audit", "study.toml", "--out", "out"]);
    assert!(!dir.join("out/graph").exists());
    assert!(
        stderr(&o).contains("[output] graph_files = false"),
        "{}",
        stderr(&o)
    );
    let manifest = std::fs::read_to_string(dir.join("out/manifest.json")).unwrap();
    assert!(!manifest.contains("graph/"));
}
