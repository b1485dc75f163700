// SPDX-License-Identifier: Apache-2.0
// Features in words: templates parsed and filled with values, values in their formats, and the
// list of a set's features.

#include "features/templates.hpp"

#include "schema/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace earlyhelp::features {
namespace detail {

std::vector<TemplatePart> parse_template(std::string_view text, std::size_t self,
                                         const std::function<std::optional<std::size_t>(std::string_view)>& lookup,
                                         const std::function<void(const std::string&)>& fail) {
  std::vector<TemplatePart> parts;
  std::string literal;
  auto flush = [&] {
    if (literal.empty()) return;
    TemplatePart p;
    p.text = std::move(literal);
    parts.push_back(std::move(p));
    literal.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      fail(fmt::format("expected '}}' to be written '}}}}' outside a placeholder; got a lone '}}' at character {}",
                       i + 1));
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos)
      fail(fmt::format("expected a '}}' closing the placeholder opened at character {}", i + 1));
    const std::string_view body = text.substr(i + 1, close - i - 1);
    i = close;
    flush();
    TemplatePart p;
    p.feature = self;
    const std::size_t colon = body.find(':');
    const std::string_view head = body.substr(0, colon);
    const std::string_view arg = colon == std::string_view::npos ? std::string_view() : body.substr(colon + 1);
    if (head == "sign") {
      p.what = TemplatePart::What::sign;
      std::size_t pos = 0;
      while (pos <= arg.size()) {
        std::size_t bar = arg.find('|', pos);
        if (bar == std::string_view::npos) bar = arg.size();
        p.words.emplace_back(arg.substr(pos, bar - pos));
        pos = bar + 1;
      }
      if (colon == std::string_view::npos || p.words.size() < 2 || p.words.size() > 3)
        fail(fmt::format("expected {{sign:rising|falling}} or {{sign:rising|falling|unchanged}}; got {{{}}}", body));
    } else if (head == "s" && colon == std::string_view::npos) {
      p.what = TemplatePart::What::plural;
    } else {
      if (colon != std::string_view::npos && arg != "abs")
        fail(fmt::format("expected {{{}}} or {{{}:abs}}; got {{{}}}", head, head, body));
      p.what = colon == std::string_view::npos ? TemplatePart::What::value : TemplatePart::What::abs;
      if (head != "value") {
        const auto ref = lookup(head);
        if (!ref)
          fail(fmt::format("expected {{value}}, {{value:abs}}, {{s}}, {{sign:...}} or the name of a feature of this "
                           "file in braces; got {{{}}}",
                           body));
        p.feature = *ref;
      }
    }
    parts.push_back(std::move(p));
  }
  flush();
  return parts;
}

namespace {

// "1,234,567" for a non-negative whole number.
std::string thousands(double x) {
  std::string digits = fmt::format("{:.0f}", x);
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[i];
    if (i + 1 < n && (n - 1 - i) % 3 == 0) out += ',';
  }
  return out;
}

// A number with at most two decimals, trailing zeros dropped ("3.5", "12").
std::string short_number(double x) {
  std::string s = fmt::format("{:.2f}", x);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string whole(double x) {
  std::string s = fmt::format("{:.0f}", x);
  return s == "-0" ? "0" : s;
}

std::string band_label(const std::vector<int>& bands, double index) {
  const auto i = static_cast<std::size_t>(std::max(0.0, index));
  if (bands.empty()) return whole(index);
  if (i == 0) return fmt::format("under {}", bands[0]);
  if (i >= bands.size()) return fmt::format("{} and over", bands.back());
  return fmt::format("{} to {}", bands[i - 1], bands[i] - 1);
}

}  // namespace
}  // namespace detail

std::string FeatureSet::format_value(std::size_t feature, double value) const {
  EH_CHECK(feature < features_.size(), "format_value: feature {} of {}", feature, features_.size());
  if (std::isnan(value)) return "not known";
  const FeatureDef& f = features_[feature];
  switch (f.format) {
    case Format::integer: return detail::whole(value);
    case Format::number: return detail::short_number(value);
    case Format::percent: return detail::whole(value * 100.0) + "%";
    case Format::percentage_points: {
      const std::string n = detail::whole(value * 100.0);
      return n + (n == "1" || n == "-1" ? " percentage point" : " percentage points");
    }
    case Format::flag: return value != 0.0 ? "yes" : "no";
    case Format::gbp: return (value < 0 && detail::whole(value) != "0" ? "-£" : "£") + detail::thousands(std::fabs(value));
    case Format::band: return detail::band_label(f.plan.bands, value);
  }
  return detail::short_number(value);
}

std::string FeatureSet::describe(std::size_t feature, const float* row) const {
  EH_CHECK(feature < features_.size(), "describe: feature {} of {}", feature, features_.size());
  EH_CHECK(row != nullptr, "describe: row is NULL");
  const FeatureDef& f = features_[feature];
  const double self = static_cast<double>(row[feature]);
  if (std::isnan(self)) return fmt::format("{}: not known", f.label);
  std::string out;
  for (const auto& p : f.plan.parts) {
    using What = detail::TemplatePart::What;
    const double v = static_cast<double>(row[p.feature]);
    switch (p.what) {
      case What::text: out += p.text; break;
      case What::value: out += format_value(p.feature, v); break;
      case What::abs: out += format_value(p.feature, std::fabs(v)); break;
      case What::plural: out += std::fabs(v) == 1.0 ? "" : "s"; break;
      case What::sign: out += v > 0 ? p.words[0] : v < 0 ? p.words[1] : p.words.back(); break;
    }
  }
  return out;
}

std::string FeatureSet::to_text() const {
  std::size_t width = 4;
  for (const auto& f : features_) width = std::max(width, f.name.size());
  std::string out = fmt::format("{} ({} features{})\n", name_, features_.size(),
                                version_.empty() ? std::string() : ", version " + version_);
  out += fmt::format("{:<{}}  {:<6}  {:<10}  {}\n", "name", width, "level", "kind", "description");
  for (const auto& f : features_)
    out += fmt::format("{:<{}}  {:<6}  {:<10}  {}\n", f.name, width, to_string(f.level), to_string(f.kind),
                       f.description);
  return out;
}

std::string FeatureSet::to_markdown() const {
  auto cell = [](std::string_view s) {
    std::string o;
    for (char c : s) o += c == '|' ? std::string("\\|") : std::string(1, c == '\n' ? ' ' : c);
    return o;
  };
  std::string out = "| name | level | kind | domains | description |\n| --- | --- | --- | --- | --- |\n";
  for (const auto& f : features_) {
    std::vector<std::string_view> domains(f.domains.begin(), f.domains.end());
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", f.name, to_string(f.level), to_string(f.kind),
                       schema::detail::join(domains), cell(f.description));
  }
  return out;
}

}  // namespace earlyhelp::features
