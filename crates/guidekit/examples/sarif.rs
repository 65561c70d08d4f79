//! Validates the guides named on the command line and prints one SARIF 2.1.0 log; exits 1 if any has errors.
//! `cargo run -p guidekit --example sarif -- guides/aniracetam.json`

use guidekit::validate::{FailOn, output, validate};

fn main() -> Result<std::process::ExitCode, Box<dyn std::error::Error>> {
    let mut reports = Vec::new();
    for path in std::env::args().skip(1) {
        reports.push(validate(&std::fs::read(&path)?, &path));
    }
    println!("{}", serde_json::to_string_pretty(&output::sarif(&reports))?);
    Ok(std::process::ExitCode::from(u8::from(output::fails(&reports, FailOn::Errors))))
}
