//! A shopper's history: events in, one weight per distinct item out.
//!
//! For each item, `h_i = transform(Σ event weights) · decay`, where the
//! transform is the one used to fit (see [`crate::data::interactions`]) and, with
//! a half-life `H`, `decay = 0.5^((t_ref − t_i)/H)`: `t_i` is the item's
//! latest event and `t_ref` the query's `now`, or else the latest event in
//! the history. Items without a timestamp are not decayed. Finally the
//! weights are scaled so the largest is 1: only their ratios matter to the
//! ranking, and this keeps any finite input from overflowing later sums.

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::data::catalogue::Catalogue;
use crate::data::interactions::InteractionConfig;
use crate::error::{check_half_life, Error, Result};

/// Defaults for weighing histories.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct HistoryConfig {
    /// Half-life of the time decay, in days (> 0); a query's own
    /// `halfLifeDays` overrides it. Default none: no decay.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub half_life_days: Option<f64>,
}

impl HistoryConfig {
    /// Checks the half-life.
    ///
    /// # Errors
    /// [`Error::InvalidConfig`] for a half-life that is not > 0.
    pub fn validate(&self) -> Result<()> {
        check_half_life("history.halfLifeDays", self.half_life_days)
    }
}

/// A weighed history: one weight per item, and the order the shopper met
/// the items in (for the sequential model).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeightedHistory {
    /// `(item, h_i)` sorted by item index, the largest weight 1.
    pub items: Vec<(u32, f32)>,
    /// Distinct items by their latest event, oldest first; empty when the
    /// order is unknown (no timestamps).
    pub recent: Vec<u32>,
}

/// One thing the shopper did.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Event {
    /// External item id.
    pub item: String,
    /// Weight; default 1. Must be finite; events of weight ≤ 0 are ignored.
    #[serde(default)]
    pub weight: Option<f32>,
    /// Seconds since 1970.
    #[serde(default)]
    pub timestamp: Option<i64>,
    /// Event type (`view`, `cart`, `purchase`, …), weighted through the config.
    #[serde(default)]
    pub event: Option<String>,
}

impl Event {
    /// A plain event of weight 1 with no time or type.
    pub fn item(id: impl Into<String>) -> Event {
        Event {
            item: id.into(),
            weight: None,
            timestamp: None,
            event: None,
        }
    }
}

/// Turns events into `(item, h_i)` pairs sorted by item index, and the
/// items' order (by latest timestamp, events without one by their position
/// in `events`).
///
/// Events naming items the catalogue no longer holds are left out: a
/// shopper's stored history outlives catalogue changes.
///
/// # Errors
/// [`Error::InvalidValue`] at `history[n]` for a non-finite weight or an
/// unknown event type.
pub fn weigh_history(
    events: &[Event],
    catalogue: &Catalogue,
    config: &InteractionConfig,
    half_life_days: Option<f64>,
    now: Option<i64>,
) -> Result<WeightedHistory> {
    // Summed in f64: a shopper's weights may be large (quantities), and the
    // final scaling brings them back to [0, 1].
    let mut acc: FxHashMap<u32, (f64, Option<i64>)> = FxHashMap::default();
    // Latest (timestamp, position) of each item, for the order.
    let mut latest: FxHashMap<u32, (i64, usize)> = FxHashMap::default();
    for (n, e) in events.iter().enumerate() {
        let weight = e.weight.unwrap_or(1.0);
        if !weight.is_finite() {
            return Err(Error::value(
                format!("history[{n}].weight"),
                format!("expected a finite number, got {weight}"),
            ));
        }
        let factor = match &e.event {
            Some(kind) => config.event_weight(kind, &format!("history[{n}].event"))?,
            None => 1.0,
        };
        let Some(item) = catalogue.index_of(&e.item) else {
            continue;
        };
        if weight <= 0.0 {
            continue;
        }
        let entry = acc.entry(item).or_insert((0.0, None));
        entry.0 += weight as f64 * factor as f64;
        entry.1 = entry.1.max(e.timestamp);
        let key = (e.timestamp.unwrap_or(i64::MIN), n);
        let last = latest.entry(item).or_insert(key);
        *last = (*last).max(key);
    }
    let items = acc
        .into_iter()
        .map(|(i, (w, t))| (i, config.transform.apply_f64(w), t))
        .collect();
    let mut order: Vec<(i64, usize, u32)> =
        latest.into_iter().map(|(i, (t, n))| (t, n, i)).collect();
    order.sort_unstable();
    Ok(WeightedHistory {
        items: decay_f64(items, half_life_days, now),
        recent: order.into_iter().map(|e| e.2).collect(),
    })
}

