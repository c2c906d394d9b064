//! Queueing theory next to the measurement, for every Server run: InferBench's Server is a
//! single-server FIFO queue with Poisson arrivals (M/G/1), so its mean latency has a formula
//! (Pollaczek-Khinchine, [`crate::stats::queueing`]). With a synthetic system the service
//! time is known in advance (M/D/1 for `fixed`, M/G/1 for `lognormal`); for every system the
//! formula is also evaluated with the service times the run measured.

use crate::format::{percent, sig};
use crate::loadgen::result::ScenarioMetric;
use crate::loadgen::settings::{Scenario, ScenarioSettings};
use crate::loadgen::synthetic::SyntheticSut;
use crate::report::analysis::{Analysis, RunAnalysis};
use crate::report::table::{Align, Table};
use crate::stats::queueing::mg1_mean_latency;

/// The measured moments of a Server run, in ms: mean latency, mean service, E[S²].
struct Measured {
    latency_ms: f64,
    service_ms: f64,
    service_second_ms2: f64,
}

fn measured(r: &RunAnalysis<'_>) -> Option<Measured> {
    let q = &r.run.queries;
    if q.is_empty() {
        return None;
    }
    let n = q.len() as f64;
    let service: Vec<f64> = q
        .iter()
        .map(|x| (x.completed_ns - x.issued_ns) as f64 / 1e6)
        .collect();
    Some(Measured {
        latency_ms: q.iter().map(|x| x.latency_ms()).sum::<f64>() / n,
        service_ms: service.iter().sum::<f64>() / n,
        service_second_ms2: service.iter().map(|s| s * s).sum::<f64>() / n,
    })
}

fn difference(measured: f64, theory: Option<f64>) -> String {
    match theory {
        Some(t) if t > 0.0 => {
            let d = (measured - t) / t * 100.0;
            format!("{}{}%", if d >= 0.0 { "+" } else { "" }, sig(d, 2))
        }
        _ => "n/a".to_string(),
    }
}

fn ms_text(x: Option<f64>) -> String {
    x.map_or_else(
        || "none (ρ ≥ 1: no steady state)".to_string(),
        |v| format!("{} ms", sig(v, 4)),
    )
}

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    let runs: Vec<&RunAnalysis<'_>> = a
        .runs_of(Scenario::Server)
        .filter(|r| matches!(r.run.metric, Some(ScenarioMetric::Server(_))))
        .collect();
    if runs.is_empty() {
        return;
    }
    let sut = a.result.plan.synthetic_sut;
    out.push_str("## Queueing theory (Server)\n\n");
    out.push_str(
        "InferBench's Server run is a single-server FIFO queue fed by Poisson arrivals (its \
         system under test takes one query at a time), an M/G/1 queue, whose mean latency \
         (waiting plus service) is given by the Pollaczek-Khinchine formula: with arrival rate \
         λ (the target QPS), mean service time E[S] and utilisation ρ = λ E[S], the mean \
         latency is W = E[S] + λ E[S²] / (2 (1 - ρ)); for a fixed service time S (M/D/1) that \
         is S + ρ S / (2 (1 - ρ)), 1.5 S at ρ = 0.5 and 3 S at ρ = 0.8. The formula is for an \
         endless, steady run: a finite run differs by its sampling noise, more at high \
         utilisation, where the queue forgets its past slowly. The measured latency also holds \
         the load generator's own lateness (a query that finds the system idle is issued a \
         little after its scheduled arrival), which the formula does not know: at low \
         utilisation, where queueing is small, that lateness is most of the difference.",
    );
    match sut {
        Some(s @ (SyntheticSut::Fixed { .. } | SyntheticSut::Lognormal { .. })) => {
            out.push_str(&format!(
                " Here the system is synthetic ({s}), so the theory is known before the run \
                 ({}); the measured service time adds the load generator's own time per query \
                 and the clock readings of each spin.\n\n",
                if matches!(s, SyntheticSut::Fixed { .. }) {
                    "M/D/1"
                } else {
                    "M/G/1 with log-normal service"
                }
            ));
        }
        _ => out.push_str(
            " The service times here are the system's own, so the formula is evaluated with \
             the moments this run measured.\n\n",
        ),
    }
    let nominal = sut.filter(|s| !matches!(s, SyntheticSut::Null));
    let mut columns = vec![
        ("Run", Align::Left),
        ("λ (QPS)", Align::Right),
        ("Measured mean latency", Align::Right),
        ("Measured mean service", Align::Right),
    ];
    if nominal.is_some() {
        columns.extend([
            ("ρ (nominal)", Align::Right),
            ("Theory, nominal service", Align::Right),
            ("Difference", Align::Right),
        ]);
    }
    columns.extend([
        ("ρ (measured)", Align::Right),
        ("Theory, measured service", Align::Right),
        ("Difference", Align::Right),
    ]);
    let mut t = Table::new(&columns);
    for r in runs {
        let (ScenarioSettings::Server(settings), Some(m)) = (r.run.settings.scenario, measured(r))
        else {
            continue;
        };
        // Per ms: the formula's units.
        let lambda = settings.target_qps / 1e3;
        let mut row = vec![
            super::run_name(r),
            crate::format::sig_grouped(settings.target_qps, 4),
            format!("{} ms", sig(m.latency_ms, 4)),
            format!("{} ms", sig(m.service_ms, 4)),
        ];
        if let Some(s) = nominal {
            let es = s.mean_service_ns() / 1e6;
            let es2 = s.service_second_moment_ns2() / 1e12;
            let w = mg1_mean_latency(lambda, es, es2);
            row.extend([
                percent(lambda * es, 1),
                ms_text(w),
                difference(m.latency_ms, w),
            ]);
        }
        let w = mg1_mean_latency(lambda, m.service_ms, m.service_second_ms2);
        row.extend([
            percent(lambda * m.service_ms, 1),
            ms_text(w),
            difference(m.latency_ms, w),
        ]);
        t.row(row);
    }
    out.push_str(&t.render());
    render_disturbed(a, nominal, out);
}

/// A sentence when a synthetic system's measured service is well above its nominal one: the
/// spins were interrupted, so the run does not test the formula.
fn render_disturbed(a: &Analysis<'_>, nominal: Option<SyntheticSut>, out: &mut String) {
    let Some(sut) = nominal else {
        return;
    };
    let nominal_ms = sut.mean_service_ns() / 1e6;
    for r in a.runs_of(Scenario::Server) {
        let Some(m) = measured(r) else {
            continue;
        };
        if m.service_ms > 1.1 * nominal_ms {
            out.push_str(&format!(
                "{}: the measured mean service time, {} ms, is {}x the nominal {} ms: the spins \
                 were interrupted (the operating system gave the processor to other work during \
                 them), so the arrivals met a slower server than the theory assumes, and the run \
                 does not test the formula. Run it again on an idle machine.\n\n",
                super::run_name(r),
                sig(m.service_ms, 4),
                sig(m.service_ms / nominal_ms, 3),
                sig(nominal_ms, 4)
            ));
        }
    }
}
