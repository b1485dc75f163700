// SPDX-License-Identifier: Apache-2.0
// Rendering simulated events as source-system rows: identity profiles with injected errors,
// formatting habits per system, and every stream's own fields (see records.hpp).

#include "earlyhelp/synth/records.hpp"

#include "earlyhelp/synth/detail/random.hpp"
#include "earlyhelp/synth/detail/tables.hpp"
#include "synth/purposes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace earlyhelp::synth {
namespace {

using detail::Rng;


// Every field name of the built-in catalogue the writer knows how to fill.
enum Slot : int {
  s_unknown = -1, s_record_id, s_first_name, s_middle_name, s_surname, s_dob, s_sex, s_address_line,
  s_town, s_postcode, s_uprn, s_property_uprn, s_nhs_number, s_upn, s_ethnicity_group, s_start_date,
  s_end_date, s_school_urn, s_academic_year, s_term, s_term_end_date, s_sessions_possible,
  s_sessions_attended, s_authorised_absence_sessions, s_unauthorised_absence_sessions,
  s_free_school_meals, s_sen_status, s_category, s_days, s_reason, s_contact_date, s_source,
  s_primary_concern, s_outcome, s_episode_type, s_category_of_need, s_category_of_abuse,
  s_legal_status, s_incident_ref, s_incident_date, s_role, s_risk_level, s_crime_flag,
  s_incident_type, s_action_taken, s_offence_date, s_offence_type, s_gravity_score, s_tenancy_ref,
  s_tenure_type, s_bedrooms, s_household_size, s_snapshot_date, s_balance_gbp, s_weekly_rent_gbp,
  s_weeks_in_arrears, s_recovery_action, s_approach_date, s_reason_loss_of_home, s_duty_owed,
  s_household_type, s_priority_need, s_account_ref, s_band, s_liability_gbp, s_arrears_gbp,
  s_recovery_stage, s_single_person_discount, s_ctr, s_claim_ref, s_claim_start, s_claim_end,
  s_weekly_hb_gbp, s_ctr_weekly_gbp, s_passported, s_dependants, s_benefit_type, s_work_status,
  s_sanction_flag, s_uc_conditionality, s_referral_date, s_primary_support_reason, s_service_type,
  s_attendance_date, s_arrival_mode, s_attendance_category, s_discharge, s_substance,
  s_treatment_status, s_lives_with_children, s_service, s_referral_source, s_contact_type,
  s_placement_type, s_family_ref, s_closure_reason, s_children, s_problem_crime_asb,
  s_problem_school_attendance, s_problem_children_need_help, s_problem_worklessness_debt,
  s_problem_domestic_abuse, s_problem_health,
  n_slots
};
constexpr std::string_view slot_names[] = {
  "record_id", "first_name", "middle_name", "surname", "dob", "sex", "address_line",
  "town", "postcode", "uprn", "property_uprn", "nhs_number", "upn", "ethnicity_group", "start_date",
  "end_date", "school_urn", "academic_year", "term", "term_end_date", "sessions_possible",
  "sessions_attended", "authorised_absence_sessions", "unauthorised_absence_sessions",
  "free_school_meals", "sen_status", "category", "days", "reason", "contact_date", "source",
  "primary_concern", "outcome", "episode_type", "category_of_need", "category_of_abuse",
  "legal_status", "incident_ref", "incident_date", "role", "risk_level", "crime_flag",
  "incident_type", "action_taken", "offence_date", "offence_type", "gravity_score", "tenancy_ref",
  "tenure_type", "bedrooms", "household_size", "snapshot_date", "balance_gbp", "weekly_rent_gbp",
  "weeks_in_arrears", "recovery_action", "approach_date", "reason_loss_of_home", "duty_owed",
  "household_type", "priority_need", "account_ref", "band", "liability_gbp", "arrears_gbp",
  "recovery_stage", "single_person_discount", "ctr", "claim_ref", "claim_start", "claim_end",
  "weekly_hb_gbp", "ctr_weekly_gbp", "passported", "dependants", "benefit_type", "work_status",
  "sanction_flag", "uc_conditionality", "referral_date", "primary_support_reason", "service_type",
  "attendance_date", "arrival_mode", "attendance_category", "discharge", "substance",
  "treatment_status", "lives_with_children", "service", "referral_source", "contact_type",
  "placement_type", "family_ref", "closure_reason", "children", "problem_crime_asb",
  "problem_school_attendance", "problem_children_need_help", "problem_worklessness_debt",
  "problem_domestic_abuse", "problem_health"};
static_assert(sizeof(slot_names) / sizeof(slot_names[0]) == n_slots);

// The identity a system holds for one person on one record.
struct Identity {
  std::string first, middle, surname;
  Date dob = no_date;
  char sex = 'U';
  std::uint32_t address = npos32;
  std::string postcode;
};

void append_csv(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\n\r") == std::string_view::npos) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return s;
}

// One keyboard slip: substitute a neighbouring letter, drop, double or swap two letters.
std::string typo(std::string s, Rng& r) {
  if (s.size() < 3) return s + "e";
  constexpr std::string_view row = "qwertyuiopasdfghjklzxcvbnm";
  const std::size_t i = 1 + r.below(static_cast<std::uint32_t>(s.size() - 1));
  switch (r.below(4)) {
    case 0: {
      const auto pos = row.find(static_cast<char>(s[i] | 0x20));
      if (pos == std::string_view::npos) return s.erase(i, 1);
      const char c = row[(pos + (r.bernoulli(0.5) ? 1 : row.size() - 1)) % row.size()];
      s[i] = (s[i] >= 'A' && s[i] <= 'Z') ? static_cast<char>(c - 32) : c;
      return s;
    }
    case 1: return s.erase(i, 1);
    case 2: return s.insert(i, 1, s[i]);
    default:
      if (i + 1 < s.size()) std::swap(s[i], s[i + 1]);
      else std::swap(s[i - 1], s[i]);
      return s;
  }
}

std::string format_day(Date d, bool uk) {
  if (!uk) return format_date(d);
  const CivilDate c = to_civil(d);
  return fmt::format("{:02}/{:02}/{:04}", c.day, c.month, c.year);
}

constexpr std::uint64_t mask48 = (std::uint64_t{1} << 48) - 1;

}  // namespace

