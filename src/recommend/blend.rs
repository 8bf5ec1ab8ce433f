//! The hybrid blend.
//!
//! Each taking part model's scores are normalised by their maximum over the
//! items that may be returned, `ŝ_m(j) = s_m(j) / max_j s_m(j)` (so each
//! lies in [0, 1] and an item a model knows nothing about gets 0), then
//! `score(j) = Σ_m w_m · ŝ_m(j)`, summed in the registry's blend order
//! ([`Model::SINGLE`]). A single-model query is the blend with weight 1 for
//! that model and 0 for the rest.

use std::sync::Arc;

use crate::models::{BlendWeights, Evidence, Model, QueryContext, Scorer};

/// One model's part in a query: what it derived, kept for the explanations.
pub(crate) struct Part<'m> {
    /// The model.
    pub model: &'m dyn Scorer,
    /// Its evidence from scoring.
    pub evidence: Evidence,
}

/// The weights a query blends with: the query's or the config's for the
/// hybrid, weight 1 for a single model.
pub(crate) fn effective_weights(model: Model, weights: &BlendWeights) -> BlendWeights {
    match model {
        Model::Hybrid => weights.clone(),
        single => BlendWeights::only(single),
    }
}

/// The blended scores of every item, and each taking part model's evidence.
/// `models` are the fitted models in blend order.
pub(crate) fn blend<'m>(
    models: &'m [Arc<dyn Scorer>],
    context: &QueryContext,
    weights: &BlendWeights,
    allowed: &[bool],
) -> (Vec<f32>, Vec<Part<'m>>) {
    let mut total = vec![0f32; allowed.len()];
    let mut part = vec![0f32; allowed.len()];
    let mut parts = Vec::new();
    for model in models {
        let w = weights.get(model.kind());
        if w > 0.0 {
            let evidence = model.score(context, &mut part);
            add_normalised(&mut total, &mut part, w, allowed);
            parts.push(Part {
                model: model.as_ref(),
                evidence,
            });
        }
    }
    (total, parts)
}

/// `total += w · part / max(part over allowed items)`, then clears `part`.
fn add_normalised(total: &mut [f32], part: &mut [f32], w: f32, allowed: &[bool]) {
    // A plain loop: as an iterator fold over `f32::max` it was a fifth of
    // a warm query in the size-optimised wasm module (nothing inlined).
    let mut max = 0.0f32;
    for (&s, &a) in part.iter().zip(allowed) {
        if a && s > max {
            max = s;
        }
    }
    if max > 0.0 {
        let scale = w / max;
        for (t, &p) in total.iter_mut().zip(part.iter()) {
            if p > 0.0 {
                *t += scale * p;
            }
        }
    }
    part.iter_mut().for_each(|p| *p = 0.0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::Catalogue;
    use crate::models::Reason;

    #[test]
    fn normalisation_and_blend_by_hand() {
        // part = (2, 4, 0): max over allowed items (all) = 4;
        // w = 0.5 → total += (0.25, 0.5, 0).
        let mut total = vec![0.0, 0.0, 1.0];
        let mut part = vec![2.0, 4.0, 0.0];
        add_normalised(&mut total, &mut part, 0.5, &[true; 3]);
        assert_eq!(total, [0.25, 0.5, 1.0]);
        assert_eq!(part, [0.0; 3]);
        // The max is taken over allowed items only: item 1 excluded → max 2.
        let mut total = vec![0.0; 3];
        let mut part = vec![2.0, 4.0, 1.0];
        add_normalised(&mut total, &mut part, 1.0, &[true, false, true]);
        assert_eq!(total, [1.0, 2.0, 0.5]);
    }

    /// A model with fixed scores, to check the blend by hand.
    #[derive(Debug)]
    struct Fixed(Model, Vec<f32>);

    impl Scorer for Fixed {
        fn kind(&self) -> Model {
            self.0
        }
        fn score(&self, _: &QueryContext, out: &mut [f32]) -> Evidence {
            out.iter_mut().zip(&self.1).for_each(|(o, s)| *o += s);
            Evidence(vec![(0, self.1[0])])
        }
        fn explain(&self, _: &QueryContext, _: &Evidence, _: u32, _: &Catalogue) -> Vec<Reason> {
            Vec::new()
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    }

    fn context() -> QueryContext<'static> {
        QueryContext {
            items: &[],
            recent: &[],
            item: None,
            user: None,
        }
    }

    #[test]
    fn weights_pick_and_scale_the_models() {
        let models: Vec<Arc<dyn Scorer>> = vec![
            Arc::new(Fixed(Model::ItemKnn, vec![1.0, 2.0, 0.0])),
            Arc::new(Fixed(Model::Content, vec![0.0, 3.0, 6.0])),
        ];
        let weights = BlendWeights {
            item_knn: 1.0,
            content: 0.5,
            popular: 0.0,
            sequential: 0.0,
            user_knn: 0.0,
            ..BlendWeights::only(Model::Hybrid)
        };
        // item-kNN: (0.5, 1, 0); content · 0.5: (0, 0.25, 0.5).
        let (total, parts) = blend(&models, &context(), &weights, &[true; 3]);
        assert_eq!(total, [0.5, 1.25, 0.5]);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].evidence, Evidence(vec![(0, 0.0)]));
        // A zero weight leaves the model out, evidence and all.
        let (total, parts) = blend(
            &models,
            &context(),
            &effective_weights(Model::Content, &weights),
            &[true; 3],
        );
        assert_eq!(total, [0.0, 0.5, 1.0]);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].model.kind(), Model::Content);
    }

    #[test]
    fn a_model_with_no_allowed_score_adds_nothing() {
        let models: Vec<Arc<dyn Scorer>> = vec![Arc::new(Fixed(Model::ItemKnn, vec![5.0, 0.0]))];
        let (total, _) = blend(
            &models,
            &context(),
            &BlendWeights::only(Model::ItemKnn),
            &[false, true],
        );
        assert_eq!(total, [0.0, 0.0]);
    }
}
