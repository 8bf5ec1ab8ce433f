//! Exponential smoothing state-space models (ETS), fitted by maximum
//! likelihood and selected by AICc.
//!
//! Notation of Hyndman, Koehler, Ord & Snyder, *Forecasting with Exponential
//! Smoothing* (2008), ch. 2. With level ℓ, slope b, seasonal states s and
//! q_t = ℓ_{t−1} + φ b_{t−1} (φ = 1 for an undamped trend, q = ℓ without a
//! trend), the one-step forecast is
//!
//! ```text
//! ŷ_t = q_t            (season N)
//! ŷ_t = q_t + s_{t−m}  (season A)
//! ŷ_t = q_t · s_{t−m}  (season M)
//! ```
//!
//! and with the seasonally adjusted observation p_t = y_t (N), y_t − s_{t−m}
//! (A) or y_t / s_{t−m} (M) the states move by
//!
//! ```text
//! ℓ_t = q_t + α (p_t − q_t)
//! b_t = φ b_{t−1} + β (p_t − q_t)
//! s_t = s_{t−m} + γ (y_t − q_t − s_{t−m})   (A)
//! s_t = s_{t−m} + γ (y_t / q_t − s_{t−m})   (M)
//! ```
//!
//! These updates are the same for additive and multiplicative errors (the
//! error form ε_t = y_t − ŷ_t or (y_t − ŷ_t)/ŷ_t only changes the likelihood
//! and the simulated paths). The concentrated Gaussian likelihood gives
//!
//! ```text
//! −2 log L = n ln(Σ ε_t² / n) + n (1 + ln 2π) [+ 2 Σ ln |ŷ_t|  for multiplicative errors]
//! AICc = −2 log L + 2k + 2k(k + 1)/(n − k − 1)
//! ```
//!
//! where k counts the smoothing parameters, the initial states (ℓ₀, b₀ and
//! m − 1 seasonal states) and σ², as in R's `forecast::ets`.
//!
//! Parameter space ("usual" bounds of forecast::ets): α ∈ [1e−4, 0.9999],
//! β ∈ [1e−4·α, α], γ ∈ [1e−4·(1−α), 1 − α], φ ∈ [0.8, 0.98]. The optimiser
//! works in a unit box that maps onto exactly this region (β = b′α,
//! γ = g′(1 − α)). ℓ₀ and b₀ are optimised too; the seasonal states start
//! from a classical decomposition of the first three seasons. Model
//! selection keeps them there (optimising m more parameters for each of 15
//! forms would cost most of the speed budget); [`auto`] then refits the
//! selected form with the seasonal states optimised as well ([`refine`]).

mod filter;
mod fit;
mod forecast;
mod select;
mod spec;

pub use filter::n_params;
pub use fit::{fit, fit_with};
pub use select::{auto, auto_with, refine};
pub use spec::{ErrorKind, EtsModel, EtsSpec, Params, SeasonKind, State, TrendKind};

#[cfg(test)]
mod tests {
    use super::filter::{filter, neg2_log_lik};
    use super::*;
    use crate::forecast::stats::aicc;

    fn spec(error: ErrorKind, trend: TrendKind, season: SeasonKind) -> EtsSpec {
        EtsSpec {
            error,
            trend,
            season,
        }
    }

    #[test]
    fn ses_follows_the_hand_computed_recursion() {
        // ℓ₀ = 10, α = 0.5, y = 12, 9, 11:
        // ŷ₁ = 10, ℓ₁ = 10 + 0.5·2 = 11; ŷ₂ = 11, ℓ₂ = 11 − 1 = 10;
        // ŷ₃ = 10, ℓ₃ = 10 + 0.5 = 10.5. SSE = 4 + 4 + 1 = 9.
        let s = spec(ErrorKind::Additive, TrendKind::None, SeasonKind::None);
        let p = Params {
            alpha: 0.5,
            beta: 0.0,
            gamma: 0.0,
            phi: 1.0,
        };
        let mut st = State {
            level: 10.0,
            slope: 0.0,
            season: vec![0.0],
        };
        let (sse, _) = filter(&[12.0, 9.0, 11.0], &s, 1, &p, &mut st).unwrap();
        assert_eq!(sse, 9.0);
        assert_eq!(st.level, 10.5);
    }

    #[test]
    fn aicc_matches_a_worked_value() {
        // n = 10, SSE = 20 → −2logL = 10 ln 2 + 10 (1 + ln 2π) = 35.3102…;
        // k = 3: AICc = 35.3102 + 6 + 2·3·4/6 = 45.3102.
        let n2ll = neg2_log_lik(10, 20.0, 0.0);
        let expected = 10.0 * 2f64.ln() + 10.0 * (1.0 + (2.0 * std::f64::consts::PI).ln());
        assert!((n2ll - expected).abs() < 1e-12);
        assert!((n2ll - 35.310_242_5).abs() < 1e-6, "{n2ll}");
        assert!((aicc(n2ll, 10, 3) - 45.310_242_5).abs() < 1e-6);
        assert_eq!(aicc(n2ll, 4, 3), f64::INFINITY);
    }

    #[test]
    fn holt_extrapolates_a_straight_line() {
        let y: Vec<f64> = (0..30).map(|t| 5.0 + 2.0 * t as f64).collect();
        let m = fit(
            &y,
            spec(ErrorKind::Additive, TrendKind::Additive, SeasonKind::None),
            1,
        )
        .unwrap();
        for (h, f) in m.point(5).iter().enumerate() {
            let want = 5.0 + 2.0 * (30 + h) as f64;
            assert!((f - want).abs() < 1e-6, "h={h}: {f} vs {want}");
        }
    }

    #[test]
    fn a_constant_series_gives_a_flat_forecast() {
        let y = vec![7.0; 24];
        let m = auto(&y, 1).unwrap();
        for f in m.point(6) {
            assert!((f - 7.0).abs() < 1e-9, "{f}");
        }
    }

    #[test]
    fn a_purely_seasonal_series_repeats_its_pattern() {
        let pattern = [10.0, 14.0, 8.0, 12.0];
        let y: Vec<f64> = (0..40).map(|t| pattern[t % 4]).collect();
        let m = fit(
            &y,
            spec(ErrorKind::Additive, TrendKind::None, SeasonKind::Additive),
            4,
        )
        .unwrap();
        for (h, f) in m.point(8).iter().enumerate() {
            assert!((f - pattern[(40 + h) % 4]).abs() < 1e-6, "{h}: {f}");
        }
    }

    #[test]
    fn class_one_variance_grows_as_the_formula() {
        let m = EtsModel {
            spec: spec(ErrorKind::Additive, TrendKind::None, SeasonKind::None),
            period: 1,
            params: Params {
                alpha: 0.5,
                beta: 0.0,
                gamma: 0.0,
                phi: 1.0,
            },
            state: State {
                level: 10.0,
                slope: 0.0,
                season: vec![0.0],
            },
            n: 10,
            sigma2: 4.0,
            log_lik: 0.0,
            n_params: 3,
            aicc: 0.0,
        };
        // v₃ = 4 (1 + 2·0.25) = 6.
        let (_, iv) = m.forecast(3, &[95.0], 1, 0);
        let half = iv[0].upper[2] - 10.0;
        assert!((half - 1.959_964 * 6f64.sqrt()).abs() < 1e-5);
    }
}
