//! The accuracy runs: each variant's top-1 accuracy on the test split, against the
//! baseline's.

use crate::format::{count, percent, sig};
use crate::report::analysis::Analysis;
use crate::report::table::{Align, Table};

pub(super) fn render_accuracy(a: &Analysis<'_>, out: &mut String) {
    let r = a.result;
    if !r.plan.accuracy_mode || r.variants.iter().all(|v| v.accuracy.is_none()) {
        return;
    }
    out.push_str("## Results: accuracy\n\n");
    let base = r.variants.first().and_then(|v| v.top1());
    let mut t = Table::new(&[
        ("Variant", Align::Left),
        ("Correct", Align::Right),
        ("Samples", Align::Right),
        ("Top-1 (%)", Align::Right),
        ("Delta vs baseline (points)", Align::Right),
        ("Result", Align::Left),
    ]);
    for (i, v) in r.variants.iter().enumerate() {
        let Some(run) = &v.accuracy else {
            t.row(vec![
                v.variant.to_string(),
                String::new(),
                String::new(),
                "not measured".into(),
                String::new(),
                String::new(),
            ]);
            continue;
        };
        let acc = run.accuracy;
        let top1 = acc.and_then(|x| x.top1);
        t.row(vec![
            v.variant.to_string(),
            acc.map_or_else(String::new, |x| count(x.correct)),
            acc.map_or_else(String::new, |x| count(x.total)),
            top1.map_or_else(|| "n/a".into(), |x| format!("{:.2}", x * 100.0)),
            match (i, base, top1) {
                (0, _, _) => "baseline".into(),
                (_, Some(b), Some(x)) => format!("{:+.2}", (x - b) * 100.0),
                _ => "n/a".into(),
            },
            if run.is_valid() {
                "VALID".into()
            } else {
                let reasons: Vec<String> = run
                    .validity
                    .reasons
                    .iter()
                    .map(super::explanation)
                    .collect();
                format!("INVALID: {}", reasons.join(" "))
            },
        ]);
    }
    out.push_str(&t.render());
    if let Some(b) = base {
        let n = r.model.training.test_samples;
        if n > 0 {
            out.push_str(&format!(
                "On {} test samples one sample is {} points, so differences of a point or two \
                 are a handful of samples (baseline top-1 {}).\n\n",
                count(n as u64),
                sig(100.0 / n as f64, 2),
                percent(b, 2)
            ));
        }
    }
}
