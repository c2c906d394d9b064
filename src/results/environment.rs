//! Where a benchmark ran: recorded in every result, because it changes what the numbers
//! mean (a coarse timer, a hidden tab, no SIMD).

use serde::{Deserialize, Serialize};

use crate::loadgen::clock::TimerResolution;
use crate::loadgen::timing_check::ClockCheck;
use crate::model::kernels::KernelPath;

/// Where the benchmark ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Runtime {
    /// In a browser, compiled to WebAssembly, in a dedicated worker.
    Browser,
    /// Natively (`inferbench run`).
    Native,
}

/// The environment of a run. Fields the platform does not tell are `None`, never guessed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// Browser or native.
    pub runtime: Runtime,
    /// `navigator.userAgent` (browser).
    pub user_agent: Option<String>,
    /// Operating system and CPU architecture, e.g. `linux x86_64` (native).
    pub os_arch: Option<String>,
    /// Logical processors: `navigator.hardwareConcurrency`, or what the OS reports.
    pub logical_cores: Option<u32>,
    /// `navigator.deviceMemory` in GiB (Chromium only, rounded down to a power of two and
    /// capped at 8 by the browser on purpose).
    pub device_memory_gib: Option<f64>,
    /// The measured resolution of the run's clock.
    pub timer: Option<TimerResolution>,
    /// The clock check made before the scenarios (is the clock dithered?); `None` when none
    /// was made, and in files written before it existed.
    #[serde(default)]
    pub clock_check: Option<ClockCheck>,
    /// `self.crossOriginIsolated` (browser): without it the timer is coarsened.
    pub cross_origin_isolated: Option<bool>,
    /// Whether the code was compiled with WebAssembly SIMD128 (browser) or the target's
    /// vector extensions that the fast kernels use (native: x86_64 SSE2 is always on).
    pub simd: bool,
    /// The instruction set the variants' kernels ran with: `portable` (native),
    /// `wasm-simd128`, or `wasm-relaxed-simd` (the page loads the relaxed-SIMD module where
    /// the browser supports it). Absent in results from before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernels: Option<KernelPath>,
    /// The WebAssembly linear memory's size at the end of the run, in bytes (browser).
    pub wasm_memory_bytes: Option<u64>,
    /// How many times the page was hidden during the run (each makes the run INVALID:
    /// browsers throttle hidden tabs).
    pub visibility_changes: u32,
}

impl Environment {
    /// The environment of a native run: OS, architecture and logical cores from the
    /// standard library, with `timer` measured by the caller.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn native(timer: Option<TimerResolution>) -> Self {
        Self {
            runtime: Runtime::Native,
            user_agent: None,
            os_arch: Some(format!(
                "{} {}",
                std::env::consts::OS,
                std::env::consts::ARCH
            )),
            logical_cores: std::thread::available_parallelism()
                .ok()
                .and_then(|n| u32::try_from(n.get()).ok()),
            device_memory_gib: None,
            timer,
            clock_check: None,
            cross_origin_isolated: None,
            simd: cfg!(any(target_feature = "sse2", target_feature = "neon")),
            kernels: Some(crate::model::kernels::KERNEL_PATH),
            wasm_memory_bytes: None,
            visibility_changes: 0,
        }
    }
}
