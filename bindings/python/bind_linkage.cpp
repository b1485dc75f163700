// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.linkage: string and identity primitives of record linkage. Scalar functions
// keep the GIL: they run for well under a microsecond on names, less than releasing and
// re-acquiring it would cost. The edit-distance and Jaro scalars and the batch `pairwise` read
// each str's code points where CPython keeps them (PEP 393: one, two or four bytes per code
// point), with no UTF-8 encoding and no copy of Latin-1 text; batch functions gather those views
// with the GIL held, then release it for the work. Those scalars are raw METH_FASTCALL functions
// (fastcall.hpp): pybind11's generic argument dispatch cost more than a comparison of two names.

#include "bind.hpp"
#include "earlyhelp/linkage/linkage_primitives.hpp"
#include "fastcall.hpp"

#include <pybind11/eigen.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

namespace lk = earlyhelp::linkage;

// A borrowed view of the code points of a str in its own storage; valid while a reference to
// the str is held, and readable without the GIL (str is immutable).
struct CodePoints {
  const void* data = nullptr;
  std::size_t size = 0;
  int kind = PyUnicode_1BYTE_KIND;
};

// The code points of str `s`; false with an exception set when CPython cannot ready a legacy str.
bool read_code_points(PyObject* s, CodePoints& out) noexcept {
  if (PyUnicode_READY(s) != 0) return false;
  out = CodePoints{PyUnicode_DATA(s), static_cast<std::size_t>(PyUnicode_GET_LENGTH(s)), PyUnicode_KIND(s)};
  return true;
}

CodePoints code_points_of(PyObject* s) {
  CodePoints out;
  if (!read_code_points(s, out)) throw py::error_already_set();
  return out;
}

// Calls f(span): Latin-1 storage is passed as it is (8-bit code points); two- and four-byte
// storage is widened to char32_t (on the stack for names), so the kernels see at most two
// element types whatever the str.
template <class F>
decltype(auto) with_span(const CodePoints& s, F&& f) {
  if (s.kind == PyUnicode_1BYTE_KIND) return f(lk::detail::Span<unsigned char>{static_cast<const Py_UCS1*>(s.data), s.size});
  char32_t small[64];
  std::vector<char32_t> big;
  char32_t* out = small;
  if (s.size > 64) {
    big.resize(s.size);
    out = big.data();
  }
  if (s.kind == PyUnicode_2BYTE_KIND) {
    const auto* in = static_cast<const Py_UCS2*>(s.data);
    for (std::size_t i = 0; i < s.size; ++i) out[i] = in[i];
  } else {
    const auto* in = static_cast<const Py_UCS4*>(s.data);
    for (std::size_t i = 0; i < s.size; ++i) out[i] = in[i];
  }
  return f(lk::detail::Wide{out, s.size});
}

template <class F>
decltype(auto) with_spans(const CodePoints& a, const CodePoints& b, F&& f) {
  return with_span(a, [&](auto x) { return with_span(b, [&](auto y) { return f(x, y); }); });
}

// A sequence as CPython's fast sequence (a list or tuple: its items readable by index).
py::object fast_sequence(py::handle seq) {
  py::object fast = py::reinterpret_steal<py::object>(PySequence_Fast(seq.ptr(), "expected a sequence of str"));
  if (!fast) throw py::error_already_set();
  return fast;
}

// The view `view(item)` of item i of `name`, a reference to it added to `keep` so the view stays
// valid while the GIL is released (the sequence itself may change meanwhile). None and float
// NaN (pandas' missing values) are read as "" (View{}).
template <class View, class MakeView>
View item_view(py::handle fast, const char* name, Py_ssize_t i, std::vector<py::object>& keep, MakeView view) {
  PyObject* item = PySequence_Fast_GET_ITEM(fast.ptr(), i);
  if (PyUnicode_Check(item)) {
    keep.push_back(py::reinterpret_borrow<py::object>(item));
    return view(item);
  }
  if (item == Py_None || (PyFloat_Check(item) && std::isnan(PyFloat_AS_DOUBLE(item)))) return View{};
  throw py::type_error(std::string(name) + "[" + std::to_string(i) + "]: expected str, got " + Py_TYPE(item)->tp_name);
}

