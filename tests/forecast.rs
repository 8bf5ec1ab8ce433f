//! The forecasting API end to end, through the public interface only.

use pocketrec::forecast::{
    forecast, intermittent, inventory, metrics, Forecast, ForecastOptions, ModelChoice,
};
use pocketrec::Error;

fn options(model: ModelChoice, season: Option<usize>) -> ForecastOptions {
    ForecastOptions {
        model,
        season_length: season,
        ..ForecastOptions::default()
    }
}

/// Monthly sales: level 200, trend +2 per month, multiplicative season,
/// and a small deterministic wiggle so that no model fits exactly.
fn monthly(n: usize) -> Vec<f64> {
    let season = [
        0.8, 0.85, 0.95, 1.0, 1.05, 1.1, 1.15, 1.1, 1.0, 0.95, 1.05, 1.3,
    ];
    (0..n)
        .map(|t| {
            let wiggle = ((t * 7919) % 13) as f64 - 6.0;
            (200.0 + 2.0 * t as f64) * season[t % 12] + wiggle
        })
        .collect()
}

fn assert_nested(f: &Forecast) {
    let mut ivs = f.intervals.clone();
    ivs.sort_by(|a, b| a.level.total_cmp(&b.level));
    for h in 0..f.point.len() {
        let mut prev: Option<(f64, f64)> = None;
        for iv in &ivs {
            assert!(iv.lower[h] <= f.point[h] && f.point[h] <= iv.upper[h]);
            if let Some((lo, hi)) = prev {
                assert!(iv.lower[h] <= lo && hi <= iv.upper[h], "{} at {h}", f.model);
            }
            prev = Some((iv.lower[h], iv.upper[h]));
        }
    }
}

#[test]
fn every_model_gives_finite_nested_non_negative_forecasts() {
    let y = monthly(72);
    for model in ModelChoice::ALL {
        let f = forecast(&y, 18, &options(model, Some(12))).unwrap();
        assert_eq!(f.point.len(), 18, "{model:?}");
        assert_eq!(f.intervals.len(), 2);
        assert!(
            f.point.iter().all(|v| v.is_finite() && *v >= 0.0),
            "{model:?}"
        );
        assert_nested(&f);
        for iv in &f.intervals {
            assert!(iv.lower.iter().all(|v| *v >= 0.0), "{model:?}");
        }
    }
}

#[test]
fn auto_follows_trend_and_season() {
    let y = monthly(96);
    let f = forecast(&y, 12, &options(ModelChoice::Auto, Some(12))).unwrap();
    assert!(f.model.starts_with("Combo("), "{}", f.model);
    assert_eq!(f.season_length, 12);
    // The next December (step 12: t = 107) against the next January (t = 96):
    // truth 307·1.3 ≈ 399 and 392·0.8 ≈ 314.
    assert!(f.point[11] > f.point[0] * 1.3, "{:?}", f.point);
    let truth: Vec<f64> = monthly(108)[96..].to_vec();
    let err = metrics::smape(&truth, &f.point);
    assert!(err < 5.0, "sMAPE {err}");
}

/// Weekly sales over `n` weeks: level 60 with a deterministic ±15% wobble,
/// and a Christmas peak (×3, ×4, ×3) in weeks 46–48 of each year.
fn weekly_with_christmas(n: usize) -> Vec<f64> {
    (0..n)
        .map(|t| {
            let wobble = 1.0 + 0.15 * (((t * 7919) % 11) as f64 / 5.0 - 1.0);
            let peak = match t % 52 {
                46 | 48 => 3.0,
                47 => 4.0,
                _ => 1.0,
            };
            60.0 * wobble * peak
        })
        .collect()
}

