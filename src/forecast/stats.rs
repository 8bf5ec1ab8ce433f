//! Small statistics shared by several models: the least-squares line
//! (Theta's drift, ETS's initial level and slope) and AICc (ETS and ARIMA
//! model selection). They live here, below the models, so that no model
//! module needs another.

/// The information criteria of a fitted model, as `pocketrec forecast`
/// and the wasm `forecast` report them (`"fit"`):
///
/// ```text
/// AIC  = −2 log L + 2k
/// AICc = AIC + 2k(k + 1)/(n − k − 1)      (+∞, written null, when n ≤ k + 1)
/// BIC  = −2 log L + k ln n
/// ```
///
/// with n the observations the likelihood is computed on and k the
/// estimated parameters, σ² included (each model's docs say which).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Criteria {
    /// Log-likelihood log L.
    pub loglik: f64,
    /// Akaike information criterion.
    pub aic: f64,
    /// AIC corrected for small samples.
    pub aicc: f64,
    /// Bayesian (Schwarz) information criterion.
    pub bic: f64,
    /// Observations n.
    pub n: usize,
    /// Estimated parameters k.
    pub k: usize,
    /// ARIMA (p, d, q); absent for other models.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<[usize; 3]>,
}

impl Criteria {
    /// The criteria from a log-likelihood, n and k (see the type's docs).
    pub fn new(loglik: f64, n: usize, k: usize) -> Criteria {
        let n2ll = -2.0 * loglik;
        Criteria {
            loglik,
            aic: n2ll + 2.0 * k as f64,
            aicc: aicc(n2ll, n, k),
            bic: n2ll + k as f64 * (n as f64).ln(),
            n,
            k,
            order: None,
        }
    }
}

/// AICc = −2 log L + 2k + 2k(k + 1)/(n − k − 1); +∞ when n ≤ k + 1.
pub fn aicc(neg2_log_lik: f64, n: usize, k: usize) -> f64 {
    if n <= k + 1 {
        return f64::INFINITY;
    }
    let (nf, kf) = (n as f64, k as f64);
    neg2_log_lik + 2.0 * kf + 2.0 * kf * (kf + 1.0) / (nf - kf - 1.0)
}

/// Least-squares line through (x₀, y₀), (x₀ + 1, y₁), …: returns
/// (intercept at x = 0, slope). A single point gives slope 0.
pub fn least_squares_line(y: &[f64], x0: f64) -> (f64, f64) {
    let n = y.len() as f64;
    if y.len() < 2 {
        return (y.first().copied().unwrap_or(0.0), 0.0);
    }
    let xm = x0 + (n - 1.0) / 2.0;
    let ym = y.iter().sum::<f64>() / n;
    let mut sxy = 0.0;
    let mut sxx = 0.0;
    for (i, v) in y.iter().enumerate() {
        let dx = x0 + i as f64 - xm;
        sxy += dx * (v - ym);
        sxx += dx * dx;
    }
    let slope = sxy / sxx;
    (ym - slope * xm, slope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_squares_line_of_exact_points() {
        // y = 3 + 2x at x = 1, 2, 3.
        let (a, b) = least_squares_line(&[5.0, 7.0, 9.0], 1.0);
        assert!((a - 3.0).abs() < 1e-12 && (b - 2.0).abs() < 1e-12);
    }

    #[test]
    fn criteria_follow_their_formulas() {
        // log L = −20, n = 10, k = 3: −2 log L = 40; AIC = 46;
        // AICc = 46 + 2·3·4/6 = 50; BIC = 40 + 3 ln 10 = 46.907755….
        let c = Criteria::new(-20.0, 10, 3);
        assert_eq!(c.aic, 46.0);
        assert!((c.aicc - 50.0).abs() < 1e-12);
        assert!((c.bic - 46.907_755_278_982_14).abs() < 1e-12);
        assert_eq!(Criteria::new(-20.0, 4, 3).aicc, f64::INFINITY);
    }

    #[test]
    fn aicc_is_infinite_without_enough_observations() {
        // n = 3, k = 2: n ≤ k + 1.
        assert_eq!(aicc(10.0, 3, 2), f64::INFINITY);
        // n = 10, k = 2: 10 + 4 + 2·2·3/7.
        assert!((aicc(10.0, 10, 2) - (14.0 + 12.0 / 7.0)).abs() < 1e-12);
    }
}