/// `0.5^((reference − t)/H)` for a half-life of `days` (times in seconds);
/// 1 for events at or after the reference. Differences are taken in f64, so
/// no timestamps can overflow.
pub fn half_life_decay(reference: i64, t: i64, days: f64) -> f64 {
    0.5f64.powf((reference as f64 - t as f64).max(0.0) / (days * 86_400.0))
}

/// Weighs `(item, weight, last time)` triples (a user's aggregated log):
/// half-life decay, scaled so the largest weight is 1, sorted by item; the
/// order is by last time (ties by item), empty when no item has a time.
pub fn decay(
    items: Vec<(u32, f32, Option<i64>)>,
    half_life_days: Option<f64>,
    now: Option<i64>,
) -> WeightedHistory {
    let timed = items.iter().any(|e| e.2.is_some());
    let mut order: Vec<(i64, u32)> = items
        .iter()
        .map(|&(i, _, t)| (t.unwrap_or(i64::MIN), i))
        .collect();
    order.sort_unstable();
    let items = decay_f64(
        items
            .into_iter()
            .map(|(i, w, t)| (i, w as f64, t))
            .collect(),
        half_life_days,
        now,
    );
    let recent = if timed {
        order.into_iter().map(|e| e.1).collect()
    } else {
        Vec::new()
    };
    WeightedHistory { items, recent }
}

fn decay_f64(
    items: Vec<(u32, f64, Option<i64>)>,
    half_life_days: Option<f64>,
    now: Option<i64>,
) -> Vec<(u32, f32)> {
    let reference = now.or_else(|| items.iter().filter_map(|e| e.2).max());
    let mut out: Vec<(u32, f64)> = items
        .into_iter()
        .map(|(i, w, t)| match (half_life_days, t, reference) {
            (Some(h), Some(t), Some(r)) => (i, w * half_life_decay(r, t, h)),
            _ => (i, w),
        })
        .collect();
    let max = out.iter().map(|e| e.1).fold(0.0, f64::max);
    if max > 0.0 && max.is_finite() {
        out.iter_mut().for_each(|e| e.1 /= max);
    }
    out.sort_unstable_by_key(|e| e.0);
    out.into_iter().map(|(i, w)| (i, w as f32)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::CatalogueConfig;
    use crate::data::interactions::WeightTransform;

    #[test]
    fn sums_events_per_item_then_transforms_and_decays() {
        let c = Catalogue::from_json(r#"[{"id": "a"}, {"id": "b"}]"#, &CatalogueConfig::default())
            .unwrap();
        let config = InteractionConfig {
            transform: WeightTransform::Raw,
            ..Default::default()
        };
        let day = 86_400;
        let events = [
            Event {
                event: Some("cart".into()),
                timestamp: Some(0),
                ..Event::item("b")
            },
            Event {
                timestamp: Some(2 * day),
                ..Event::item("a")
            },
            Event {
                timestamp: Some(day),
                ..Event::item("b")
            },
            Event::item("gone"),
        ];
        // b: 3 (cart) + 1 = 4, last seen day 1, one half-life before day 2 → 2;
        // a: 1. Scaled by the largest (2): a = 0.5, b = 1.
        let h = weigh_history(&events, &c, &config, Some(1.0), None).unwrap();
        assert_eq!(h.items, [(0, 0.5), (1, 1.0)]);
        // Order by latest event: b (day 1) before a (day 2).
        assert_eq!(h.recent, [1, 0]);
        let bad = [Event {
            weight: Some(f32::NAN),
            ..Event::item("a")
        }];
        let e = weigh_history(&bad, &c, &config, None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "history[0].weight: expected a finite number, got NaN"
        );
    }
}