#[test]
fn two_years_of_weekly_sales_forecast_the_next_christmas() {
    // 2½ years: too short for the classical decomposition (3 seasons), long
    // enough for the short-history adjustment.
    let y = weekly_with_christmas(130);
    let f = forecast(&y, 26, &options(ModelChoice::Auto, Some(52))).unwrap();
    assert_eq!(f.season_length, 52, "{}", f.model);
    assert_nested(&f);
    // Step h is week (130 + h − 1) mod 52: Christmas week 47 is step 22,
    // a calm week (40) step 15.
    let (calm, christmas) = (f.point[14], f.point[21]);
    assert!((45.0..75.0).contains(&calm), "{:?}", f.point);
    assert!(christmas > 3.0 * calm, "{:?}", f.point);
    // The peaks are explained by the season, not taken for noise: a calm
    // week's 95% band is about the wobble's size, far narrower than what
    // the same models give without a season.
    let width = |f: &Forecast, h: usize| f.intervals[1].upper[h] - f.intervals[1].lower[h];
    let plain = forecast(&y, 26, &options(ModelChoice::Auto, Some(1))).unwrap();
    assert!(
        width(&f, 14) < 0.6 * width(&plain, 14),
        "{} vs {}",
        width(&f, 14),
        width(&plain, 14)
    );
    assert!(width(&f, 21) > 2.0 * width(&f, 14));
}

#[test]
fn the_season_is_detected_when_not_given() {
    let y = monthly(96);
    let f = forecast(&y, 12, &options(ModelChoice::Ets, None)).unwrap();
    assert_eq!(f.season_length, 12);
}

#[test]
fn a_constant_series_is_forecast_flat_by_every_regular_model() {
    let y = vec![42.0; 40];
    for model in [
        ModelChoice::Auto,
        ModelChoice::Ets,
        ModelChoice::Theta,
        ModelChoice::Arima,
        ModelChoice::Naive,
    ] {
        let f = forecast(&y, 6, &options(model, Some(12))).unwrap();
        for v in &f.point {
            assert!((v - 42.0).abs() < 1e-6, "{model:?}: {:?}", f.point);
        }
    }
}

#[test]
fn intermittent_series_go_to_tsb() {
    let y: Vec<f64> = (0..48)
        .map(|t| if t % 4 == 1 { 3.0 } else { 0.0 })
        .collect();
    assert!(intermittent::classify(&y).unwrap().is_intermittent());
    let f = forecast(&y, 6, &ForecastOptions::default()).unwrap();
    assert_eq!(f.model, "TSB");
    // Demand 3 every 4th period: about 0.75 per period.
    assert!((f.point[0] - 0.75).abs() < 0.2, "{:?}", f.point);
    assert!(f.intervals[0].lower.iter().all(|v| *v >= 0.0));
}

#[test]
fn bad_inputs_are_errors_or_documented_fallbacks() {
    let o = ForecastOptions::default();
    assert!(matches!(forecast(&[], 3, &o), Err(Error::Empty(_))));
    let err = forecast(&[1.0, f64::NAN, 2.0], 3, &o).unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    assert!(err.to_string().contains("values[1]"), "{err}");
    let err = forecast(&[1.0, f64::INFINITY], 3, &o).unwrap_err();
    assert_eq!(err.code(), "invalid_value");
    assert_eq!(
        forecast(&[1.0, 2.0], 0, &o).unwrap_err().code(),
        "invalid_config"
    );
    // All zeros: the zero forecast.
    let f = forecast(&[0.0; 20], 4, &o).unwrap();
    assert_eq!((f.model.as_str(), f.point.clone()), ("Zero", vec![0.0; 4]));
    // Too short for the season: forecast without it.
    let f = forecast(
        &[5.0, 6.0, 7.0, 6.0, 5.0, 6.0, 7.0, 6.0],
        3,
        &options(ModelChoice::Ets, Some(12)),
    )
    .unwrap();
    assert_eq!(f.season_length, 1);
    let err = forecast(&[5.0, 6.0, 7.0], 3, &options(ModelChoice::Snaive, Some(12))).unwrap_err();
    assert_eq!(err.code(), "forecast_unfit");
    // Negative values: an error only when non-negativity is asserted.
    let neg = [3.0, -1.0, 4.0, 2.0, 5.0, 3.0, 4.0];
    let strict = ForecastOptions {
        non_negative: Some(true),
        ..ForecastOptions::default()
    };
    assert_eq!(
        forecast(&neg, 2, &strict).unwrap_err().code(),
        "invalid_value"
    );
    assert!(forecast(&neg, 2, &o).is_ok());
    assert_eq!(
        forecast(&neg, 2, &options(ModelChoice::Tsb, None))
            .unwrap_err()
            .code(),
        "forecast_unfit"
    );
    // One value: naive.
    let f = forecast(&[9.0], 2, &o).unwrap();
    assert_eq!(f.point, vec![9.0, 9.0]);
}

