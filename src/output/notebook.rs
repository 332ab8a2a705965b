//! `explore.ipynb`: a Jupyter notebook beside the audit's tables, for researchers who
//! continue in Python. It says what the audit is and what each table holds, loads the
//! Parquet tables (polars when importable, else pandas; the CSV twin where a Parquet
//! file is absent, as in a git checkout that keeps only the CSVs), redraws two key
//! charts with matplotlib from the tables (the rank intervals of the published top N
//! under the key family, as `plots::caterpillar` draws them, and the agreement heatmap,
//! as `plots::heatmap` does) and shows how to follow one account across rankings.
//!
//! What the notebook cannot compute from the tables alone (which ranking and family
//! are the key ones, N, the rankings' study order) is written into its first code cell
//! as values. The notebook has no outputs and no execution counts, its JSON keys are
//! sorted and indented as Jupyter writes them, so the same audit gives the same bytes.
//! Its paths are relative to its own folder (where Jupyter starts its kernel), so the
//! folder can be moved.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;
use serde_json::{Value, json};

use crate::results::Results;
use crate::sensitivity::describe;
use crate::sensitivity::summary::{ACCIDENT, STABLE};

/// The notebook's name in the run folder.
pub const NOTEBOOK: &str = "explore.ipynb";

/// A table the audit wrote (`tables/<name>.parquet` and `.csv`) and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct TableNote {
    pub name: String,
    pub about: String,
}

/// The family and ranking of the rank-interval chart.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFamily {
    pub ranking: String,
    pub family: String,
    /// The family's runs in words ("the 160 universes of the multiverse"), as the Rust
    /// chart's title names them.
    pub runs: String,
}

/// Everything the notebook says that is not in the tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Contents {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub top_n: u32,
    pub rbo_p: f64,
    /// The rankings, in the study's order (the heatmap's order).
    pub rankings: Vec<String>,
    /// None: the audit ran no family the chart applies to; the notebook says so.
    pub key: Option<KeyFamily>,
    /// The tables written, in the order written.
    pub tables: Vec<TableNote>,
}

impl Contents {
    pub fn of(res: &Results, tables: Vec<TableNote>) -> Contents {
        let s = &res.study.study;
        Contents {
            name: s.name.clone(),
            title: s.title.clone(),
            description: s.description.clone(),
            top_n: s.top_n,
            rbo_p: s.rbo_p,
            rankings: res.rankings.iter().map(|(s, _)| s.name.clone()).collect(),
            key: res.key_family().map(|f| KeyFamily {
                ranking: f.ranking.clone(),
                family: f.family.clone(),
                runs: describe(&f.family, &f.universes),
            }),
            tables,
        }
    }
}

/// Write `out/explore.ipynb` atomically; returns its path.
pub fn write_notebook(c: &Contents, out: &Path) -> Result<PathBuf> {
    let path = out.join(NOTEBOOK);
    super::write_atomic(&path, &to_bytes(&notebook(c))?)?;
    Ok(path)
}

/// The notebook as Jupyter writes one: keys sorted, one-space indent, a final newline.
pub fn to_bytes(nb: &Value) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
    nb.serialize(&mut serde_json::Serializer::with_formatter(&mut bytes, fmt))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// The notebook (nbformat 4.5): cells in reading order, no outputs.
pub fn notebook(c: &Contents) -> Value {
    let mut cells = vec![
        markdown("about", &about(c)),
        code("settings", &settings(c)),
        markdown("load-about", LOAD_ABOUT),
        code("load", LOAD),
        code("style", STYLE),
    ];
    match &c.key {
        Some(k) => {
            cells.push(markdown("intervals-about", &intervals_about(c, k)));
            cells.push(code("intervals", INTERVALS));
        }
        None => cells.push(markdown(
            "intervals-about",
            "## Rank intervals\n\nThis audit ran no perturbation family that gives rank intervals (no `[sensitivity]` family other than the threshold sweep, no `[multiverse]`), so there is no stability table to draw them from.",
        )),
    }
    if c.rankings.len() >= 2 {
        cells.push(markdown("agreement-about", AGREEMENT_ABOUT));
        cells.push(code("agreement", AGREEMENT));
    } else {
        cells.push(markdown(
            "agreement-about",
            "## Agreement between rankings\n\nThe audit has one ranking: nothing to compare.",
        ));
    }
    cells.push(markdown("one-account-about", ONE_ACCOUNT_ABOUT));
    cells.push(code("one-account", ONE_ACCOUNT));
    json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    })
}

