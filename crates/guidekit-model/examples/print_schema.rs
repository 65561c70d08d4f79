//! Prints the guide JSON Schema.
fn main() {
    print!("{}", guidekit_model::schema_json());
}
