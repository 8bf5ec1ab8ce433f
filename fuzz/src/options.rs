//! The options the wasm binding parses, through to a fit, a query or a
//! forecast. `src/wasm/` builds only for wasm32, so the same types are
//! read here through serde_json, as the binding does after
//! `JSON.stringify`.
//!
//! The whole input is tried as each of: a `Config` (the `Engine`
//! constructor's), a `Query` (every query method's), and the options of
//! `forecast` (horizon and inventory taken out, the rest the core's
//! `ForecastOptions`). Each value that passes its checks is used: a config
//! to read and fit a small shop, a query on a fitted one, forecast options
//! on a fixed series with the reorder suggestion.

use std::sync::{Arc, OnceLock};

use pocketrec::config::Config;
use pocketrec::data::catalogue::Catalogue;
use pocketrec::data::history::Event;
use pocketrec::data::interactions::Interactions;
use pocketrec::forecast::inventory::{reorder_plan, stockout_period};
use pocketrec::forecast::{forecast, ForecastOptions};
use pocketrec::recommend::{CheckedQuery, Query, Recommender};
use pocketrec::Error;
use serde_json::Value;

use super::check;

/// A small log over the catalogue of [`super::interactions`].
const LOG: &str = "user,item,weight,timestamp,event\n\
    u1,a,1,1700000000,view\nu1,b,2,1700003600,purchase\nu1,d,1,1700007200,cart\n\
    u2,a,1,1700000000,view\nu2,c,1,1700086400,view\nu2,g,3,1700090000,purchase\n\
    u3,b,1,1700000000,purchase\nu3,d,1,1700001000,view\nu3,f,1,1700002000,view\n\
    u4,f,2,1700000000,view\nu4,h,1,1700500000,cart\nu4,a,1,1700600000,view\n";

/// Two years of monthly sales with a December peak.
const SALES: [f64; 24] = [
    12.0, 10.0, 11.0, 13.0, 12.0, 14.0, 15.0, 13.0, 14.0, 16.0, 18.0, 30.0, 14.0, 12.0, 13.0, 15.0,
    14.0, 16.0, 17.0, 15.0, 16.0, 18.0, 20.0, 34.0,
];

/// Longest horizon forecast, so one run stays short.
const HORIZON_CAP: usize = 60;

pub fn run(data: &[u8]) {
    if let Ok(config) = Config::from_json(data) {
        with_config(config);
    }
    if let Ok(query) = serde_json::from_slice::<Query>(data) {
        if let Ok(query) = query.check() {
            with_query(&query);
        }
    }
    forecast_options(data);
}

/// Reads and fits the small shop with this config, and asks it once.
fn with_config(config: pocketrec::config::CheckedConfig) {
    let json = super::interactions::CATALOGUE;
    let Ok(catalogue) = Catalogue::from_json(json, &config.catalogue) else {
        return;
    };
    let Ok(log) = Interactions::from_csv(LOG, &catalogue, &config.interactions) else {
        return;
    };
    let rec = Recommender::fit(catalogue, Some(&log), &config).expect("the log fits its catalogue");
    let query = Query::new(4, Default::default())
        .check()
        .expect("a valid query");
    let history = [Event::item("a"), Event::item("b")];
    let recs = rec
        .recommend(&history, &query)
        .expect("plain events are valid");
    check::recommendations("config", &recs, &query, &["a", "b"]);
    let similar = rec
        .similar_items("c", &query)
        .expect("c is in the catalogue");
    check::recommendations("config similar", &similar, &query, &["c"]);
}

/// The small shop fitted with the default config.
fn shop() -> Arc<Recommender> {
    static SHOP: OnceLock<Arc<Recommender>> = OnceLock::new();
    Arc::clone(SHOP.get_or_init(|| {
        let catalogue = super::interactions::catalogue();
        let log =
            Interactions::from_csv(LOG, &catalogue, &Default::default()).expect("the log reads");
        let config = Config::default().check().expect("the defaults are valid");
        Arc::new(Recommender::fit(catalogue, Some(&log), &config).expect("the log fits"))
    }))
}