/// A cell's source as nbformat stores it: lines, each but the last ending in `\n`.
fn source(text: &str) -> Value {
    json!(text.trim_end().split_inclusive('\n').collect::<Vec<_>>())
}

fn markdown(id: &str, text: &str) -> Value {
    json!({"cell_type": "markdown", "id": id, "metadata": {}, "source": source(text)})
}

fn code(id: &str, text: &str) -> Value {
    json!({
        "cell_type": "code",
        "execution_count": null,
        "id": id,
        "metadata": {},
        "outputs": [],
        "source": source(text),
    })
}

/// Text from the study shown literally in markdown: on one line, with the characters
/// that would start markup backslash-escaped.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        if "\\`*_[]<>#|$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Python string literal (a JSON string is one).
fn py(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A Python list of strings: on one line when it fits in 80 characters, else one item a
/// line.
fn py_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(py).collect();
    let one_line = format!("[{}]", items.join(", "));
    if one_line.len() <= 80 {
        return one_line;
    }
    format!("[\n    {},\n]", items.join(",\n    "))
}

fn about(c: &Contents) -> String {
    let title = c.title.as_deref().unwrap_or(&c.name);
    let mut s = format!("# {}\n\n", md(title));
    s += &format!(
        "Audit `{}` by rankaudit. This notebook sits in the audit's output folder: it loads the result tables, redraws two of the charts in `figures/` with matplotlib and shows how to follow one account across the rankings. The report is `report.md`, the run record (inputs, parameters, seed, hashes of every file) `manifest.json`.\n\n",
        md(&c.name)
    );
    if let Some(d) = &c.description {
        s += &format!("> {}\n\n", md(d));
    }
    s += "The tables are in `tables/`, each as Parquet and as CSV, in long format; every account column has the account's `label` beside it (the id stays the key: labels need not be unique):\n\n";
    for t in &c.tables {
        // The about text is a doc comment: markdown already, kept as it is, on one line.
        let about = t.about.split_whitespace().collect::<Vec<_>>().join(" ");
        s += &format!("- `{}`: {about}\n", t.name);
    }
    s += "\nIn R: `arrow::read_parquet(\"tables/rankings.parquet\")` (or `read.csv(\"tables/rankings.csv\")`), from this folder.";
    s
}

fn settings(c: &Contents) -> String {
    let (ranking, family, runs) = match &c.key {
        Some(k) => (py(&k.ranking), py(&k.family), py(&k.runs)),
        None => ("None".into(), "None".into(), "None".into()),
    };
    let tables = py_list(c.tables.iter().map(|t| t.name.as_str()));
    let rankings = py_list(c.rankings.iter().map(String::as_str));
    format!(
        "# Written by rankaudit from the audit: N of \"top N\", the ranking and perturbation family\n\
         # of the rank-interval chart (the multiverse when the study has one, else the first\n\
         # family of the [sensitivity] ranking), how that family's runs are named, the rankings\n\
         # in the study's order, RBO's persistence, and the tables written.\n\
         TOP_N = {}\n\
         RANKING = {ranking}\n\
         FAMILY = {family}\n\
         FAMILY_RUNS = {runs}\n\
         RANKINGS = {rankings}\n\
         RBO_P = {}\n\
         TABLES = {tables}\n\
         # P(top N) bands: at least STABLE is the stable core; below ACCIDENT, for an account\n\
         # in the published top N, it is there by accident.\n\
         STABLE, ACCIDENT = {STABLE}, {ACCIDENT}\n",
        c.top_n, c.rbo_p
    )
}

const LOAD_ABOUT: &str = "## The tables\n\n\
`table(name)` loads `tables/<name>.parquet` with polars when it is installed, else with pandas (which needs pyarrow for Parquet); where the Parquet file is absent (a git checkout keeps only the CSVs) it reads the CSV. Paths are relative to this folder, where Jupyter starts the kernel. `records(df)` turns either kind of frame into a list of dicts, missing values as `None`: the charts below use it, so they run the same on both.";

