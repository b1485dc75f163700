// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Clustering scored pairs into persons: connected components built strongest link first
/// (Kruskal order), with a guard against chaining: two groups are never joined when any pair
/// across them was scored as a person-level conflict (e.g. twins, or a father and a son who share
/// a name and address). A record with a missing date of birth that matches both John and Jane at
/// one address joins the stronger of them instead of bridging the two; nor does it bridge groups
/// whose dates of birth cannot be one person's (ConstrainedUnionFind::set_dob). With a person guard
/// (person_rules.hpp), no group ever holds two identities that can never be one person, whichever
/// records would chain them. Cluster ids are stable: a hash of the smallest record id in the
/// cluster, the same on every run and thread count.

#include "earlyhelp/linkage/source_ages.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace earlyhelp::linkage {

/// A scored pair of identities.
struct Edge {
  std::uint32_t a = 0, b = 0;
  double weight = 0;  ///< log2 match weight
};

/// The person rules for clustering (person_rules.hpp): `never(x, y)`, whether two identities can
/// never be one person; and, optionally, `alias_only(x, y)`, whether their first names are other
/// forms of one name in the name table and nothing closer (Mia and Amelia, Jack and John: not
/// equal, a typo, an initial or a swap), for the rule on first names two sources confirm
/// (ConstrainedUnionFind::set_name); and, optionally, `one_place(p, q)`, whether two place ids
/// (ConstrainedUnionFind::set_stay) may be one place typed twice (a postcode with a typo), for the
/// rule that a person lives at one place at a time. Called as `guard(x, y)`, it asks `never`.
struct PersonGuard {
  std::function<bool(std::uint32_t, std::uint32_t)> never, alias_only, one_place;
  PersonGuard() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, PersonGuard>>>
  PersonGuard(F never_one_person) : never(std::move(never_one_person)) {}  // NOLINT: a guard from any callable
  bool operator()(std::uint32_t x, std::uint32_t y) const { return never(x, y); }
};

/// Union-find over identities with cannot-link constraints (persisted for incremental linking).
class ConstrainedUnionFind {
 public:
  /// Grows to `n` elements (new ones are singletons).
  void resize(std::size_t n);
  std::size_t size() const noexcept { return parent_.size(); }
  std::uint32_t find(std::uint32_t x) noexcept;
  /// Records that a and b must not end in one cluster.
  void cannot_link(std::uint32_t a, std::uint32_t b);
  /// Records identity x's date of birth (yyyymmdd; 0 for none), seen in the sources of the bit
  /// mask `sources` (PreparedRecords::source_mask; 0 when unknown). Two groups whose dates of birth
  /// cannot be one person's (see could_be_one_dob) are different people: a record without a date
  /// of birth that matches both (a council tax account under a name they share) does not bridge
  /// them. Nor are two groups one person when each holds a full date of birth that two sources
  /// confirm and they share none (but for day and month swapped): a keying error is one system's,
  /// not repeated in another, so Laura Jones born 1987-08-31 in health and council tax and Laura
  /// Jones born 1997-08-31 in police and social care are two women, though one digit apart.
  void set_dob(std::uint32_t x, std::int32_t dob, std::uint32_t sources = 0);
  /// Records the birth dates (day numbers, inclusive) identity x's records allow although it has no
  /// date of birth (source_ages.hpp). Two groups whose windows do not meet, or a group whose dates
  /// of birth all fall outside the other's window, are different people.
  void set_birth_window(std::uint32_t x, std::int32_t earliest, std::int32_t latest);
  /// Records that identity x carries person evidence `evidence` (a first name and a date of birth;
  /// identities with equal evidence ids carry the same, so only one of them is checked), which the
  /// person guard of conflicts() compares across groups.
  void set_person(std::uint32_t x, std::uint32_t evidence);
  /// Records that identity x goes by first name `name` (an id; 0 for none, and for an initial) in
  /// the sources of the bit mask `sources`. With a person guard that has `alias_only`, two groups
  /// each going by a first name that two sources confirm, whose first names are all only other
  /// forms of one another's (PersonGuard::alias_only), are two people: a name two systems record
  /// is the name a person goes by, so an Amelia Smith whom health and a school record and a Mia
  /// Smith whom social care and a school record, born on one day, are two girls, while a Bill
  /// recorded once beside three records of William is one man.
  void set_name(std::uint32_t x, std::uint32_t name, std::uint32_t sources);
  /// Records that identity x was recorded at place `place` (an id, such as its postcode's; 0 for
  /// none) on dates from `first_day` to `last_day` (day numbers). A person lives at one place at a
  /// time. With a person guard that has `one_place`, a group without a date of birth is not joined
  /// to another group when one of them was recorded at a place on a date while the other was
  /// recorded at another place more than kStayMarginDays both before and after it: a Sophie Green
  /// without a date of birth recorded at one address in 2023 is not the Sophie Green recorded at
  /// another address in 2022 and 2024, while one who moved (all records at the old address before
  /// those at the new) still joins. Groups that both carry dates of birth are judged on them,
  /// unless (with `alias_only`) their first names are only other forms of one another's: a Jack
  /// Smith and a John Smith born on one day, each recorded at his own home while the other was
  /// recorded at his, are two boys (the date cannot tell them apart and the names do not join them).
  void set_stay(std::uint32_t x, std::uint32_t place, std::int32_t first_day, std::int32_t last_day);
  static constexpr std::int32_t kStayMarginDays = 31;  ///< a month: a snapshot on the day of a move
  /// Whether joining the groups of a and b would violate a cannot-link, join groups whose birth
  /// windows exclude each other (set_birth_window), (with a guard's `one_place`) join a group
  /// without a date of birth to one recorded elsewhere meanwhile (set_stay), (with `dob_guard`) join two groups whose dates
  /// of birth cannot be one person's, or (with `guard`) put two identities that can never be one
  /// person in one group.
  bool conflicts(std::uint32_t a, std::uint32_t b, bool dob_guard = true, const PersonGuard* guard = nullptr);
  /// Joins the groups unless that is a conflict. @return whether they are now joined.
  bool unite(std::uint32_t a, std::uint32_t b, bool dob_guard = true, const PersonGuard* guard = nullptr);
  /// Narrows the identities' birth windows after cluster_edges() built the groups, without
  /// building them again, when that would make the same joins. `edges` and `joined` are what
  /// cluster_edges() left and recorded; `before[x]` is the window identity x was given
  /// (set_birth_window, or none) before the joins, `now[x]` its narrower window, `dob_of[x]` its
  /// date of birth (set_dob; 0 for none). A join refused before is refused again (every check reads
  /// the same or a narrower window); the joins made are checked again in their order against the
  /// narrower windows only (nothing else differs), on a copy holding just the groups' windows and
  /// dates of birth. When none is refused, building again would reach these groups in the same
  /// way: they get the windows that build would give them. @return false, changing nothing, when
  /// some `now[x]` is wider than `before[x]` or a join would be refused: then build again.
  /// Complexity O(E + n) finds; memory about 40 bytes per element while it runs.
  bool narrow_birth_windows(const std::vector<Edge>& edges, const std::vector<std::uint8_t>& joined,
                            const std::vector<BirthWindow>& before, const std::vector<BirthWindow>& now,
                            const std::vector<std::int32_t>& dob_of);
  /// Marks (or reads) a group as "closed": it already has a published id (incremental linking
  /// never merges two closed groups).
  void close(std::uint32_t x) noexcept { closed_[find(x)] = 1; }
  bool closed(std::uint32_t x) noexcept { return closed_[find(x)] != 0; }

