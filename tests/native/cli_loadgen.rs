//! `inferbench run --user-conf FILE --sut SPEC --mlperf-log DIR`, and `report --mlperf-log`.

use super::cli_support::{assert_bad_input, inferbench, Scratch};

#[test]
fn a_refused_user_conf_names_every_bad_line_and_runs_nothing() {
    let s = Scratch::new("user-conf-bad");
    let conf = s.file(
        "user.conf",
        "# mine\n*.Server.target_qps = 100\n*.*.min_duration=0\n*.*.min_querry_count = 5\n",
    );
    let out = inferbench(&["run", "--user-conf", &conf, "--out", &s.file("r.json", "")]);
    assert_eq!(out.status, Some(2), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("line 3: write blanks around '='"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("line 4: unknown key \"min_querry_count\" (did you mean min_query_count?)"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("line 2"), "{}", out.stderr);
}

#[test]
fn a_bad_system_under_test_says_what_to_write() {
    assert_bad_input(
        &inferbench(&["run", "--sut", "fast"]),
        "use null, fixed:DURATION (e.g. fixed:50us) or lognormal:MEAN,SIGMA",
    );
    assert_bad_input(
        &inferbench(&[
            "run",
            "--sut",
            "fixed:1ms",
            "--variant",
            "int8",
            "--variant",
            "pruned",
        ]),
        "replaces the model",
    );
    assert_bad_input(
        &inferbench(&[
            "run",
            "--sut",
            "fixed:1ms",
            "--model-file",
            "tests/fixtures/byom/sequential-mlp.safetensors",
        ]),
        "--sut and --model-file both replace the trained model: give one of them",
    );
}

#[test]
fn a_synthetic_server_run_writes_its_mlperf_logs_and_queueing_theory() {
    let s = Scratch::new("synthetic-server");
    let conf = s.file(
        "user.conf",
        "*.Server.min_duration = 0\n*.Server.min_query_count = 500\n\
         *.Server.max_query_count = 500\n*.Server.target_qps = 2000\n\
         *.Server.target_latency = 50\nresnet50.*.min_duration = 1\n",
    );
    let out_json = s.path().join("r.json");
    let logs = s.path().join("logs");
    let out = inferbench(&[
        "run",
        "--sut",
        "fixed:100us",
        "--scenario",
        "server",
        "--user-conf",
        &conf,
        "--mlperf-log",
        logs.to_str().unwrap(),
        "--out",
        out_json.to_str().unwrap(),
        "--label",
        "cli test",
    ]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("line 4: *.Server.target_qps = 2000 -> set for Server"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("1 line for other models (resnet50) ignored"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("effective settings (LoadGen's names)"));
    assert!(
        out.stderr
            .contains("Server: min_duration 0 ms, max_duration 60,000 ms, min_query_count 500"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("load generator overhead"));
    let dir = logs.join("fixed_100us").join("Server");
    let summary = std::fs::read_to_string(dir.join("mlperf_log_summary.txt")).unwrap();
    assert!(summary
        .starts_with("================================================\nMLPerf Results Summary\n"));
    assert!(
        summary.contains("SUT name : fixed:100us\nScenario : Server\n"),
        "{summary}"
    );
    assert!(
        summary.contains("target_qps : 2000\ntarget_latency (ns): 50000000\n"),
        "{summary}"
    );
    let detail = std::fs::read_to_string(dir.join("mlperf_log_detail.txt")).unwrap();
    assert!(detail.lines().all(|l| l.starts_with(":::MLLOG {")));
    assert!(out.stdout.contains("## Queueing theory (Server)"));
    assert!(out.stdout.contains("M/D/1"));
    // The saved result gives the same logs again.
    let again = s.path().join("again");
    let out = inferbench(&[
        "report",
        out_json.to_str().unwrap(),
        "--mlperf-log",
        again.to_str().unwrap(),
    ]);
    assert_eq!(out.status, Some(0), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(again.join("fixed_100us/Server/mlperf_log_summary.txt")).unwrap(),
        summary
    );
}