// UTF-8 views of a whole sequence (CPython caches each str's UTF-8 form in the object), for
// cdist, whose cached scorers take UTF-8.
std::vector<std::string_view> utf8_views(py::handle seq, const char* name, std::vector<py::object>& keep) {
  const py::object fast = fast_sequence(seq);
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(fast.ptr());
  std::vector<std::string_view> out;
  out.reserve(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    out.push_back(item_view<std::string_view>(fast, name, i, keep, [](PyObject* item) {
      Py_ssize_t len = 0;
      const char* data = PyUnicode_AsUTF8AndSize(item, &len);
      if (data == nullptr) throw py::error_already_set();
      return std::string_view(data, static_cast<std::size_t>(len));
    }));
  }
  return out;
}

// pairwise on code points, block by block: a block's views are gathered with the GIL held and
// scored without it. One thread takes blocks of 2048 pairs, so the scratch vectors stay small
// and are reused: gathering the whole sequence at once would allocate fresh (mmapped) memory on
// every call and pay a page fault per 4 KiB, which cost more than the kernels themselves.
py::array_t<double> pairwise_code_points(py::handle x, py::handle y, lk::Scorer sc, int n_threads) {
  const py::object fa = fast_sequence(x), fb = fast_sequence(y);
  const auto n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fa.ptr()));
  const auto nb = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(fb.ptr()));
  EH_CHECK(n == nb, "pairwise: sequences differ in length ({} and {})", n, nb);
  py::array_t<double> out(static_cast<py::ssize_t>(n));
  double* o = out.mutable_data();
  const int workers = resolve_threads(n_threads);
  const std::size_t block = std::min<std::size_t>(n, workers <= 1 ? 2048 : std::size_t{16384} * static_cast<std::size_t>(workers));
  std::vector<CodePoints> va, vb;
  std::vector<py::object> keep;
  va.reserve(block), vb.reserve(block), keep.reserve(2 * block);
  for (std::size_t start = 0; start < n; start += block) {
    const std::size_t end = std::min(n, start + block);
    va.clear(), vb.clear(), keep.clear();
    for (std::size_t i = start; i < end; ++i) {
      va.push_back(item_view<CodePoints>(fa, "a", static_cast<Py_ssize_t>(i), keep, code_points_of));
      vb.push_back(item_view<CodePoints>(fb, "b", static_cast<Py_ssize_t>(i), keep, code_points_of));
    }
    py::gil_scoped_release nogil;
    parallel_for_chunks(end - start, workers, 2048, [&](std::size_t begin, std::size_t stop) {
      for (std::size_t k = begin; k < stop; ++k)
        o[start + k] = with_spans(va[k], vb[k], [&](auto p, auto q) { return lk::detail::score_code_points(sc, p, q); });
    });
  }
  return out;
}

}  // namespace

// A str argument of the scalar functions, read in place (see CodePoints).
template <>
struct fastcall::Converter<CodePoints> {
  static constexpr const char* name = "str";
  static bool load(PyObject* obj, const char* parameter, CodePoints& out) noexcept {
    if (!PyUnicode_Check(obj)) {
      PyErr_Format(PyExc_TypeError, "%s: expected str, got %s", parameter, Py_TYPE(obj)->tp_name);
      return false;
    }
    return read_code_points(obj, out);
  }
};

namespace {

// The scalar string metrics: raw fastcall functions (see fastcall.hpp), as these are called
// once per pair from Python loops. `metric` turns a kernel on two code-point spans (and any
// options after them) into a function of two str.
template <class Kernel, class... Options>
constexpr auto metric(const char* name, const char* doc, Kernel kernel, Options... options) {
  return fastcall::function(
      name, doc,
      [kernel](const CodePoints& a, const CodePoints& b, const typename Options::type&... values) {
        return with_spans(a, b, [&](auto p, auto q) { return kernel(p, q, values...); });
      },
      fastcall::param<CodePoints>("a"), fastcall::param<CodePoints>("b"), options...);
}

constexpr auto jaro_fn = metric("jaro", "Jaro similarity in [0, 1] (jellyfish jaro_similarity; 0 when either is empty).",
                                [](auto p, auto q) { return lk::detail::jaro(p, q); });
constexpr auto jaro_winkler_fn = metric(
    "jaro_winkler", "Jaro-Winkler similarity (jellyfish jaro_winkler_similarity, incl. long_tolerance).",
    [](auto p, auto q, bool long_tolerance, double prefix_weight) {
      return lk::detail::jaro_winkler(p, q, prefix_weight, long_tolerance);
    },
    fastcall::option("long_tolerance", false), fastcall::option("prefix_weight", 0.1));
constexpr auto levenshtein_fn = metric("levenshtein", "Levenshtein distance over code points.", lk::detail::LevenshteinFn{});
constexpr auto levenshtein_normalized_fn =
    metric("levenshtein_normalized", "1 - levenshtein / max(len(a), len(b)); 1 for two empty strings.",
           [](auto p, auto q) { return lk::detail::levenshtein_normalized_similarity_cp(p, q); });
constexpr auto damerau_levenshtein_fn =
    metric("damerau_levenshtein", "Unrestricted Damerau-Levenshtein distance (jellyfish damerau_levenshtein_distance).",
           lk::detail::DamerauFn{});
constexpr auto osa_fn =
    metric("osa", "Optimal string alignment (restricted Damerau-Levenshtein) distance.", lk::detail::OsaFn{});
constexpr auto hamming_fn = metric(
    "hamming", "Hamming distance; extra characters of the longer string count as mismatches.", lk::detail::HammingFn{});

}  // namespace

