// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/records.hpp"

#include "earlyhelp/core/error.hpp"
#include "earlyhelp/core/parallel.hpp"
#include "earlyhelp/linkage/address.hpp"
#include "earlyhelp/linkage/bloom.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/identifiers.hpp"
#include "earlyhelp/linkage/normalise.hpp"
#include "earlyhelp/linkage/phonetic.hpp"
#include "earlyhelp/linkage/postcode.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace earlyhelp::linkage {

const std::vector<std::string>& canonical_columns() {
  static const std::vector<std::string> cols{"record_id", "source",  "first_name", "middle_name",
                                             "surname",   "dob",     "sex",        "address",
                                             "town",      "postcode", "uprn",      "nhs_number",
                                             "record_date", "subject_min_age"};
  return cols;
}

std::size_t canonical_column_index(std::string_view column) noexcept {
  const auto& cols = canonical_columns();
  return static_cast<std::size_t>(std::find(cols.begin(), cols.end(), column) - cols.begin());
}

std::string* record_field(Record& r, std::size_t index) noexcept {
  std::string* const fields[] = {&r.record_id, &r.source,  &r.first_name, &r.middle_name,
                                 &r.surname,   &r.dob,     &r.sex,        &r.address,
                                 &r.town,      &r.postcode, &r.uprn,      &r.nhs_number,
                                 &r.record_date, &r.subject_min_age};
  return index < std::size(fields) ? fields[index] : nullptr;
}

std::string* record_field(Record& r, std::string_view column) noexcept {
  return record_field(r, canonical_column_index(column));
}

bool set_record_field(Record& r, std::string_view column, std::string value) {
  std::string* const f = record_field(r, column);
  if (f == nullptr) return false;
  *f = std::move(value);
  return true;
}

bool NameInfo::shares_canonical(const NameInfo& other) const noexcept {
  if (canonical == other.canonical) return true;
  const auto in_other = [&](std::uint32_t c) {
    return c != 0 && (c == other.canonical ||
                      std::find(other.more_canonical.begin(), other.more_canonical.end(), c) != other.more_canonical.end());
  };
  return std::any_of(more_canonical.begin(), more_canonical.end(), in_other) || in_other(canonical);
}

std::string_view field_name(Field f) noexcept {
  switch (f) {
    case Field::first_name: return "first_name";
    case Field::surname: return "surname";
    case Field::dob: return "dob";
    case Field::sex: return "sex";
    case Field::address: return "address";
    case Field::postcode: return "postcode";
    case Field::town: return "town";
    case Field::uprn: return "uprn";
    case Field::identifier: return "identifier";
  }
  return "?";
}

std::int32_t parse_dob(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.size() == 8 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    int y = 0, m = 0, d = 0;
    earlyhelp::detail::parse_digits(s, 0, 4, y);
    earlyhelp::detail::parse_digits(s, 4, 2, m);
    earlyhelp::detail::parse_digits(s, 6, 2, d);
    if (!is_valid_civil(y, m, d)) return 0;
    return y * 10000 + m * 100 + d;
  }
  const std::optional<PartialDate> p = parse_partial_date(s);
  if (!p || p->year < 1800 || p->year > 2200) return 0;
  return p->year * 10000 + p->month * 100 + p->day;
}

std::uint32_t InternedColumn::intern(const std::string& v, std::uint64_t hash) {
  if (v.empty()) return 0;
  const std::uint32_t found = index_.find(hash, [&](std::uint32_t id) { return values[id] == v; });
  if (found != IdHashIndex::npos) return found;
  const auto id = static_cast<std::uint32_t>(values.size());
  values.push_back(v);
  counts.push_back(0);
  index_.insert(hash, id, [&](std::uint32_t x) { return hash_of(values[x]); });
  return id;
}

std::uint32_t InternedColumn::find(const std::string& v) const {
  if (v.empty()) return 0;
  const std::uint32_t found = index_.find(hash_of(v), [&](std::uint32_t id) { return values[id] == v; });
  return found == IdHashIndex::npos ? 0 : found;
}

std::string normalise_first_name(std::string_view s) {
  std::string n = normalise_name(s);
  const std::size_t sp = n.find(' ');
  if (sp != std::string::npos) n.resize(sp);
  return n;
}

