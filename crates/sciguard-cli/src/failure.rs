//! A check that stops on a bug in sciguard is a failed run, never a pass: one message
//! and exit code 2, like every other error the CLI reports.

/// Makes a panic anywhere (the main thread or a checking thread) print one line saying
/// what happened and end the process with exit code 2 instead of Rust's 101.
pub fn exit_on_panic() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        eprintln!(
            "sciguard: error: sciguard stopped on an internal error and did not finish the check (a bug in sciguard; please report it): {message}{place}"
        );
        std::process::exit(2);
    }));
}
