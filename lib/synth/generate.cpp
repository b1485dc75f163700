// SPDX-License-Identifier: Apache-2.0
// Orchestration of the synthetic council: blocks of households simulated in parallel chunks,
// rows rendered per chunk, chunks handed to the sink in household order (see generate.hpp).

#include "earlyhelp/synth/generate.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/io/output_file.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>

namespace earlyhelp::synth {
namespace {

constexpr std::size_t chunk_households = 256;
constexpr std::size_t block_households = 16384;

enum TruthTable : std::size_t { t_records = n_streams, t_outcomes, n_chunk_tables };

struct ChunkOut {
  std::array<std::string, n_chunk_tables> text;
  std::array<ErrorCounts, n_streams> errors{};
  std::array<std::uint64_t, n_streams> rows{};
  RateCounters counters;
  std::uint64_t outcomes = 0;
};

// Whether a stream is drawn at all for a configuration (the early-help stream is optional).
bool drawn(const Config& config, StreamId s) { return s != StreamId::early_help_episodes || config.early_help; }

std::string table_name(std::size_t t) {
  if (t < n_streams) return std::string(stream_name(static_cast<StreamId>(t)));
  return t == t_records ? "truth/records" : "truth/outcomes";
}

void simulate_chunk(const Population& pop, const RecordWriter& writer, std::size_t begin, std::size_t end, ChunkOut& out) {
  for (std::size_t h = begin; h < end; ++h) {
    RateCounters rc;
    const HouseholdEvents he = simulate_household(pop, static_cast<std::uint32_t>(h), &rc);
    out.counters.add(rc);
    std::uint64_t k = 0;
    for (const Event& e : he.events) {
      const auto s = static_cast<std::size_t>(e.stream);
      const std::uint64_t row_key = (static_cast<std::uint64_t>(h) << 20) | k++;
      const std::string rid = writer.write(e, row_key, out.text[s], out.errors[s]);
      ++out.rows[s];
      fmt::format_to(std::back_inserter(out.text[t_records]), "{},{},{},{}\n", stream_name(e.stream), rid, e.person, e.household);
    }
    for (const Outcome& o : he.outcomes)
      fmt::format_to(std::back_inserter(out.text[t_outcomes]), "{},{},{},{}\n", o.person, to_string(o.domain), format_date(o.as_of), o.label);
    out.outcomes += he.outcomes.size();
  }
}

std::string persons_table(const Population& pop) {
  std::string out =
      "person_id,household_id,prior_household_id,joined_date,sex,dob,age_band,ethnicity_group,deprivation_decile,"
      "first_name,middle_name,surname,new_surname,surname_changed,mother_id,father_id,twin,junior,nhs_number,upn,ni_number\n";
  const Date end = pop.config.end;
  auto id_or_empty = [](std::uint32_t v) { return v == npos32 ? std::string() : fmt::format("{}", v); };
  for (const Person& p : pop.persons) {
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", p.id,
                   p.household, id_or_empty(p.prior_household), format_date(p.joined), to_string(p.sex), format_date(p.dob),
                   age_band(p.age_on(end)), to_string(p.ethnicity), pop.households[p.household].deprivation_decile, p.first_name,
                   p.middle_name, p.surname, p.new_surname, p.new_surname.empty() ? std::string() : format_date(p.surname_changed),
                   id_or_empty(p.mother), id_or_empty(p.father), p.twin ? 1 : 0, p.junior ? 1 : 0, p.nhs_number, p.upn,
                   p.ni_number);
  }
  return out;
}

std::string households_table(const Population& pop) {
  std::string out = "household_id,type,tenure,n_persons,deprivation_decile,ends,latent_risk,address_history\n";
  for (const Household& h : pop.households) {
    std::string history;
    for (std::size_t i = 0; i < h.moves.size(); ++i) {
      if (i) history.push_back(';');
      history += fmt::format("{}@{}", i == 0 ? std::string("start") : format_date(h.moves[i].from), pop.addresses[h.moves[i].address].uprn);
    }
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{:.3f},{}\n", h.id, to_string(h.type), to_string(h.tenure), h.n_persons,
                   h.deprivation_decile, h.ends.days > from_civil(9000, 1, 1).days ? std::string() : format_date(h.ends), h.risk, history);
  }
  return out;
}