std::string_view to_string(ErrorKind k) noexcept {
  constexpr std::string_view names[] = {"nickname", "initial", "first_name_typo", "surname_typo", "name_swap",
                                        "dob_missing", "dob_transposed", "dob_wrong", "sex_unknown",
                                        "postcode_typo", "postcode_invalid", "postcode_missing",
                                        "stale_address", "stale_surname"};
  return names[static_cast<std::size_t>(k)];
}

SystemStyle system_style(StreamId s) noexcept {
  SystemStyle st;
  switch (s) {
    case StreamId::person_register: st.prefix = "PR"; st.error_factor = 0.8; st.address_lag_days = 45; break;
    case StreamId::school_attendance: st.prefix = "SA"; st.error_factor = 0.6; st.address_lag_days = 30; st.booleans = 1; break;
    case StreamId::school_exclusions: st.prefix = "SX"; st.error_factor = 0.6; st.address_lag_days = 30; break;
    case StreamId::social_care_contacts: st.prefix = "CC"; st.per_row_identity = true; st.uk_dates = true; st.error_factor = 1.3; st.address_lag_days = 0; break;
    case StreamId::social_care_episodes: st.prefix = "CE"; st.uk_dates = true; st.address_lag_days = 20; break;
    case StreamId::police_domestic_abuse: st.prefix = "DA"; st.upper_surname = true; st.per_row_identity = true; st.error_factor = 1.6; st.address_lag_days = 0; st.booleans = 1; break;
    case StreamId::asb_incidents: st.prefix = "AS"; st.per_row_identity = true; st.error_factor = 1.5; st.address_lag_days = 0; break;
    case StreamId::youth_offending: st.prefix = "YO"; st.upper_surname = true; st.uk_dates = true; st.address_lag_days = 30; break;
    case StreamId::housing_tenancy: st.prefix = "HT"; st.address_lag_days = 0; st.booleans = 1; break;
    case StreamId::rent_arrears: st.prefix = "RA"; st.address_lag_days = 0; break;
    case StreamId::homelessness_applications: st.prefix = "HA"; st.per_row_identity = true; st.error_factor = 1.2; st.address_lag_days = 0; st.booleans = 1; break;
    case StreamId::council_tax: st.prefix = "CT"; st.upper_names = true; st.address_lag_days = 0; st.booleans = 1; st.error_factor = 0.9; break;
    case StreamId::housing_benefit: st.prefix = "HB"; st.uk_dates = true; st.error_factor = 0.7; st.address_lag_days = 30; st.booleans = 2; break;
    case StreamId::dwp_benefits: st.prefix = "DW"; st.upper_names = true; st.error_factor = 0.5; st.address_lag_days = 90; st.booleans = 2; break;
    case StreamId::adult_social_care: st.prefix = "AC"; st.uk_dates = true; st.address_lag_days = 30; break;
    case StreamId::health_ae: st.prefix = "AE"; st.compact_postcode = true; st.error_factor = 0.5; st.address_lag_days = 120; break;
    case StreamId::health_substance_misuse: st.prefix = "SM"; st.compact_postcode = true; st.error_factor = 0.7; st.address_lag_days = 60; st.booleans = 1; break;
    case StreamId::health_mental_health: st.prefix = "MH"; st.compact_postcode = true; st.error_factor = 0.5; st.address_lag_days = 90; break;
    case StreamId::early_help_episodes: st.prefix = "EH"; st.uk_dates = true; st.address_lag_days = 20; st.booleans = 1; break;
  }
  return st;
}