const LOAD: &str = r##"import math
from pathlib import Path

try:
    import polars as pl
except ImportError:
    pl = None
    import pandas as pd

TABLES_DIR = Path("tables")
if not TABLES_DIR.is_dir():
    raise FileNotFoundError("no tables/ here: start Jupyter in the folder that holds this notebook")


def table(name):
    """tables/<name>.parquet (or its CSV where the Parquet file is absent), with polars or pandas."""
    parquet, csv = TABLES_DIR / f"{name}.parquet", TABLES_DIR / f"{name}.csv"
    if pl is not None:
        return pl.read_parquet(parquet) if parquet.exists() else pl.read_csv(csv, infer_schema_length=None)
    if parquet.exists():
        return pd.read_parquet(parquet)
    return pd.read_csv(csv, keep_default_na=False, na_values=[""])


def records(df):
    """The rows as dicts, a missing value as None, from a polars or a pandas frame."""
    if pl is not None:
        return df.to_dicts()
    return [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in df.to_dict("records")]


T = {name: table(name) for name in TABLES}
for name, df in T.items():
    print(f"{name:22} {df.shape[0]:>10,} rows {df.shape[1]:>4} columns")"##;

const STYLE: &str = r##"import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

# The Okabe & Ito (2008) palette, as in the Rust charts: told apart with any colour vision.
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
}
GOOD, MIXED, BAD = OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["vermillion"]
INK, MUTED, AXIS, LIGHT = "#1A1A1A", "#555555", "#888888", "#F5F5F5"
plt.rcParams.update({"axes.spines.top": False, "axes.spines.right": False, "font.size": 9})


def band_colour(p_top):
    """An interval's colour by the share of runs in which the account is in the top N."""
    return GOOD if p_top >= STABLE else MIXED if p_top >= ACCIDENT else BAD


def short(label, width=32):
    return label if len(label) <= width else label[: width - 1] + "…""##;

fn intervals_about(c: &Contents, k: &KeyFamily) -> String {
    format!(
        "## Rank intervals of the top {n} of `{ranking}` under {runs}\n\n\
         The caterpillar chart of `figures/`, from `tables/stability` (ranking `{ranking}`, family `{family}`): one row per account of the published top {n} (the rankings table's `in_top_n`, which leaves out a tie straddling position {n}), in published order, labelled by `label`. The bar is the 5–95 % rank interval (`rank_q05` to `rank_q95`), the dot the median rank, the tick the published rank (`nominal_rank`); the colour is P(top {n}) (`p_top_n`). A rank that is missing (the account did not qualify in enough runs) is drawn in the *unranked* column at the right.",
        n = c.top_n,
        ranking = md(&k.ranking),
        family = md(&k.family),
        runs = md(&k.runs),
    )
}

const INTERVALS: &str = r##"MAX_ROWS = 250  # as the Rust chart: later rows are left out, with a note
in_top = {r["account"] for r in records(T["rankings"]) if r["ranking"] == RANKING and r["in_top_n"]}
rows = sorted(
    (r for r in records(T["stability"])
     if r["ranking"] == RANKING and r["family"] == FAMILY and r["account"] in in_top),
    key=lambda r: r["nominal_rank"],
)
stable = sum(r["p_top_n"] >= STABLE for r in rows)
accidents = sum(r["p_top_n"] < ACCIDENT for r in rows)
title = f"{stable} of the top {len(rows)} stay in the top {TOP_N} in at least {STABLE * 100:.0f} % of {FAMILY_RUNS}"
print(title)
print(f"{accidents} of them are there by accident (in the top {TOP_N} in fewer than {ACCIDENT * 100:.0f} % of the runs)")

shown = rows[:MAX_ROWS]
finite = [v for r in shown for v in (r["nominal_rank"], r["rank_q05"], r["median_rank"], r["rank_q95"]) if v is not None]
max_rank = max([TOP_N + 0.5] + finite)
log = max_rank > 4 * TOP_N and max_rank >= 20
unranked = any(r[k] is None for r in shown for k in ("rank_q05", "median_rank", "rank_q95"))
x_unranked = max_rank * 1.6 if log else max_rank * 1.08 + 1