std::string normalise_surname(std::string_view s) { return normalise_name(s); }

std::string normalise_postcode_key(std::string_view s) {
  if (auto p = normalise_postcode(s)) return *p;
  std::string out;
  for (const char c : s) {
    if (c == ' ' || c == '\t') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string normalise_identifier(std::string_view s) {
  if (auto n = normalise_nhs_number(s)) return *n;
  std::string out;
  for (const char c : s) {
    if (c >= '0' && c <= '9') out.push_back(c);
    else if (c >= 'a' && c <= 'z') out.push_back(static_cast<char>(c - 'a' + 'A'));
    else if (c >= 'A' && c <= 'Z') out.push_back(c);
  }
  return out;
}

namespace {

std::string trim_fold(std::string_view s) {
  std::string f = fold_case(fold_diacritics(s));
  std::string out;
  bool space = false;
  for (const char c : f) {
    if (c == ' ' || c == '\t' || c == ',' || c == '.') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool is_blank(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

char parse_sex(std::string_view s) {
  for (const char c : s) {
    if (c == ' ') continue;
    if (c == 'm' || c == 'M' || c == '1') return 'm';
    if (c == 'f' || c == 'F' || c == '2') return 'f';
    return 0;
  }
  return 0;
}

}  // namespace

std::uint32_t PreparedRecords::intern_first(const std::string& v, std::uint64_t hash) {
  const std::size_t before = first.size();
  const std::uint32_t id = first.intern(v, hash);
  if (first.size() != before) {
    if (first_info.empty()) first_info.resize(1);
    NameInfo info;
    // An encoding's own code (bloom.hpp): the phonetic code of its hex digits would lump unrelated
    // encodings into a few giant blocks.
    info.phonetic = codes.intern(looks_encoded(v) ? "bf:" + v : "dm:" + double_metaphone(v).primary);
    const std::vector<std::string> canon = canonical_forenames(v);
    info.canonical = codes.intern("cf:" + (canon.empty() ? v : canon.front()));
    for (std::size_t k = 1; k < canon.size() && k <= info.more_canonical.size(); ++k)
      info.more_canonical[k - 1] = codes.intern("cf:" + canon[k]);
    info.initial = v.empty() ? char(0) : v[0];
    info.is_initial = v.size() == 1;
    first_info.push_back(info);
  }
  return id;
}

std::uint32_t PreparedRecords::intern_surname(const std::string& v, std::uint64_t hash) {
  const std::size_t before = surname.size();
  const std::uint32_t id = surname.intern(v, hash);
  if (surname.size() != before) {
    if (surname_info.empty()) surname_info.resize(1);
    NameInfo info;
    std::string joined;
    for (const char c : v)
      if (c != ' ' && c != '-') joined.push_back(c);
    info.phonetic = codes.intern(looks_encoded(v) ? "bf:" + v : "dm:" + double_metaphone(joined).primary);
    info.canonical = codes.intern("sn:" + joined);
    info.initial = v.empty() ? char(0) : v[0];
    info.is_initial = v.size() == 1;
    surname_info.push_back(info);
  }
  return id;
}

std::uint32_t PreparedRecords::intern_address(const std::string& v, std::uint64_t hash) {
  const std::size_t before = address.size();
  const std::uint32_t id = address.intern(v, hash);
  if (address.size() != before) {
    if (address_info.empty()) address_info.resize(1);
    AddressInfo info;
    std::size_t i = 0;
    while (i < v.size()) {
      while (i < v.size() && v[i] == ' ') ++i;
      const std::size_t b = i;
      while (i < v.size() && v[i] != ' ') ++i;
      if (i > b) info.tokens.push_back(codes.intern("t:" + v.substr(b, i - b)));
    }
    std::sort(info.tokens.begin(), info.tokens.end());
    info.tokens.erase(std::unique(info.tokens.begin(), info.tokens.end()), info.tokens.end());
    const AddressNumbers nums = looks_encoded(v) ? AddressNumbers{} : extract_address_numbers(v);
    if (nums.flat) info.flat = codes.intern("fl:" + *nums.flat);
    if (nums.house) info.house = codes.intern("hn:" + *nums.house);
    address_info.push_back(std::move(info));
  }
  return id;
}

std::uint32_t PreparedRecords::intern_postcode(const std::string& v, std::uint64_t hash) {
  const std::size_t before = postcode.size();
  const std::uint32_t id = postcode.intern(v, hash);
  if (postcode.size() != before) {
    if (postcode_info.empty()) postcode_info.resize(1);
    PostcodeInfo info;
    if (const auto p = parse_postcode(v)) {
      info.sector = codes.intern("ps:" + p->sector());
      info.district = codes.intern("pd:" + p->district());
      info.area = codes.intern("pa:" + p->area());
    }
    postcode_info.push_back(info);
  }
  return id;
}

namespace {

// The canonical columns of the interned values, in NormalisedFields order.
constexpr std::string_view kInternedColumns[8] = {"first_name", "middle_name", "surname", "address",
                                                   "town",       "postcode",    "uprn",    "nhs_number"};

// A value normalised from read_part(raw), as it is interned: bounded for comparison
// (input_checks.hpp); `was_bounded` says when it had to be (counted by the caller, in order).
std::string bounded(std::string v, std::string_view raw, bool& was_bounded) {
  if (v.size() <= kMaxComparedBytes && raw.size() <= kMaxReadBytes) return v;
  was_bounded = true;
  return bound_compared(std::move(v), raw);
}

}  // namespace

struct PreparedRecords::NormalisedFields {
  std::string value[8];        ///< in kInternedColumns order
  std::uint64_t hash[8] = {};  ///< InternedColumn::hash_of(value[c])
  std::uint64_t record_id_hash = 0;
  bool was_bounded[8] = {};    ///< value c was cut to a bounded part
};

// Normalises one record's identity values; pure, so batches are normalised on several threads.
// Values are read on a bounded part (input_checks.hpp): a 100 KB "name" costs no more than a name.
// A Bloom-filter encoding (bloom.hpp) is kept as it is: normalising would change its digits.
void PreparedRecords::normalise_fields(const Record& r, NormalisedFields& f) {
  const auto clear = [](const std::string& raw, auto&& normalise) {
    return is_bloom_cell(raw) ? raw : normalise(read_part(raw));
  };
  const auto name = [](std::string_view s) { return normalise_name(s); };
  std::string first_n = clear(r.first_name, name);
  std::string middle_n = clear(r.middle_name, name);
  // "Mary Anne" as a first name: the first word is the first name, the rest a middle name.
  if (const std::size_t sp = first_n.find(' '); sp != std::string::npos) {
    std::string rest = first_n.substr(sp + 1);
    first_n.resize(sp);
    middle_n = middle_n.empty() ? rest : rest + " " + middle_n;
  }
  const std::string_view uprn_raw = read_part(r.uprn);
  f.value[0] = bounded(std::move(first_n), r.first_name, f.was_bounded[0]);
  f.value[1] = bounded(std::move(middle_n), r.middle_name, f.was_bounded[1]);
  f.value[2] = bounded(clear(r.surname, normalise_surname), r.surname, f.was_bounded[2]);
  f.value[3] = bounded(clear(r.address, normalise_address), r.address, f.was_bounded[3]);
  f.value[4] = bounded(clear(r.town, trim_fold), r.town, f.was_bounded[4]);
  f.value[5] = bounded(clear(r.postcode, normalise_postcode_key), r.postcode, f.was_bounded[5]);
  f.value[6] = bounded(normalise_uprn(uprn_raw).value_or(trim_fold(uprn_raw)), r.uprn, f.was_bounded[6]);
  f.value[7] = bounded(normalise_identifier(read_part(r.nhs_number)), r.nhs_number, f.was_bounded[7]);
  // Hashed here, on the normalising threads: interning (in record order, on one) only looks up.
  for (std::size_t c = 0; c < 8; ++c) f.hash[c] = InternedColumn::hash_of(f.value[c]);
  f.record_id_hash = std::hash<std::string_view>{}(r.record_id);
}

std::uint32_t PreparedRecords::push_identity(const Record& r, const NormalisedFields& f, std::string* tuple_key,
                                             InputIssues* count) {
  if (count != nullptr)
    for (std::size_t c = 0; c < 8; ++c) {
      const std::size_t col = canonical_column_index(kInternedColumns[c]);
      if (f.was_bounded[c] && col < count->long_values.size()) ++count->long_values[col];
    }
  const std::uint32_t ids[8] = {
      intern_first(f.value[0], f.hash[0]),   middle.intern(f.value[1], f.hash[1]),
      intern_surname(f.value[2], f.hash[2]), intern_address(f.value[3], f.hash[3]),
      town.intern(f.value[4], f.hash[4]),    intern_postcode(f.value[5], f.hash[5]),
      uprn.intern(f.value[6], f.hash[6]),    identifier.intern(f.value[7], f.hash[7]),
  };
  const bool dob_encoded = is_bloom_cell(r.dob);
  const std::int32_t d = dob_encoded ? 0 : parse_dob(r.dob);
  const std::uint32_t dob_code = dob_encoded ? encoded_dob.intern(r.dob) : 0;
  const char sx = parse_sex(r.sex);
  if (tuple_key) {
    tuple_key->assign(reinterpret_cast<const char*>(ids), sizeof(ids));
    tuple_key->append(reinterpret_cast<const char*>(&d), sizeof(d));
    tuple_key->append(reinterpret_cast<const char*>(&dob_code), sizeof(dob_code));
    tuple_key->push_back(sx);
  }
  first_id.push_back(ids[0]);
  middle_id.push_back(ids[1]);
  surname_id.push_back(ids[2]);
  address_id.push_back(ids[3]);
  town_id.push_back(ids[4]);
  postcode_id.push_back(ids[5]);
  uprn_id.push_back(ids[6]);
  identifier_id.push_back(ids[7]);
  dob.push_back(d);
  encoded_dob_id.push_back(dob_code);
  sex.push_back(sx);
  source_mask.push_back(0);
  n_records.push_back(0);
  first_record.push_back(0);
  born_by.push_back(0);
  return static_cast<std::uint32_t>(first_id.size() - 1);
}

void PreparedRecords::truncate_identities(std::size_t n) {
  for (auto* v : {&first_id, &middle_id, &surname_id, &address_id, &town_id, &postcode_id, &uprn_id,
                  &identifier_id, &source_mask, &n_records, &first_record})
    v->resize(n);
  dob.resize(n);
  encoded_dob_id.resize(n);
  born_by.resize(n);
  sex.resize(n);
}

std::uint64_t PreparedRecords::tuple_hash(std::uint32_t i) const noexcept {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  const auto mix = [&h](std::uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h *= 0x100000001B3ULL;
  };
  for (const auto* col : {&first_id, &middle_id, &surname_id, &address_id, &town_id, &postcode_id, &uprn_id, &identifier_id})
    mix((*col)[i]);
  mix(static_cast<std::uint32_t>(dob[i]));
  mix(encoded_dob_id[i]);
  mix(static_cast<unsigned char>(sex[i]));
  return h;
}

bool PreparedRecords::same_tuple(std::uint32_t x, std::uint32_t y) const noexcept {
  for (const auto* col : {&first_id, &middle_id, &surname_id, &address_id, &town_id, &postcode_id, &uprn_id, &identifier_id})
    if ((*col)[x] != (*col)[y]) return false;
  return dob[x] == dob[y] && encoded_dob_id[x] == encoded_dob_id[y] && sex[x] == sex[y];
}

std::uint32_t PreparedRecords::add_scratch(const Record& r) {
  NormalisedFields f;
  normalise_fields(r, f);
  return push_identity(r, f, nullptr);
}

std::vector<std::uint32_t> PreparedRecords::add(const std::vector<Record>& records, int n_threads) {
  // Normalising is most of the work and needs no table: done in parallel first; interning stays in
  // record order, so ids are the same for any thread count.
  std::vector<NormalisedFields> normalised(records.size());
  parallel_for(records.size(), n_threads, [&](std::size_t i) { normalise_fields(records[i], normalised[i]); });
  std::vector<std::uint32_t> touched;
  std::string key;
  // Records come extract by extract: the source is looked up again only when it changes.
  std::string last_source;
  std::uint32_t last_src = 0;
  for (std::size_t row = 0; row < records.size(); ++row) {
    const Record& r = records[row];
    EH_CHECK(!r.record_id.empty(), "link: record {} has an empty record_id", record_ids.size() + 1);
    const auto rid = static_cast<std::uint32_t>(record_ids.size());
    const std::uint64_t rid_hash = normalised[row].record_id_hash;
    const std::uint32_t earlier = record_index_.find(rid_hash, [&](std::uint32_t x) { return record_ids[x] == r.record_id; });
    EH_CHECK(earlier == IdHashIndex::npos,
             "link: record {} repeats the record_id of record {} (record_id must be unique)",
             record_ids.size() + 1, std::uint64_t{earlier} + 1);
    record_ids.push_back(r.record_id);
    record_index_.insert(rid_hash, rid, [&](std::uint32_t x) { return std::hash<std::string_view>{}(record_ids[x]); });
    const std::uint32_t fresh = push_identity(r, normalised[row], &key, &issues);
    if (dob[fresh] == 0 && encoded_dob_id[fresh] == 0 && !is_blank(r.dob)) ++issues.unreadable_dob;  // missing, and counted
    const bool empty = std::all_of(key.begin(), key.end(), [](char c) { return c == 0; });
    std::uint32_t identity = fresh;
    if (empty) {
      ++n_empty;
    } else {
      const std::uint64_t h = tuple_hash(fresh);
      const std::uint32_t same = tuple_index_.find(h, [&](std::uint32_t x) { return same_tuple(x, fresh); });
      if (same != IdHashIndex::npos) {
        identity = same;
        truncate_identities(fresh);
      } else {
        tuple_index_.insert(h, fresh, [&](std::uint32_t x) { return tuple_hash(x); });
      }
    }
    if (identity == fresh) {
      first_record[identity] = rid;
      // Term frequencies count identities, not records (an event stream repeats a person).
      ++first.counts[first_id[identity]];
      ++surname.counts[surname_id[identity]];
      ++postcode.counts[postcode_id[identity]];
      ++address.counts[address_id[identity]];
      ++town.counts[town_id[identity]];
      if (sex[identity] != 0 && first_id[identity] != 0) {  // a first name's sex, learnt (name_sex.hpp)
        NameInfo& name = first_info[first_id[identity]];
        ++(sex[identity] == 'm' ? name.male : name.female);
      }
      touched.push_back(identity);
    }
    const std::string_view source = r.source.empty() ? std::string_view("_") : std::string_view(r.source);
    if (last_src == 0 || source != last_source) {
      last_source.assign(source);
      last_src = sources.intern(last_source);
    }
    const std::uint32_t src = last_src;
    source_mask[identity] |= std::uint32_t{1} << std::min<std::uint32_t>(src - 1, 31);
    ++n_records[identity];
    const bool current = r.record_date == "current";
    const std::int32_t when = r.record_date.empty() || current ? 0 : parse_dob(r.record_date);  // yyyymmdd
    const bool full = when % 100 != 0;  // a full date only
    record_day.push_back(current ? kCurrentDay : full ? day_number(when) : kNoDay);
    if (when == 0 && !current && !is_blank(r.record_date)) ++issues.unreadable_record_date;
    record_source.push_back(src);
    if (!r.subject_min_age.empty() && full) {
      int age = 0;
      const std::string_view a = r.subject_min_age;
      EH_CHECK(a.size() <= 3 && std::all_of(a.begin(), a.end(), [](char c) { return c >= '0' && c <= '9'; }),
               "link: record {} has subject_min_age '{}' (expected whole years, 0 to 999)", record_ids.size(), a);
      for (const char c : a) age = age * 10 + (c - '0');
      if (age > 0) {
        const std::int32_t latest_birth = when - age * 10000;  // yyyymmdd: the same day, `age` years before
        if (born_by[identity] == 0 || latest_birth < born_by[identity]) born_by[identity] = latest_birth;
      }
    }
    identity_of.push_back(identity);
  }
  return touched;
}

}  // namespace earlyhelp::linkage
