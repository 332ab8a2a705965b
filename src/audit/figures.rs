//! The audit's figures, in the order the report shows them. Each chart's file in
//! [`crate::plots`] holds its drawing and its `figure`: which results it shows and the
//! sentence its title states (computed from the same results as the tables). A new
//! chart is that file and one line here.

use std::path::Path;

use anyhow::Result;

use crate::plots;
use crate::results::{Figure, Results};
use crate::sensitivity::threshold;

/// Every figure of the audit, in the order the report shows them.
pub fn figures(res: &Results, dir: &Path) -> Result<Vec<Figure>> {
    let mut figs = Vec::new();
    if res.rankings.len() >= 2 {
        figs.push(plots::bump::figure(res, dir)?);
        figs.push(plots::heatmap::figure(res, dir)?);
    }
    if let Some(f) = plots::gaming::figure(res, dir)? {
        figs.push(f);
    }
    if let Some(f) = plots::lorenz::figure(res, dir)? {
        figs.push(f);
    }
    for attr in &res.study.critique.attributes {
        figs.push(plots::representation::figure(res, attr, dir)?);
    }
    for f in res
        .families
        .iter()
        .filter(|f| f.family != threshold::FAMILY)
    {
        figs.push(plots::membership::figure(res, f, dir)?);
    }
    if let Some(mv) = &res.multiverse {
        figs.extend(plots::spec_curve::figures(res, mv, dir)?);
    }
    if let Some(f) = plots::sobol::figure(res, dir)? {
        figs.push(f);
    }
    for f in &res.families {
        figs.push(if f.family == threshold::FAMILY {
            plots::sweep::figure(res, f, dir)?
        } else {
            plots::caterpillar::figure(res, f, dir)?
        });
    }
    if let Some(f) = plots::forced::figure(res, dir)? {
        figs.push(f);
    }
    Ok(figs)
}
