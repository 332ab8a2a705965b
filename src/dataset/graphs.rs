//! The follow graph and the interaction graph, made from the loaded tables (the CSR
//! types are [`crate::graph`]'s, which knows nothing of datasets).

use serde::{Deserialize, Serialize};

use super::{Dataset, Interactions};
use crate::graph::Graph;

/// The follow graph: an edge follower -> followee for every follow kept by the policies.
/// Takes the follow adjacency out of the dataset (it is not needed again), so that only
/// the in-adjacency is built here: 8 bytes per edge in all. A prepared graph file gave
/// both directions: then nothing is built (mapped arrays stay in the map).
pub fn follow_graph(ds: &mut Dataset) -> Graph {
    let n = ds.accounts.len();
    let out = std::mem::take(&mut ds.follows).with_node_count(n);
    match ds.follows_in.take() {
        Some(inn) => Graph {
            out,
            inn: inn.with_node_count(n),
        },
        None => Graph::from_out(out),
    }
}

/// Which interaction events make up the interaction graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InteractionFilter {
    /// Kinds to keep (empty = all kinds).
    pub kinds: Vec<String>,
}

/// The interaction graph on `n` accounts: source -> target weighted by the summed event
/// weights of the events passing `filter`.
pub fn interaction_graph(it: &Interactions, n: usize, filter: &InteractionFilter) -> Graph {
    let keep: Vec<bool> = it
        .kinds
        .iter()
        .map(|k| filter.kinds.is_empty() || filter.kinds.iter().any(|f| f == k))
        .collect();
    let edges = (0..it.len())
        .filter(|&i| keep[it.kind[i] as usize] && it.weight[i] > 0.0)
        .map(|i| (it.source[i], it.target[i], it.weight[i]))
        .collect();
    Graph::from_edges(n, edges, true)
}