 private:
  std::vector<std::uint32_t> parent_, rank_;
  std::vector<std::vector<std::uint32_t>> cannot_;  ///< per root: identities it may not join
  /// per root: the length of cannot_ when it was last compacted (its roots, each once); it is
  /// compacted again when it has doubled, so each entry costs O(1) amortised
  std::vector<std::uint32_t> compacted_;
  std::vector<std::uint32_t> seen_;  ///< per root: the compaction (seen_epoch_) that last kept it
  std::uint32_t seen_epoch_ = 0;
  struct DobSeen {
    std::int32_t dob;        ///< yyyymmdd
    std::uint32_t sources;   ///< bit mask of the sources that recorded it
  };
  std::vector<std::vector<DobSeen>> dobs_;          ///< per root: its distinct dates of birth
  /// Joins one group's birth window and dates of birth (`from_*`, emptied) into another's, as
  /// unite() joins them (narrow_birth_windows() replays joins with it).
  static void join_windows(std::int32_t& earliest, std::int32_t& latest, std::vector<DobSeen>& dobs,
                           std::int32_t from_earliest, std::int32_t from_latest, std::vector<DobSeen>& from_dobs);
  std::vector<std::int32_t> earliest_, latest_;     ///< per root: its birth window (day numbers)
  /// per root: (evidence id, identity) of its identities with person evidence, one per id
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> persons_;
  struct NameSeen {
    std::uint32_t name, sources, identity;  ///< first name id, bit mask of sources, an identity using it
  };
  std::vector<std::vector<NameSeen>> names_;  ///< per root: its first names (set_name)
  struct Stay {
    std::uint32_t place;
    std::int32_t first, last;  ///< day numbers of its first and last record there
  };
  std::vector<std::vector<Stay>> stays_;  ///< per root: its places (set_stay)
  std::vector<std::uint8_t> closed_;
};

/// Whether two dates of birth (yyyymmdd, 00 for unknown parts) could be one person's: equal,
/// one typo apart (a digit, day and month swapped), in one year, or agreeing on the parts both
/// know. 0 (no date) agrees with anything.
bool could_be_one_dob(std::int32_t a, std::int32_t b) noexcept;

/// Sorts edges strongest first (ties by identity numbers) and joins them in that order. An edge
/// whose two ends both carry a date of birth was scored on them and may join groups whatever
/// their dates; other edges may not join groups of incompatible dates (`dob_of`, if given, is
/// each identity's date of birth, 0 for none).
/// With `guard`, no group ever holds two identities the guard keeps apart. With `joined`, records
/// for each edge, in the sorted order left in `edges`, whether its ends were in one group after it
/// (1) or it was refused (0) (ConstrainedUnionFind::narrow_birth_windows reads them).
/// Complexity: O(E log E + E * c) with c the cannot-links (and person evidence) per group.
void cluster_edges(std::vector<Edge>& edges, ConstrainedUnionFind& uf, bool keep_closed_apart = false,
                   const std::vector<std::int32_t>* dob_of = nullptr, const PersonGuard* guard = nullptr,
                   std::vector<std::uint8_t>* joined = nullptr);

/// A stable, opaque id: `prefix` followed by 16 hex digits of a 64-bit FNV-1a hash of `key`.
std::string stable_id(char prefix, std::string_view key);

}  // namespace earlyhelp::linkage