std::vector<RateRow> rate_rows(const RateCounters& c) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto ratio = [nan](double a, double b) { return b > 0 ? a / b : nan; };
  std::vector<RateRow> r;
  // Official figures: ../shared/data/base_rates.md (England; sources named there).
  r.push_back({"household_size", "persons per household", ratio(c.persons_census, c.households_census), 2.4, 0.06, "ONS Census 2021"});
  r.push_back({"children_in_need_per_10k", "children with an open CIN/CPP/LAC episode at 31 March per 10,000 children",
               ratio(c.cin_days, c.children_census) * 1e4, 330.3, 0.20, "DfE Children in need 2025"});
  r.push_back({"child_protection_plans_per_10k", "children on a child protection plan at 31 March per 10,000 children",
               ratio(c.cpp_days, c.children_census) * 1e4, 40.6, 0.35, "DfE CIN 2025 (D1)"});
  r.push_back({"looked_after_per_10k", "looked-after children at 31 March per 10,000 children", ratio(c.lac_days, c.children_census) * 1e4,
               67.0, 0.35, "DfE Children looked after 2025"});
  r.push_back({"referrals_per_10k_per_year", "referrals to children's social care per 10,000 children a year",
               ratio(c.referrals, c.child_years) * 1e4, 519.0, 0.25, "DfE CSC data files (c1) 2025"});
  r.push_back({"persistent_absence_pct", "pupils missing 10% or more of sessions in a school year, %",
               ratio(c.persistent_absentees, c.pupils_year) * 100, 20.2, 0.15, "DfE pupil absence 2023/24"});
  r.push_back({"suspensions_per_100_pupils", "suspensions per 100 pupils a year", ratio(c.suspensions, c.child_years * 0.62) * 100, 11.31,
               0.30, "DfE exclusions 2023/24"});
  r.push_back({"permanent_exclusions_per_100_pupils", "permanent exclusions per 100 pupils a year",
               ratio(c.permanent_exclusions, c.child_years * 0.62) * 100, 0.13, 0.0, "DfE exclusions 2023/24"});
  r.push_back({"domestic_abuse_per_1000_per_year", "police domestic-abuse notifications (incidents) per 1,000 people a year",
               ratio(c.da_incidents, c.person_years) * 1e3, 14.0, 0.25, "ONS DA overview Nov 2024 (crimes)"});
  r.push_back({"homelessness_duties_per_1000_households", "prevention or relief duties per 1,000 households a year",
               ratio(c.duties, c.household_years) * 1e3, 13.4, 0.30, "MHCLG statutory homelessness 2023-24"});
  r.push_back({"council_tax_collection_pct", "council tax collected in year, % of amount due", ratio(c.ct_paid, c.ct_due) * 100, 95.9, 0.012,
               "MHCLG collection rates 2023-24"});
  r.push_back({"social_tenants_in_arrears_pct", "social tenancies in rent arrears at some point in the year, %",
               ratio(c.social_tenants_in_arrears, c.social_tenant_years) * 100, 15.0, 0.0, "EHS 2022/23 (secondary)"});
  r.push_back({"asb_perpetrator_incidents_per_1000", "ASB incidents with a named perpetrator per 1,000 people a year",
               ratio(c.asb_perpetrator_incidents, c.person_years) * 1e3, 16.5, 0.0,
               "Home Office via press: all police-recorded ASB incidents (ours: named perpetrators only)"});
  r.push_back({"youth_first_time_entrants_per_100k", "first offences of 10-17 year olds per 100,000 a year",
               ratio(c.first_time_entrants, c.youth_years) * 1e5, 140.0, 0.0, "YJB 2023-24 (uncertain denominator)"});
  r.push_back({"ae_attendances_per_person_year", "A&E attendances per person a year", ratio(c.ae_attendances, c.person_years), nan, 0.0, ""});
  return r;
}

std::string rates_table(const std::vector<RateRow>& rows) {
  std::string out = "measure,generated,official,tolerance,description,source\n";
  for (const auto& r : rows)
    fmt::format_to(std::back_inserter(out), "{},{:.4g},{},{},\"{}\",\"{}\"\n", r.measure, r.generated,
                   std::isnan(r.official) ? std::string() : fmt::format("{:g}", r.official), r.tolerance, r.description, r.source);
  return out;
}

