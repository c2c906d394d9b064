//! The numbers a chart shows, as a small table: its text alternative, for screen readers and
//! for anyone who wants the values rather than the picture ([`Chart::numbers`]).
//!
//! Each table is computed from the chart's own data, the way the chart draws it (the
//! histogram's bins are the ones drawn; percentiles are LoadGen's estimator), so the table
//! and the picture always agree.

use crate::format::{count, duration_ms, sig};
use crate::stats::percentile::loadgen_percentile;
use crate::stats::sample::{finite_sorted, median_sorted};

use super::cdf::CdfData;
use super::estimates::EstimatesData;
use super::histogram::{shown_bins, HistogramData};
use super::pareto::ParetoData;
use super::qps::QpsData;
use super::timeline::TimelineData;
use super::Chart;

/// A chart's numbers: one sentence, then a table.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartNumbers {
    /// What the chart shows, in one sentence with its main numbers.
    pub summary: String,
    /// The table's column headings.
    pub columns: Vec<String>,
    /// The table's rows, each as many cells as there are columns.
    pub rows: Vec<Vec<String>>,
}

/// Time windows of the Server timeline's table.
const TIMELINE_WINDOWS: usize = 10;

impl Chart {
    /// The numbers this chart shows (its text alternative).
    pub fn numbers(&self) -> ChartNumbers {
        match self {
            Chart::Histogram(d) => histogram_numbers(d),
            Chart::Cdf(d) => cdf_numbers(d),
            Chart::Timeline(d) => timeline_numbers(d),
            Chart::Estimates(d) => estimates_numbers(d),
            Chart::Pareto(d) => pareto_numbers(d),
            Chart::Qps(d) => qps_numbers(d),
        }
    }
}

fn ms(x: f64) -> String {
    duration_ms(x)
}

fn columns(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_string()).collect()
}

fn histogram_numbers(d: &HistogramData) -> ChartNumbers {
    let binned = shown_bins(d);
    let n = d.latencies_ms.iter().filter(|x| x.is_finite()).count();
    let markers: Vec<String> = d
        .markers
        .iter()
        .map(|(name, v)| format!("{name} = {}", ms(*v)))
        .collect();
    let mut summary = format!("{}: {} values", d.title, count(n as u64));
    if !markers.is_empty() {
        summary.push_str(&format!(", {}", markers.join(", ")));
    }
    if binned.above > 0 {
        let end = binned.bins.last().map_or(0.0, |b| b.end);
        summary.push_str(&format!(
            "; {} slowest beyond {} not drawn",
            count(u64::from(binned.above)),
            ms(end)
        ));
    }
    summary.push('.');
    ChartNumbers {
        summary,
        columns: columns(&["From (ms)", "To (ms)", "Count"]),
        rows: binned
            .bins
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| vec![sig(b.start, 4), sig(b.end, 4), count(u64::from(b.count))])
            .collect(),
    }
}

