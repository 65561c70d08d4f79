//! Validates one guide file `N` times in one process, reading the file each time as the command does: the
//! numerator of the fast-path ratio. `parse_floor.rs` is the denominator (read + `serde_json` only).
//!
//! ```text
//! cargo run --release -p guidekit-validate --example validate_many -- 2000 guides/aniracetam.json
//! ```
//!
//! Run it at two counts under `valgrind --tool=callgrind` and divide the difference of the instruction
//! counts by the difference of the counts: that is the cost of one guide, without the one-off set-up (the
//! schema is compiled once per process).

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let path = args.next().unwrap_or_else(|| "guides/aniracetam.json".to_owned());
    let config = guidekit_validate::Config::default();
    let mut diagnostics = 0;
    for _ in 0..count {
        let bytes = std::fs::read(&path).expect("the guide is readable");
        let report = guidekit_validate::validate_with(&bytes, &path, &config);
        diagnostics += report.diagnostics.len();
    }
    println!("{count} guides, {diagnostics} diagnostics");
    if std::env::var_os("SHOW").is_some() {
        let bytes = std::fs::read(&path).expect("the guide is readable");
        for d in guidekit_validate::validate_with(&bytes, &path, &config).diagnostics {
            println!("{} {} {}", d.code, d.pointer, d.message);
        }
    }
}