std::string record_id(StreamId s, std::uint64_t row_key) {
  // An invertible scramble of the 48-bit key (odd multiplier, xor-shift), so ids look like a
  // system's numbers yet stay unique.
  std::uint64_t x = row_key & mask48;
  x = (x * 0x5DEECE66DULL + 0xB) & mask48;  // odd multiplier: a bijection modulo 2^48
  x ^= x >> 24;
  x = (x * 0x2545F4914F6CDD1DULL) & mask48;
  return fmt::format("{}{:015}", system_style(s).prefix, x);
}

RecordWriter::RecordWriter(const Population& pop, const schema::Schema& schema, ErrorRates rates)
    : pop_(pop), rates_(rates) {
  for (std::size_t i = 0; i < n_streams; ++i) {
    const auto* st = schema.find(stream_name(static_cast<StreamId>(i)));
    if (!st)
      throw SchemaError(fmt::format("synth: schema '{}' has no stream '{}'", schema.name, stream_name(static_cast<StreamId>(i))));
    streams_[i] = st;
    for (std::size_t fi = 0; fi < st->fields.size(); ++fi) {
      const auto& f = st->fields[fi];
      // Optional columns are written only on request, so the files of a seed stay the same as
      // before the column was added.
      if (!f.required && !pop.config.optional_columns) continue;
      fields_[i].push_back(fi);
      int slot = s_unknown;
      for (int k = 0; k < n_slots; ++k)
        if (slot_names[k] == f.name) slot = k;
      if (slot == s_unknown) unmapped_[i].push_back(f.name);
      slots_[i].push_back(slot);
    }
  }
}

std::string RecordWriter::header(StreamId s) const {
  std::string out;
  const auto si = static_cast<std::size_t>(s);
  const auto& fields = streams_[si]->fields;
  for (std::size_t i = 0; i < fields_[si].size(); ++i) {
    if (i) out.push_back(',');
    append_csv(out, fields[fields_[si][i]].name);
  }
  out.push_back('\n');
  return out;
}

