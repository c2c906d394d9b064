//! Property-style tests of the statistics on seeded random data: symmetries, invariants,
//! coverage and determinism that must hold for any input. Every data set comes from a
//! `ChaCha8Rng` with a fixed seed, so each test is deterministic.

use inferbench::report::verdict_text::{TrendSentence, VerdictSentence};
use inferbench::stats::{
    adjust_family, compare_family, holm_adjust, mean_ci, percentile_ci, speedup, BootstrapConfig,
    CompareConfig, Comparison, MannWhitney, QuotedTest, RatioOf, StatsError, Summary,
    TailComparison, Trend, TrendKind, VerdictKind, WelchTest,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, LogNormal, Normal};

/// `n` log-normal latencies with median `median_ms` and log-sd `sigma`.
fn lognormal(rng: &mut ChaCha8Rng, n: usize, median_ms: f64, sigma: f64) -> Vec<f64> {
    let d = LogNormal::new(median_ms.ln(), sigma).unwrap();
    (0..n).map(|_| d.sample(rng)).collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()) || (a - b).abs() < 1e-300
}

fn fast_config(seed: u64) -> CompareConfig {
    CompareConfig {
        resamples: 1000,
        seed,
        ..CompareConfig::default()
    }
}

#[test]
fn swapping_the_samples_mirrors_every_two_sample_statistic() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for case in 0..12 {
        let na = 3 + case * 7;
        let nb = 2 + case * 5;
        let a = lognormal(&mut rng, na, 2.0, 0.3);
        let b = lognormal(&mut rng, nb, 2.0 + 0.05 * case as f64, 0.5);
        let ab = WelchTest::of(&a, &b, 0.95).unwrap();
        let ba = WelchTest::of(&b, &a, 0.95).unwrap();
        assert_eq!(ab.t, -ba.t);
        assert_eq!((ab.df, ab.p_value), (ba.df, ba.p_value));
        assert_eq!(ab.difference_ci_ms.lower, -ba.difference_ci_ms.upper);

        let m_ab = MannWhitney::of(&a, &b).unwrap();
        let m_ba = MannWhitney::of(&b, &a).unwrap();
        assert_eq!(m_ab.u + m_ba.u, (na * nb) as f64);
        assert_eq!(m_ab.p_value, m_ba.p_value);

        let c_ab = Comparison::of(&b, &a, &fast_config(9)).unwrap();
        let c_ba = Comparison::of(&a, &b, &fast_config(9)).unwrap();
        assert_eq!(c_ab.cliffs_delta, -c_ba.cliffs_delta);
        assert_eq!(c_ab.cohens_d, -c_ba.cohens_d);
        let (s_ab, s_ba) = (c_ab.speedup.of_means, c_ba.speedup.of_means);
        assert!(close(s_ab.point, 1.0 / s_ba.point, 1e-14));
        // Different groups get different random draws, so the intervals are only roughly
        // reciprocal.
        assert!(
            close(s_ab.ci.lower, 1.0 / s_ba.ci.upper, 0.05),
            "case {case}"
        );
        assert!(
            close(s_ab.ci.upper, 1.0 / s_ba.ci.lower, 0.05),
            "case {case}"
        );
    }
}

#[test]
fn swapping_flips_faster_and_slower() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let slow = lognormal(&mut rng, 300, 2.0, 0.2);
    let fast = lognormal(&mut rng, 300, 1.1, 0.2);
    let forward = Comparison::of(&slow, &fast, &fast_config(3)).unwrap();
    let backward = Comparison::of(&fast, &slow, &fast_config(3)).unwrap();
    assert_eq!(forward.verdict.kind, VerdictKind::Faster);
    assert_eq!(backward.verdict.kind, VerdictKind::Slower);
    assert!(forward
        .verdict
        .sentence("naive", "fast")
        .starts_with("fast is 1.8"));
    assert!(backward
        .verdict
        .sentence("fast", "naive")
        .starts_with("naive is 1.8"));
    assert!(backward
        .verdict
        .sentence("fast", "naive")
        .contains("slower"));
}

#[test]
fn bootstrap_intervals_contain_their_point_estimates() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    for case in 0..10 {
        let base = lognormal(&mut rng, 100 + 50 * case, 2.0, 0.4);
        let cand = lognormal(&mut rng, 80 + 40 * case, 1.8, 0.6);
        let cmp = Comparison::of(&base, &cand, &fast_config(case as u64)).unwrap();
        for r in [cmp.speedup.of_means, cmp.speedup.of_medians] {
            assert!(r.ci.contains(r.point), "case {case}: {r:?}");
            assert!(r.ci.lower > 0.0 && r.ci.lower < r.ci.upper);
        }
        for t in &cmp.tails {
            assert!(
                t.difference_ci_ms.contains(t.difference_ms),
                "case {case}: {t:?}"
            );
        }
    }
}