fig, ax = plt.subplots(figsize=(9, 1.8 + 0.22 * len(shown)), layout="constrained")
for y, r in enumerate(shown):
    colour = band_colour(r["p_top_n"])
    lo, median, hi = r["rank_q05"], r["median_rank"], r["rank_q95"]
    if lo is not None:
        end = hi if hi is not None else x_unranked
        ax.plot([lo, end], [y, y], color=colour, lw=5, solid_capstyle="butt" if hi is None else "round")
        if hi is None:
            ax.plot(end, y, marker=">", color=colour, ms=7)
    ax.plot(r["nominal_rank"], y, marker="|", color=INK, ms=11, mew=2)
    ax.plot(median if median is not None else x_unranked, y, "o", color=INK, ms=4)
ax.axvline(TOP_N + 0.5, color=MUTED, ls="--", lw=1)
ax.text(TOP_N + 0.5, -1, f" top {TOP_N} cut-off", color=MUTED, va="bottom", ha="left")
if log:
    ax.set_xscale("log")
    ax.set_xlim(0.8, x_unranked * 1.3 if unranked else max_rank * 1.15)
    steps = [m * 10 ** e for e in range(int(math.log10(max_rank)) + 1) for m in (1, 2, 5)]
    ax.set_xticks([t for t in steps if t <= max_rank], [f"{t:,}" for t in steps if t <= max_rank])
    ax.minorticks_off()
