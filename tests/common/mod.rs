//! What the integration tests share: the shop fixture, read through the
//! crate, and helpers that run the `pocketrec` binary and check its output.
//! (Each test file uses a part of it.)
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pocketrec::data::catalogue::{Catalogue, CatalogueConfig};
use pocketrec::data::interactions::{InteractionConfig, Interactions};
use pocketrec::recommend::Recommender;

/// The shop fixture: 12 products in four departments.
pub const SHOP: &str = include_str!("../fixtures/shop.json");
/// Its interaction log.
pub const SHOP_LOG: &str = include_str!("../fixtures/shop_interactions.csv");

/// The shop's items by popularity (distinct users, ties by catalogue order);
/// see tests/recommend.rs for the table.
pub const POPULAR_ORDER: [&str; 12] = [
    "bt-earbuds",
    "bt-sport",
    "mug",
    "headphones",
    "speaker",
    "teapot",
    "kettle",
    "grinder",
    "shoes",
    "bottle",
    "floor-lamp",
    "desk-lamp",
];
pub const MODELS: [&str; 8] = [
    "popular",
    "content",
    "item-knn",
    "user-knn",
    "sequential",
    "ease",
    "als",
    "hybrid",
];

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

pub fn shop_file() -> PathBuf {
    fixture("shop.json")
}

pub fn log_file() -> PathBuf {
    fixture("shop_interactions.csv")
}

pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pocketrec"))
        .args(args)
        .output()
        .expect("the binary runs")
}

pub fn p(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

#[track_caller]
pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr: {}",
        out.status,
        stderr(out)
    );
}

/// A failed run: non-zero exit, nothing on stdout, and stderr naming every part.
#[track_caller]
pub fn assert_fails(out: &Output, parts: &[&str]) {
    assert!(
        !out.status.success(),
        "expected failure; stdout: {}",
        stdout(out)
    );
    assert!(
        out.stdout.is_empty(),
        "stdout must stay empty on error: {:?}",
        stdout(out)
    );
    let err = stderr(out);
    for part in parts {
        assert!(err.contains(part), "stderr {err:?} lacks {part:?}");
    }
}

/// The shop's catalogue, read with the default config.
pub fn shop_catalogue() -> Catalogue {
    Catalogue::from_json(SHOP, &CatalogueConfig::default()).expect("the shop fixture is valid")
}

/// The shop's interactions, read against `catalogue`.
pub fn shop_log(catalogue: &Catalogue) -> Interactions {
    Interactions::from_csv(SHOP_LOG, catalogue, &InteractionConfig::default())
        .expect("the interactions fixture is valid")
}

/// Every model fitted on the shop with the default config.
pub fn shop_recommender() -> Recommender {
    let catalogue = shop_catalogue();
    let log = shop_log(&catalogue);
    Recommender::fit(catalogue, Some(&log), &Default::default()).expect("default config fits")
}