#[test]
fn same_seed_same_result_other_seed_other_intervals() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let base = lognormal(&mut rng, 200, 2.0, 0.3);
    let cand = lognormal(&mut rng, 200, 1.9, 0.3);
    let one = Comparison::of(&base, &cand, &fast_config(42)).unwrap();
    let again = Comparison::of(&base, &cand, &fast_config(42)).unwrap();
    let other = Comparison::of(&base, &cand, &fast_config(43)).unwrap();
    assert_eq!(one, again);
    assert_eq!(one.welch, other.welch);
    assert_ne!(one.speedup.of_means.ci, other.speedup.of_means.ci);
}

#[test]
fn standalone_bootstraps_agree_with_the_comparison() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let base = lognormal(&mut rng, 150, 2.0, 0.5);
    let cand = lognormal(&mut rng, 120, 1.7, 0.5);
    let config = fast_config(77);
    let cmp = Comparison::of(&base, &cand, &config).unwrap();
    let boot = config.bootstrap();
    assert_eq!(speedup(&base, &cand, &boot).unwrap(), cmp.speedup);
    for t in &cmp.tails {
        let alone = TailComparison::of(&cand, &base, t.percentile, &boot).unwrap();
        assert_eq!(&alone, t);
    }
}

#[test]
fn scaling_all_latencies_changes_no_unitless_statistic() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let base = lognormal(&mut rng, 120, 2.0, 0.4);
    let cand = lognormal(&mut rng, 90, 1.8, 0.4);
    let scale = |x: &[f64]| x.iter().map(|v| v * 1000.0).collect::<Vec<_>>();
    let ms = Comparison::of(&base, &cand, &fast_config(8)).unwrap();
    let us = Comparison::of(&scale(&base), &scale(&cand), &fast_config(8)).unwrap();
    assert!(close(ms.welch.t, us.welch.t, 1e-12));
    assert!(close(ms.welch.p_value, us.welch.p_value, 1e-9));
    assert_eq!(ms.mann_whitney, us.mann_whitney);
    assert_eq!(ms.cliffs_delta, us.cliffs_delta);
    assert!(close(ms.cohens_d, us.cohens_d, 1e-12));
    assert!(close(
        ms.speedup.of_means.ci.lower,
        us.speedup.of_means.ci.lower,
        1e-12
    ));
    assert_eq!(ms.verdict.kind, us.verdict.kind);
}

#[test]
fn student_t_interval_of_the_mean_has_its_nominal_coverage() {
    // 4000 samples of n = 5 from N(10, 2): a t interval covers 10 about 95% of the time;
    // 1.96 in place of t(0.975, 4) = 2.776 would cover only about 88%.
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let d = Normal::new(10.0, 2.0).unwrap();
    let reps = 4000;
    let covered = (0..reps)
        .filter(|_| {
            let x: Vec<f64> = (0..5).map(|_| d.sample(&mut rng)).collect();
            mean_ci(&x, 0.95).unwrap().contains(10.0)
        })
        .count();
    let coverage = covered as f64 / reps as f64;
    assert!((0.94..=0.96).contains(&coverage), "coverage {coverage}");
}

#[test]
fn order_statistic_interval_of_p90_covers_at_least_nominally() {
    // Exponential(1): the true p90 is ln 10. The interval is conservative (its exact
    // coverage, reported alongside, is >= 95%), and the simulation agrees.
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let d = Exp::new(1.0).unwrap();
    let truth = 10f64.ln();
    let reps = 1500;
    let mut covered = 0;
    let mut exact = 0.0;
    for _ in 0..reps {
        let x: Vec<f64> = (0..200).map(|_| d.sample(&mut rng)).collect();
        let ci = percentile_ci(&x, 0.9, 0.95).unwrap();
        exact = ci.coverage;
        covered += usize::from(ci.interval.contains(truth));
    }
    let coverage = covered as f64 / reps as f64;
    assert!(exact >= 0.95);
    assert!(
        (coverage - exact).abs() < 0.02,
        "simulated {coverage} vs exact {exact}"
    );
}

#[test]
fn identical_samples_are_no_significant_difference() {
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    let x = lognormal(&mut rng, 100, 2.0, 0.3);
    let cmp = Comparison::of(&x, &x, &fast_config(1)).unwrap();
    assert_eq!((cmp.welch.t, cmp.welch.p_value), (0.0, 1.0));
    assert_eq!(cmp.mann_whitney.p_value, 1.0);
    assert_eq!(cmp.speedup.of_means.point, 1.0);
    assert_eq!(cmp.verdict.kind, VerdictKind::NoSignificantDifference);
    assert!(cmp
        .verdict
        .sentence("a", "b")
        .starts_with("No significant difference between b and a (speedup 1.000x"));
}

