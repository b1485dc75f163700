// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/linkage/cluster.hpp"
#include "earlyhelp/linkage/dates.hpp"
#include "earlyhelp/linkage/source_ages.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::linkage;

namespace {

// A union-find over `dob.size()` identities given their dates of birth and windows, then the edges.
struct Built {
  ConstrainedUnionFind uf;
  std::vector<Edge> edges;
  std::vector<std::uint8_t> joined;
};

Built build(const std::vector<std::int32_t>& dob, const std::vector<BirthWindow>& windows, std::vector<Edge> edges,
            const std::vector<std::pair<std::uint32_t, std::uint32_t>>& cannot = {}) {
  Built b;
  b.uf.resize(dob.size());
  for (std::uint32_t x = 0; x < dob.size(); ++x) {
    b.uf.set_dob(x, dob[x]);
    if (windows[x].known()) b.uf.set_birth_window(x, windows[x].earliest, windows[x].latest);
  }
  for (const auto& [a, c] : cannot) b.uf.cannot_link(a, c);
  b.edges = std::move(edges);
  cluster_edges(b.edges, b.uf, false, &dob, nullptr, &b.joined);
  return b;
}

// Whether two union-finds hold the same groups and refuse the same joins between them.
void check_same(ConstrainedUnionFind& x, ConstrainedUnionFind& y) {
  REQUIRE(x.size() == y.size());
  for (std::uint32_t a = 0; a < x.size(); ++a)
    for (std::uint32_t b = a + 1; b < x.size(); ++b) {
      CHECK((x.find(a) == x.find(b)) == (y.find(a) == y.find(b)));
      CHECK(x.conflicts(a, b) == y.conflicts(a, b));
      CHECK(x.conflicts(a, b, /*dob_guard=*/false) == y.conflicts(a, b, false));  // windows, cannot-links
    }
}

}  // namespace

TEST_SUITE("cluster") {
  TEST_CASE("cluster.narrow_birth_windows: in place when the joins all pass the narrower windows, else nothing changes") {
    // A council tax account (2) without a date of birth scores higher with the son (1) than the
    // father (0). Learning that council tax records adults narrows its window to born by 2008.
    const std::vector<std::int32_t> dob{19800502, 20120914, 0, 0};
    std::vector<BirthWindow> before(4), now(4);
    now[2].latest = day_number(20080701);
    SUBCASE("a join the narrower window refuses: build again") {
      Built first = build(dob, before, {{2, 1, 14.0}, {2, 0, 13.0}});
      Built kept = build(dob, before, {{2, 1, 14.0}, {2, 0, 13.0}});
      REQUIRE(first.uf.find(2) == first.uf.find(1));
      CHECK_FALSE(first.uf.narrow_birth_windows(first.edges, first.joined, before, now, dob));
      check_same(first.uf, kept.uf);  // unchanged
    }
    SUBCASE("no join refused: the windows narrow in place, as building again gives them") {
      Built first = build(dob, before, {{2, 0, 14.0}, {3, 1, 13.0}});
      CHECK(first.uf.narrow_birth_windows(first.edges, first.joined, before, now, dob));
      Built again = build(dob, now, {{2, 0, 14.0}, {3, 1, 13.0}});
      check_same(first.uf, again.uf);
      CHECK(first.uf.conflicts(2, 1, /*dob_guard=*/false));  // the account's group now excludes the son by its window
    }
    SUBCASE("a wider window: build again") {
      std::vector<BirthWindow> narrow = before;
      narrow[3].latest = day_number(20000101);
      Built first = build(dob, narrow, {{2, 0, 14.0}});
      CHECK_FALSE(first.uf.narrow_birth_windows(first.edges, first.joined, narrow, before, dob));
    }
    SUBCASE("inputs of the wrong size") {
      Built first = build(dob, before, {{2, 0, 14.0}});
      CHECK_THROWS_AS(first.uf.narrow_birth_windows(first.edges, {}, before, now, dob), InvalidArgument);
      CHECK_THROWS_AS(first.uf.narrow_birth_windows(first.edges, first.joined, before, now, {0}), InvalidArgument);
    }
  }

  TEST_CASE("cluster.narrow_birth_windows: random councils, the same groups and refusals as building again") {
    std::mt19937 engine(20261207);
    const auto rng = [&engine] { return static_cast<std::uint32_t>(engine()); };
    const std::vector<std::int32_t> dobs{0, 0, 0, 19800502, 19800205, 20120914, 19550101, 20000000};
    int narrowed = 0, rebuilt = 0;
    for (int round = 0; round < 300; ++round) {
      const std::uint32_t n = 12;
      std::vector<std::int32_t> dob(n);
      std::vector<BirthWindow> before(n), now(n);
      for (std::uint32_t x = 0; x < n; ++x) {
        dob[x] = dobs[rng() % dobs.size()];
        if (rng() % 3 == 0) {
          before[x].earliest = day_number(19400101 + 10000 * static_cast<std::int32_t>(rng() % 30));
          before[x].latest = before[x].earliest + 365 * static_cast<std::int32_t>(20 + rng() % 60);
        }
        now[x] = before[x];
        if (rng() % 3 == 0) now[x].latest = std::min(now[x].latest, day_number(19900101 + 10000 * static_cast<std::int32_t>(rng() % 30)));
      }
      std::vector<Edge> edges;
      for (int e = 0; e < 20; ++e) {
        const std::uint32_t a = rng() % n, b = rng() % n;
        if (a != b) edges.push_back(Edge{a, b, static_cast<double>(rng() % 1000) / 10.0});
      }
      const std::vector<std::pair<std::uint32_t, std::uint32_t>> cannot{{rng() % n, rng() % n}};
      Built first = build(dob, before, edges, cannot);
      Built kept = build(dob, before, edges, cannot);
      Built again = build(dob, now, edges, cannot);
      if (first.uf.narrow_birth_windows(first.edges, first.joined, before, now, dob)) {
        ++narrowed;
        check_same(first.uf, again.uf);
      } else {
        ++rebuilt;
        check_same(first.uf, kept.uf);  // nothing changed
      }
    }
    CHECK(narrowed > 30);  // both ways are exercised
    CHECK(rebuilt > 30);
  }
}
