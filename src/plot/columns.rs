//! A chart's long columns (one value per query) apart from the rest of its data, so that
//! they can cross from the worker to the page as typed arrays while the rest crosses as
//! JSON: [`Chart::take_columns`] and [`Chart::fill_columns`], in the same order.

use super::timeline::TimelinePoint;
use super::Chart;

impl Chart {
    /// Moves this chart's per-query columns to the end of `out`, leaving them empty: a CDF's
    /// latencies per series, a histogram's latencies, a timeline's arrival times, latencies
    /// and service times (`NaN` where a query's service time is unknown). The other charts
    /// draw a value per variant or probe, and keep theirs.
    pub fn take_columns(&mut self, out: &mut Vec<Vec<f64>>) {
        match self {
            Chart::Cdf(d) => out.extend(
                d.series
                    .iter_mut()
                    .map(|s| std::mem::take(&mut s.latencies_ms)),
            ),
            Chart::Histogram(d) => out.push(std::mem::take(&mut d.latencies_ms)),
            Chart::Timeline(d) => {
                let points = std::mem::take(&mut d.points);
                out.push(points.iter().map(|p| p.at_s).collect());
                out.push(points.iter().map(|p| p.latency_ms).collect());
                out.push(
                    points
                        .iter()
                        .map(|p| p.service_ms.unwrap_or(f64::NAN))
                        .collect(),
                );
            }
            Chart::Estimates(_) | Chart::Pareto(_) | Chart::Qps(_) => {}
        }
    }

    /// Puts back, from `columns`, what [`Self::take_columns`] took.
    ///
    /// # Errors
    ///
    /// Too few columns, or a timeline's three of different lengths.
    pub fn fill_columns(
        &mut self,
        columns: &mut impl Iterator<Item = Vec<f64>>,
    ) -> Result<(), String> {
        let mut next = || columns.next().ok_or("too few columns came".to_string());
        match self {
            Chart::Cdf(d) => {
                for s in &mut d.series {
                    s.latencies_ms = next()?;
                }
            }
            Chart::Histogram(d) => d.latencies_ms = next()?,
            Chart::Timeline(d) => {
                let (at, latency, service) = (next()?, next()?, next()?);
                if at.len() != latency.len() || at.len() != service.len() {
                    return Err(format!(
                        "timeline columns of {}, {} and {} values",
                        at.len(),
                        latency.len(),
                        service.len()
                    ));
                }
                d.points = at
                    .into_iter()
                    .zip(latency)
                    .zip(service)
                    .map(|((at_s, latency_ms), s)| TimelinePoint {
                        at_s,
                        latency_ms,
                        service_ms: (!s.is_nan()).then_some(s),
                    })
                    .collect();
            }
            Chart::Estimates(_) | Chart::Pareto(_) | Chart::Qps(_) => {}
        }
        Ok(())
    }
}
