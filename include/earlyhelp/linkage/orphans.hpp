// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Orphan absorption, after clustering. A record with only a name and an address (a council tax
/// account at an old address) scores below the threshold against its person when the address
/// differs. Such a small cluster with no date of birth or person identifier (an orphan) joins the
/// established person (one with a date of birth or an identifier) carrying its full name when
/// neither age, sex nor a cannot-link objects, nobody recorded at another address in the middle
/// of its span, and exactly one of them has family evidence: somebody who shares a home with them
/// was recorded at the orphan's address (or its postcode under the same surname) while the orphan
/// was, as when a family moves together and only a council tax account is left behind. A name
/// alone never decides, even when one established person carries it: in data where whole
/// systems record no date of birth (council tax, housing), the orphan is as likely a namesake
/// never recorded with one. Other orphans with the name (the same person's accounts at two old
/// addresses) do not compete. Every orphan's person is decided before anything is joined, so the
/// order does not matter.
///
/// Orphans are judged by their own check of addresses over time, not clustering's rule that a
/// person lives at one place at a time (ConstrainedUnionFind::set_stay, by postcode). With that
/// rule as well (tried, issue 13), a synthetic council of 30,000 persons lost 114 true persons'
/// council tax accounts left open at an old address (persons F1 0.9941 -> 0.9931) and the
/// independent generator's councils gained nothing (0.0000-0.0001 F1 on the three worst
/// variations): an orphan is by definition the record of an old address.
///
/// Example:
/// ```cpp
/// // after cluster_edges(links, uf, ...):
/// const std::size_t joined = earlyhelp::linkage::absorb_orphans(table, home_keys(table), uf);
/// ```

#include "earlyhelp/linkage/cluster.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace earlyhelp::linkage {

/// Joins orphans of the clustering in `uf` (over the identities of `r`) to their person (see the
/// file comment). `homes` is home_keys(r). @return the number of orphans joined.
/// Complexity: O(identities + records) expected, plus the namesakes of each orphan.
std::size_t absorb_orphans(const PreparedRecords& r, const std::vector<std::uint64_t>& homes, ConstrainedUnionFind& uf);

}  // namespace earlyhelp::linkage
