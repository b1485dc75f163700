// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Fellegi-Sunter scoring (Fellegi and Sunter 1969, "A theory for record linkage", JASA 64:
/// 1183-1210), estimated without labels as in Splink (Linacre et al., ONS/MoJ): u-probabilities
/// from uniformly sampled random pairs, m-probabilities by expectation maximisation (Dempster,
/// Laird and Rubin 1977; Winkler 1988) on each blocking rule's pairs with that rule's own fields
/// fixed, averaged over rules; term-frequency adjustment of exact agreement on names and
/// postcodes; match weights in log2 and probabilities.
///
/// On top of the independence model, shared household evidence (surname, address, postcode,
/// town, property) is not allowed to outweigh person-level disagreement: when first names differ
/// or full dates of birth differ, and no person identifier agrees, the positive weights of the
/// household fields are discounted (the explanation shows the discount as its own term). The
/// guard applies to a disagreement level only when the trained model says true matches rarely
/// show it (m at most `guard_max_m`): in data where names are often replaced wholesale (FEBRL)
/// a different first name is weak evidence and the guard stays off; in council data, where a
/// different first name at the same address is a sibling or a twin, it is on.
///
/// Place is counted once: address, postcode, town and property reference all say where a record
/// puts its person, and for a household they are one fact, not four independent ones. Their
/// weights (term frequency included) are summed and the sum is bounded by the strongest single
/// one in either direction, so a shared home adds the weight of its strongest agreement once
/// (the explanation shows the bound as a "place counted once" term), and a move costs the weight
/// of its strongest disagreement once.

#include "earlyhelp/linkage/comparison.hpp"
#include "earlyhelp/linkage/records.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <unordered_map>
#include <vector>

namespace earlyhelp::linkage {

/// Whether a field is place evidence (counted once: see the file comment).
constexpr bool is_place_field(Field f) noexcept {
  return f == Field::address || f == Field::postcode || f == Field::town || f == Field::uprn;
}

/// The adjustments a weight carries besides the fields' own weights (for explanations).
struct WeightParts {
  double discount = 0;    ///< household evidence removed by the guard (>= 0)
  double place_once = 0;  ///< the place fields' bounded weight less their sum (<= 0 when they agree)
};

/// m- and u-probabilities of one field's levels.
struct FieldParameters {
  std::vector<double> m, u;
};

/// A histogram of comparison vectors: (packed vector, count), sorted by vector.
using PatternHistogram = std::vector<std::pair<std::uint64_t, double>>;

/// One EM training session (one blocking rule).
struct TrainingSession {
  std::string rule;
  double pairs = 0;        ///< pairs in the histogram
  double lambda = 0;       ///< estimated share of matches among them
  int iterations = 0;
  std::vector<Field> fixed;
  std::array<std::vector<double>, n_fields> m;  ///< this session's estimates (fixed fields: empty)
};

/// Trained parameters of a model.
struct ModelParameters {
  std::array<FieldParameters, n_fields> fields;
  double lambda = 1e-4;  ///< probability that two random identities are the same person
  bool fitted = false;
  std::vector<TrainingSession> sessions;

  /// Reasonable starting values (m high at exact agreement, u from a uniform guess).
  static ModelParameters defaults();
};

/// Level frequencies of uniformly sampled random pairs of identities (smoothed), with a fixed
/// seed; identical for any thread count. In link-only mode pairs come from different sources.
std::array<std::vector<double>, n_fields> estimate_u(const PreparedRecords& r, bool link_only,
                                                     std::size_t sample_pairs, std::uint64_t seed,
                                                     int n_threads);

/// Upper bounds on m-probabilities, per field and level (an empty vector: no bound on the field).
using MBounds = std::array<std::vector<double>, n_fields>;

/// EM for the m-probabilities and the match share of one histogram, keeping `u` and the fields
/// in `fixed` out of the likelihood. With `m_max`, each M-step is the maximum under those upper
/// bounds (a bounded level takes its bound, the others share the rest in proportion).
/// @return the number of iterations run.
int em_estimate_m(const PatternHistogram& h, const std::vector<Field>& fixed,
                  const std::array<std::vector<double>, n_fields>& u, ModelParameters& p,
                  std::array<std::vector<double>, n_fields>& m_out, double& lambda_inout,
                  int max_iterations, double tolerance, const MBounds* m_max = nullptr);

/// EM for the match share only (m and u fixed).
double em_estimate_lambda(const PatternHistogram& h, const ModelParameters& p, int max_iterations);

/// m-probabilities as level frequencies of labelled matching pairs' comparison vectors.
void m_from_labels(const PatternHistogram& matches, ModelParameters& p);

/// Precomputed weights of a fitted model over one prepared table.
class FellegiSunter {
 public:
  FellegiSunter() = default;
  /// @param tf_adjust apply term-frequency adjustment to exact first name, surname, postcode.
  /// @param household_guard discount household evidence on person-level conflict.
  /// @param guard_max_m a conflict level counts when its m-probability is at most this.
  /// @param place_once count place evidence once (see the file comment).
  FellegiSunter(const ModelParameters& p, const PreparedRecords& r, bool tf_adjust, bool household_guard,
                double guard_max_m = 0.04, bool place_once = true);