/// Every query method with this query.
fn with_query(query: &CheckedQuery) {
    let rec = shop();
    let excluded: Vec<&str> = query.filter.exclude.iter().map(|s| s.trim()).collect();
    let history = [
        Event::item("a"),
        Event {
            timestamp: Some(1_700_000_000),
            ..Event::item("f")
        },
    ];
    let mut left_out = excluded.clone();
    left_out.extend(["a", "f"]);
    match rec.recommend(&history, query) {
        Ok(recs) => {
            check::recommendations("query", &recs, query, &left_out);
            check::filtered(rec.catalogue(), &query.filter, &recs);
        }
        Err(e) => panic!("a checked query on a valid history failed: {e}"),
    }
    let mut left_out = excluded.clone();
    left_out.push("b");
    let similar = rec
        .similar_items("b", query)
        .expect("b is in the catalogue");
    check::recommendations("query similar", &similar, query, &left_out);
    check::filtered(rec.catalogue(), &query.filter, &similar);
    let found = rec
        .search("blue ceramic office", query)
        .expect("content is fitted");
    check::recommendations("query search", &found, query, &excluded);
    let popular = rec.popular(query).expect("a checked query");
    check::recommendations("query popular", &popular, query, &excluded);
}

/// The wasm `forecast` options: `horizon` (default 12) and `inventory`
/// (`leadTime`, `serviceLevel` default 95, `stock`) taken out, the rest the
/// core's options, checked by `ForecastOptions::from_json`.
fn forecast_options(data: &[u8]) {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let horizon = match map.remove("horizon") {
        None => 12,
        Some(v) => match v.as_u64().and_then(|h| usize::try_from(h).ok()) {
            Some(h) => h,
            None => return,
        },
    };
    let inventory = match map.remove("inventory") {
        None | Some(Value::Null) => None,
        Some(v) => match inventory(&v) {
            Some(i) => Some(i),
            None => return,
        },
    };
    let Ok(options) = ForecastOptions::from_json(&Value::Object(map).to_string()) else {
        return;
    };
    let horizon = horizon.min(HORIZON_CAP);
    let f = match forecast(&SALES, horizon, &options) {
        Ok(f) => f,
        // Horizon 0, or a model that cannot take this series (seasonal
        // naive with a season longer than it).
        Err(e) if horizon == 0 || matches!(e, Error::Forecast { .. }) => return,
        Err(e) => panic!("valid options on a valid series failed: {e}"),
    };
    let non_negative = options.non_negative.unwrap_or(true);
    check::forecast(&f, horizon, &options, non_negative);
    if let Some((lead_time, service_level, stock)) = inventory {
        if let Ok(plan) = reorder_plan(&f, lead_time, service_level) {
            let demand = plan.lead_time_demand;
            assert!(
                demand.is_finite() && (!non_negative || demand >= 0.0),
                "demand {demand}"
            );
            let safety = plan.safety_stock;
            assert!(safety.is_finite() && safety >= 0.0, "safety stock {safety}");
            assert!(
                plan.reorder_point.is_finite(),
                "reorder point {}",
                plan.reorder_point
            );
        }
        if let Some(stock) = stock {
            if let Some(p) = stockout_period(&f, stock) {
                assert!((1..=horizon).contains(&p), "stock-out period {p}");
            }
        }
    }
}

/// `{leadTime, serviceLevel?, stock?}` as the binding reads it (unknown
/// keys are errors); `None` when it does not read.
fn inventory(v: &Value) -> Option<(usize, f64, Option<f64>)> {
    let map = v.as_object()?;
    if map
        .keys()
        .any(|k| !["leadTime", "serviceLevel", "stock"].contains(&k.as_str()))
    {
        return None;
    }
    let lead_time = usize::try_from(map.get("leadTime")?.as_u64()?).ok()?;
    let service_level = match map.get("serviceLevel") {
        None => 95.0,
        Some(v) => v.as_f64()?,
    };
    let stock = match map.get("stock") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_f64()?),
    };
    Some((lead_time, service_level, stock))
}