#[test]
fn a_tiny_but_significant_difference_is_within_noise() {
    // 0.3% slower with very little spread: significant, but inside the 1% threshold.
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let base = lognormal(&mut rng, 500, 2.0, 0.01);
    let cand = lognormal(&mut rng, 500, 2.006, 0.01);
    let cmp = Comparison::of(&base, &cand, &fast_config(2)).unwrap();
    assert!(cmp.welch.p_value < 0.001);
    assert_eq!(cmp.verdict.kind, VerdictKind::WithinNoise);
    // With no threshold the same data are "slower".
    let strict = CompareConfig {
        noise_threshold: 0.0,
        ..fast_config(2)
    };
    let cmp = Comparison::of(&base, &cand, &strict).unwrap();
    assert_eq!(cmp.verdict.kind, VerdictKind::Slower);
}

#[test]
fn mann_whitney_and_medians_can_be_quoted() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let base = lognormal(&mut rng, 400, 2.0, 0.8);
    let cand = lognormal(&mut rng, 400, 1.5, 0.8);
    let config = CompareConfig {
        test: QuotedTest::MannWhitney,
        ratio_of: RatioOf::Medians,
        ..fast_config(3)
    };
    let cmp = Comparison::of(&base, &cand, &config).unwrap();
    assert_eq!(cmp.verdict.p_value, cmp.mann_whitney.p_value);
    assert_eq!(cmp.verdict.inputs.speedup, cmp.speedup.of_medians);
    let sentence = cmp.verdict.sentence("naive", "fast");
    assert!(sentence.contains("Mann-Whitney"), "{sentence}");
    assert!(sentence.contains("in median latency"), "{sentence}");
}

#[test]
fn a_family_is_decided_on_holm_adjusted_p_values() {
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let base = lognormal(&mut rng, 200, 2.0, 0.3);
    let cands: Vec<Vec<f64>> = [1.5, 1.98, 2.5]
        .iter()
        .map(|&m| lognormal(&mut rng, 200, m, 0.3))
        .collect();
    let refs: Vec<&[f64]> = cands.iter().map(|c| c.as_slice()).collect();
    let family = compare_family(&base, &refs, &fast_config(4)).unwrap();
    let raw: Vec<f64> = family.iter().map(|c| c.verdict.inputs.p_value).collect();
    let adjusted = holm_adjust(&raw).unwrap();
    for (c, p) in family.iter().zip(&adjusted) {
        assert_eq!(c.verdict.p_value, *p);
        assert_eq!(c.verdict.holm_family_size, Some(3));
        assert!(c.verdict.p_value >= c.verdict.inputs.p_value);
        assert!(c
            .verdict
            .sentence("base", "cand")
            .contains("Holm-adjusted for 3"));
    }
    assert_eq!(family[0].verdict.kind, VerdictKind::Faster);
    assert_eq!(family[2].verdict.kind, VerdictKind::Slower);

    // A family of one is not adjusted.
    let mut single = vec![Comparison::of(&base, &cands[0], &fast_config(4)).unwrap()];
    let before = single[0].verdict.clone();
    adjust_family(&mut single).unwrap();
    assert_eq!(single[0].verdict, before);
}

#[test]
fn holm_adjustment_properties() {
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let u = rand_distr::Uniform::new(0.0, 0.3).unwrap();
    for m in 1..20 {
        let p: Vec<f64> = (0..m).map(|_| u.sample(&mut rng)).collect();
        let adj = holm_adjust(&p).unwrap();
        for i in 0..m {
            assert!(adj[i] >= p[i] && adj[i] <= 1.0);
            for j in 0..m {
                if p[i] <= p[j] {
                    assert!(adj[i] <= adj[j], "adjusted order must follow raw order");
                }
            }
        }
        // Never more than Bonferroni.
        for i in 0..m {
            assert!(adj[i] <= (p[i] * m as f64).min(1.0) + 1e-15);
        }
    }
}

#[test]
fn a_drifting_run_is_flagged_and_a_shuffled_one_is_not() {
    let mut rng = ChaCha8Rng::seed_from_u64(15);
    let n = 1000;
    let noise = lognormal(&mut rng, n, 1.0, 0.1);
    let throttled: Vec<f64> = noise
        .iter()
        .enumerate()
        .map(|(i, v)| v * (1.0 + 0.3 * i as f64 / n as f64))
        .collect();
    let t = Trend::of(&throttled, 0.05).unwrap();
    assert_eq!(t.kind, TrendKind::LaterSlower);
    assert!(t
        .sentence()
        .starts_with("Later queries were slower (Spearman rho = "));
    let flat = Trend::of(&noise, 0.05).unwrap();
    assert_eq!(flat.kind, TrendKind::NoTrend, "{flat:?}");
}

