//! The floor the fast path is measured against: read a guide file and parse it with
//! `serde_json::from_slice::<Value>`, `N` times in one process. See `validate_many.rs`.

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let path = args.next().unwrap_or_else(|| "guides/aniracetam.json".to_owned());
    let mut values = 0;
    for _ in 0..count {
        let bytes = std::fs::read(&path).expect("the guide is readable");
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("the guide is JSON");
        values += usize::from(value.is_object());
    }
    println!("{count} guides, {values} objects");
}
