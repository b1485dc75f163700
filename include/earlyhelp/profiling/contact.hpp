// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// The "in contact with a service" rule of the alert policy (alerts.hpp, rule 3): a subject is in
/// contact when one of their records in a contact stream (a contact, an open case, a service
/// record) falls in the window before the as-of date, 12 months by default.
///
/// By default every stream of the schema counts except the universal registers that hold almost
/// everyone, and so say nothing about contact with a service: the person register, school
/// attendance (the school roll) and council tax (`ContactRule::excluded_streams`). A council
/// names its own list in `streams` instead when its extracts differ.
///
/// The window is point in time, as features are: records dated on or after
/// `add_months(as_of, -window_months)` and strictly before the as-of date.
///
/// Example:
/// @code
/// const auto schema = earlyhelp::schema::Schema::builtin();
/// earlyhelp::profiling::ContactWindow w(schema, {}, as_of);
/// bool counts = w.counts("social_care_contacts", record_date);   // true within 12 months
/// bool not_a_contact = w.counts("council_tax", record_date);       // false: a universal register
/// @endcode

#include "earlyhelp/core/date.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::profiling {

/// Which records count as contact, and how far back.
struct ContactRule {
  int window_months = 12;  ///< calendar months before the as-of date
  /// Streams whose records count; empty means every stream of the schema not excluded.
  std::vector<std::string> streams;
  /// Streams that never count (applied after `streams`): the universal registers.
  std::vector<std::string> excluded_streams{"person_register", "school_attendance", "council_tax"};
};

/// The contact streams of `schema` under `rule`, sorted.
/// @throws InvalidArgument when the rule names a stream the schema does not have, or the window
///         is not positive.
std::vector<std::string> contact_streams(const schema::Schema& schema, const ContactRule& rule);

/// The rule resolved against a schema for one as-of date.
class ContactWindow {
 public:
  /// @throws InvalidArgument as contact_streams.
  ContactWindow(const schema::Schema& schema, const ContactRule& rule, Date as_of);

  /// True when a record of `stream` dated `date` counts as contact on the as-of date.
  bool counts(std::string_view stream, Date date) const noexcept;

  Date first_day() const noexcept { return first_; }  ///< first day in the window
  Date as_of() const noexcept { return as_of_; }       ///< the window ends the day before
  const std::vector<std::string>& streams() const noexcept { return streams_; }

 private:
  std::vector<std::string> streams_;
  Date first_, as_of_;
};

}  // namespace earlyhelp::profiling
