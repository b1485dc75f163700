// SPDX-License-Identifier: Apache-2.0
// The profiling's configuration files a council writes or receives: the first byte picks the
// reader, the rest is the text: a risk domain (`profile --domain-file`), a Troubled Families or
// Supporting Families framework (`tf --framework`), an organisation's model-card details, or an
// evaluation file. Each is read or refused with an earlyhelp::Error; an evaluation that reads
// writes back the JSON it reads again to the same evaluation.

#include "earlyhelp/governance/evaluation_report.hpp"
#include "earlyhelp/profiling/domain.hpp"
#include "earlyhelp/profiling/framework.hpp"
#include "earlyhelp/profiling/model_card.hpp"

#include "fuzz_support.hpp"

#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace pf = earlyhelp::profiling;
  namespace gv = earlyhelp::governance;
  if (size == 0) return 0;
  const int reader = data[0] % 4;
  const std::string_view text = earlyhelp::fuzz::as_text(data + 1, size - 1);
  earlyhelp::fuzz::expect_only_errors([&] {
    if (reader == 0) {
      pf::Domain::from_json(text, earlyhelp::schema::Schema::builtin(), "fuzz.domain.json");
    } else if (reader == 1) {
      pf::Framework::from_json(text, earlyhelp::schema::Schema::builtin(), "fuzz.framework.json");
    } else if (reader == 2) {
      pf::OrganisationDetails::from_json(text, "fuzz.organisation.json");
    } else {
      const gv::EvaluationDocument doc = gv::evaluation_from_json(text, "fuzz.evaluation.json");
      const std::string once = gv::evaluation_to_json(doc.evaluation, doc.context);
      const gv::EvaluationDocument again = gv::evaluation_from_json(once, "written");
      earlyhelp::fuzz::check(gv::evaluation_to_json(again.evaluation, again.context) == once,
                             "an evaluation read and written reads back to the same JSON");
    }
  });
  return 0;
}
