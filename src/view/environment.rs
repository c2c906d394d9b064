//! The environment of a run as the page lists it: what the browser told, and what a browser
//! cannot tell (said so, never guessed).

use serde::{Deserialize, Serialize};

use super::units::{bytes, latency};
use crate::format::count;
use crate::results::{BenchResult, Runtime};

/// One line of the environment table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnvironmentRow {
    /// What it is.
    pub name: String,
    /// Its value, or why there is none.
    pub value: String,
}

fn row(name: &str, value: impl Into<String>) -> EnvironmentRow {
    EnvironmentRow {
        name: name.to_string(),
        value: value.into(),
    }
}

/// The environment of `result`, line by line.
pub fn environment_rows(result: &BenchResult) -> Vec<EnvironmentRow> {
    let env = &result.environment;
    let browser = env.runtime == Runtime::Browser;
    let unknown = |what: &str| format!("not reported by this {what}");
    let mut rows = vec![
        row("Machine label", result.machine_label.clone()),
        row(
            "Runtime",
            match env.runtime {
                Runtime::Browser => "browser (WebAssembly, in a dedicated worker)",
                Runtime::Native => "native (inferbench run)",
            },
        ),
    ];
    if let Some(ua) = &env.user_agent {
        rows.push(row("User agent", ua.clone()));
    }
    if let Some(os) = &env.os_arch {
        rows.push(row("OS and architecture", os.clone()));
    }
    let source = if browser { "browser" } else { "system" };
    rows.push(row(
        "Logical cores",
        env.logical_cores
            .map_or_else(|| unknown(source), |n| n.to_string()),
    ));
    rows.push(row(
        "Device memory",
        env.device_memory_gib.map_or_else(
            || unknown(source),
            |g| format!("{g} GiB (as the browser reports it: rounded, capped at 8)"),
        ),
    ));
    rows.push(row(
        "Timer resolution",
        env.timer
            .and_then(|t| t.resolution_ms.map(|r| (r, t)))
            .map_or_else(
                || "not measurable".to_string(),
                |(r, t)| {
                    format!(
                        "{} (smallest step over {} reads)",
                        latency(r),
                        count(u64::from(t.reads))
                    )
                },
            ),
    ));
    rows.push(row(
        "Cross-origin isolated",
        match env.cross_origin_isolated {
            Some(true) => "yes".to_string(),
            Some(false) => "no (the timer is coarsened)".to_string(),
            None => "not applicable".to_string(),
        },
    ));
    rows.push(row(
        if browser {
            "WebAssembly SIMD128"
        } else {
            "SIMD"
        },
        if env.simd { "on" } else { "off" },
    ));
    rows.push(row(
        "Kernels",
        env.kernels.map_or_else(
            || "not recorded".to_string(),
            |k| format!("{k}: {}", k.summary()),
        ),
    ));
    if let Some(b) = env.wasm_memory_bytes {
        rows.push(row("WebAssembly memory at the end", bytes(b)));
    }
    rows.push(row(
        "Page hidden during the run",
        match env.visibility_changes {
            0 => "no".to_string(),
            n => format!(
                "{n} time{} (the runs affected are INVALID)",
                if n == 1 { "" } else { "s" }
            ),
        },
    ));
    rows.push(row("InferBench version", result.app_version.clone()));
    if browser {
        rows.push(row(
            "CPU model, clock speed, temperature",
            "not available to a web page (browsers do not expose them)",
        ));
    }
    rows.push(row(
        "Energy",
        match result.plan.assumed_power_watts {
            Some(w) => format!(
                "not measured (a web page has no power reading); estimated per sample from \
                 the {} W assumed in Setup",
                crate::format::sig(w, 3)
            ),
            None => "not measured (a web page has no power reading); type the machine's \
                     power draw in Setup for an estimate"
                .to_string(),
        },
    ));
    rows
}