#[test]
fn summary_invariants_hold_on_random_samples() {
    let mut rng = ChaCha8Rng::seed_from_u64(16);
    for n in [2, 3, 7, 50, 400, 5000] {
        let x = lognormal(&mut rng, n, 2.0, 0.7);
        let s = Summary::of(&x).unwrap();
        assert!(s.min_ms <= s.median_ms && s.median_ms <= s.max_ms);
        assert!(s.mean_ci_ms.contains(s.mean_ms));
        let values: Vec<f64> = s.percentiles.iter().map(|e| e.value_ms).collect();
        assert!(
            values.windows(2).all(|w| w[0] <= w[1]),
            "percentiles not monotone"
        );
        for e in &s.percentiles {
            assert_eq!(e.ci.is_some(), n >= e.ci_min_samples, "n = {n}");
            if let Some(ci) = e.ci {
                assert!(ci.interval.lower <= ci.interval.upper);
                assert!(ci.coverage >= 0.95);
            }
        }
        assert!(s.outliers.total() <= n);
        let json = serde_json::to_string(&s).unwrap();
        let back: Summary = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s, "a summary survives a result file");
    }
}

#[test]
fn comparison_survives_a_result_file() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let base = lognormal(&mut rng, 60, 2.0, 0.3);
    let cand = lognormal(&mut rng, 60, 1.6, 0.3);
    let cmp = Comparison::of(&base, &cand, &fast_config(5)).unwrap();
    let back: Comparison = serde_json::from_str(&serde_json::to_string(&cmp).unwrap()).unwrap();
    assert_eq!(back, cmp);
}

#[test]
fn default_configuration_runs_ten_thousand_resamples() {
    let mut rng = ChaCha8Rng::seed_from_u64(18);
    let base = lognormal(&mut rng, 100, 2.0, 0.3);
    let cand = lognormal(&mut rng, 100, 1.0, 0.3);
    let cmp = Comparison::of(&base, &cand, &CompareConfig::default()).unwrap();
    assert_eq!(cmp.speedup.bootstrap.resamples, 10_000);
    assert_eq!(cmp.tails.len(), 2);
    assert_eq!(cmp.verdict.kind, VerdictKind::Faster);
    // Each tail test: the candidate's p90/p99 is clearly lower; the p-value is bounded
    // below by 1 / (resamples + 1).
    for t in &cmp.tails {
        assert!(t.difference_ms < 0.0);
        assert!(t.p_value_a_lower < 0.01 && t.p_value_a_lower >= 1.0 / 10_001.0);
    }
}

#[test]
fn comparison_rejects_unusable_input_with_typed_errors() {
    let ok = [1.0, 2.0, 3.0];
    let c = CompareConfig::default();
    assert_eq!(
        Comparison::of(&[], &ok, &c),
        Err(StatsError::TooFewSamples {
            sample: "baseline",
            needed: 2,
            got: 0
        })
    );
    assert_eq!(
        Comparison::of(&ok, &[1.0], &c),
        Err(StatsError::TooFewSamples {
            sample: "candidate",
            needed: 2,
            got: 1
        })
    );
    assert_eq!(
        Comparison::of(&ok, &[1.0, f64::INFINITY], &c),
        Err(StatsError::NonFinite {
            sample: "candidate",
            index: 1
        })
    );
    assert_eq!(
        Comparison::of(&[2.0, -1.0], &ok, &c),
        Err(StatsError::NonPositive {
            sample: "baseline",
            index: 1,
            value: -1.0
        })
    );
    assert_eq!(
        Comparison::of(&[2.0, 2.0, 2.0], &[1.0, 1.0], &c),
        Err(StatsError::ZeroVariance {
            statistic: "Welch's t-test"
        })
    );
    let bad = CompareConfig {
        alpha: 1.5,
        ..CompareConfig::default()
    };
    assert!(matches!(
        Comparison::of(&ok, &ok, &bad),
        Err(StatsError::InvalidParameter { name: "alpha", .. })
    ));
    let bad = CompareConfig {
        tail_percentiles: vec![1.0],
        ..CompareConfig::default()
    };
    assert!(matches!(
        Comparison::of(&ok, &ok, &bad),
        Err(StatsError::InvalidParameter {
            name: "tail_percentiles",
            ..
        })
    ));
    let bad = BootstrapConfig {
        resamples: 0,
        ..BootstrapConfig::default()
    };
    assert!(speedup(&ok, &ok, &bad).is_err());
}
