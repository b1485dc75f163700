// SPDX-License-Identifier: Apache-2.0
// C API: linkage string and identity primitives.

#include "earlyhelp/c_api.h"
#include "earlyhelp/linkage/linkage_primitives.hpp"
#include "guard.hpp"

#include <string>
#include <string_view>

namespace {

namespace lk = earlyhelp::linkage;
using earlyhelp::capi::write_text;

}  // namespace

extern "C" {

int eh_linkage_score(const char* scorer, const char* a, const char* b, double* out) {
  return earlyhelp::capi::guarded([&] {
    EH_CHECK_PTR("eh_linkage_score", scorer);
    EH_CHECK_PTR("eh_linkage_score", a);
    EH_CHECK_PTR("eh_linkage_score", b);
    EH_CHECK_PTR("eh_linkage_score", out);
    *out = lk::score(lk::scorer_from_name(scorer), a, b);
  });
}

int eh_linkage_phonetic(const char* algorithm, const char* text, char* out, size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_CHECK_PTR("eh_linkage_phonetic", algorithm);
    EH_CHECK_PTR("eh_linkage_phonetic", text);
    EH_CHECK_PTR("eh_linkage_phonetic", needed);
    const std::string_view alg = algorithm;
    std::string code;
    if (alg == "soundex") code = lk::soundex(text);
    else if (alg == "nysiis") code = lk::nysiis(text);
    else if (alg == "metaphone") code = lk::metaphone(text);
    else if (alg == "match_rating_codex") code = lk::match_rating_codex(text);
    else if (alg == "double_metaphone") code = lk::double_metaphone(text).primary;
    else if (alg == "double_metaphone_alternate") code = lk::double_metaphone(text).alternate;
    else
      earlyhelp::detail::throw_error<earlyhelp::InvalidArgument>(
          "eh_linkage_phonetic: unknown algorithm '{}' (known: soundex, nysiis, metaphone, "
          "match_rating_codex, double_metaphone, double_metaphone_alternate)",
          alg);
    return write_text("eh_linkage_phonetic", code, out, capacity, needed);
  });
}

int eh_linkage_normalise(const char* kind, const char* text, char* out, size_t capacity, size_t* needed) {
  return earlyhelp::capi::guarded([&] {
    EH_CHECK_PTR("eh_linkage_normalise", kind);
    EH_CHECK_PTR("eh_linkage_normalise", text);
    EH_CHECK_PTR("eh_linkage_normalise", needed);
    const std::string_view k = kind;
    std::string result;
    if (k == "name") result = lk::normalise_name(text);
    else if (k == "address") result = lk::normalise_address(text);
    else if (k == "postcode") result = lk::normalise_postcode(text).value_or("");
    else if (k == "nhs_number") result = lk::normalise_nhs_number(text).value_or("");
    else if (k == "uprn") result = lk::normalise_uprn(text).value_or("");
    else
      earlyhelp::detail::throw_error<earlyhelp::InvalidArgument>(
          "eh_linkage_normalise: unknown kind '{}' (known: name, address, postcode, nhs_number, uprn)", k);
    return write_text("eh_linkage_normalise", result, out, capacity, needed);
  });
}

}  // extern "C"