void bind_linkage(py::module_& parent) {
  py::module_ m = parent.def_submodule("linkage", "String and identity primitives of record linkage.");
  using sv = std::string_view;
  const auto a = py::arg("a"), b = py::arg("b");

  // ---- similarity -------------------------------------------------------------------------
  // The edit-distance and Jaro scalars read code points in place (str only).
  fastcall::def<jaro_fn>(m);
  fastcall::def<jaro_winkler_fn>(m);
  fastcall::def<levenshtein_fn>(m);
  fastcall::def<levenshtein_normalized_fn>(m);
  fastcall::def<damerau_levenshtein_fn>(m);
  fastcall::def<osa_fn>(m);
  fastcall::def<hamming_fn>(m);
  m.def("jaccard",
        [](sv x, sv y, std::optional<std::size_t> ngram_size) {
          return lk::jaccard_similarity(x, y, ngram_size.value_or(0));
        },
        a, b, py::arg("ngram_size") = py::none(),
        "Jaccard index of word sets, or of non-overlapping chunks of ngram_size characters.");
  m.def("qgram_jaccard", [](sv x, sv y, std::size_t q) { return lk::qgram_jaccard_similarity(x, y, q); }, a, b,
        py::arg("q") = 2, "Jaccard index of the sets of overlapping q-grams.");
  m.def("token_set", [](sv x, sv y) { return lk::token_set_similarity(x, y); }, a, b,
        "Token-set similarity in [0, 1]: word order and repeated words do not matter.");

  // ---- phonetic ---------------------------------------------------------------------------
  const auto s = py::arg("s");
  m.def("soundex", [](sv x) { return lk::soundex(x); }, s, "American Soundex code (jellyfish).");
  m.def("nysiis", [](sv x) { return lk::nysiis(x); }, s, "NYSIIS code, untruncated (jellyfish).");
  m.def("metaphone", [](sv x) { return lk::metaphone(x); }, s, "Metaphone code (jellyfish's variant).");
  m.def("match_rating_codex", [](sv x) { return lk::match_rating_codex(x); }, s, "Match Rating Approach codex.");
  m.def("match_rating_comparison", [](sv x, sv y) { return lk::match_rating_comparison(x, y); }, a, b,
        "Match Rating Approach comparison: True, False, or None when no comparison is made.");
  m.def("double_metaphone",
        [](sv x, std::size_t max_length) {
          auto c = lk::double_metaphone(x, max_length);
          return py::make_tuple(c.primary, c.alternate);
        },
        s, py::arg("max_length") = 4, "(primary, alternate) Double Metaphone codes.");

  // ---- normalisation ----------------------------------------------------------------------
  m.def("fold_case", [](sv x) { return lk::fold_case(x); }, s, "Full Unicode lower-casing.");
  m.def("fold_diacritics", [](sv x) { return lk::fold_diacritics(x); }, s,
        "Removes diacritics (NFKD, marks dropped; ß->ss, æ->ae, ø->o, ł->l, þ->th).");
  m.def("normalise_name",
        [](sv x, bool keep_hyphens, bool strip_titles, bool strip_suffixes) {
          return lk::normalise_name(x, lk::NameOptions{keep_hyphens, strip_titles, strip_suffixes});
        },
        s, py::arg("keep_hyphens") = true, py::arg("strip_titles") = true, py::arg("strip_suffixes") = true,
        "Case, diacritics, punctuation, whitespace, titles and suffixes normalised.");
  m.def("surname_variants", [](sv x) { return lk::surname_variants(x); }, s,
        "Keys of a multi-part or hyphenated surname: joined form, then its non-particle parts.");
  m.def("canonical_forenames", [](sv x) { return lk::canonical_forenames(x); }, s,
        "Formal forms of a forename from the alias table ('bill' -> ['william']).");
  m.def("forename_aliases", [](sv x) { return lk::forename_aliases(x); }, s,
        "Every name sharing an alias group with the forename.");
  m.def("forenames_equivalent", [](sv x, sv y) { return lk::forenames_equivalent(x, y); }, a, b,
        "True when equal after normalisation or aliases (William/Bill, Margaret/Peggy).");

  // ---- dates, postcodes, addresses, identifiers ------------------------------------------------
  m.def("compare_dates", [](sv x, sv y) { return std::string(lk::date_level_name(lk::compare_dates(x, y))); }, a, b,
        "Agreement level of two (possibly partial) dates: 'exact', 'day_month_transposed', "
        "'one_digit_off', 'same_year', 'year_only', 'different' or 'missing'.");
  m.def("parse_postcode",
        [](sv x) -> std::optional<py::dict> {
          auto p = lk::parse_postcode(x);
          if (!p) return std::nullopt;
          py::dict d;
          d["unit"] = p->unit();
          d["sector"] = p->sector();
          d["district"] = p->district();
          d["area"] = p->area();
          d["outward"] = p->outward;
          d["inward"] = p->inward;
          return d;
        },
        s, "Components of a UK postcode (unit, sector, district, area, outward, inward) or None.");
  m.def("normalise_postcode", [](sv x) { return lk::normalise_postcode(x); }, s,
        "'OUT IN' upper-case form of a valid UK postcode, or None.");
  m.def("postcode_valid", [](sv x) { return lk::postcode_valid(x); }, s, "True for a valid UK postcode.");
  m.def("compare_postcodes",
        [](sv x, sv y) { return std::string(lk::postcode_level_name(lk::compare_postcodes(x, y))); }, a, b,
        "Finest shared level: 'unit', 'sector', 'district', 'area', 'different' or 'missing'.");
  m.def("normalise_address", [](sv x) { return lk::normalise_address(x); }, s,
        "Lower case, folded, punctuation removed, abbreviations expanded (Rd -> road).");
  m.def("extract_address_numbers",
        [](sv x) {
          auto n = lk::extract_address_numbers(x);
          return py::make_tuple(n.flat, n.house);
        },
        s, "(flat, house) numbers of an address; None where absent.");
  m.def("compare_addresses",
        [](sv x, sv y) {
          auto c = lk::compare_addresses(x, y);
          return py::make_tuple(std::string(lk::address_level_name(c.level)), c.similarity);
        },
        a, b, "(level, token-set similarity); a flat-number mismatch is level 'flat_mismatch'.");
  m.def("nhs_number_valid", [](sv x) { return lk::nhs_number_valid(x); }, s,
        "True when the NHS number has a valid modulus 11 check digit.");
  m.def("normalise_nhs_number", [](sv x) { return lk::normalise_nhs_number(x); }, s,
        "The 10 digits of a valid NHS number, or None.");
  m.def("uprn_valid", [](sv x) { return lk::uprn_valid(x); }, s, "True for a well-formed UPRN.");
  m.def("normalise_uprn", [](sv x) { return lk::normalise_uprn(x); }, s, "UPRN without leading zeros, or None.");

  // ---- batch --------------------------------------------------------------------------------
  m.def("pairwise",
        [](py::handle x, py::handle y, const std::string& scorer, int n_threads) {
          return pairwise_code_points(x, y, lk::scorer_from_name(scorer), n_threads);
        },
        a, b, py::arg("scorer") = "jaro_winkler", py::arg("n_threads") = 0,
        "Scores aligned pairs (a[i], b[i]) -> 1-D float64 array; None/NaN read as ''; the GIL is released.");
  m.def("cdist",
        [](py::handle queries, py::handle choices, const std::string& scorer, int n_threads) {
          const lk::Scorer sc = lk::scorer_from_name(scorer);
          std::vector<py::object> keep;
          const auto vq = utf8_views(queries, "queries", keep), vc = utf8_views(choices, "choices", keep);
          py::gil_scoped_release nogil;
          return lk::cdist(vq, vc, sc, n_threads);
        },
        py::arg("queries"), py::arg("choices"), py::arg("scorer") = "jaro_winkler", py::arg("n_threads") = 0,
        "Scores every query against every choice -> 2-D float64 array; the GIL is released.");
}

}  // namespace earlyhelp::python
