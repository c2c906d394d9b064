//! The energy estimate, when the plan assumed a power draw: never a measurement.

use crate::format::{energy_j, fine_duration_ms};
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};
use crate::results::energy::{energy_estimates, energy_method};

pub(crate) fn render(a: &Analysis<'_>, out: &mut String) {
    let Some(watts) = a.result.plan.assumed_power_watts else {
        return;
    };
    out.push_str("## Energy per sample (an estimate, not a measurement)\n\n");
    out.push_str(&energy_method(watts));
    out.push_str("\n\n");
    let estimates = energy_estimates(a.result);
    if estimates.is_empty() {
        out.push_str("No variant has an Offline or SingleStream measurement to estimate from.\n\n");
        return;
    }
    let mut t = Table::new(&[
        ("Variant", Align::Left),
        ("Time per sample (measured)", Align::Right),
        ("From", Align::Left),
        ("Estimated energy per sample", Align::Right),
    ]);
    for e in estimates {
        t.row(vec![
            e.variant.to_string(),
            fine_duration_ms(e.seconds_per_sample * 1e3),
            e.basis.describe().to_string(),
            energy_j(e.joules_per_sample),
        ]);
    }
    out.push_str(&t.render());
}
