//! The `guanxi` binary: runs the command line (see the library) and turns its outcome into an
//! exit code and, on failure, one line on standard error.

use std::process::ExitCode;

fn main() -> ExitCode {
    match guanxi_cli::run(std::env::args_os()) {
        Ok(code) => code,
        Err(error) if guanxi_cli::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("guanxi: error: {error:#}");
            ExitCode::from(1)
        }
    }
}