else:
    ax.set_xlim(0.5, x_unranked + max_rank * 0.05 if unranked else max_rank + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # ranks are whole
if unranked:
    ax.axvspan(x_unranked / 1.15 if log else x_unranked - max_rank * 0.03,
               x_unranked * 1.15 if log else x_unranked + max_rank * 0.03, color="#E8E8E8", zorder=0)
    ax.text(x_unranked, -1, "unranked", color=MUTED, ha="center", va="bottom")
ax.set_yticks(range(len(shown)), [short(r["label"]) for r in shown])
ax.set_ylim(len(shown) - 0.5, -1.6)
ax.set_xlabel("rank (1 = top" + (", log scale)" if log else ")"))
ax.grid(axis="x", color="#DDDDDD", lw=0.6)
ax.set_axisbelow(True)
fig.suptitle(textwrap.fill(title, 80), fontweight="bold", ha="left", x=0.01)
ax.set_title(f'Ranking "{RANKING}": published rank (tick), median rank (dot) and 5-95 % rank interval per account',
             loc="left", color=MUTED, fontsize=9)
keys = [
    Patch(color=GOOD, label=f"top {TOP_N} in ≥ {STABLE * 100:.0f} % of runs (stable)"),
    Patch(color=MIXED, label=f"{ACCIDENT * 100:.0f}–{STABLE * 100:.0f} %"),
    Patch(color=BAD, label=f"< {ACCIDENT * 100:.0f} % (there by accident)"),
    Line2D([], [], color=INK, marker="o", ls="", ms=4, label="median rank"),
    Line2D([], [], color=INK, marker="|", ls="", ms=11, mew=2, label="published rank"),
    Line2D([], [], color=AXIS, lw=5, label="5th–95th percentile rank"),
]
if unranked:
    keys.append(Line2D([], [], color=AXIS, lw=3, marker=">", label="unranked in ≥ 5 % of runs"))
fig.legend(handles=keys, loc="outside lower center", ncol=3, frameon=False)
if len(rows) > len(shown):
    print(f"Showing the first {len(shown)} of {len(rows)} accounts, in published order.")
plt.show()"##;

const AGREEMENT_ABOUT: &str = "## Agreement between rankings\n\n\
The heatmap of `figures/`, from `tables/comparisons` (the `all` rows: every account both rankings rank): Kendall tau-b below the diagonal (`kendall_tau_b`, −1 to 1) and rank-biased overlap above it (`rbo_ext`, 0 to 1: how much the two lists agree on who is on top).";

const AGREEMENT: &str = r##"pairs = [r for r in records(T["comparisons"]) if r["subset"] == "all"]
n = len(RANKINGS)
at = {name: i for i, name in enumerate(RANKINGS)}
values = [[None] * n for _ in range(n)]
for p in pairs:
    i, j = at[p["ranking_a"]], at[p["ranking_b"]]
    values[max(i, j)][min(i, j)] = p["kendall_tau_b"]
    values[min(i, j)][max(i, j)] = p["rbo_ext"]
below_half = sum(p["rbo_ext"] is not None and p["rbo_ext"] < 0.5 for p in pairs)
title = f"{below_half} of {len(pairs)} pairs of rankings agree on less than half of who is on top (RBO < 0.5)"
print(title)

as_array = lambda keep: np.array([[v if keep(i, j) and v is not None else np.nan
                                   for j, v in enumerate(row)] for i, row in enumerate(values)])
diverging = LinearSegmentedColormap.from_list("tau", [OKABE_ITO["vermillion"], LIGHT, OKABE_ITO["blue"]])
sequential = LinearSegmentedColormap.from_list("rbo", [LIGHT, OKABE_ITO["bluish_green"]])
side = min(0.75 * n + 3, 14)
fig, ax = plt.subplots(figsize=(side + 1, side), layout="constrained")
ax.imshow(np.where(np.eye(n, dtype=bool), 1.0, np.nan), cmap=ListedColormap(["#E4E4E4"]))
tau = ax.imshow(as_array(lambda i, j: i > j), cmap=diverging, vmin=-1, vmax=1)
rbo = ax.imshow(as_array(lambda i, j: i < j), cmap=sequential, vmin=0, vmax=1)
for i in range(n):
    for j in range(n):
        if i == j:
            continue
        v = values[i][j]
        if v is None:
            ax.text(j, i, "n/a", ha="center", va="center", color=MUTED)
            continue
        r, g, b, _ = (tau.cmap(tau.norm(v)) if i > j else rbo.cmap(rbo.norm(v)))
        ink = "white" if 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 else INK
        ax.text(j, i, f"{v:.2f}".replace("-0.00", "0.00"), ha="center", va="center", color=ink, fontsize=8)
ax.set_xticks(range(n), RANKINGS, rotation=45, ha="right")
ax.set_yticks(range(n), RANKINGS)
ax.spines[:].set_visible(False)
ax.tick_params(length=0)
fig.colorbar(tau, ax=ax, location="bottom", shrink=0.5, pad=0.02, label="Kendall tau-b (lower triangle)")
fig.colorbar(rbo, ax=ax, location="bottom", shrink=0.5, pad=0.02, label=f"RBO, p = {RBO_P} (upper triangle)")
fig.suptitle(textwrap.fill(title, 70), fontweight="bold")
plt.show()"##;

const ONE_ACCOUNT_ABOUT: &str = "## One account across the rankings\n\n\
Every table keys accounts by `account` (the id) with `label` beside it; join on `account`, never on `label` (labels need not be unique). Below: one account's rank in every ranking, joined with its rank interval and P(top N) under every perturbation family. Put any id from the rankings table in `ACCOUNT`.";

const ONE_ACCOUNT: &str = r##"# The top account of the key ranking (or of the first ranking); any id works.
ACCOUNT = next(r["account"] for r in records(T["rankings"]) if r["ranking"] == (RANKING or RANKINGS[0]))
columns = ["ranking", "account", "label", "rank", "score", "in_top_n"]
stability = ["ranking", "account", "family", "p_top_n", "median_rank", "rank_q05", "rank_q95"]
if pl is not None:
    one = T["rankings"].filter(pl.col("account") == ACCOUNT).select(columns)
    one = one.join(T["stability"].filter(pl.col("account") == ACCOUNT).select(stability),
                   on=["ranking", "account"], how="left")
else:
    rankings = T["rankings"]
    one = rankings.loc[rankings["account"] == ACCOUNT, columns]
    s = T["stability"]
    one = one.merge(s.loc[s["account"] == ACCOUNT, stability], on=["ranking", "account"], how="left")
one"##;

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(key: bool) -> Contents {
        let note = |name: &str| TableNote {
            name: name.into(),
            about: format!("The {name} table."),
        };
        Contents {
            name: "toy".into(),
            title: Some("A *toy* audit".into()),
            description: Some("Two lines\nof description.".into()),
            top_n: 2,
            rbo_p: 0.9,
            rankings: vec!["published".into(), "in \"degree\"".into()],
            key: key.then(|| KeyFamily {
                ranking: "published".into(),
                family: "multiverse".into(),
                runs: "the 4 universes of the multiverse".into(),
            }),
            tables: ["rankings", "comparisons", "stability"].map(note).to_vec(),
        }
    }

    /// A cell's source as one string.
    fn text(cell: &Value) -> String {
        let lines = cell["source"].as_array().unwrap().iter();
        lines.map(|l| l.as_str().unwrap()).collect()
    }

    /// The names a notebook's code loads: its TABLES list and every `T["name"]`.
    fn tables_used(nb: &Value) -> Vec<String> {
        let cells = nb["cells"].as_array().unwrap().iter();
        let code: String = cells
            .filter(|c| c["cell_type"] == "code")
            .map(text)
            .collect();
        let mut names: Vec<String> = code
            .split("T[\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect();
        let list = code.split("TABLES = [").nth(1).unwrap();
        let list = &list[..list.find(']').unwrap()];
        let items = list.split(',').map(|s| s.trim().trim_matches('"'));
        names.extend(items.filter(|s| !s.is_empty()).map(String::from));
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn nbformat_4_without_outputs_and_deterministic() {
        for key in [true, false] {
            let nb = notebook(&contents(key));
            assert_eq!(nb["nbformat"], 4);
            assert_eq!(nb["nbformat_minor"], 5);
            assert_eq!(nb["metadata"]["kernelspec"]["name"], "python3");
            let cells = nb["cells"].as_array().unwrap();
            let mut ids = Vec::new();
            for c in cells {
                assert!(c["source"].as_array().is_some_and(|s| !s.is_empty()));
                ids.push(c["id"].as_str().unwrap());
                if c["cell_type"] == "code" {
                    assert_eq!(c["outputs"], json!([]));
                    assert!(c["execution_count"].is_null());
                } else {
                    assert_eq!(c["cell_type"], "markdown");
                }
            }
            let n = ids.len();
            ids.sort();
            ids.dedup();
            assert_eq!(ids.len(), n, "cell ids are unique");
            let bytes = to_bytes(&nb).unwrap();
            assert_eq!(bytes, to_bytes(&notebook(&contents(key))).unwrap());
            let back: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(back, nb);
            for t in tables_used(&nb) {
                assert!(
                    ["rankings", "comparisons", "stability"].contains(&t.as_str()),
                    "{t}"
                );
            }
            let text = String::from_utf8(bytes).unwrap();
            assert_eq!(
                text.contains("in_top = {"),
                key,
                "the interval chart iff a key family"
            );
        }
    }

    #[test]
    fn values_are_python_literals_and_markdown_is_escaped() {
        let nb = notebook(&contents(true));
        let settings = text(&nb["cells"][1]);
        assert!(settings.contains("TOP_N = 2\n"));
        assert!(settings.contains("RANKINGS = [\"published\", \"in \\\"degree\\\"\"]\n"));
        assert!(settings.contains("FAMILY = \"multiverse\"\n"));
        assert!(settings.contains("STABLE, ACCIDENT = 0.95, 0.5"));
        let about = text(&nb["cells"][0]);
        assert!(about.starts_with("# A \\*toy\\* audit\n"));
        assert!(about.contains("> Two lines of description.\n"));
        assert!(about.contains("- `stability`: The stability table.\n"));
        assert!(about.contains("arrow::read_parquet"));
        let mut many = contents(true);
        many.rankings = (1..=12).map(|i| format!("ranking-{i}")).collect();
        let settings = text(&notebook(&many)["cells"][1]);
        assert!(settings.contains("RANKINGS = [\n    \"ranking-1\",\n    \"ranking-2\",\n"));
        assert!(settings.contains("    \"ranking-12\",\n]\n"));
        let none = notebook(&contents(false));
        assert!(text(&none["cells"][1]).contains("RANKING = None"));
    }
}
