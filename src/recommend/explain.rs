//! Explanations: every result's reasons, from the evidence each taking part
//! model kept while scoring (nothing is derived twice).
//!
//! Reasons are listed in blend order (item-kNN, user-kNN, sequential,
//! content). Popularity is the fallback: its reason is given when the query
//! asked for popular items, or when no other model has a reason.

use crate::data::catalogue::Catalogue;
use crate::models::{Model, QueryContext, Reason, Scorer};
use crate::recommend::blend::Part;

/// The reasons for `item`.
pub(crate) fn explain(
    parts: &[Part],
    popularity: &dyn Scorer,
    context: &QueryContext,
    model: Model,
    item: u32,
    catalogue: &Catalogue,
) -> Vec<Reason> {
    let mut reasons: Vec<Reason> = parts
        .iter()
        .filter(|p| p.model.kind() != Model::Popular)
        .flat_map(|p| p.model.explain(context, &p.evidence, item, catalogue))
        .collect();
    if model == Model::Popular || reasons.is_empty() {
        let none = Default::default();
        reasons.extend(popularity.explain(context, &none, item, catalogue));
    }
    reasons
}
