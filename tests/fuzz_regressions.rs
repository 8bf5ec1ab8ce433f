//! Replays the fuzz targets' seeds and every crash the fuzzers found
//! (`fuzz/`, run by `tests/benches/fuzz.sh`) through the same target
//! bodies, on stable Rust, in the default suite.
//!
//! A crash found becomes a test here: its input inline (or as a file in
//! `fuzz/seeds/<target>/`, which the seed test replays), and a sentence
//! saying what used to go wrong.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod harness;

use std::fs;
use std::path::Path;

/// Runs every committed seed of `target` through `run`.
fn replay_seeds(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut n = 0;
    for entry in fs::read_dir(&dir).expect("the seeds are committed") {
        let path = entry.expect("a directory entry").path();
        let data = fs::read(&path).expect("a readable seed");
        run(&data);
        n += 1;
    }
    assert!(n >= 3, "{target}: only {n} seeds in {}", dir.display());
}

#[test]
fn catalogue_seeds_pass_the_catalogue_target() {
    replay_seeds("catalogue", harness::catalogue::run);
}

#[test]
fn interaction_seeds_pass_the_interactions_target() {
    replay_seeds("interactions", harness::interactions::run);
}

#[test]
fn forecast_seeds_pass_the_forecast_target() {
    replay_seeds("forecast", harness::forecast::run);
}

#[test]
fn option_seeds_pass_the_options_target() {
    replay_seeds("options", harness::options::run);
}
