//! Fuzzes the result reader (`results::io::read_checked`, what every reader calls): any
//! input gives a typed error in one line, or a result that rebuilds, re-reads to itself and
//! checks out. A panic, a hang (libFuzzer's `-timeout`) or memory beyond `-rss_limit_mb` is
//! a finding.
#![no_main]

use inferbench::results::io::{read_checked, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match read_checked(text) {
        Err(e) => {
            let line = e.to_string();
            assert!(!line.contains('\n'), "a message of more than one line: {line:?}");
        }
        Ok(checked) => {
            let again = read_checked(&to_json(&checked.result)).expect("a rebuilt result reads");
            assert!(again.is_consistent(), "{:?}", again.mismatches);
            assert!(again.result == checked.result, "a rebuilt result reads back changed");
        }
    }
});
