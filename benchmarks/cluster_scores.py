# SPDX-License-Identifier: Apache-2.0
"""Scores of a clustering of records against the true one: pairwise and B-cubed.

Written for the robustness benchmark from the definitions, without the library's own
`evaluate_clusters`, so a benchmark of the linker does not lean on the linker's package.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence


def _pairs(counts) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def cluster_scores(predicted: Sequence, truth: Sequence, household: Sequence | None = None) -> dict:
    """Pairwise precision, recall and F1 (over all pairs of records put in one cluster), B-cubed
    precision, recall and F1 (per record, averaged), clusters found and true. Pairwise precision
    is NaN when nothing is linked, recall and F1 when no two records are one person: B-cubed is
    defined for every clustering.

    With `household` (the true household of each record), also the share of the wrongly linked
    pairs whose two records live in one household (`false_pairs_in_household`).

    >>> cluster_scores(["a", "a", "b"], [1, 1, 1])["recall"]
    0.3333333333333333
    """
    if len(predicted) != len(truth):
        raise ValueError(f"cluster_scores: {len(predicted)} predicted labels for {len(truth)} records")
    n = len(predicted)
    pc, tc, both = Counter(predicted), Counter(truth), Counter(zip(predicted, truth))
    pp, tp_all, tp = _pairs(pc.values()), _pairs(tc.values()), _pairs(both.values())
    # undefined (NaN) without pairs: no linked pair has no precision, no true pair no recall
    precision = tp / pp if pp else math.nan
    recall = tp / tp_all if tp_all else math.nan
    if not tp_all:
        f1 = math.nan
    elif not tp:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    bp = sum(k * k / pc[p] for (p, _), k in both.items()) / n if n else 1.0
    br = sum(k * k / tc[t] for (_, t), k in both.items()) / n if n else 1.0
    out = {"precision": precision, "recall": recall, "f1": f1, "bcubed_precision": bp, "bcubed_recall": br,
           "bcubed_f1": 2 * bp * br / (bp + br) if bp + br else 0.0, "clusters": len(pc), "true_clusters": len(tc),
           "predicted_pairs": pp, "true_pairs": tp_all, "true_positive_pairs": tp}
    if household is not None:
        same_home = _pairs(Counter(zip(predicted, household)).values())
        false_pairs = pp - tp
        out["false_pairs_in_household"] = (same_home - tp) / false_pairs if false_pairs else 0.0
    return out
