//! "Did you mean ...?": the closest known name to a misspelt one.

/// The name closest to `word` by edit distance, if it is close enough to be a typo.
pub(crate) fn closest<'n>(word: &str, names: impl Iterator<Item = &'n str>) -> Option<&'n str> {
    names
        .filter(|n| *n != word && n.len().abs_diff(word.len()) <= 2)
        .map(|n| (distance(word, n), n))
        .filter(|(d, n)| *d <= 2.min(n.len() / 2).max(1))
        .min()
        .map(|(_, n)| n)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_found_and_strangers_are_not() {
        let names = ["table", "string", "main", "node"];
        assert_eq!(closest("tabel", names.iter().copied()), Some("table"));
        assert_eq!(closest("mian", names.iter().copied()), Some("main"));
        assert_eq!(closest("process", names.iter().copied()), None);
    }
}
