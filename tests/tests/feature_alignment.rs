//! The feature alignment of `tests/Cargo.toml` stays true: for every crate that the workspace's build and CI's
//! `pdf` step both compile, the two builds turn on the same features, so that the `pdf` step reuses the
//! workspace's artifacts instead of compiling serde, jsonschema, tera and two hundred more a second time. When
//! typst, or a dependency shared with it, changes which features it asks for, this says which lines to change.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use guidekit_tests::root;

/// The features `cargo tree` resolves for each package of a selection (`name vX.Y.Z`), over all its units
/// (a package built for build scripts and for the target may appear with two sets: their union).
fn resolved(selection: &[&str]) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let output = Command::new(env!("CARGO"))
        .current_dir(root())
        .args(["tree", "--locked", "-e", "normal,build,dev", "--prefix", "none", "--format", "{p} [{f}]"])
        .args(selection)
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo tree {selection:?} failed: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    let mut features: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let line = line.trim_end().trim_end_matches(" (*)");
        let Some((package, list)) = line.strip_suffix(']').and_then(|l| l.rsplit_once(" [")) else { continue };
        let set = features.entry(package.to_owned()).or_default();
        set.extend(list.split(',').filter(|f| !f.is_empty()).map(str::to_owned));
    }
    Ok(features)
}

#[test]
fn the_pdf_step_turns_on_no_feature_of_a_shared_crate_that_the_workspace_build_does_not() {
    // The selections of `cargo xtask ci` (`cargo test --workspace`, guidekit-pdf without typst) and of `.ci/run`'s
    // `pdf` step.
    let workspace = resolved(&["--workspace", "--exclude", "guidekit-pdf"]);
    let pdf = resolved(&["-p", "guidekit-pdf", "-p", "guidekit-cli", "--features", "guidekit-cli/pdf"]);
    let (workspace, pdf) = match (workspace, pdf) {
        (Ok(workspace), Ok(pdf)) => (workspace, pdf),
        // Resolving typst's side needs its manifests: offline and never built with `pdf`, cargo has none.
        (Err(error), _) | (_, Err(error)) if std::env::var_os("CI").is_none() => {
            guidekit_tests::skips::skip(error);
            return;
        }
        (Err(error), _) | (_, Err(error)) => panic!("{error}"),
    };
    let mut differences = Vec::new();
    for (package, in_pdf) in &pdf {
        let Some(in_workspace) = workspace.get(package) else { continue };
        // guidekit's own crates differ by the feature the step is about.
        if package.starts_with("guidekit-cli ") || package.starts_with("guidekit-pdf ") {
            continue;
        }
        if in_pdf != in_workspace {
            let only_pdf: Vec<_> = in_pdf.difference(in_workspace).collect();
            let only_workspace: Vec<_> = in_workspace.difference(in_pdf).collect();
            differences.push(format!("{package}: only with pdf {only_pdf:?}, only without {only_workspace:?}"));
        }
    }
    assert!(
        differences.is_empty(),
        "change the feature alignment in tests/Cargo.toml (its dev-dependencies, or syn among its build-dependencies \
         for a proc-macro's features) so that these agree:\n{}",
        differences.join("\n")
    );
    assert!(pdf.keys().any(|p| p.starts_with("typst ")), "the pdf selection resolved without typst");
}
