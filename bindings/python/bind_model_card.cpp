// SPDX-License-Identifier: Apache-2.0
// earlyhelp._core.model_card: a model card and a transparency record (profiling::model_documents).
// Thin: earlyhelp/transparency.py reads files and dicts into text; this converts and calls.

#include "bind.hpp"
#include "earlyhelp/profiling/model_card.hpp"
#include "earlyhelp/profiling/profile.hpp"

#include <pybind11/stl.h>

#include <optional>
#include <string>

namespace py = pybind11;

namespace earlyhelp::python {

void bind_model_card(py::module_& parent) {
  namespace pf = earlyhelp::profiling;
  py::module_ m = parent.def_submodule("model_card", "Model cards and transparency records.");
  m.def(
      "documents",
      [](const std::string& bundle, const py::bytes& key_bytes, const std::string& reference,
         const std::string& evaluation_text, const std::string& evaluation_source, const std::string& organisation_text,
         const std::string& organisation_source, const std::string& domain, const std::string& out) {
        const std::string key = key_bytes;
        const auto dm = reference.empty() ? pf::DomainModel::load(bundle, key) : pf::DomainModel::reference(reference);
        const auto ev = reference.empty() ? governance::evaluation_from_json(evaluation_text, evaluation_source)
                                          : pf::reference_evaluation(reference);
        const auto org = organisation_text.empty()
                             ? pf::OrganisationDetails{}
                             : pf::OrganisationDetails::from_json(organisation_text, organisation_source);
        std::optional<pf::Domain> d;
        if (!domain.empty()) d = pf::resolve_domain(domain);
        pf::ModelDocuments docs;
        std::vector<std::string> written;
        {
          py::gil_scoped_release nogil;
          docs = pf::model_documents(dm.model, ev, org, d);
          if (!out.empty()) written = pf::write_model_documents(docs, out);
        }
        py::dict r;
        r["model_card_md"] = docs.card_markdown;
        r["model_card_json"] = docs.card_json;
        r["transparency_record_md"] = docs.record_markdown;
        r["transparency_record_json"] = docs.record_json;
        r["to_complete"] = docs.to_complete;
        r["synthetic"] = docs.synthetic;
        r["written"] = written;
        return r;
      },
      py::arg("bundle"), py::arg("key"), py::arg("reference"), py::arg("evaluation_text"),
      py::arg("evaluation_source"), py::arg("organisation_text"), py::arg("organisation_source"), py::arg("domain"),
      py::arg("out"), "The four documents of profiling::model_documents (and writes them when `out` is given).");
  m.def("organisation_keys", [] {
    std::vector<std::string> k;
    for (auto s : pf::OrganisationDetails::keys()) k.emplace_back(s);
    return k;
  }, "The keys an organisation file may hold, in record order.");
}

}  // namespace earlyhelp::python
