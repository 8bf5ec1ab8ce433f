//! Point forecasts, analytic intervals and simulated sample paths of a
//! fitted model.

use super::filter::{one_step, step};
use super::spec::{ErrorKind, EtsModel, SeasonKind, TrendKind};
use crate::forecast::intervals::{normal_intervals, simulated_intervals, NormalSampler};
use crate::forecast::types::Interval;

impl EtsModel {
    /// Point forecasts for steps 1..=h:
    /// ŷ_{n+h} = (ℓ_n + φ_h b_n) [+ or ·] s_{n+h−m(⌊(h−1)/m⌋+1)},
    /// with φ_h = φ + φ² + … + φ^h (h for an undamped trend).
    pub fn point(&self, horizon: usize) -> Vec<f64> {
        let mut phi_h = 0.0;
        let mut phi_pow = 1.0;
        (0..horizon)
            .map(|h| {
                phi_pow *= self.params.phi;
                phi_h += phi_pow;
                let q = match self.spec.trend {
                    TrendKind::None => self.state.level,
                    _ => self.state.level + phi_h * self.state.slope,
                };
                let phase = (self.n + h) % self.period;
                match self.spec.season {
                    SeasonKind::None => q,
                    SeasonKind::Additive => q + self.state.season[phase],
                    SeasonKind::Multiplicative => q * self.state.season[phase],
                }
            })
            .collect()
    }

    /// Whether the analytic (class 1) variance applies: additive error and
    /// no multiplicative season (Hyndman et al. 2008, §6.3).
    pub fn analytic_intervals(&self) -> bool {
        self.spec.error == ErrorKind::Additive && self.spec.season != SeasonKind::Multiplicative
    }

    /// Point forecasts and intervals at `levels` (percent).
    ///
    /// Class 1 models use the exact variance
    /// v_h = σ² [1 + Σ_{j=1}^{h−1} c_j²], c_j = α + β φ_j + γ·[j mod m = 0]
    /// (φ_j = φ + … + φ^j). The others simulate `sims` sample paths through
    /// the state equations with ε ~ N(0, σ²) from a generator seeded by
    /// `seed`, and take empirical quantiles.
    pub fn forecast(
        &self,
        horizon: usize,
        levels: &[f64],
        seed: u64,
        sims: usize,
    ) -> (Vec<f64>, Vec<Interval>) {
        let point = self.point(horizon);
        if levels.is_empty() {
            return (point, Vec::new());
        }
        if self.analytic_intervals() {
            let p = &self.params;
            let mut acc = 0.0;
            let mut phi_j = 0.0;
            let mut phi_pow = 1.0;
            let sd: Vec<f64> = (0..horizon)
                .map(|h| {
                    // h is the step minus one: add c_h² for j = h ≥ 1.
                    if h >= 1 {
                        phi_pow *= p.phi;
                        phi_j += phi_pow;
                        let trend = match self.spec.trend {
                            TrendKind::None => 0.0,
                            _ => p.beta * phi_j,
                        };
                        let season = if self.spec.season != SeasonKind::None && h % self.period == 0
                        {
                            p.gamma
                        } else {
                            0.0
                        };
                        let c = p.alpha + trend + season;
                        acc += c * c;
                    }
                    (self.sigma2 * (1.0 + acc)).sqrt()
                })
                .collect();
            return (point.clone(), normal_intervals(&point, &sd, levels));
        }
        let paths = self.simulate(horizon, seed, sims);
        (point, simulated_intervals(&paths, horizon, levels))
    }

    /// `count` future sample paths of length `horizon`.
    pub fn simulate(&self, horizon: usize, seed: u64, count: usize) -> Vec<Vec<f64>> {
        let mut rng = NormalSampler::new(seed);
        let sigma = self.sigma2.sqrt();
        let m = self.period;
        let mut st = self.state.clone();
        (0..count)
            .map(|_| {
                st.clone_from(&self.state);
                let mut path = Vec::with_capacity(horizon);
                for h in 0..horizon {
                    let phase = (self.n + h) % m;
                    let yhat = one_step(&self.spec, &self.params, &st, phase);
                    let eps = sigma * rng.sample();
                    let y = match self.spec.error {
                        ErrorKind::Additive => yhat + eps,
                        ErrorKind::Multiplicative => yhat * (1.0 + eps),
                    };
                    if step(&self.spec, &self.params, &mut st, phase, y).is_none() {
                        path.push(f64::NAN);
                        continue;
                    }
                    path.push(y);
                }
                path
            })
            .collect()
    }
}