/// The percentiles the CDF's table gives for each curve.
const CDF_PERCENTILES: [(&str, f64); 4] =
    [("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("p99.9", 0.999)];

fn cdf_numbers(d: &CdfData) -> ChartNumbers {
    let mut names = vec!["Series", "Values"];
    names.extend(CDF_PERCENTILES.iter().map(|(n, _)| *n));
    names.push("Max");
    let rows: Vec<Vec<String>> =
        d.series
            .iter()
            .map(|s| {
                let sorted = finite_sorted(&s.latencies_ms);
                let mut row = vec![s.label.clone(), count(sorted.len() as u64)];
                row.extend(CDF_PERCENTILES.iter().map(|(_, p)| {
                    loadgen_percentile(&sorted, *p).map_or_else(|| "–".to_string(), ms)
                }));
                row.push(sorted.last().map_or_else(|| "–".to_string(), |m| ms(*m)));
                row
            })
            .collect();
    let bound = d
        .bound_ms
        .map_or_else(String::new, |b| format!("; latency bound {}", ms(b)));
    ChartNumbers {
        summary: format!(
            "{}: the share of values at or below each latency, {} curve{}{bound}.",
            d.title,
            d.series.len(),
            if d.series.len() == 1 { "" } else { "s" }
        ),
        columns: columns(&names),
        rows,
    }
}

fn timeline_numbers(d: &TimelineData) -> ChartNumbers {
    let finite: Vec<_> = d
        .points
        .iter()
        .filter(|p| p.at_s.is_finite() && p.latency_ms.is_finite())
        .collect();
    let (start, end) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.at_s), hi.max(p.at_s))
        });
    let mut rows = Vec::new();
    if !finite.is_empty() {
        let width = ((end - start) / TIMELINE_WINDOWS as f64).max(f64::MIN_POSITIVE);
        for w in 0..TIMELINE_WINDOWS {
            let (lo, hi) = (start + w as f64 * width, start + (w + 1) as f64 * width);
            let last = w + 1 == TIMELINE_WINDOWS;
            let inside: Vec<_> = finite
                .iter()
                .filter(|p| p.at_s >= lo && (p.at_s < hi || last))
                .collect();
            if inside.is_empty() {
                continue;
            }
            let latency = finite_sorted(&inside.iter().map(|p| p.latency_ms).collect::<Vec<_>>());
            let service = finite_sorted(
                &inside
                    .iter()
                    .filter_map(|p| p.service_ms)
                    .collect::<Vec<_>>(),
            );
            let median = |v: &[f64]| median_sorted(v).map_or_else(|| "–".to_string(), ms);
            rows.push(vec![
                format!("{}–{}", sig(lo, 3), sig(hi, 3)),
                count(inside.len() as u64),
                median(&latency),
                latency.last().map_or_else(|| "–".to_string(), |m| ms(*m)),
                median(&service),
            ]);
            if (end - start) <= 0.0 {
                break;
            }
        }
    }
    let bound = d
        .bound_ms
        .map_or_else(String::new, |b| format!("; latency bound {}", ms(b)));
    ChartNumbers {
        summary: format!(
            "{}: {} queries over {} s, by arrival time{bound}.",
            d.title,
            count(finite.len() as u64),
            if finite.is_empty() {
                "0".to_string()
            } else {
                sig(end - start, 3)
            }
        ),
        columns: columns(&[
            "Arrivals (s)",
            "Queries",
            "Median latency",
            "Max latency",
            "Median service time",
        ]),
        rows,
    }
}

fn estimates_numbers(d: &EstimatesData) -> ChartNumbers {
    let reference = d.reference.as_ref().map_or_else(String::new, |(label, v)| {
        format!("; reference line at {} ({label})", sig(*v, 3))
    });
    ChartNumbers {
        summary: format!("{} ({}){reference}.", d.title, d.y_desc),
        columns: columns(&["", "Estimate", "95% CI low", "95% CI high"]),
        rows: d
            .estimates
            .iter()
            .map(|e| {
                let end = |x: Option<f64>| x.map_or_else(|| "–".to_string(), |v| sig(v, 4));
                vec![e.label.clone(), sig(e.value, 4), end(e.lower), end(e.upper)]
            })
            .collect(),
    }
}

fn pareto_numbers(d: &ParetoData) -> ChartNumbers {
    ChartNumbers {
        summary: format!(
            "{}: {} variants, {} on the Pareto frontier.",
            d.title,
            d.points.len(),
            d.points.iter().filter(|p| !p.dominated).count()
        ),
        columns: columns(&["Variant", "p90 latency", "Top-1 accuracy", "Pareto"]),
        rows: d
            .points
            .iter()
            .map(|p| {
                vec![
                    p.label.clone(),
                    ms(p.latency_ms),
                    crate::format::percent(p.accuracy, 2),
                    if p.dominated {
                        "dominated".to_string()
                    } else {
                        "on the frontier".to_string()
                    },
                ]
            })
            .collect(),
    }
}

