// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/profiling/contact.hpp"

#include "earlyhelp/core/error.hpp"

#include <algorithm>

namespace earlyhelp::profiling {

std::vector<std::string> contact_streams(const schema::Schema& schema, const ContactRule& rule) {
  EH_CHECK(rule.window_months >= 1, "contact_streams: window_months is {}, expected at least 1", rule.window_months);
  for (const auto* list : {&rule.streams, &rule.excluded_streams})
    for (const std::string& name : *list)
      EH_CHECK(schema.find(name) != nullptr, "contact_streams: stream '{}' is not in schema '{}'", name, schema.name);
  std::vector<std::string> out;
  if (rule.streams.empty()) {
    for (const schema::Stream& s : schema.streams) out.push_back(s.name);
  } else {
    out = rule.streams;
  }
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const std::string& s) {
                             return std::find(rule.excluded_streams.begin(), rule.excluded_streams.end(), s) !=
                                    rule.excluded_streams.end();
                           }),
            out.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ContactWindow::ContactWindow(const schema::Schema& schema, const ContactRule& rule, Date as_of)
    : streams_(contact_streams(schema, rule)), first_(add_months(as_of, -rule.window_months)), as_of_(as_of) {}

bool ContactWindow::counts(std::string_view stream, Date date) const noexcept {
  return date >= first_ && date < as_of_ && std::binary_search(streams_.begin(), streams_.end(), stream);
}

}  // namespace earlyhelp::profiling