std::string RecordWriter::write(const Event& e, std::uint64_t row_key, std::string& out, ErrorCounts& counts) const {
  const auto si = static_cast<std::size_t>(e.stream);
  const schema::Stream& stream = *streams_[si];
  const SystemStyle style = system_style(e.stream);
  const Person& p = pop_.persons[e.person];
  const Config& cfg = pop_.config;
  const double f = style.error_factor * cfg.error_scale;
  ++counts.records;
  auto count = [&](ErrorKind k) { ++counts.by_kind[static_cast<std::size_t>(k)]; };

  // ---- identity as this system holds it -------------------------------------------------------
  std::uint64_t key = detail::mix_key(cfg.seed, detail::purpose_identity + si, e.person);
  if (style.per_row_identity) key = detail::mix_key(key, static_cast<std::uint64_t>(e.date.days), row_key);
  Rng r(key);
  Identity id;
  const bool has_dob_nullable = [&] { const auto* fd = stream.find("dob"); return fd && fd->nullable; }();
  const bool has_pc_nullable = [&] { const auto* fp = stream.find("postcode"); return fp && fp->nullable; }();
  const bool has_sex = stream.find("sex") != nullptr;
  const bool has_dob = stream.find("dob") != nullptr;
  const bool has_pc = stream.find("postcode") != nullptr;
  // Registers are "as at" the end of the period; event systems as at the record's date.
  const Date as_at = e.stream == StreamId::person_register ? cfg.end : e.date;
  // Surname: the new one once the system has caught up (some never do).
  const double surname_lag = r.bernoulli(0.25) ? 1e9 : 120.0 * -std::log(1.0 - r.uniform());
  id.surname = p.surname;
  if (!p.new_surname.empty() && as_at >= p.surname_changed) {
    if (as_at.days - p.surname_changed.days >= surname_lag) id.surname = p.new_surname;
    else count(ErrorKind::stale_surname);
  }
  id.first = p.first_name;
  id.middle = p.middle_name;
  const double u_first = r.uniform();
  const auto nicks = detail::nicknames(p.first_name);
  if (u_first < rates_.nickname * f) {
    if (nicks.size > 0) {  // only names with an informal form can get one
      id.first = std::string(nicks[r.below(static_cast<std::uint32_t>(nicks.size))]);
      count(ErrorKind::nickname);
    }
  } else if (u_first < (rates_.nickname + rates_.initial) * f) {
    id.first = id.first.substr(0, 1);
    count(ErrorKind::initial);
  } else if (u_first < (rates_.nickname + rates_.initial + rates_.first_name_typo) * f) {
    id.first = typo(id.first, r);
    count(ErrorKind::first_name_typo);
  }
  if (r.bernoulli(rates_.surname_typo * f)) {
    id.surname = typo(id.surname, r);
    count(ErrorKind::surname_typo);
  }
  if (r.bernoulli(rates_.name_swap * f)) {
    std::swap(id.first, id.surname);
    count(ErrorKind::name_swap);
  }
  // Date of birth.
  id.dob = p.dob;
  const double u_dob = r.uniform();
  const CivilDate b = to_civil(p.dob);
  if (has_dob) {
    // Each error owns its slice of [0, 1), applied only where it can happen, so every rate is
    // what ErrorRates says times the share of records it applies to.
    if (u_dob < rates_.dob_missing * f) {
      if (has_dob_nullable) {
        id.dob = no_date;
        count(ErrorKind::dob_missing);
      }
    } else if (u_dob < (rates_.dob_missing + rates_.dob_transposed) * f) {
      if (b.day <= 12 && b.day != b.month) {
        id.dob = from_civil(b.year, b.day, b.month);
        count(ErrorKind::dob_transposed);
      }
    } else if (u_dob < (rates_.dob_missing + rates_.dob_transposed + rates_.dob_wrong) * f) {
      const auto kind = r.below(3);
      id.dob = kind == 0 ? Date{p.dob.days + (r.bernoulli(0.5) ? 1 : -1)}
               : kind == 1 ? from_civil(b.year + (r.bernoulli(0.5) ? 1 : -1), b.month, std::min(b.day, 28))
                           : from_civil(b.year + (r.bernoulli(0.5) ? 10 : -10), b.month, std::min(b.day, 28));
      count(ErrorKind::dob_wrong);
    }
  }
  id.sex = p.sex == Sex::male ? 'M' : 'F';
  if (has_sex && r.bernoulli(rates_.sex_unknown * f)) {
    id.sex = 'U';
    count(ErrorKind::sex_unknown);
  }
  // Address: property systems know the property; others lag behind moves.
  const bool property_system = e.stream == StreamId::housing_tenancy || e.stream == StreamId::rent_arrears ||
                               e.stream == StreamId::council_tax;
  const double lag = style.address_lag_days * -std::log(1.0 - r.uniform());
  const std::uint32_t hh_now = p.household_on(as_at) == npos32 ? e.household : p.household_on(as_at);
  const std::uint32_t true_address = property_system ? static_cast<std::uint32_t>(e.num[1]) : pop_.households[hh_now].address_on(as_at);
  id.address = true_address;
  if (!property_system) {
    const Date seen{as_at.days - static_cast<std::int32_t>(std::lround(std::min(lag, 5000.0)))};
    const std::uint32_t hh_seen = p.household_on(seen) == npos32 ? hh_now : p.household_on(seen);
    id.address = pop_.households[hh_seen].address_on(seen);
    if (id.address != true_address) count(ErrorKind::stale_address);
  }
  id.postcode = pop_.addresses[id.address].postcode;
  if (has_pc) {
    const double u_pc = r.uniform();
    if (u_pc < rates_.postcode_typo * f) {
      // A valid-format but wrong postcode: another sector digit or unit letter.
      auto& pc = id.postcode;
      const std::size_t sp = pc.find(' ');
      if (r.bernoulli(0.5)) pc[sp + 1] = static_cast<char>('0' + (pc[sp + 1] - '0' + 1 + static_cast<int>(r.below(8))) % 10);
      else pc[sp + 2 + r.below(2)] = std::string_view("ABDEFGHJLNPQRSTUWXYZ")[r.below(20)];
      if (pc != pop_.addresses[id.address].postcode) count(ErrorKind::postcode_typo);
    } else if (u_pc < (rates_.postcode_typo + rates_.postcode_invalid) * f) {
      // Malformed: inward code cut short, letters and digit swapped, or a stray character.
      auto& pc = id.postcode;
      const std::size_t sp = pc.find(' ');
      switch (r.below(3)) {
        case 0: pc.pop_back(); break;
        case 1: std::swap(pc[sp + 1], pc[sp + 2]); break;
        default: pc.insert(sp + 1, "0"); break;
      }
      count(ErrorKind::postcode_invalid);
    } else if (has_pc_nullable && u_pc < (rates_.postcode_typo + rates_.postcode_invalid + rates_.postcode_missing) * f) {
      id.postcode.clear();
      count(ErrorKind::postcode_missing);
    }
  }
  if (style.compact_postcode) id.postcode.erase(std::remove(id.postcode.begin(), id.postcode.end(), ' '), id.postcode.end());
  if (style.upper_names) {
    id.first = upper(id.first);
    id.middle = upper(id.middle);
    id.surname = upper(id.surname);
  } else if (style.upper_surname) {
    id.surname = upper(id.surname);
  }

  // ---- the row ----------------------------------------------------------------------------------
  const std::string rid = record_id(e.stream, row_key);
  auto date = [&](Date d) { return d == no_date ? std::string() : format_day(d, style.uk_dates); };
  auto boolean = [&](bool v) -> std::string_view {
    switch (style.booleans) {
      case 1: return v ? "Y" : "N";
      case 2: return v ? "1" : "0";
      default: return v ? "true" : "false";
    }
  };
  auto money = [](double v) { return fmt::format("{:.2f}", v); };
  auto category = [&](const char* field, std::size_t index) -> std::string {
    const auto* fd = stream.find(field);
    if (!fd || fd->categories.empty()) return {};
    return fd->categories[std::min(index, fd->categories.size() - 1)];
  };
  auto ref = [&](std::string_view prefix, std::int32_t n) { return fmt::format("{}{:07}{:03}", prefix, e.household, n); };
  const auto& slots = slots_[si];
  std::string v;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (i) out.push_back(',');
    v.clear();
    switch (slots[i]) {
      case s_record_id: v = rid; break;
      case s_first_name: v = id.first; break;
      case s_middle_name: v = id.middle; break;
      case s_surname: v = id.surname; break;
      case s_dob: v = date(id.dob); break;
      case s_sex: v.assign(1, id.sex); break;
      case s_address_line: v = style.upper_names ? upper(pop_.address_line(id.address)) : pop_.address_line(id.address); break;
      case s_town: v = style.upper_names ? upper(std::string(pop_.town_of(id.address))) : std::string(pop_.town_of(id.address)); break;
      case s_postcode: v = id.postcode; break;
      case s_uprn:
      case s_property_uprn: v = fmt::format("{}", pop_.addresses[id.address].uprn); break;
      case s_nhs_number: v = p.nhs_number; break;
      case s_upn: v = p.upn; break;
      case s_ethnicity_group: {
        // Recording gaps: about 4% not stated.
        v = r.bernoulli(0.04) ? "not_stated" : upper(std::string(to_string(p.ethnicity)));
        for (auto& c : v)
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        break;
      }
      case s_start_date:
        if (e.stream == StreamId::person_register || e.stream == StreamId::social_care_episodes || e.stream == StreamId::housing_tenancy ||
            e.stream == StreamId::school_exclusions || e.stream == StreamId::early_help_episodes)
          v = date(e.date);
        break;
      case s_end_date: v = date(e.end); break;
      case s_school_urn: v = fmt::format("{}", static_cast<std::uint32_t>(e.stream == StreamId::school_attendance ? e.amount[0] : e.amount[1])); break;
      case s_academic_year: {
        const CivilDate c = to_civil(e.date);
        const int y0 = c.month >= 9 ? c.year : c.year - 1;
        v = fmt::format("{}/{:02}", y0, (y0 + 1) % 100);
        break;
      }
      case s_term: v = category("term", e.code[0]); break;
      case s_term_end_date: v = date(e.date); break;
      case s_sessions_possible: v = fmt::format("{}", e.num[0]); break;
      case s_sessions_attended: v = fmt::format("{}", e.num[0] - e.num[1] - e.num[2]); break;
      case s_authorised_absence_sessions: v = fmt::format("{}", e.num[1]); break;
      case s_unauthorised_absence_sessions: v = fmt::format("{}", e.num[2]); break;
      case s_free_school_meals: v = boolean(e.code[1] != 0); break;
      case s_sen_status: v = category("sen_status", e.code[2]); break;
      case s_category: v = category("category", e.code[0]); break;
      case s_days: if (e.code[0] == 0) v = fmt::format("{}", e.amount[0]); break;
      case s_reason: v = category("reason", e.code[1]); break;
      case s_contact_date: v = date(e.date); break;
      case s_source: v = category("source", e.code[0]); break;
      case s_primary_concern: v = category("primary_concern", e.code[1]); break;
      case s_outcome:
        if (e.stream == StreamId::social_care_contacts) v = category("outcome", e.code[2]);
        else if (e.stream == StreamId::youth_offending) v = category("outcome", e.code[2]);
        else if (e.stream == StreamId::homelessness_applications) v = category("outcome", e.code[2]);
        break;
      case s_episode_type: v = category("episode_type", e.code[0]); break;
      case s_category_of_need: v = category("category_of_need", e.code[1]); break;
      case s_category_of_abuse: if (e.code[0] == 1) v = category("category_of_abuse", e.code[2]); break;
      case s_legal_status: v = category("legal_status", e.code[0] == 2 ? e.code[3] : 0); break;
      case s_incident_ref: v = ref("DA", e.num[0]); break;
      case s_incident_date: v = date(e.date); break;
      case s_role: v = category("role", e.code[0]); break;
      case s_risk_level: v = category("risk_level", e.code[1]); break;
      case s_crime_flag: v = boolean(e.code[2] != 0); break;
      case s_incident_type: v = category("incident_type", e.code[1]); break;
      case s_action_taken: v = category("action_taken", e.code[2]); break;
      case s_offence_date: v = date(e.date); break;
      case s_offence_type: v = category("offence_type", e.code[0]); break;
      case s_gravity_score: v = fmt::format("{}", e.code[1]); break;
      case s_tenancy_ref: v = ref("T", e.num[0]); break;
      case s_tenure_type: v = category("tenure_type", e.code[0]); break;
      case s_bedrooms: v = fmt::format("{}", e.code[1]); break;
      case s_household_size: v = fmt::format("{}", e.code[2]); break;
      case s_snapshot_date: v = date(e.date); break;
      case s_balance_gbp: v = money(e.amount[0]); break;
      case s_weekly_rent_gbp: v = money(e.amount[1]); break;
      case s_weeks_in_arrears: v = fmt::format("{:.1f}", e.amount[1] > 0 ? e.amount[0] / e.amount[1] : 0.0f); break;
      case s_recovery_action: v = category("recovery_action", e.code[0]); break;
      case s_approach_date: v = date(e.date); break;
      case s_reason_loss_of_home: v = category("reason_loss_of_home", e.code[0]); break;
      case s_duty_owed: v = category("duty_owed", e.code[1]); break;
      case s_household_type: v = category("household_type", e.code[3]); break;
      case s_priority_need: v = boolean(e.num[1] != 0); break;
      case s_account_ref: v = ref("CT", e.num[0]); break;
      case s_band: v = category("band", e.code[0]); break;
      case s_liability_gbp: v = money(e.amount[0]); break;
      case s_arrears_gbp: v = money(e.amount[1]); break;
      case s_recovery_stage: v = category("recovery_stage", e.code[1]); break;
      case s_single_person_discount: v = boolean(e.code[2] != 0); break;
      case s_ctr: v = boolean(e.code[3] != 0); break;
      case s_claim_ref: v = ref("HB", e.num[0]); break;
      case s_claim_start: v = date(e.date); break;
      case s_claim_end: v = date(e.end); break;
      case s_weekly_hb_gbp: v = money(e.amount[0]); break;
      case s_ctr_weekly_gbp: v = money(e.amount[1]); break;
      case s_passported: v = boolean(e.code[0] != 0); break;
      case s_dependants: v = fmt::format("{}", e.code[1]); break;
      case s_benefit_type: v = category("benefit_type", e.code[0]); break;
      case s_work_status: v = category("work_status", e.code[1]); break;
      case s_sanction_flag: v = boolean(e.code[2] != 0); break;
      case s_uc_conditionality: v = category("uc_conditionality", e.code[3]); break;
      case s_referral_date: v = date(e.date); break;
      case s_primary_support_reason: v = category("primary_support_reason", e.code[0]); break;
      case s_service_type: v = category("service_type", e.code[1]); break;
      case s_attendance_date: v = fmt::format("{} {:02}:{:02}", date(e.date), e.num[0] / 60, e.num[0] % 60); break;
      case s_arrival_mode: v = category("arrival_mode", e.code[0]); break;
      case s_attendance_category: v = category("attendance_category", e.code[1]); break;
      case s_discharge: v = category("discharge", e.code[2]); break;
      case s_substance: v = category("substance", e.code[0]); break;
      case s_treatment_status: v = category("treatment_status", e.code[1]); break;
      case s_lives_with_children: v = boolean(e.code[2] != 0); break;
      case s_service: v = category("service", e.code[0]); break;
      case s_referral_source: v = category("referral_source", e.code[1]); break;
      case s_contact_type: v = category("contact_type", e.code[2]); break;
      case s_placement_type:
        if (e.stream == StreamId::social_care_episodes && e.code[0] == 2) v = category("placement_type", static_cast<std::size_t>(e.num[0]));
        break;
      case s_family_ref: v = fmt::format("F{:07}", e.household); break;
      case s_closure_reason: if (e.code[0] != 255) v = category("closure_reason", e.code[0]); break;
      case s_children: v = fmt::format("{}", e.code[2]); break;
      case s_problem_crime_asb:
      case s_problem_school_attendance:
      case s_problem_children_need_help:
      case s_problem_worklessness_debt:
      case s_problem_domestic_abuse:
      case s_problem_health: v = boolean((e.code[1] >> (slots[i] - s_problem_crime_asb)) & 1); break;
      default: break;  // a field the writer does not know: left empty (reported by unmapped())
    }
    append_csv(out, v);
  }
  out.push_back('\n');
  return rid;
}

}  // namespace earlyhelp::synth