std::string errors_table(const Config& config, const GenerateResult& g) {
  std::string out = "stream,error,count,records,rate\n";
  for (std::size_t s = 0; s < n_streams; ++s) {
    if (!drawn(config, static_cast<StreamId>(s))) continue;
    for (std::size_t k = 0; k < n_error_kinds; ++k) {
      const auto& e = g.errors[s];
      fmt::format_to(std::back_inserter(out), "{},{},{},{},{:.5f}\n", stream_name(static_cast<StreamId>(s)),
                     to_string(static_cast<ErrorKind>(k)), e.by_kind[k], e.records,
                     e.records ? static_cast<double>(e.by_kind[k]) / static_cast<double>(e.records) : 0.0);
    }
  }
  return out;
}

// Each table is written through io::OutputFile: the files appear when generation succeeds and
// not at all when it fails.
class FileSink final : public TableSink {
 public:
  explicit FileSink(std::string dir) : dir_(std::move(dir)) {}
  void append(std::string_view name, std::string_view bytes) override {
    auto it = files_.find(name);
    if (it == files_.end()) {
      it = files_.emplace(std::string(name), io::OutputFile::open(fmt::format("{}/{}.csv", dir_, name))).first;
    }
    it->second.write(bytes);
  }
  void close() {
    for (auto& f : files_) f.second.commit();
  }

 private:
  std::string dir_;
  std::map<std::string, io::OutputFile, std::less<>> files_;
};

class MemorySink final : public TableSink {
 public:
  void append(std::string_view name, std::string_view bytes) override { tables[std::string(name)].append(bytes); }
  std::map<std::string, std::string> tables;
};

}  // namespace

GenerateResult generate(const Config& config, const schema::Schema& schema, TableSink& sink) {
  config.progress("population", 0, 1);
  const Population pop = generate_population(config);
  config.progress("population", 1, 1);
  const RecordWriter writer(pop, schema);
  GenerateResult result;
  result.persons = pop.persons.size();
  result.households = pop.households.size();
  // Headers first, so every table exists even when it has no rows (the early-help stream only
  // when it is drawn, so the files of a seed stay as they were without it).
  for (std::size_t s = 0; s < n_streams; ++s)
    if (drawn(config, static_cast<StreamId>(s))) sink.append(table_name(s), writer.header(static_cast<StreamId>(s)));
  sink.append("truth/records", "stream,record_id,person_id,household_id\n");
  sink.append("truth/outcomes", "person_id,domain,as_of,outcome\n");
  RateCounters counters;
  const std::size_t n = pop.households.size();
  config.progress("households", 0, n);
  for (std::size_t block = 0; block < n; block += block_households) {
    const std::size_t block_end = std::min(n, block + block_households);
    const std::size_t n_chunks = (block_end - block + chunk_households - 1) / chunk_households;
    std::vector<ChunkOut> chunks(n_chunks);
    parallel_for_chunks(block_end - block, config.n_threads, chunk_households, [&](std::size_t b, std::size_t e) {
      simulate_chunk(pop, writer, block + b, block + e, chunks[b / chunk_households]);
    });
    for (auto& c : chunks) {  // fixed order: identical bytes for any thread count
      for (std::size_t t = 0; t < n_chunk_tables; ++t)
        if (!c.text[t].empty()) sink.append(table_name(t), c.text[t]);
      for (std::size_t s = 0; s < n_streams; ++s) {
        result.errors[s].add(c.errors[s]);
        result.rows[s] += c.rows[s];
      }
      counters.add(c.counters);
      result.outcomes += c.outcomes;
    }
    config.progress("households", block_end, n);
  }
  sink.append("truth/persons", persons_table(pop));
  sink.append("truth/households", households_table(pop));
  result.rates = rate_rows(counters);
  sink.append("truth/errors", errors_table(config, result));
  sink.append("truth/rates", rates_table(result.rates));
  return result;
}

GenerateResult write_directory(const Config& config, const std::string& dir) {
  check_config(config);  // a bad configuration leaves no directory behind
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(dir) / "truth", ec);
  if (ec) throw IOError(fmt::format("synth: cannot create directory {}/truth: {}", dir, ec.message()));
  FileSink sink(dir);
  const schema::Schema schema = schema::Schema::builtin();
  GenerateResult r = generate(config, schema, sink);
  sink.close();
  return r;
}

std::map<std::string, std::string> generate_tables(const Config& config, GenerateResult* result) {
  MemorySink sink;
  const schema::Schema schema = schema::Schema::builtin();
  GenerateResult r = generate(config, schema, sink);
  if (result) *result = std::move(r);
  return std::move(sink.tables);
}

}  // namespace earlyhelp::synth
