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
/// file comment). `homes` is home_keys(r). With `guard` (the person rules clustering used), an
/// orphan joins only a person clustering could have joined it to: the same rules everywhere
/// clusters grow (a Sophie Green recorded at one postcode is not absorbed into the Sophie Green
/// recorded at another meanwhile: ConstrainedUnionFind::set_stay).
/// @return the number of orphans joined.
/// Complexity: O(identities + records) expected, plus the namesakes of each orphan.
std::size_t absorb_orphans(const PreparedRecords& r, const std::vector<std::uint64_t>& homes, ConstrainedUnionFind& uf,
                           const PersonGuard* guard = nullptr);

}  // namespace earlyhelp::linkage
