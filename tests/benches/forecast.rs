//! Speed of the automatic forecaster (target: ≤ 5 ms for a 144-point
//! monthly series on one thread) and of its members.
//!
//! Run: `cargo bench --bench forecast`. The series is synthetic and seeded
//! (trend, multiplicative yearly season, noise), shaped like the classic
//! airline data; when ../shared/data/forecast/classic/airpassengers.csv is
//! present, that series is timed too. `forecast_111_weekly/auto` times
//! the two-season weekly path (111 weeks, season 52, like the jewelry data).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use pocketrec::forecast::{forecast, ForecastOptions, ModelChoice};

fn synthetic(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let season = [
        0.9, 0.88, 1.0, 0.97, 0.98, 1.1, 1.22, 1.21, 1.06, 0.92, 0.8, 0.9,
    ];
    (0..n)
        .map(|t| (120.0 + 2.5 * t as f64) * season[t % 12] * (1.0 + 0.04 * (rng.f64() - 0.5)))
        .collect()
}

fn airpassengers() -> Option<Vec<f64>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/forecast/classic/airpassengers.csv"
    );
    let text = std::fs::read_to_string(path).ok()?;
    let values: Vec<f64> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1)?.parse().ok())
        .collect();
    (values.len() >= 144).then(|| values[..144].to_vec())
}

fn bench(c: &mut Criterion) {
    let y = synthetic(144, 7);
    let mut group = c.benchmark_group("forecast_144_monthly");
    for model in [
        ModelChoice::Auto,
        ModelChoice::Ets,
        ModelChoice::Theta,
        ModelChoice::Arima,
    ] {
        let options = ForecastOptions {
            season_length: Some(12),
            model,
            ..ForecastOptions::default()
        };
        group.bench_function(model.name(), |b| {
            b.iter(|| forecast(black_box(&y), 18, &options).expect("the series is valid"))
        });
    }
    if let Some(air) = airpassengers() {
        let options = ForecastOptions {
            season_length: Some(12),
            ..ForecastOptions::default()
        };
        group.bench_function("auto_airpassengers", |b| {
            b.iter(|| forecast(black_box(&air), 18, &options).expect("the series is valid"))
        });
    }
    group.finish();
    // Two years and a bit of weekly sales with a Christmas peak: the
    // short-history seasonal path (season::short_history_adjustment).
    let weekly = weekly_with_peaks(111, 3);
    let options = ForecastOptions {
        season_length: Some(52),
        ..ForecastOptions::default()
    };
    c.bench_function("forecast_111_weekly/auto", |b| {
        b.iter(|| forecast(black_box(&weekly), 13, &options).expect("the series is valid"))
    });
}

/// Weekly sales, level 60 with ±20% noise and a ×3 peak in weeks 46–48.
fn weekly_with_peaks(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..n)
        .map(|t| {
            let peak = if (46..=48).contains(&(t % 52)) {
                3.0
            } else {
                1.0
            };
            60.0 * peak * (1.0 + 0.4 * (rng.f64() - 0.5))
        })
        .collect()
}

criterion_group!(benches, bench);
criterion_main!(benches);
