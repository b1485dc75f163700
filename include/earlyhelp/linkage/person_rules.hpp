// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Person evidence that place cannot outweigh. Members of one household share an address, a
/// postcode and mostly a surname; only their first names and dates of birth tell them apart. So
/// two records are never one person when
/// - their first names disagree (neither equal, nor an initial of one name, nor a typo apart: at
///   most two keying errors, one when the shorter has fewer than four letters; nor one a short
///   form of the other, Alex and Alexander; nor swapped with the surname) and their dates of birth
///   are both present and disagree beyond a typo (neither equal, nor day and month transposed, nor
///   one digit off, nor two neighbouring digits swapped, nor a partial date agreeing with the
///   other). Two forms of one name in the name table (Bill and William, Mia and Amelia, Jack and
///   John) do not reconcile names whose dates of birth disagree as well: that would take two
///   errors at once on one person's records, while a Mia and an Amelia, or a John and a Jack, of
///   different ages in one family or street are common (stricter than issue 13's rule 1, which
///   lets a nickname through); or
/// - they are twins: the same full date of birth and first names that disagree (here another form
///   of one name does agree: Bill and William born on one day are one person); or
/// - one is recorded male and the other female (a missing sex says nothing): an Oliver and an
///   Olivia born on one day, or namesakes where a source records no date of birth, are two people;
/// unless a person identifier (NHS number, UPN, NI number) agrees, at most one keying error
/// apart. Whatever the model estimates, such pairs never link and never end in one cluster
/// (ConstrainedUnionFind keeps each group's person evidence).
///
/// The rules describe data in which different people share homes. A list of individuals without
/// co-residents (FEBRL) has no households, and there a shared address is person evidence and a
/// replaced first name a recording error, indistinguishable from twins. household_evidence()
/// tells the two apart without labels: among pairs of records at one home under one surname,
/// recording errors make first names and dates of birth disagree independently of each other,
/// while different members of a household disagree on both at once. Households are taken as
/// absent only when the data show it: the two disagreements do not go together (the odds ratio's
/// upper confidence bound below kHouseholdOddsRatio) and most such pairs do not disagree on both
/// (one record per person: no pair is one person's, and errors cannot make a majority). Anything
/// less (a small extract, too few pairs) keeps the rules.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::linkage;
/// const HouseholdEvidence e = household_evidence(table, home_keys(table));
/// if (!e.absent() && never_one_person(table, a, b)) { /* a and b are two people */ }
/// ```

#include "earlyhelp/linkage/records.hpp"

#include <climits>
#include <cstdint>
#include <vector>

