//! Seeded synthetic shop data for benchmarks: a catalogue of `n` items with
//! titles, descriptions, categories, brands, tags and prices, and shopping
//! histories where users favour a few categories and popular items
//! (Zipf-like), so the item-item graph looks like a real shop's.

use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
use pocketrec::data::interactions::Interactions;
use serde_json::json;

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ter", "ban", "sol", "vek", "ra", "tin", "por", "del", "ux", "ga", "ne",
    "shi", "mo",
];

fn word(rng: &mut fastrand::Rng, vocab: usize) -> String {
    // Zipf-like word choice: low indices are much more frequent.
    let r = rng.f64();
    let w = ((vocab as f64).powf(r) - 1.0) as usize;
    let mut s = String::new();
    let mut x = w + 1;
    while x > 0 {
        s.push_str(SYLLABLES[x % SYLLABLES.len()]);
        x /= SYLLABLES.len();
    }
    s
}

fn words(rng: &mut fastrand::Rng, n: usize, vocab: usize) -> String {
    (0..n)
        .map(|_| word(rng, vocab))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A catalogue of `n` items.
pub fn catalogue(n: usize, seed: u64) -> Catalogue {
    let mut rng = fastrand::Rng::with_seed(seed);
    let items: Vec<_> = (0..n)
        .map(|i| {
            let (title_len, description_len) = (rng.usize(3..8), rng.usize(15..40));
            json!({
                "id": format!("sku-{i}"),
                "title": words(&mut rng, title_len, 3000),
                "description": words(&mut rng, description_len, 8000),
                "category": format!("cat-{}", i % 50),
                "brand": format!("brand-{}", rng.usize(0..200)),
                "tags": (0..3).map(|_| format!("tag-{}", rng.usize(0..500))).collect::<Vec<_>>(),
                "price": (rng.f64() * 5.0).exp().round(),
                "inStock": rng.f64() > 0.1,
            })
        })
        .collect();
    Catalogue::from_value(json!({ "items": items }), &CatalogueConfig::default())
        .expect("synthetic catalogue is valid")
}

/// About `rows` interactions by `users` users over `n_items` items.
pub fn interactions(n_items: usize, users: usize, rows: usize, seed: u64) -> Interactions {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut log = Interactions::new(n_items);
    let per_user = rows / users;
    for u in 0..users {
        let user = format!("u{u}");
        let favourite = rng.usize(0..50);
        for t in 0..per_user {
            // Popular items are likelier; most picks come from the favourite category.
            let rank = ((n_items as f64).powf(rng.f64()) - 1.0) as usize;
            let item = if rng.f64() < 0.7 {
                (rank / 50) * 50 + favourite
            } else {
                rank
            };
            let item = item.min(n_items - 1) as u32;
            log.push(&user, item, rng.usize(1..4) as f32, Some(t as i64 * 3600))
                .expect("within limits");
        }
    }
    log
}
