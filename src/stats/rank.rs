//! Ranks with ties averaged (`scipy.stats.rankdata(x, method="average")`), shared by the
//! Mann-Whitney test and Spearman's correlation.

/// Average ranks (1-based) of finite `values`, in input order, and the sizes of the tie
/// groups (every group, including the size-1 groups of untied values).
///
/// - Time: `O(n log n)`.
pub(crate) fn average_ranks(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let n = values.len();
    // Sort (key, index) pairs: the key is the value's bits mapped so that integer order is
    // numeric order (finite values), which sorts several times faster than comparing
    // values through their indices.
    let key = |v: f64| {
        let bits = v.to_bits();
        if bits >> 63 == 1 {
            !bits
        } else {
            bits | (1 << 63)
        }
    };
    let mut order: Vec<(u64, usize)> = values
        .iter()
        .enumerate()
        .map(|(i, &v)| (key(v), i))
        .collect();
    order.sort_unstable();
    let mut ranks = vec![0.0; n];
    let mut groups = Vec::new();
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        // Equal values (0.0 and -0.0 included, as `==` has it).
        while end < n && values[order[end].1] == values[order[start].1] {
            end += 1;
        }
        let rank = (start + 1 + end) as f64 / 2.0;
        for &(_, i) in &order[start..end] {
            ranks[i] = rank;
        }
        groups.push(end - start);
        start = end;
    }
    (ranks, groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_tied_ranks() {
        // scipy.stats.rankdata([3, 1, 3, 2, 3]) = [4, 1, 4, 2, 4]
        let (ranks, groups) = average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(ranks, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(groups, vec![1, 1, 3]);
    }
}
