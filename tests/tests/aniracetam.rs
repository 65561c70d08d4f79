//! The bundled Aniracetam guide carries the seed document faithfully.

use guidekit_model::{Guide, walk};
use guidekit_tests::root;

fn guide() -> Guide {
    let text = std::fs::read_to_string(root().join("guides/aniracetam.json")).expect("the guide is bundled");
    serde_json::from_str(&text).expect("the guide reads into the model")
}

/// The seed's numbered reference list, in its order: the guide must number them the same way.
const SEED_REFERENCES: [&str; 9] = [
    "cereflexlabs.com",
    "What is the mechanism of Aniracetam?",
    "Excitatory amino acids and neuronal plasticity: modulation of AMPA receptors as a novel substrate for the action of nootropic drugs",
    "What is Aniracetam used for?",
    "Aniracetam: An Evidence-Based Model for Preventing the Accumulation of Amyloid-β Plaques in Alzheimer's Disease",
    "Aniracetam Does Not Alter Cognitive and Affective Behavior in Adult C57BL/6J Mice",
    "Aniracetam Does Not Alter Cognitive and Affective Behavior in Adult C57BL/6J Mice",
    "Clinical Efficacy of Aniracetam, Either as Monotherapy or Combined with Cholinesterase Inhibitors, in Patients with Cognitive Impairment: A Comparative Open Study",
    "Oral aniracetam treatment in C57BL/6J mice without pre-existing cognitive dysfunction reveals no changes in learning, memory, anxiety or stereotypy",
];

#[test]
fn first_citation_order_reproduces_the_seed_numbers() {
    let guide = guide();
    let numbers = walk::reference_numbers(&guide);
    assert!(numbers.iter().all(|n| n.cited), "every reference is cited");
    let titles: Vec<&str> = numbers.iter().map(|n| n.reference.title.as_str()).collect();
    assert_eq!(titles, SEED_REFERENCES);
    // References 6 and 7 are the same article in two places, as in the seed: both are kept.
    assert_eq!(guide.references.len(), 9);
}

#[test]
fn citation_line_is_the_seeds() {
    assert_eq!(
        guidekit_model::citation_line(&guide()),
        "BenchChem. [The Hypothesized Mechanism of Action of Aniracetam: A Technical Guide]. BenchChem, [2025]. \
         [Online PDF]. Available at: [https://www.benchchem.com/product/b564674#amooracetal-mechanism-of-action-hypothesis]"
    );
}

#[test]
fn every_element_of_the_seed_is_present() {
    let guide = guide();
    assert_eq!(guide.compound.subject.name.as_str(), "Aniracetam");
    assert_eq!(guide.compound.catalog_number.as_ref().map(|c| c.as_str()), Some("B564674"));
    assert_eq!(guide.compound.requested.as_ref().map(|r| r.name.as_str()), Some("Amooracetal"));
    let kinds: Vec<_> = guide.notices.iter().map(|n| n.kind).collect();
    use guidekit_model::NoticeKind::*;
    assert_eq!(kinds, [Substitution, ResearchUseOnly, DataValidity, General]);
    assert_eq!(guide.hypotheses.as_ref().map(|h| h.items.len()), Some(4));
    let tables = &guide.data.as_ref().expect("tables").tables;
    assert_eq!(tables.iter().map(|t| t.rows.len()).collect::<Vec<_>>(), [3, 3]);
    let protocols = &guide.protocols.as_ref().expect("protocols").items;
    let sub_steps: Vec<usize> =
        protocols.iter().flat_map(|p| p.steps.iter()).map(|s| s.steps.len()).filter(|&n| n > 0).collect();
    assert_eq!(sub_steps, [4, 4], "the four behavioural tests and the four treatment groups are nested");
    let diagrams = &guide.diagrams.as_ref().expect("diagrams").items;
    assert_eq!(diagrams.len(), 3);
    for diagram in diagrams {
        guidekit_model::dot::parse(&diagram.dot).unwrap_or_else(|e| panic!("{}: {}", diagram.id, e.message));
    }
    assert!(guide.conclusion.is_some());
    let publisher = guide.publisher.as_ref().expect("publisher");
    assert_eq!(publisher.phone.as_ref().map(|p| p.as_str()), Some("(601) 213-4426"));
    assert_eq!(publisher.offers.len(), 2);
}

#[test]
fn no_invented_identifiers() {
    // The seed gives no DOI, PMID, PMCID, CAS number or other registry id: the guide must not either.
    let guide = guide();
    assert!(guide.compound.subject.identifiers.is_empty());
    for reference in &guide.references {
        assert!(reference.doi.is_none() && reference.pmid.is_none() && reference.pmcid.is_none(), "{}", reference.id);
        assert!(
            reference.url.is_none() && reference.author.is_empty() && reference.issued.is_none(),
            "{}",
            reference.id
        );
    }
}
