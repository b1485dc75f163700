// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The cost of early help: an intervention calculator (`earlyhelp savings --config x.json`,
/// Python `earlyhelp.savings`).
///
/// An intervention works with `eligible` families (or children) at `cost_per_unit` each (plus a
/// `fixed_cost`). Its effect is either outcomes (e.g. entries to care prevented: `outcomes` in
/// all, or `outcome_rate` per unit) each saving the listed amounts, or weeks of engagement saved
/// per unit (`weeks_saved`) each saving the listed weekly amounts. Each amount says whether it is
/// directly cashable (a placement the council no longer pays for) and may recur yearly over
/// `horizon_years`, discounted at `discount_rate` (year 0 undiscounted; e.g. 0.035, the HM
/// Treasury Green Book rate).
///
/// Results: gross savings, directly cashable savings, net savings (gross less cost), cost per
/// outcome, and the break-even effect (the outcomes, rate per unit or weeks per unit at which
/// gross savings equal the cost). Amounts are exact; round to the pound when presenting, as the
/// published cases do.
///
/// JSON (every key but `name`, `eligible` and the effect is optional):
/// ```json
/// {"name": "Edge of care", "eligible": 135.5, "unit": "family", "cost_per_unit": 2285,
///  "effect": {"outcomes": 21.7, "outcome": "children prevented from entering care"},
///  "savings": [{"item": "placement", "amount": 29923.09, "cashable": true, "source": "..."},
///              {"item": "other costs of care", "amount": 40803.68, "cashable": false}],
///  "discount_rate": 0, "horizon_years": 1}
/// ```
/// For weeks: `"effect": {"weeks_saved": 14}` and amounts per family per week.

#include <string>
#include <vector>

namespace earlyhelp::forecast::savings {

/// One saving per outcome (or per unit-week).
struct SavingItem {
  std::string item;
  double amount = 0;        ///< pounds per outcome (outcomes) or per unit per week (weeks_saved)
  bool cashable = false;    ///< directly cashable (e.g. placement costs)
  bool recurring = false;   ///< the amount recurs each year over the horizon (discounted)
  std::string source;
};

/// An intervention and its effect.
struct Intervention {
  std::string name;
  double eligible = 0;           ///< families or children worked with
  std::string unit = "family";
  double cost_per_unit = 0;
  double fixed_cost = 0;
  double outcomes = -1;          ///< total outcomes (e.g. children prevented from entering care); -1 unset
  double outcome_rate = -1;      ///< outcomes per unit; -1 unset
  double weeks_saved = -1;       ///< weeks of engagement saved per unit; -1 unset
  std::string outcome = "outcome";
  std::vector<SavingItem> savings;
  double discount_rate = 0;
  int horizon_years = 1;
};

/// One item's share of the result.
struct ItemResult {
  std::string item;
  double total = 0;
  bool cashable = false;
};

/// What the calculator gives.
struct Result {
  std::string name;
  double cost = 0;                 ///< eligible x cost_per_unit + fixed_cost
  double outcomes = 0;             ///< outcomes (or unit-weeks saved)
  double gross = 0, cashable = 0, net = 0, net_cashable = 0;
  double gross_per_unit = 0;       ///< per family/child worked with
  double cost_per_outcome = 0;     ///< cost / outcomes (0 without outcomes)
  double break_even_outcomes = 0;  ///< outcomes at which gross = cost
  double break_even_rate = 0;      ///< per unit (outcomes) or weeks per unit (weeks_saved)
  double return_per_pound = 0;     ///< gross / cost (0 without cost)
  std::vector<ItemResult> items;
};

/// A result in whole pounds, as published tables print it: each total rounded to the pound
/// (halves away from zero), and the differences (net) taken between the rounded totals, so the
/// rows add up on the page.
struct Pounds {
  long long cost = 0, gross = 0, net = 0, cashable = 0, net_cashable = 0;
};
/// The result to the pound (see Pounds). O(1).
Pounds to_pounds(const Result& result) noexcept;

/// Calculates the result. @throws InvalidArgument for negative or missing inputs, or no effect
/// (or more than one effect) given.
Result calculate(const Intervention& intervention);

/// Parses the JSON above; `name` stands for the file in messages.
/// @throws InvalidArgument naming the file and the key for a missing, unknown or mistyped key.
Intervention parse_intervention(const std::string& json_text, const std::string& name = "<json>");
/// Reads and parses a JSON file. @throws IOError if unreadable; as parse_intervention.
Intervention read_intervention(const std::string& path);

/// The result as plain text (CLI) and as JSON (for tools).
std::string to_text(const Result& result);
std::string to_json(const Result& result);

}  // namespace earlyhelp::forecast::savings
