//! The feature alignment of `tests/Cargo.toml` stays true: for every crate that the workspace's build and
//! another of CI's builds both compile (`cargo xtask`'s build of the binary, the `pdf` step), the two turn on the
//! same features, so that the other build reuses the workspace's artifacts instead of compiling serde,
//! jsonschema, tera and up to two hundred more a second time. When typst, or a dependency shared with it,
//! changes which features it asks for, this says which lines to change.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use guidekit_tests::root;

/// The features `cargo tree` resolves for each package of a selection (`name vX.Y.Z`), over all its units
/// (a package built for build scripts and for the target may appear with two sets: their union). `tests` for a
/// `cargo test` (dev-dependencies count), not for a `cargo build`.
fn resolved(selection: &[&str], tests: bool) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let edges = if tests { "normal,build,dev" } else { "normal,build" };
    let output = Command::new(env!("CARGO"))
        .current_dir(root())
        .args(["tree", "--locked", "-e", edges, "--prefix", "none", "--format", "{p} [{f}]"])
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

/// One of CI's builds besides the workspace's: what it is called in a failure, its package selection, whether it
/// is a `cargo test` (dev-dependencies count) and whether it must resolve typst (a check that the selection
/// really turns the feature on, since an alignment of a build without typst would prove nothing about it).
struct Selection {
    what: &'static str,
    args: &'static [&'static str],
    tests: bool,
    compiles_typst: bool,
}

#[test]
fn the_pdf_step_and_xtasks_builds_turn_on_the_features_the_workspace_build_does() {
    // `cargo xtask ci` compiles with `cargo test --workspace`; then builds the binary with `-p guidekit-cli -p
    // xtask` (`guidekit_debug` in xtask); `.ci/run`'s last step builds with typst.
    let selections = [
        Selection {
            what: "`cargo xtask`'s build of the binary",
            args: &["-p", "guidekit-cli", "-p", "xtask"],
            tests: false,
            compiles_typst: false,
        },
        Selection {
            what: "the `pdf` step",
            args: &["-p", "guidekit-pdf", "-p", "guidekit-cli", "--features", "guidekit-cli/pdf"],
            tests: true,
            compiles_typst: true,
        },
    ];
    let workspace = match resolved(&["--workspace"], true) {
        Ok(workspace) => workspace,
        Err(error) if std::env::var_os("CI").is_none() => return guidekit_tests::skips::skip(error),
        Err(error) => panic!("{error}"),
    };
    let mut differences = Vec::new();
    for Selection { what, args, tests, compiles_typst } in selections {
        let packages = match resolved(args, tests) {
            Ok(packages) => packages,
            // Resolving typst's side needs its manifests: offline and never built with `pdf`, cargo has none.
            Err(error) if std::env::var_os("CI").is_none() => return guidekit_tests::skips::skip(error),
            Err(error) => panic!("{error}"),
        };
        if compiles_typst {
            assert!(packages.keys().any(|p| p.starts_with("typst ")), "the pdf selection resolved without typst");
        }
        for (package, features) in &packages {
            let Some(in_workspace) = workspace.get(package) else { continue };
            // guidekit's own crates differ by the feature the step is about.
            if package.starts_with("guidekit-cli ") || package.starts_with("guidekit-pdf ") {
                continue;
            }
            if features != in_workspace {
                let only_here: Vec<_> = features.difference(in_workspace).collect();
                let only_workspace: Vec<_> = in_workspace.difference(features).collect();
                differences.push(format!(
                    "{what}: {package}: only here {only_here:?}, only in the workspace's build {only_workspace:?}"
                ));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "change the feature alignment in tests/Cargo.toml (its dependencies, or syn among its build-dependencies \
         for a proc-macro's features) so that these agree:\n{}",
        differences.join("\n")
    );
}
