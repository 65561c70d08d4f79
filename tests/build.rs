//! Empty: it exists so that `syn` can be a build dependency of this crate (see `Cargo.toml`, feature alignment).

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
}
