//! The canonical tables of a loaded dataset, as `rankaudit import` writes them: what any
//! importer read, after the row policies, in the columns `rank` and `audit` read back
//! without a column mapping (README "Input tables").
//!
//! - `accounts`: `account`, `label`, the platform counts, then every attribute column in
//!   the order of the file it came from. Counts and integral numeric attributes are
//!   written as integers, other numbers as decimals, text as text; an empty cell is a
//!   missing value. Accounts the edges added (no row in an accounts table) are listed
//!   too, with every column but `account` empty.
//! - `follows`: `follower`, `followee`, each distinct edge once, by follower then by
//!   followee index (the order accounts were first seen).
//! - `interactions`: `source`, `target`, `kind`, `time` (RFC 3339, UTC, seconds),
//!   `weight`, `tag`, one row per event in file order.

use std::sync::Arc;

use crate::dataset::{Dataset, clean, schema};

use super::tables::{Col, Dictionary, Table};
use crate::dataset::Numbers;

/// The accounts, follows and interactions tables of `ds` (a table the dataset does not
/// have is left out: no follows without a follows source, and so on).
pub fn tables(ds: &Dataset, has_follows: bool, has_interactions: bool) -> Vec<Table<'static>> {
    let ids = Arc::new(Dictionary::new(ds.accounts.ids.names().iter()));
    let mut out = vec![accounts(ds, &ids)];
    if has_follows {
        out.push(follows(ds, &ids));
    }
    if has_interactions {
        out.push(interactions(ds, &ids));
    }
    out
}

fn accounts(ds: &Dataset, ids: &Arc<Dictionary>) -> Table<'static> {
    let acc = &ds.accounts;
    let n = acc.len();
    let all: Vec<u32> = (0..n as u32).collect();
    let labels: Vec<Option<String>> = (0..n)
        .map(|i| {
            acc.text
                .get(schema::LABEL)
                .and_then(|c| c.get(i).cloned().flatten())
        })
        .collect();
    let mut t = Table::new("accounts")
        .col(schema::ACCOUNT, Col::dict(all, ids.clone()))
        .col(schema::LABEL, Col::OptStr(labels));
    // Counts first, then the attributes in the order of their file's columns.
    let position = |name: &str| {
        let canon = schema::COUNT_COLUMNS.iter().position(|c| *c == name);
        let file = acc.column_origin.get(name).map_or(usize::MAX, |o| o.1);
        (canon.unwrap_or(usize::MAX), file, name.to_string())
    };
    let mut names: Vec<&String> = acc
        .numeric
        .keys()
        .chain(acc.text.keys().filter(|k| *k != schema::LABEL))
        .collect();
    names.sort_by_key(|n| position(n));
    for name in names {
        let col = match (acc.numeric.get(name), acc.text.get(name)) {
            (Some(v), _) => numbers(v, n),
            (None, Some(v)) => {
                let mut v = v.clone();
                v.resize(n, None);
                Col::OptStr(v)
            }
            (None, None) => continue,
        };
        t = t.col(name, col);
    }
    t
}

/// A numeric column: integers where every value is one (and exact in an f64).
fn numbers(v: &Numbers, n: usize) -> Col {
    let exact = |x: f64| x.fract() == 0.0 && x.abs() < 2f64.powi(53);
    let mut v: Vec<Option<f64>> = v.iter().collect();
    v.resize(n, None);
    if v.iter().flatten().all(|&x| exact(x)) {
        Col::OptI64(v.iter().map(|x| x.map(|x| x as i64)).collect())
    } else {
        Col::OptF64(v)
    }
}

fn follows(ds: &Dataset, ids: &Arc<Dictionary>) -> Table<'static> {
    let g = &ds.follows;
    let (mut from, mut to) = (Vec::new(), Vec::new());
    for v in 0..g.node_count() as u32 {
        for &w in g.neighbors(v) {
            from.push(v);
            to.push(w);
        }
    }
    Table::new("follows")
        .col(schema::FOLLOWER, Col::dict(from, ids.clone()))
        .col(schema::FOLLOWEE, Col::dict(to, ids.clone()))
}

fn interactions(ds: &Dataset, ids: &Arc<Dictionary>) -> Table<'static> {
    let e = &ds.interactions;
    let kinds = Arc::new(Dictionary::new(e.kinds.iter()));
    Table::new("interactions")
        .col(schema::SOURCE, Col::dict(e.source.clone(), ids.clone()))
        .col(schema::TARGET, Col::dict(e.target.clone(), ids.clone()))
        .col(
            schema::KIND,
            Col::dict(e.kind.iter().map(|&k| u32::from(k)).collect(), kinds),
        )
        .col(
            schema::TIME,
            Col::OptStr(e.time.iter().map(|t| t.map(rfc3339)).collect()),
        )
        .col(schema::WEIGHT, Col::F64(e.weight.clone()))
        .col(
            schema::TAG,
            Col::OptStr(
                e.tag
                    .iter()
                    .map(|t| t.map(|i| e.tags[i as usize].clone()))
                    .collect(),
            ),
        )
}

/// Unix seconds as RFC 3339 in UTC, to the second (`2012-07-01T00:00:05Z`).
pub fn rfc3339(t: i64) -> String {
    clean::rfc3339(t, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_341_100_805), "2012-07-01T00:00:05Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn integral_columns_are_integers() {
        assert_eq!(
            numbers(&vec![Some(3.0), None].into(), 3),
            Col::OptI64(vec![Some(3), None, None])
        );
        assert_eq!(
            numbers(&vec![Some(0.5)].into(), 1),
            Col::OptF64(vec![Some(0.5)])
        );
    }
}