namespace earlyhelp::linkage {

/// Whether identities `a` and `b` of `r` can never be one person (see the file comment).
/// Thread-safe on a const table. Complexity O(length of the names).
bool never_one_person(const PreparedRecords& r, std::uint32_t a, std::uint32_t b);

/// Why a pair is never one person, for explanations: "first names and dates of birth disagree",
/// "twins: one date of birth, different first names", "one record male, the other female", or ""
/// when it may be.
const char* never_one_person_reason(const PreparedRecords& r, std::uint32_t a, std::uint32_t b);

/// Whether two first names of `r` (ids into r.first; surnames for a swap) may be one person's
/// (forms of one name in the name table agree).
bool first_names_agree(const PreparedRecords& r, std::uint32_t first_a, std::uint32_t surname_a,
                       std::uint32_t first_b, std::uint32_t surname_b);

/// Whether first name ids `first_a` and `first_b` of `r` are equal or one is a short form of the
/// other: a prefix of at least three letters (Zak and Zakariya, Dani and Danielle).
bool first_names_short_form(const PreparedRecords& r, std::uint32_t first_a, std::uint32_t first_b);

/// Whether identities `a` and `b` of `r` have first names that are other forms of one name in the
/// name table and nothing closer (Mia and Amelia, Jack and John; not equal, an initial, a typo or
/// short form, or swapped with the surname): PersonGuard::alias_only.
bool first_names_alias_only(const PreparedRecords& r, std::uint32_t a, std::uint32_t b);

/// Identity x's first name id for ConstrainedUnionFind::set_name: 0 when it has none or only an
/// initial.
std::uint32_t first_name_for_rules(const PreparedRecords& r, std::uint32_t x);

/// For each identity, the sources (bit mask, as PreparedRecords::source_mask) that recorded its
/// first name for its person as far as the records alone tell: its own, and those of identities
/// with the same first name, surname and postcode (one name at one postcode is one person's
/// before any clustering). For ConstrainedUnionFind::set_name, whose rule must not depend on the
/// order in which clustering joins a person's records. Complexity O(identities).
std::vector<std::uint32_t> first_name_sources(const PreparedRecords& r);

/// Whether two dates of birth (yyyymmdd, 00 for unknown parts, 0 for none) are both present and
/// disagree beyond a typo.
bool dates_of_birth_disagree(std::int32_t a, std::int32_t b) noexcept;

/// For each identity of `r`, an id of its person evidence (first name, surname, date of birth,
/// identifier, sex): identities with equal ids are alike to never_one_person(); 0 for an identity
/// without a sex and without a first name or a date of birth (never kept apart). For
/// ConstrainedUnionFind::set_person.
std::vector<std::uint32_t> person_evidence_ids(const PreparedRecords& r);

/// Whether two postcode ids of `r` may be one place: equal, or one keying error apart (a letter
/// inserted, deleted, replaced, or two neighbours transposed). PersonGuard::one_place.
bool one_postcode(const PreparedRecords& r, std::uint32_t postcode_a, std::uint32_t postcode_b);

/// Whether two places of identity_spans() (DaySpan::place) may be one place typed twice: the same
/// house number (or one without a number) at the same postcode or at postcodes one keying error
/// apart (one_postcode). A place is a house: 5 and 127 School Street HX11 6QN are two homes, and
/// neighbours' postcodes often differ in one letter, so 97 School Street HX11 6QL is a third,
/// while 127 School St HX11 6QP is a typo of the first. PersonGuard::one_place.
bool one_place(const PreparedRecords& r, std::uint32_t place_a, std::uint32_t place_b);

/// A span of record dates (day numbers); `first` > `last` when no record is dated. `place`: the
/// identity's place (its postcode and house number) for ConstrainedUnionFind::set_stay, as one
/// plus the first identity of the table at that postcode and house number (so the same on every
/// call as identities are added); 0 without a postcode.
struct DaySpan {
  std::int32_t first = INT32_MAX, last = INT32_MIN;
  std::uint32_t place = 0;
};

/// For each identity from `first_identity` on (earlier ones stay empty), the first and last dates
/// of its dated records and its place, for ConstrainedUnionFind::set_stay. Complexity
/// O(records + identities) expected.
std::vector<DaySpan> identity_spans(const PreparedRecords& r, std::size_t first_identity = 0);

/// Pairs of identities at one home under one surname, with both first names and both dates of
/// birth, by whether their first names (rows) and dates of birth (columns) disagree.
struct HouseholdEvidence {
  static constexpr double kHouseholdOddsRatio = 4.0;
  /// One-sided 95% normal quantile: the odds ratio's upper confidence bound (Woolf's logit
  /// interval) must fall below kHouseholdOddsRatio before the data count as a list of individuals.
  static constexpr double kConfidenceZ = 1.6448536269514722;
  /// Pairs at one home needed before the data can count as a list of individuals.
  static constexpr std::uint64_t kMinPairsAbsent = 50;
  std::uint64_t both = 0, first_only = 0, dob_only = 0, neither = 0;
  /// Odds ratio of the two disagreements (with 0.5 added to each count).
  double odds_ratio() const noexcept;
  /// The upper one-sided 95% confidence bound of odds_ratio() (Woolf: log odds ratio plus
  /// kConfidenceZ standard errors, sqrt of the sum of the reciprocal counts, 0.5 added to each).
  double odds_ratio_upper() const noexcept;
  /// Whether the data show that different people do NOT share homes (a list of individuals):
  /// enough pairs at one home that first names and dates of birth disagree no more often
  /// together than independent errors make them (the upper bound of the odds ratio below
  /// kHouseholdOddsRatio), and most such pairs do not disagree on both (with one record per
  /// person every pair at a home is two people). Few pairs (under kMinPairsAbsent) prove
  /// nothing: a small extract is not absent.
  bool absent() const noexcept {
    const std::uint64_t all = both + first_only + dob_only + neither;
    return all >= kMinPairsAbsent && 2 * both <= all && odds_ratio_upper() < kHouseholdOddsRatio;
  }
};

/// Counts the pairs of HouseholdEvidence. `homes` is home_keys(r). Homes with more than 64
/// identities under one surname (a hostel) are skipped. Complexity O(identities + pairs counted).
HouseholdEvidence household_evidence(const PreparedRecords& r, const std::vector<std::uint64_t>& homes);

}  // namespace earlyhelp::linkage
