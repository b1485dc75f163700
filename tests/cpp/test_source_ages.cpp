// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/linkage/cluster.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/source_ages.hpp"
#include "linker_test_population.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;
using namespace eh_test;

namespace {

// `n` records of `source`, each with a date of birth `age` to `age + spread - 1` years before
// its record date in 2024.
void add_dated(std::vector<Record>& out, const std::string& source, int n, int age, int spread) {
  for (int i = 0; i < n; ++i) {
    const int born = 2024 - age - i % spread;
    out.push_back(dated(person(fmt::format("{}-{}", source, i), fmt::format("n{}", i), "x", fmt::format("{}-03-0{}", born, 1 + i % 9),
                               "", "", "", source),
                        "2024-06-01"));
  }
}

}  // namespace

TEST_SUITE("source_ages") {
  TEST_CASE("source_ages.learn: each source's ages from its own records, none from too few") {
    std::vector<Record> recs;
    add_dated(recs, "school", 80, 5, 11);   // aged 5 to 15
    add_dated(recs, "tax", 80, 25, 36);     // aged 25 to 60
    add_dated(recs, "rare", 10, 30, 5);     // too few to say
    recs.push_back(dated(person("s-nodob", "amy", "x", "", "", "", "", "school"), "2024-06-01"));
    recs.push_back(dated(person("t-nodob", "amy", "y", "", "", "", "", "tax"), "2024-06-01"));
    recs.push_back(dated(person("r-nodob", "amy", "z", "", "", "", "", "rare"), "2024-06-01"));
    recs.push_back(person("u-nodob", "amy", "w", "", "", "", "", "tax"));  // undated
    PreparedRecords r;
    r.add(recs);
    const SourceAges ages = learn_source_ages(r);
    const std::vector<BirthWindow> w = birth_windows(r, ages);
    auto window = [&](std::size_t rec) { return w[r.identity_of[rec]]; };
    const std::size_t n = recs.size();
    const BirthWindow school = window(n - 4), tax = window(n - 3), rare = window(n - 2), undated = window(n - 1);
    CHECK(school.contains(day_number(20150101)));
    CHECK_FALSE(school.contains(day_number(19800101)));   // a school does not record a man of 44
    CHECK_FALSE(school.contains(day_number(20220101)));   // nor a child of two
    CHECK(tax.contains(day_number(19800101)));
    CHECK_FALSE(tax.contains(day_number(20120101)));      // nor council tax a boy of twelve
    CHECK(rare.known());                                   // only: born by a year after the record
    CHECK(rare.contains(day_number(19300101)));
    CHECK_FALSE(rare.contains(day_number(20260101)));
    CHECK_FALSE(undated.known());
    CHECK_FALSE(window(0).known());                        // has a date of birth
  }

  TEST_CASE("source_ages.cluster: an adults' record without a date of birth joins the father, not the son it scores higher with") {
    std::vector<Record> recs;
    add_dated(recs, "school", 80, 5, 11);
    add_dated(recs, "tax", 80, 25, 36);
    recs.push_back(dated(person("father", "john", "smith", "1980-05-02", "1 mill lane", "LS1 1AA", "", "tax"), "2024-06-01"));
    recs.push_back(dated(person("junior", "john", "smith", "2012-09-14", "1 mill lane", "LS1 1AA", "", "school"), "2024-06-01"));
    recs.push_back(dated(person("ct", "john", "smith", "", "1 mill lane", "LS1 1AA", "", "tax"), "2024-07-01"));
    PreparedRecords r;
    r.add(recs);
    const std::size_t n = recs.size();
    const std::uint32_t father = r.identity_of[n - 3], junior = r.identity_of[n - 2], ct = r.identity_of[n - 1];
    const std::vector<BirthWindow> w = birth_windows(r, learn_source_ages(r));
    for (const bool windows : {false, true}) {
      ConstrainedUnionFind uf;
      uf.resize(r.n_identities());
      for (std::uint32_t x = 0; x < r.n_identities(); ++x) {
        uf.set_dob(x, r.dob[x]);
        if (windows && w[x].known()) uf.set_birth_window(x, w[x].earliest, w[x].latest);
      }
      std::vector<Edge> edges{{ct, junior, 14.0}, {ct, father, 13.0}};
      cluster_edges(edges, uf, false, &r.dob);
      CHECK(uf.find(father) != uf.find(junior));
      CHECK((uf.find(ct) == uf.find(father)) == windows);
    }
  }
}