#[test]
fn forecasts_are_deterministic() {
    let y = monthly(60);
    let o = options(ModelChoice::Ets, Some(12));
    assert_eq!(forecast(&y, 12, &o).unwrap(), forecast(&y, 12, &o).unwrap());
}

#[test]
fn options_come_from_camel_case_json() {
    let o = ForecastOptions::from_json(r#"{"seasonLength": 12, "levels": [50, 99], "model": "combo", "combine": "median", "seed": 7}"#)
        .unwrap();
    let f = forecast(&monthly(48), 6, &o).unwrap();
    assert_eq!(f.intervals[1].level, 99.0);
    assert!(ForecastOptions::from_json(r#"{"seasonLength": 0}"#).is_err());
    assert!(ForecastOptions::from_json(r#"{"model": "magic"}"#).is_err());
}

#[test]
fn reorder_plan_from_a_forecast() {
    let y = monthly(60);
    let f = forecast(&y, 6, &options(ModelChoice::Auto, Some(12))).unwrap();
    let plan = inventory::reorder_plan(&f, 3, 95.0).unwrap();
    let demand: f64 = f.point[..3].iter().sum();
    assert!((plan.lead_time_demand - demand).abs() < 1e-9);
    assert!(plan.safety_stock > 0.0 && plan.reorder_point > demand);
    assert_eq!(inventory::stockout_period(&f, 0.0), Some(1));
    assert_eq!(inventory::stockout_period(&f, 1e12), None);
}

#[test]
fn no_model_panics_on_awkward_series() {
    // Short, constant, alternating, spiky, negative, tiny and huge series,
    // every model, with and without a season: an Ok with finite numbers or
    // an Err, never a panic.
    let mut rng = fastrand::Rng::with_seed(11);
    let mut cases: Vec<Vec<f64>> = vec![
        vec![0.0],
        vec![1.0, 1.0],
        vec![0.0, 0.0, 5.0],
        vec![1e-12; 30],
        vec![1e12, 1.0, 1e12, 1.0, 1e12, 1.0, 1e12, 1.0],
        (0..30)
            .map(|t| if t % 2 == 0 { 1.0 } else { -1.0 })
            .collect(),
        (0..50).map(|t| -(t as f64)).collect(),
    ];
    for n in [3, 7, 13, 25, 49] {
        cases.push((0..n).map(|_| rng.f64() * 10.0).collect());
        cases.push(
            (0..n)
                .map(|_| {
                    if rng.f64() < 0.8 {
                        0.0
                    } else {
                        rng.f64() * 5.0
                    }
                })
                .collect(),
        );
    }
    for y in &cases {
        for model in ModelChoice::ALL {
            for season in [None, Some(1), Some(4), Some(12)] {
                if let Ok(f) = forecast(y, 7, &options(model, season)) {
                    assert!(f.point.iter().all(|v| v.is_finite()), "{model:?} {y:?}");
                    for iv in &f.intervals {
                        assert!(iv.lower.iter().chain(&iv.upper).all(|v| v.is_finite()));
                    }
                }
            }
        }
    }
}

#[test]
fn many_series_from_csv_bytes_give_forecast_lines_with_fallbacks() {
    use pocketrec::forecast::forecast_series;
    use pocketrec::forecast::input::{read_series, Format};
    let csv = b"id,period,value\na,2024-02,12\na,2024-01,10\na,2024-03,14\nb,1,x\nb,2,3\n";
    let input = read_series(csv, Format::Csv, "in.csv").unwrap();
    assert!(input.warnings.is_empty());
    let opts = ForecastOptions {
        levels: vec![95.0, 99.5],
        model: ModelChoice::Naive,
        ..ForecastOptions::default()
    };
    let lines: Vec<String> = input
        .series
        .iter()
        .map(|s| serde_json::to_string(&forecast_series(s, 1, &opts)).unwrap())
        .collect();
    // Keys in the CLI's order; whole levels as integers, others as floats.
    assert!(
        lines[0].starts_with(r#"{"id":"a","intervals":[{"level":95,"lower":["#),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains(r#"{"level":99.5,"#), "{}", lines[0]);
    assert!(
        lines[0].ends_with(r#""model":"Naive","point":[14.0]}"#),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(r#"{"error":"line 5: value \"x\" is not a finite number","id":"b""#),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].contains(r#""model":"Fallback(Naive)","point":[3.0]"#),
        "{}",
        lines[1]
    );
}