fn qps_numbers(d: &QpsData) -> ChartNumbers {
    ChartNumbers {
        summary: format!(
            "{}: {} runs of the peak search, latency bound {}.",
            d.title,
            d.probes.len(),
            ms(d.bound_ms)
        ),
        columns: vec![
            "Target QPS".to_string(),
            format!("{} latency", d.percentile_label),
            "Run".to_string(),
        ],
        rows: d
            .probes
            .iter()
            .map(|p| {
                vec![
                    sig(p.target_qps, 4),
                    ms(p.percentile_latency_ms),
                    if p.valid { "VALID" } else { "INVALID" }.to_string(),
                ]
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::cdf::CdfSeries;
    use crate::plot::estimates::Estimate;
    use crate::plot::timeline::TimelinePoint;

    #[test]
    fn histogram_rows_are_the_drawn_bins() {
        let data = HistogramData {
            title: "h".into(),
            latencies_ms: (0..100).map(|i| 1.0 + f64::from(i % 10) * 0.1).collect(),
            markers: vec![("p50".into(), 1.4)],
            resolution_ms: Some(0.1),
        };
        let n = Chart::Histogram(data.clone()).numbers();
        let bins = shown_bins(&data);
        let drawn: u32 = bins.bins.iter().map(|b| b.count).sum();
        let listed: u64 = n
            .rows
            .iter()
            .map(|r| r[2].replace(',', "").parse::<u64>().unwrap())
            .sum();
        assert_eq!(listed, u64::from(drawn));
        assert_eq!(drawn + bins.above, 100);
        assert!(
            n.summary.contains("100 values") && n.summary.contains("p50 = 1.400 ms"),
            "{}",
            n.summary
        );
        assert!(n.rows.iter().all(|r| r.len() == n.columns.len()));
    }

    #[test]
    fn cdf_rows_give_loadgen_percentiles_per_curve() {
        let data = CdfData {
            title: "c".into(),
            series: vec![CdfSeries {
                label: "f32-naive".into(),
                latencies_ms: (1..=1000).map(f64::from).collect(),
            }],
            bound_ms: Some(10.0),
        };
        let n = Chart::Cdf(data).numbers();
        // sorted[floor(n p)]: 501, 901, 991, 1000 (for p99.9, index 999).
        assert_eq!(
            n.rows[0],
            [
                "f32-naive",
                "1,000",
                "501.0 ms",
                "901.0 ms",
                "991.0 ms",
                "1000 ms",
                "1000 ms"
            ]
        );
        assert!(
            n.summary.contains("latency bound 10.00 ms"),
            "{}",
            n.summary
        );
    }

    #[test]
    fn timeline_rows_cover_every_query_once() {
        let points: Vec<TimelinePoint> = (0..95)
            .map(|i| TimelinePoint {
                at_s: f64::from(i) * 0.01,
                latency_ms: 1.0 + f64::from(i) * 0.01,
                service_ms: Some(0.5),
            })
            .collect();
        let n = Chart::Timeline(TimelineData {
            title: "t".into(),
            points,
            bound_ms: None,
        })
        .numbers();
        let total: u64 = n.rows.iter().map(|r| r[1].parse::<u64>().unwrap()).sum();
        assert_eq!(total, 95);
        assert_eq!(n.rows.len(), TIMELINE_WINDOWS);
        assert!(n.rows.iter().all(|r| r[4] == "500.0 µs"));
    }

    #[test]
    fn estimates_list_each_value_with_its_interval() {
        let n = Chart::Estimates(EstimatesData {
            title: "Speedup".into(),
            y_desc: "x".into(),
            estimates: vec![Estimate {
                label: "f32-fast SS".into(),
                value: 4.031,
                lower: Some(3.82),
                upper: None,
            }],
            reference: Some(("as fast".into(), 1.0)),
            from_zero: false,
        })
        .numbers();
        assert_eq!(n.rows, [["f32-fast SS", "4.031", "3.820", "–"]]);
        assert!(n.summary.contains("reference line at 1"));
    }
}
