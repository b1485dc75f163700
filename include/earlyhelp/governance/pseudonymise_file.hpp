// SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file
/// Pseudonymising the identifier columns of an extract before it leaves the data owner: which
/// columns, under which domain, after which normalisation, and the pass over a CSV file. The CLI
/// verb `earlyhelp pseudonymise` and Python's `earlyhelp.pseudonymise` both call these.
///
/// For a schema stream the plan covers the fields the linker matches exactly:
///  - link keys `nhs_number`, `upn` and `uprn` (the domain is the link key, so a UPRN pseudonymised
///    in the housing extract equals the same UPRN pseudonymised in the council-tax extract), and
///  - fields whose identifier role is `pseudonymised_key` (record ids and system references; the
///    domain is the field name).
/// Names, dates of birth, sex, address lines, town and postcode stay in clear: the linker compares
/// them fuzzily (typos, nicknames, partial postcodes), which a keyed hash destroys.
///
/// Values are normalised as the linker normalises them (normalise_for_pseudonym; record ids and
/// references, which it compares byte for byte, are only trimmed), so two values the linker would
/// have matched exactly get one pseudonym. A missing value (empty, or one of the
/// stream's missing-value markers) stays as it is.
///
/// Example:
/// ```cpp
/// using namespace earlyhelp::governance;
/// const Pseudonymiser p(PseudonymKey::from_file("council.key"));
/// const auto plan = PseudonymPlan::for_stream(earlyhelp::schema::Schema::builtin().stream("health"));
/// const auto counts = pseudonymise_csv(p, plan, "health.csv", "health.pseudo.csv", "rejects.csv");
/// ```

#include "earlyhelp/governance/pseudonymise.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace earlyhelp::schema {
struct Stream;
}

namespace earlyhelp::governance {

/// One column to pseudonymise.
struct PseudonymColumn {
  std::string column;  ///< column name in the file's header
  std::string domain;  ///< HMAC domain and normalisation (see normalise_for_pseudonym)
  bool required = true;  ///< absent from the header: an error (true) or nothing to do (false)
  /// Hashed as it is (after trimming) instead of normalised for the domain: record ids and system
  /// references, which the linker compares byte for byte ("ab1" and "AB1" are two records).
  bool verbatim = false;
};

/// Which columns of a file to pseudonymise, and which cell values mean "missing".
struct PseudonymPlan {
  std::vector<PseudonymColumn> columns;
  /// Cell values (compared after trimming spaces and tabs) left as they are; always holds "".
  std::vector<std::string> missing_values{""};

  /// The stream's exactly-matched identifier fields (see the file comment); a field the stream
  /// marks optional is pseudonymised when the file has it.
  static PseudonymPlan for_stream(const schema::Stream& stream);
  /// Named columns of any CSV, each its own domain.
  /// @throws InvalidArgument when `columns` is empty or names a column twice.
  static PseudonymPlan for_columns(const std::vector<std::string>& columns);
  /// Adds `other`'s columns not already planned, and its missing-value markers.
  void merge(const PseudonymPlan& other);

  /// For each position of `header`, the planned column it holds, or nullptr (copied as it is).
  /// @param source names the file or table in the error
  /// @throws InvalidArgument naming `source`, the column and the header when a required planned
  ///         column is absent (`hint` is appended, e.g. a delimiter hint).
  std::vector<const PseudonymColumn*> positions(const std::vector<std::string>& header, std::string_view source,
                                                std::string_view hint = {}) const;

  /// The pseudonym of one cell of `column`: missing stays as it is, anything else is normalised
  /// for the column's domain and hashed.
  std::string cell(const Pseudonymiser& p, const PseudonymColumn& column, std::string_view value) const;
};

/// What a pass over a file did. Every row read is written or rejected.
struct PseudonymiseCounts {
  std::size_t rows_read = 0;
  std::size_t rows_written = 0;
  std::size_t rows_rejected = 0;   ///< ragged rows and rows with a field over the size limit
  std::size_t cells_pseudonymised = 0;
  /// Cells with no letter or digit to hash (an NHS number of punctuation): written empty, as the
  /// linker would have read them, and counted so that nothing changes unseen.
  std::size_t cells_emptied = 0;
  std::vector<std::string> columns;  ///< the header columns pseudonymised, in file order
};

/// Copies the CSV `input` to `output` with the plan's columns pseudonymised and every other cell
/// unchanged. A row with a different number of fields from the header, or with a field longer
/// than the reader's limit, goes to `rejects` (`row, line, reason`; no cell values) or, when
/// `rejects` is empty, is an error naming the file and row. Outputs appear complete or not at all.
/// @param delimiter field delimiter of input and output
/// @throws InvalidArgument when a required planned column is not in the header (naming it and the
///         header; no cell values), FormatError for a file that is not CSV text or a ragged row
///         without `rejects`, IOError when a file cannot be read or written.
PseudonymiseCounts pseudonymise_csv(const Pseudonymiser& p, const PseudonymPlan& plan, const std::string& input,
                                    const std::string& output, const std::string& rejects = {},
                                    char delimiter = ',');

}  // namespace earlyhelp::governance
