//! The share of real-world free-text hours that the one hours parser
//! (`tsunagu::model::hours::text::parse`, #11/#12) turns into structured
//! hours, on tests/fixtures/hours-text/strings.tsv (sources in its
//! header). Prints every string it did not fully read and the figure:
//!
//! ```sh
//! cargo test --test hours_text -- --nocapture
//! ```
//!
//! A string counts as read when the parser got structured hours or closed
//! days from it and left nothing over (`ParsedHours::is_complete`).

use tsunagu::model::hours::text::parse;

#[test]
fn parse_share_on_the_fixture() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/hours-text/strings.tsv"
    );
    let text = std::fs::read_to_string(path).expect("read the fixture");
    let mut total = 0usize;
    let mut read = 0usize;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (source, s) = line.split_once('\t').expect("source<TAB>text");
        total += 1;
        let p = parse(s);
        if p.is_complete() {
            read += 1;
            let spans = tsunagu::model::NamedSpans::default();
            let hours: Vec<String> = p.hours.iter().map(|h| h.japanese()).collect();
            let closed: Vec<String> = p.closures.iter().map(|c| c.japanese(&spans)).collect();
            println!(
                "read [{source}] {s}\n    hours: {} | closed: {:?} {} | seasons: {:?}",
                hours.join(" / "),
                p.closed_days,
                closed.join("、"),
                p.seasons.iter().map(|x| &x.name).collect::<Vec<_>>()
            );
        } else {
            println!(
                "not read [{source}] {s}\n    not understood: {:?}",
                p.not_understood
            );
        }
    }
    let share = read as f64 / total as f64;
    println!(
        "hours parsed: {read} of {total} strings ({:.1}%)",
        share * 100.0
    );
    assert!(total >= 40, "the fixture should hold at least 40 strings");
    assert!(
        share >= 0.9,
        "parse share {:.1}% is under the 90% aim",
        share * 100.0
    );
}
