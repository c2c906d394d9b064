//! The native command-line tool `inferbench` (native builds only).

/// Runs the command line `args` (without the program name) and returns the exit status.
pub fn main(args: Vec<String>) -> i32 {
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => {
            println!("inferbench {}", crate::APP_VERSION);
            0
        }
        _ => {
            eprintln!("usage: inferbench --version");
            2
        }
    }
}
