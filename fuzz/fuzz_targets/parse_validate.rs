//! Fuzz target: Validates arbitrary bytes as a guide file (parse, schema, rules).
//! The body is `guidekit_fuzz::parse_validate`, which the replay test `tests/tests/fuzz_corpus.rs` also runs.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| guidekit_fuzz::parse_validate(data));