  /// log2 match weight of a pair (prior included). `discount` receives the household evidence
  /// removed by the guard (0 when there is no person-level conflict).
  double weight(const PreparedRecords& r, std::uint32_t a, std::uint32_t b, const ComparisonVector& v,
                double& discount) const noexcept;
  /// As above, with every adjustment in `parts`.
  double weight(const PreparedRecords& r, std::uint32_t a, std::uint32_t b, const ComparisonVector& v,
                WeightParts& parts) const noexcept;
  /// log2 match weight of a comparison pattern without term frequencies (prior, guard and place
  /// bound included): what the model makes of any pair showing these levels.
  double pattern_weight(const ComparisonVector& v, WeightParts& parts) const noexcept;
  double prior() const noexcept { return prior_; }
  double level_weight(Field f, std::uint8_t level) const noexcept;
  /// Term-frequency adjustment of exact agreement on value `id` of field f (0 if none).
  double tf_adjustment(Field f, std::uint32_t id) const noexcept;
  /// Term-frequency adjustment of exact agreement on both first name and surname: it replaces
  /// the two single adjustments, because names are not independent (a community's first names
  /// go with its surnames, so "Kacper Ionescu" is far commoner than "Kacper" times "Ionescu").
  double full_name_tf_adjustment(std::uint32_t first_id, std::uint32_t surname_id) const noexcept;
  bool household_guard() const noexcept { return guard_; }
  /// With households (the person rules on, person_rules.hpp): a first name that is a short form
  /// of the other (a prefix of at least three letters: Zak and Zakariya, Dani and Danielle,
  /// first_names_short_form) is no person-level conflict for weight() when no other field is one
  /// and the dates of birth do not disagree, so the pair's household evidence is not discounted
  /// (an undated social care record of Zak Hussain at the flat where health records Zakariya
  /// Hussain). The comparison's first-name levels are Jaro-Winkler bands, in which a short form
  /// falls to `jaro_winkler_0.80` or `different` like a sibling's name. Names further apart (Isla
  /// and Ella, Florin and Sorin: siblings as often as typos) keep the discount. pattern_weight()
  /// and conflict(), which see no names, are unchanged. Off by default.
  void set_short_forms_agree(bool on) noexcept { short_forms_agree_ = on; }
  /// Whether the pair's levels are a person-level conflict under this model: first names or
  /// dates of birth disagree (and, when `with_identifier`, person identifiers disagree) at a level
  /// true matches rarely show. Household evidence is discounted on first-name or dob conflicts;
  /// clustering keeps look-alike pairs apart on any conflict.
  bool conflict(const ComparisonVector& v, bool with_identifier = true) const noexcept;

 private:
  std::array<std::vector<double>, n_fields> w_;
  std::vector<double> tf_first_, tf_surname_, tf_postcode_;
  std::unordered_map<std::uint64_t, double> tf_full_name_;  ///< (first_id << 32 | surname_id)
  std::array<std::array<bool, 16>, n_fields> conflict_level_{};
  double combine(const ComparisonVector& v, const std::array<double, n_fields>& tf, double full_name_tf,
                 double full_name_household, WeightParts& parts) const noexcept;

  double prior_ = 0;
  bool guard_ = true;
  bool place_once_ = true;
  bool surname_discount_ = false;  ///< a different surname also discounts household evidence
  bool short_forms_agree_ = false;
  /// Whether the household discount of the pair (a, b), guarded on `v`, stands: false when the
  /// guard rests only on the first-name level of a short form (set_short_forms_agree).
  bool discount_stands(const PreparedRecords& r, std::uint32_t a, std::uint32_t b, const ComparisonVector& v) const;
};

/// Probability from a log2 weight.
double probability_from_weight(double w) noexcept;
/// log2 weight from a probability in (0, 1).
double weight_from_probability(double p) noexcept;

}  // namespace earlyhelp::linkage
