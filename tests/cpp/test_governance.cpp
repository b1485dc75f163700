// SPDX-License-Identifier: Apache-2.0
#include "earlyhelp/core/error.hpp"
#include "earlyhelp/governance/audit.hpp"
#include "earlyhelp/governance/hash.hpp"
#include "earlyhelp/governance/pseudonymise.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace earlyhelp;
using namespace earlyhelp::governance;

namespace {
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("eh_test_" + name)).string();
}
std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
const std::string test_key_hex(64, 'a');
}  // namespace

TEST_SUITE("governance") {
  TEST_CASE("governance.hash: FIPS 180-4 and RFC 4231 vectors") {
    CHECK(to_hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // RFC 4231 test case 1 and 2.
    CHECK(to_hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(to_hex(sha256("abc"), 4) == "ba7816bf");
  }

  TEST_CASE("governance.hash: incremental and file digests equal the one-shot digest") {
    std::string data;
    for (int i = 0; i < 100000; ++i) data += static_cast<char>('a' + i % 26);
    Sha256 h;
    h.update(data.substr(0, 12345));
    h.update(data.substr(12345));
    CHECK(digest_equal(h.finish(), sha256(data)));
    CHECK_THROWS_AS(h.update("x"), StateError);
    const auto path = temp_path("hash.bin");
    std::ofstream(path, std::ios::binary) << data;
    CHECK(to_hex(sha256_file(path)) == to_hex(sha256(data)));
    std::remove(path.c_str());
    CHECK_THROWS_AS(sha256_file(temp_path("does_not_exist")), IOError);
  }

  TEST_CASE("governance.pseudonymise: deterministic, keyed, domain-separated, missing stays missing") {
    const Pseudonymiser p(PseudonymKey::from_hex(test_key_hex));
    const auto a = p.pseudonymise("nhs_number", "9434765919");
    CHECK(a.size() == 32);
    CHECK(a == p.pseudonymise("nhs_number", "9434765919"));
    CHECK(a != p.pseudonymise("uprn", "9434765919"));
    CHECK(a != p.pseudonymise("nhs_number", "9434765910"));
    const Pseudonymiser other(PseudonymKey::from_hex(std::string(64, 'b')));
    CHECK(a != other.pseudonymise("nhs_number", "9434765919"));
    CHECK(p.pseudonymise("nhs_number", "").empty());
    // Length-prefixed domains: shifting a character between domain and value changes the result.
    CHECK(p.pseudonymise("ab", "c") != p.pseudonymise("a", "bc"));
    CHECK(Pseudonymiser(PseudonymKey::from_hex(test_key_hex), 32).pseudonymise("x", "y").size() == 64);
    CHECK_THROWS_AS(Pseudonymiser(PseudonymKey::from_hex(test_key_hex), 4), InvalidArgument);
  }

  TEST_CASE("governance.pseudonymise: pseudonyms of 100,000 values are distinct") {
    const Pseudonymiser p(PseudonymKey::from_hex(test_key_hex), 8);
    std::set<std::string> seen;
    for (int i = 0; i < 100000; ++i) seen.insert(p.pseudonymise("id", std::to_string(i)));
    CHECK(seen.size() == 100000);
  }

  TEST_CASE("governance.pseudonymise: keys") {
    CHECK_THROWS_AS(PseudonymKey("short"), InvalidArgument);
    CHECK_THROWS_AS(PseudonymKey::from_hex("zz"), InvalidArgument);
    CHECK_THROWS_AS(PseudonymKey::from_hex(std::string(63, 'a')), InvalidArgument);
    const auto k = PseudonymKey::generate();
    CHECK(k.bytes().size() == PseudonymKey::min_bytes);
    CHECK(PseudonymKey::from_hex(k.to_hex()).bytes() == k.bytes());
    CHECK(k.fingerprint().size() == 16);
    CHECK(k.fingerprint() != PseudonymKey::generate().fingerprint());
    const auto path = temp_path("key.hex");
    std::ofstream(path) << k.to_hex() << "\n";
    CHECK(PseudonymKey::from_file(path).bytes() == k.bytes());
    std::ofstream(path) << "too short\n";
    CHECK_THROWS_WITH_AS(PseudonymKey::from_file(path),
                         doctest::Contains("at least 32 are required"), InvalidArgument);
    std::remove(path.c_str());
    CHECK_THROWS_AS(PseudonymKey::from_file(path), IOError);
  }

  TEST_CASE("governance.normalise_for_pseudonym: spellings of one value agree") {
    CHECK(normalise_for_pseudonym("nhs_number", "943 476 5919") == "9434765919");
    CHECK(normalise_for_pseudonym("uprn", "000100023336956") == "100023336956");
    CHECK(normalise_for_pseudonym("uprn", "0000") == "0");
    CHECK(normalise_for_pseudonym("postcode", "sw1a 1aa") == "SW1A1AA");
    CHECK(normalise_for_pseudonym("dob", "03/04/2020") == "2020-04-03");
    CHECK(normalise_for_pseudonym("dob", "not a date") == "NOT A DATE");
    CHECK(normalise_for_pseudonym("surname", "  o'brien   smith ") == "O'BRIEN SMITH");
  }

  TEST_CASE("governance.audit: chained log verifies, and any edit is detected") {
    const auto path = temp_path("audit.jsonl");
    std::remove(path.c_str());
    for (int i = 0; i < 3; ++i) {
      AuditRecord r;
      r.run_id = new_run_id();
      r.started_utc = r.finished_utc = utc_now();
      r.tool = "earlyhelp test";
      r.action = "validate";
      r.parameters = {{"stream", "school_attendance"}};
      r.counts = {{"rows_read", 10.0 + i}, {"rows_rejected", 1}};
      r.status = "ok";
      append_audit_record(path, r);
    }
    auto v = verify_audit_log(path);
    CHECK(v.ok);
    CHECK(v.records == 3);
    // Edit a count in the middle line.
    std::string text = read_all(path);
    const auto pos = text.find("\"rows_read\":11");
    REQUIRE(pos != std::string::npos);
    text.replace(pos, 14, "\"rows_read\":99");
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    v = verify_audit_log(path);
    CHECK_FALSE(v.ok);
    CHECK(v.first_bad_line == 3);  // line 3's "prev" no longer matches the edited line 2
    std::remove(path.c_str());
    CHECK(new_run_id().size() == 32);
    CHECK(new_run_id() != new_run_id());
    CHECK(utc_now().back() == 'Z');
  }

  TEST_CASE("governance.audit: processes appending at once keep one unbroken chain") {
    // Without the lock two processes read the same last line and both chain to it; the verifier
    // then stops at the second of them.
    const auto path = temp_path("audit_concurrent.jsonl");
    std::remove(path.c_str());
    constexpr int processes = 4, records = 25;
    std::vector<pid_t> children;
    for (int p = 0; p < processes; ++p) {
      const pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        int rc = 0;
        try {
          for (int i = 0; i < records; ++i) {
            AuditRecord r;
            r.run_id = new_run_id();
            r.started_utc = r.finished_utc = utc_now();
            r.action = "link";
            r.parameters = {{"process", std::to_string(p)}, {"padding", std::string(300, 'x')}};
            r.status = "ok";
            append_audit_record(path, r);
          }
        } catch (...) {
          rc = 1;
        }
        ::_exit(rc);  // no doctest teardown in the child
      }
      children.push_back(pid);
    }
    for (const pid_t pid : children) {
      int status = 0;
      REQUIRE(::waitpid(pid, &status, 0) == pid);
      CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    const auto v = verify_audit_log(path);
    CHECK_MESSAGE(v.ok, v.message);
    CHECK(v.records == processes * records);
    std::remove(path.c_str());
  }
}
