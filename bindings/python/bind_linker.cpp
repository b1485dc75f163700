// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.linker: the record linker. Records come in as columns (dict of str -> list of
// str), are converted with the GIL held, and fit/predict/cluster run with it released.

#include "bind.hpp"
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/evaluate.hpp"
#include "earlyhelp/linkage/household_of.hpp"
#include "earlyhelp/linkage/linker.hpp"
#include "earlyhelp/linkage/columns.hpp"
#include "earlyhelp/linkage/records_io.hpp"
#include "earlyhelp/schema/schema.hpp"

#include <fmt/format.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include <string>
#include <vector>

namespace py = pybind11;

namespace earlyhelp::python {
namespace {

namespace lk = earlyhelp::linkage;

std::vector<lk::Record> records_from_columns(const py::dict& columns, std::string_view what) {
  std::size_t n = 0;
  bool has_id = false;
  std::vector<std::pair<std::string, std::vector<std::string>>> cols;
  for (const auto& item : columns) {
    const auto name = item.first.cast<std::string>();
    const auto& canon = lk::canonical_columns();
    if (std::find(canon.begin(), canon.end(), name) == canon.end())
      throw InvalidArgument(fmt::format("{}: '{}' is not a canonical column", what, name));
    std::vector<std::string> values;
    for (const auto& v : item.second.cast<py::sequence>()) {
      if (v.is_none()) {
        values.emplace_back();
        continue;
      }
      try {
        values.push_back(py::str(v).cast<std::string>());
      } catch (const py::cast_error&) {
        // Python text UTF-8 cannot hold (a lone surrogate): name where, never the value.
        throw InvalidArgument(fmt::format("{}: column '{}', row {} (counting from 0) is not valid text (it holds "
                                          "a lone surrogate, which UTF-8 cannot encode)",
                                          what, name, values.size()));
      }
    }
    if (!cols.empty() && values.size() != n)
      throw InvalidArgument(fmt::format("{}: column '{}' has {} values, expected {}", what, name, values.size(), n));
    n = values.size();
    has_id = has_id || name == "record_id";
    cols.emplace_back(name, std::move(values));
  }
  if (!cols.empty() && !has_id) throw InvalidArgument(fmt::format("{}: a 'record_id' column is required", what));
  std::vector<lk::Record> out(n);
  for (auto& [name, values] : cols)
    for (std::size_t i = 0; i < n; ++i) lk::set_record_field(out[i], name, std::move(values[i]));
  return out;
}

py::list households_rows(const lk::Linker& l, std::int32_t as_of) {
  std::vector<lk::HouseholdMembership> h;
  {
    py::gil_scoped_release nogil;
    h = l.households(as_of);
  }
  py::list out;
  for (const auto& x : h) out.append(py::make_tuple(x.person_id, x.household_id, x.role, x.family));
  return out;
}

lk::Settings settings_from(const py::object& json) {
  if (json.is_none()) return lk::Settings();
  return lk::Settings::from_json(json.cast<std::string>());
}

// ScoredPairs travel between processes (Dask pickles a task's result): the columns as raw bytes of
// their native element types (hosts of one cluster share a byte order).
template <class T>
py::bytes column_bytes(const std::vector<T>& v) {
  return py::bytes(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

template <class T>
std::vector<T> column_from(const py::bytes& b, const char* name) {
  const std::string s = b;
  if (s.size() % sizeof(T) != 0)
    throw FormatError(fmt::format("ScoredPairs: column {} has {} bytes, not a whole number of {}-byte values", name,
                                  s.size(), sizeof(T)));
  std::vector<T> v(s.size() / sizeof(T));
  if (!s.empty()) std::memcpy(v.data(), s.data(), s.size());
  return v;
}

py::tuple scored_pairs_state(const lk::ScoredPairs& p) {
  return py::make_tuple(1, p.part, p.n_parts, p.digest, p.compared, column_bytes(p.a), column_bytes(p.b),
                        column_bytes(p.weight), column_bytes(p.conflict), column_bytes(p.block));
}

lk::ScoredPairs scored_pairs_from_state(const py::tuple& t) {
  if (t.size() != 10 || t[0].cast<int>() != 1)
    throw FormatError(fmt::format("ScoredPairs: a pickled state of {} items or an unknown version (expected 10 items, "
                                  "version 1)", t.size()));
  lk::ScoredPairs p;
  p.part = t[1].cast<std::uint32_t>();
  p.n_parts = t[2].cast<std::uint32_t>();
  p.digest = t[3].cast<std::uint64_t>();
  p.compared = t[4].cast<std::uint64_t>();
  p.a = column_from<std::uint32_t>(t[5].cast<py::bytes>(), "a");
  p.b = column_from<std::uint32_t>(t[6].cast<py::bytes>(), "b");
  p.weight = column_from<double>(t[7].cast<py::bytes>(), "weight");
  p.conflict = column_from<std::uint8_t>(t[8].cast<py::bytes>(), "conflict");
  p.block = column_from<std::uint64_t>(t[9].cast<py::bytes>(), "block");
  return p;
}

}  // namespace

void bind_linker(py::module_& parent) {
  py::module_ m = parent.def_submodule("linker", "Record linker (Fellegi-Sunter, EM, clustering, households).");
  py::class_<lk::ScoredPairs>(m, "ScoredPairs",
                              "The pairs one part of a partitioned link kept (Linker.score_partition): links at or above "
                              "the threshold and pairs clustering keeps apart, for Linker.predict_from. Picklable.")
      .def_readonly("part", &lk::ScoredPairs::part)
      .def_readonly("n_parts", &lk::ScoredPairs::n_parts)
      .def_readonly("compared", &lk::ScoredPairs::compared, "candidate pairs compared")
      .def("__len__", &lk::ScoredPairs::size)
      .def(py::pickle(&scored_pairs_state, &scored_pairs_from_state));
  py::class_<lk::HouseholdCache>(m, "HouseholdCache",
                                 "The last linker and date's households indexed by person (linkage::HouseholdCache, as "
                                 "the C API's eh_linker_household keeps them): rebuilt for another date or after records "
                                 "are added or linked again.")
      .def(py::init<>())
      .def(
          "of",
          [](lk::HouseholdCache& cache, const lk::Linker& l, const std::string& person_id, const std::string& as_of) {
            const std::int32_t day = lk::parse_iso_date_argument(as_of, "household_of: as_of");
            std::vector<lk::HouseholdMembership> h;
            {
              py::gil_scoped_release nogil;
              h = cache.at(l, day)->of(person_id);
            }
            py::list out;
            for (const auto& x : h) out.append(py::make_tuple(x.person_id, x.household_id, x.role, x.family));
            return out;
          },
          py::arg("linker"), py::arg("person_id"), py::arg("as_of"),
          "The members of one linked person's household on a date: (person_id, household_id, role, family) tuples "
          "sorted by person_id, the person among them.\n\nlinker: the linked Linker. person_id: a person id of its "
          "records. as_of: the date, YYYY-MM-DD.\nRaises InvalidArgument for an unknown person or a bad date, "
          "StateError before the records are linked.");
  py::class_<lk::Linker>(m, "Linker")
      .def(py::init([](const py::object& settings_json, const py::object& progress) {
             lk::Settings s = settings_from(settings_json);
             s.progress = progress_from(progress);
             return lk::Linker(std::move(s));
           }),
           py::arg("settings_json") = py::none(), py::arg("progress") = py::none(),
           "A linker with settings (a JSON string) or the defaults. progress: None or a callable(stage, done, "
           "total) told the fit, predict and cluster stages of every call.")
      .def("settings_json", [](const lk::Linker& l) { return l.settings().to_json(); })
      .def(
          "add_records",
          [](lk::Linker& l, const py::dict& columns) {
            auto recs = records_from_columns(columns, "add_records");
            py::gil_scoped_release nogil;
            return l.add_records(recs);
          },
          py::arg("columns"), "Adds records given as {column: [values]}; after cluster() links them incrementally.")
      .def("fit", &lk::Linker::fit, py::call_guard<py::gil_scoped_release>())
      .def("fit_with_labels", &lk::Linker::fit_with_labels, py::arg("matches"), py::call_guard<py::gil_scoped_release>())
      .def("predict", &lk::Linker::predict, py::call_guard<py::gil_scoped_release>())
      .def("score_partition", &lk::Linker::score_partition, py::arg("part"), py::arg("n_parts"),
           py::call_guard<py::gil_scoped_release>(),
           "Scores the candidate pairs of part `part` of `n_parts` (blocks dealt by blocking key) as predict() "
           "does; needs a fitted or loaded model.")
      .def(
          "predict_from",
          [](lk::Linker& l, std::vector<lk::ScoredPairs> parts) {
            py::gil_scoped_release nogil;
            return l.predict_from(std::move(parts));
          },
          py::arg("parts"), "predict() from every part's ScoredPairs (any order); then cluster() as usual.")
      .def("links", &lk::Linker::links, py::call_guard<py::gil_scoped_release>())
      .def("cluster", &lk::Linker::cluster, py::call_guard<py::gil_scoped_release>())
      .def("link", &lk::Linker::link, py::call_guard<py::gil_scoped_release>(),
           "fit (unless a model was loaded or fitted), predict, cluster: the sequence every interface runs.")
      .def("person_ids", &lk::Linker::person_ids, py::call_guard<py::gil_scoped_release>())
      .def("record_ids", [](const lk::Linker& l) { return l.records().record_ids; },
           "record_id of every record, in the order added (person_ids() is in the same order).")
      .def("household_ids", &lk::Linker::household_ids, py::arg("as_of"), py::call_guard<py::gil_scoped_release>())
      .def("households", &households_rows, py::arg("as_of"), "Households on a date given as yyyymmdd.")
      .def(
          "households",
          [](const lk::Linker& l, const std::string& as_of) {
            return households_rows(l, lk::parse_iso_date_argument(as_of, "households: as_of"));
          },
          py::arg("as_of"), "Households on a date given as YYYY-MM-DD.")
      .def("address_lags",
           [](const lk::Linker& l) {
             std::vector<std::pair<std::string, double>> lags;
             {
               py::gil_scoped_release nogil;
               lags = l.address_lags();
             }
             py::dict out;
             for (const auto& [source, days] : lags) out[py::str(source)] = days;
             return out;
           },
           "{source: days} each source's addresses lag behind a move, estimated from the linked records.")
      .def("explain",
           [](const lk::Linker& l, const std::string& a, const std::string& b) {
             const lk::Explanation ex = l.explain(a, b);
             py::list terms;
             for (const auto& t : ex.terms) terms.append(py::make_tuple(t.name, t.level, t.weight));
             py::dict d;
             d["terms"] = terms;
             d["weight"] = ex.weight;
             d["probability"] = ex.probability;
             d["conflict"] = ex.conflict;
             return d;
           },
           py::arg("record_a"), py::arg("record_b"))
      .def("lookup",
           [](lk::Linker& l, const py::dict& record, std::size_t k) {
             py::dict cols;
             for (const auto& item : record) cols[item.first] = py::make_tuple(item.second);
             if (!record.contains("record_id")) cols["record_id"] = py::make_tuple("lookup");
             const auto recs = records_from_columns(cols, "lookup");
             std::vector<lk::Match> best;
             {
               py::gil_scoped_release nogil;
               best = l.lookup(recs.at(0), k);
             }
             py::list out;
             for (const auto& x : best) out.append(py::make_tuple(x.person_id, x.record_id, x.weight, x.probability));
             return out;
           },
           py::arg("record"), py::arg("k") = 5)
      .def("model_json", &lk::Linker::model_json)
      .def("load_model_json", &lk::Linker::load_model_json, py::arg("json"))
      .def_property_readonly("warnings", &lk::Linker::warnings)
      .def_property_readonly("stats", [](const lk::Linker& l) {
        const lk::LinkStats& s = l.stats();
        py::dict d;
        d["records"] = s.records;
        d["identities"] = s.identities;
        d["empty_records"] = s.empty_records;
        d["pairs_compared"] = s.pairs_compared;
        d["links"] = s.links;
        d["conflicts"] = s.conflicts;
        d["orphans_absorbed"] = s.orphans_absorbed;
        d["persons"] = s.persons;
        d["lambda"] = s.lambda;
        d["household_odds_ratio"] = s.household_odds_ratio;
        d["household_pairs"] = py::dict(py::arg("both") = s.household_pairs_both,
                                        py::arg("first_only") = s.household_pairs_first_only,
                                        py::arg("dob_only") = s.household_pairs_dob_only,
                                        py::arg("neither") = s.household_pairs_neither);
        d["households"] = s.households;
        d["first_names_with_learnt_sex"] = s.first_names_with_learnt_sex;
        d["adult_sources"] = s.adult_sources;
        d["fit_seconds"] = s.fit_seconds;
        d["predict_seconds"] = s.predict_seconds;
        d["cluster_seconds"] = s.cluster_seconds;
        return d;
      });
  m.def("default_settings_json", [] { return lk::Settings().to_json(); });
  m.def(
      "plan_columns",
      [](const std::vector<std::string>& columns, const lk::ColumnMap& map, const std::string& where) {
        const lk::ColumnPlan plan = lk::plan_columns(columns, map, where, lk::MapSyntax::python);
        py::list targets;
        for (const std::size_t t : plan.target) {
          if (t == lk::kUnusedColumn) targets.append(py::none());
          else targets.append(lk::canonical_columns()[t]);
        }
        return py::make_tuple(targets, plan.warnings);
      },
      py::arg("columns"), py::arg("column_map"), py::arg("where"),
      "The canonical column each input column feeds (None: unused) and the warnings about the columns; "
      "InvalidArgument for a repeated column, no record_id, or no name or date of birth column.");
  m.def(
      "read_extracts",
      [](const std::string& dir) {
        lk::Extracts ex;
        {
          py::gil_scoped_release nogil;
          ex = lk::read_extracts(dir, schema::Schema::builtin());
        }
        py::dict out;
        const auto& canon = lk::canonical_columns();
        std::vector<py::list> cols(canon.size());
        for (lk::Record& r : ex.records)
          for (std::size_t c = 0; c < canon.size(); ++c) cols[c].append(*lk::record_field(r, canon[c]));
        out["stream"] = ex.stream;
        out["local_id"] = ex.local_id;
        for (std::size_t c = 0; c < canon.size(); ++c) out[py::str(canon[c])] = cols[c];
        py::list rejects;
        for (const lk::RecordReject& r : ex.rejects) {
          py::dict d;
          d["file"] = r.file;
          d["row"] = r.row;
          d["line"] = r.line;
          d["field"] = r.field;
          d["kind"] = std::string(io::to_string(r.kind));
          d["reason"] = r.reason;
          rejects.append(d);
        }
        return py::make_tuple(out, ex.notes, rejects);
      },
      py::arg("dir"),
      "Records of a folder of stream extracts in the canonical columns (plus stream and local_id), "
      "with the notes (files skipped, records per stream) and the rows that cannot be linked (where and why).");
  m.def(
      "households_correct",
      [](const std::vector<std::string>& predicted, const std::vector<std::string>& truth) {
        py::gil_scoped_release nogil;
        return lk::households_correct(predicted, truth);
      },
      py::arg("predicted"), py::arg("truth"),
      "Share of members (persons) whose predicted household holds exactly the members of their true "
      "household. predicted[i] and truth[i] are member i's household labels.");
  m.def(
      "evaluate_clusters",
      [](const std::vector<std::string>& predicted, const std::vector<std::string>& truth,
         const std::optional<std::vector<std::string>>& sources) {
        lk::Evaluation ev;
        {
          py::gil_scoped_release nogil;
          ev = lk::evaluate_clusters(predicted, truth, sources ? &*sources : nullptr);
        }
        py::dict d;
        d["precision"] = ev.precision;
        d["recall"] = ev.recall;
        d["f1"] = ev.f1;
        d["true_positives"] = ev.true_positives;
        d["predicted_pairs"] = ev.predicted_pairs;
        d["true_pairs"] = ev.true_pairs;
        d["bcubed_precision"] = ev.bcubed_precision;
        d["bcubed_recall"] = ev.bcubed_recall;
        d["bcubed_f1"] = ev.bcubed_f1;
        return d;
      },
      py::arg("predicted"), py::arg("truth"), py::arg("sources") = py::none(),
      "Pairwise precision/recall/F1 and B-cubed of a clustering against truth.");
}

}  // namespace earlyhelp::python
