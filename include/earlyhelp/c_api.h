/* SPDX-License-Identifier: Apache-2.0 */
#ifndef EARLYHELP_C_API_H
#define EARLYHELP_C_API_H

/*
 * The earlyhelp C API (C99). For case-management systems and other hosts that cannot link C++.
 *
 * Conventions:
 *  - Every function returns an int status: EH_OK (0) or a negative eh_status value.
 *  - Results come back through trailing `out` pointers, written only on success.
 *  - After a failure, eh_last_error() gives a message for the calling thread, valid until the
 *    next eh_ call on that thread. No C++ exception ever crosses this boundary.
 *  - Objects are opaque typed handles: eh_X_create/eh_X_load return an owned handle through
 *    `eh_X** out`; eh_X_free(NULL) is a no-op; every other function borrows its arguments.
 *  - Every variable-size result (text, bytes) follows one convention: the caller passes a buffer
 *    and its capacity; `*needed` receives the size the result needs (for text, its terminating
 *    NUL included); the result is written only when it fits, else the call returns
 *    EH_ERR_BUFFER and writes nothing else. Call once with NULL and 0 to learn the size
 *    (EH_ERR_BUFFER, *needed set), then again with a buffer that large.
 */

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#if defined(EH_BUILDING_C_API)
#define EH_API __declspec(dllexport)
#else
#define EH_API __declspec(dllimport)
#endif
#else
#define EH_API __attribute__((visibility("default")))
#endif

/* The version of the binary interface this header describes: raised whenever a function's
 * signature, a struct's layout or an enumerator's value changes (not when functions are only
 * added). A host checks at start-up that the library it loaded was built for the header it was
 * compiled with: eh_abi_version() == EH_ABI_VERSION. */
#define EH_ABI_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

/* ---- status and errors ------------------------------------------------------------------ */

/* Status codes returned by every eh_ function. */
typedef enum eh_status {
  EH_OK = 0,
  EH_ERR_INVALID_ARGUMENT = -1, /* bad argument: NULL pointer, wrong shape, unknown field */
  EH_ERR_FORMAT = -2,           /* malformed or unknown-version file or bytes */
  EH_ERR_STATE = -3,            /* object used in the wrong state */
  EH_ERR_IO = -4,               /* file could not be opened, read or written */
  EH_ERR_NO_MEMORY = -5,        /* allocation failed */
  EH_ERR_RUNTIME = -6,          /* any other library error */
  EH_ERR_UNKNOWN = -7,          /* a non-standard exception was caught */
  EH_ERR_BUFFER = -8            /* the caller's buffer is too small: *needed holds the size */
} eh_status;

/* The message of the last failed eh_ call on this thread ("" if none). Never NULL. */
EH_API const char* eh_last_error(void);

/* A short constant name for a status code, e.g. "EH_ERR_FORMAT". Never NULL. */
EH_API const char* eh_status_name(int status);

/* ---- version ---------------------------------------------------------------------------- */

/* The library version as "MAJOR.MINOR.PATCH". Never NULL; static storage. */
EH_API const char* eh_version(void);

/* Writes the three version numbers. Any pointer may be NULL. Returns EH_OK. */
EH_API int eh_version_numbers(int* major, int* minor, int* patch);

/* The EH_ABI_VERSION the library was built with (compare it with the header's macro). */
EH_API int eh_abi_version(void);

/* ---- pseudonymisation ------------------------------------------------------------------ */
/* Keyed HMAC-SHA256 pseudonyms of identifiers, so a case system can pseudonymise values before
 * they leave it. The key is secret: handle it like a password. */

typedef struct eh_pseudonymiser eh_pseudonymiser;

/* Creates a pseudonymiser from `key_len` raw key bytes (at least 32) keeping `digest_bytes`
 * (8..32; 0 means the default 16) bytes of each HMAC. */
EH_API int eh_pseudonymiser_create(const uint8_t* key, size_t key_len, size_t digest_bytes,
                                   eh_pseudonymiser** out);
/* Creates a pseudonymiser from a key file (hex text or raw bytes). */
EH_API int eh_pseudonymiser_create_from_file(const char* key_path, size_t digest_bytes,
                                             eh_pseudonymiser** out);
EH_API void eh_pseudonymiser_free(eh_pseudonymiser* p);

/* Writes the NUL-terminated hex pseudonym of `value` (a NUL-terminated UTF-8 string) in `domain`
 * (e.g. "nhs_number") into `buf` of `capacity` bytes and the size it needs, the NUL included,
 * into *needed (may be NULL). When `normalise` is non-zero the value is first put in canonical form (digits of
 * an NHS number, a postcode without spaces, ...). The output convention above: *needed is the
 * size with the NUL (33 by default); EH_ERR_BUFFER when it does not fit. An empty value gives an
 * empty pseudonym. */
EH_API int eh_pseudonymise(const eh_pseudonymiser* p, const char* domain, const char* value,
                           int normalise, char* buf, size_t capacity, size_t* needed);

/* Writes the key's public fingerprint (16 hex digits + NUL) into `buf`; EH_ERR_BUFFER when
 * capacity < 17 (the output convention without the size: it is always 17). */
EH_API int eh_pseudonymiser_fingerprint(const eh_pseudonymiser* p, char* buf, size_t capacity);
/* ---- linkage: string and identity primitives ------------------------------------------ */
/*
 * Strings are NUL-terminated UTF-8. Text results follow the output convention at the top:
 * `*needed` receives the size with the NUL; EH_ERR_BUFFER when `capacity < *needed`.
 */

/* Scores a against b with a named scorer: "jaro", "jaro_winkler", "jaro_winkler_long",
 * "levenshtein", "levenshtein_normalized", "damerau_levenshtein", "osa", "hamming", "jaccard",
 * "qgram_jaccard", "token_set" (distances as counts, similarities in [0, 1]).
 * EH_ERR_INVALID_ARGUMENT for an unknown scorer or a NULL pointer. */
EH_API int eh_linkage_score(const char* scorer, const char* a, const char* b, double* out);

/* Phonetic code of a name: algorithm "soundex", "nysiis", "metaphone", "match_rating_codex",
 * "double_metaphone" (primary code) or "double_metaphone_alternate". */
EH_API int eh_linkage_phonetic(const char* algorithm, const char* text, char* out, size_t capacity,
                               size_t* needed);

/* Normalised form: kind "name", "address", "postcode" ("OUT IN"), "nhs_number" (10 digits, check
 * digit verified) or "uprn". An invalid postcode, NHS number or UPRN gives "" (needed = 1). */
EH_API int eh_linkage_normalise(const char* kind, const char* text, char* out, size_t capacity,
                                size_t* needed);
/* ---- models (earlyhelp::models::Model) --------------------------------------------------- */
/*
 * A scoring model bundle: tree ensemble, linear model or scorecard with its calibration, bands
 * and metadata. Immutable once loaded: every function taking `const eh_model*` may be called
 * from many threads at once. Inputs are row-major doubles, NaN = missing. Outputs per row:
 * eh_model_num_outputs() values (probabilities for classifiers, calibrated if the bundle says so).
 */
typedef struct eh_model eh_model;

/* Loads a bundle file (.ehm). With key_len > 0 the file must be HMAC-signed with that key.
 * Errors: EH_ERR_IO (cannot read), EH_ERR_FORMAT (truncated, corrupt, tampered, wrong key,
 * unknown version). */
EH_API int eh_model_load_file(const char* path, const void* key, size_t key_len, eh_model** out);

/* As eh_model_load_file, from `size` bytes in memory (copied; the buffer may be freed after). */
EH_API int eh_model_load_memory(const void* data, size_t size, const void* key, size_t key_len,
                                eh_model** out);

/* Reads an XGBoost JSON model (Booster.save_model("m.json")) from memory. */
EH_API int eh_model_import_xgboost_json(const char* json, size_t size, eh_model** out);

/* Writes the bundle into buffer (capacity bytes) and its size to *size_needed (the output
 * convention at the top: EH_ERR_BUFFER when capacity is too small, buffer NULL with capacity 0 to
 * ask for the size). Signed when key_len > 0. */
EH_API int eh_model_save_memory(const eh_model* model, const void* key, size_t key_len,
                                void* buffer, size_t capacity, size_t* size_needed);

/* Number of input columns. */
EH_API int eh_model_num_features(const eh_model* model, size_t* out);
/* Number of outputs per row of eh_model_predict (classes for multi-class, else 1). */
EH_API int eh_model_num_outputs(const eh_model* model, size_t* out);
/* Columns per row of eh_model_explain: groups * (num_features + 1), bias last in each group. */
EH_API int eh_model_num_contributions(const eh_model* model, size_t* out);

/* Predicts n_rows rows of x (n_rows x n_cols, row-major) into out (n_rows x num_outputs).
 * n_cols must equal eh_model_num_features; out_capacity is the number of doubles out holds.
 * n_threads <= 0 uses all cores; results are identical for every thread count. */
EH_API int eh_model_predict(const eh_model* model, const double* x, size_t n_rows, size_t n_cols,
                            int n_threads, double* out, size_t out_capacity);

/* Predicts one record (n_cols values) into out (num_outputs doubles). No allocation for trees. */
EH_API int eh_model_predict_one(const eh_model* model, const double* row, size_t n_cols,
                                double* out, size_t out_capacity);

/* Contributions of n_rows rows into out (n_rows x eh_model_num_contributions), in margin units
 * (log-odds for classifiers); each group's contributions sum to its margin. */
EH_API int eh_model_explain(const eh_model* model, const double* x, size_t n_rows, size_t n_cols,
                            double* out, size_t out_capacity);

/* Frees a model; NULL is a no-op. */
EH_API void eh_model_free(eh_model* model);

/* ==== Record linkage (eh_linker) ================================================================
 * A linker for a case system: create it from settings (JSON, NULL for the defaults), add the
 * records it knows, train (or load a model), link them into persons, then look up the best
 * persons for one record interactively, or add new records incrementally (existing person ids
 * never change). Records are passed as `n_records` rows of `n_columns` NUL-terminated UTF-8
 * strings in row-major order, the columns named by canonical names (record_id, source,
 * first_name, middle_name, surname, dob, sex, address, town, postcode, uprn, nhs_number,
 * record_date, subject_min_age: linkage::canonical_columns()); record_date is the date the
 * record's address refers to ("current" for a register's present state), which households use;
 * subject_min_age the youngest its subject can be on that date, in whole years ("18" for a
 * council tax liability). record_id is required, NULL or "" is
 * an empty value; any other column name is EH_ERR_INVALID_ARGUMENT. */

typedef struct eh_linker eh_linker;

/* One candidate person of a lookup. `person_id` is a NUL-terminated string of any length owned by
 * the library: it stays valid until the calling thread's next eh_linker_lookup (on any linker);
 * copy it to keep it. (Person ids have no length limit, so no fixed-size field could hold them.) */
typedef struct eh_match {
  const char* person_id;
  double weight;      /* log2 match weight */
  double probability; /* match probability */
} eh_match;

EH_API int eh_linker_create(const char* settings_json, eh_linker** out);
EH_API void eh_linker_free(eh_linker* linker);
/* Adds records (before eh_linker_link: part of the next link; after it: linked incrementally). */
EH_API int eh_linker_add_records(eh_linker* linker, size_t n_records, size_t n_columns,
                                 const char* const* column_names, const char* const* values);
/* Trains the model (u by random sampling, m by EM per blocking rule). */
EH_API int eh_linker_fit(eh_linker* linker);
/* Uses a model JSON (earlyhelp's or Splink's) instead of training. */
EH_API int eh_linker_load_model(eh_linker* linker, const char* model_json);
/* Links the records into persons: trains the model unless eh_linker_fit or eh_linker_load_model
 * did, scores the candidate pairs and clusters them (the sequence C++, Python and the CLI run). */
EH_API int eh_linker_link(eh_linker* linker);
/* Number of records added so far. */
EH_API int eh_linker_n_records(const eh_linker* linker, size_t* out);
/* Person id of record `index` (in the order added) into `buf`; *needed = its size with the NUL
 * (the output convention at the top). */
EH_API int eh_linker_person_id(const eh_linker* linker, size_t index, char* buf, size_t capacity,
                               size_t* needed);
/* Best `k` persons for one record (1 row of `n_columns` values), strongest first, without adding
 * it; `out` holds at least `k` entries, *n_out receives how many were written. */
EH_API int eh_linker_lookup(eh_linker* linker, size_t n_columns, const char* const* column_names,
                            const char* const* values, size_t k, eh_match* out, size_t* n_out);
/* The household of linked person `person_id` (e.g. an eh_match's) on `as_of` ("YYYY-MM-DD"): the
 * persons sharing their address on the date (property reference, else address and postcode), the
 * person among them, as CSV text into `out` (the output convention at the top): the header
 * "person_id,household_id,role,family" then one line per member, sorted by person id; role is
 * "adult", "child" (by age on the date) or "unknown" (no date of birth); family is 1 when the
 * household has a child. A person no one lives with is a household of one.
 * EH_ERR_STATE before eh_linker_link; EH_ERR_INVALID_ARGUMENT for an unknown person id or a bad
 * date. The first call for a date costs one pass over the linked records (O(records log
 * records)); later calls for the same date look the person up (O(household)) until records are
 * added or linked again. Safe from several threads at once. */
EH_API int eh_linker_household(const eh_linker* linker, const char* person_id, const char* as_of,
                               char* out, size_t capacity, size_t* needed);

/* ==== Features (eh_feature_set, eh_feature_case) ===============================================
 * One person's feature row for a case system: load the definitions (the built-in set, a risk
 * domain's set, or JSON checked against the built-in schema), hand over the records the system
 * holds about the person and the other members of their household, stream by stream, and ask for
 * the row as of a date. Rows are checked against the schema as `earlyhelp validate` checks them;
 * rejected rows are counted and not used. Records are `n_rows` rows of `n_columns` NUL-terminated
 * UTF-8 strings in row-major order, the columns named by the stream's field names (every required
 * field present); NULL or "" is an empty value. Only records dated before the as-of date are
 * used. The row holds one value per feature, in the set's order, as doubles (the float32 feature
 * values, exactly), NaN where a value is not known: it can go straight to eh_model_predict_one. A
 * stream never given reads as not known (its features NaN); give it with no rows to say the
 * person has none. */

typedef struct eh_feature_set eh_feature_set;
typedef struct eh_feature_case eh_feature_case;

/* The built-in definitions (four risk domains and the Troubled Families criteria). */
EH_API int eh_feature_set_builtin(eh_feature_set** out);
/* The set built-in risk domain `domain` reads: the built-in definitions plus the domain's own
 * (the homelessness bundle reads features only its domain defines), so that the rows of
 * eh_feature_case_row can go to eh_model_score_row with that domain's bundle. `domain` is
 * "safeguarding", "homelessness", "asb" or "debt"; another name is EH_ERR_INVALID_ARGUMENT
 * naming the four. */
EH_API int eh_feature_set_domain(const char* domain, eh_feature_set** out);
/* Definitions from JSON text, checked against the built-in schema. EH_ERR_INVALID_ARGUMENT with
 * the JSON path and what was expected in eh_last_error() when they do not check. */
EH_API int eh_feature_set_from_json(const char* json, eh_feature_set** out);
/* Frees a set; NULL is a no-op. */
EH_API void eh_feature_set_free(eh_feature_set* set);
/* Number of features (the length of a row). */
EH_API int eh_feature_set_num_features(const eh_feature_set* set, size_t* out);
/* Name of feature `index` into `out` (the output convention at the top). */
EH_API int eh_feature_set_name(const eh_feature_set* set, size_t index, char* out, size_t capacity,
                               size_t* needed);
/* The plain-language sentence of feature `index` with the values of `row` (n_values = the number
 * of features), e.g. "2 police domestic-abuse notifications in the last 90 days". */
EH_API int eh_feature_set_describe(const eh_feature_set* set, size_t index, const double* row,
                                   size_t n_values, char* out, size_t capacity, size_t* needed);

/* A case: the records of one person and their household (it keeps its own copy of the set). */
EH_API int eh_feature_case_create(const eh_feature_set* set, eh_feature_case** out);
/* Frees a case; NULL is a no-op. */
EH_API void eh_feature_case_free(eh_feature_case* c);
/* Adds rows of `stream` about household member `member` (0: the person whose row is computed;
 * 1, 2, ...: the others); *n_rejected (may be NULL) receives the rows the schema rejected. */
EH_API int eh_feature_case_add_rows(eh_feature_case* c, size_t member, const char* stream,
                                    size_t n_rows, size_t n_columns,
                                    const char* const* column_names, const char* const* values,
                                    size_t* n_rejected);
/* The role of a member whose age is not known from their records: "adult", "child" or "unknown".
 * Setting a role (any, "unknown" too) also says the members are a household: a person living
 * alone is then a household of one. Without a role set or a second member the case has no
 * household, and its family features are NaN (not known). */
EH_API int eh_feature_case_set_role(eh_feature_case* c, size_t member, const char* role);
/* Person 0's row as of `as_of` ("YYYY-MM-DD") into `out` (capacity >= the number of features). */
EH_API int eh_feature_case_row(const eh_feature_case* c, const char* as_of, double* out,
                               size_t capacity);

/* ==== Troubled Families: one family's assessment ===============================================
 * The case's members are the family (one household); the assessment is `earlyhelp tf`'s for one
 * family: which of the framework's criteria are met as of `as_of` ("YYYY-MM-DD"; only records
 * dated before it), how many, eligibility (at least the framework's minimum), the records that
 * evidence each criterion met ("<stream>:<record_id>", from the rows given), the attendance
 * distance travelled and distance to the target (percentage points, null when no child has
 * attendance) and near miss. `framework_json` is a framework (earlyhelp tf --framework's JSON) or
 * NULL for the built-in Troubled Families headline problems. The result is JSON text into `out`
 * (the output convention at the top):
 *   {"framework": "troubled_families", "as_of": "2024-04-01", "known": true,
 *    "criteria_met": 2, "min_criteria": 2, "eligible": true, "near_miss": false,
 *    "attendance_distance_travelled": -3.5, "attendance_distance_to_target": 12.0,
 *    "criteria": [{"name": "crime_asb", "met": true, "evidence": ["police_incidents:I7"]}, ...],
 *    "members": [{"member": 0, "role": "adult"}, ...]}
 * "known" is false (nothing met, no members) when no member has a record dated before as_of.
 * Advisory: a programme worker decides. */
EH_API int eh_feature_case_tf(const eh_feature_case* c, const char* framework_json, const char* as_of,
                              char* out, size_t capacity, size_t* needed);

/* ==== Risk profiling: one person's score with reasons ==========================================
 * Scores one person's feature row with a domain's model bundle (an eh_model holding a risk
 * domain's bundle, e.g. lib/profiling/models/asb.ehm or a council's own) and gives the reasons as
 * plain sentences with values, as `earlyhelp profile` writes them. The row is one value per
 * feature of `set`, in its order (eh_feature_case_row), NaN where not known; the bundle's
 * features are taken from it by name. The score is advisory: a professional decides.
 * A family-level domain (homelessness; its set from eh_feature_set_domain) scores a household:
 * the row of any member holds the household's family features as `earlyhelp profile` computes
 * them, so the score is the family's, when the case holds every member the data knew before the
 * as-of date (a member counts from their first record dated before it), each with all the
 * records the system holds about them, every stream the council holds given (with no rows where
 * there are none: a stream never given is not known), and the households file's role for a
 * member whose records give no date of birth (eh_feature_case_set_role). A person living alone is
 * a household of one only once a role is set for them, "unknown" too; otherwise the family
 * features are NaN and the score is not the family's. */

/* *out_score: the score; *out_above (may be NULL): 1 when at or above the bundle's alert
 * threshold (0 without one); the top `k` reasons, strongest first, one sentence per line (joined
 * by '\n') into `reasons` (the output convention at the top: *needed = the size with the NUL;
 * EH_ERR_BUFFER, and no score written, when it does not fit). k = 0 asks for the score alone:
 * reasons may then be NULL (needed = 1).
 * EH_ERR_INVALID_ARGUMENT when n_values is not the number of features of `set` or the bundle
 * needs a feature the set does not have. */
EH_API int eh_model_score_row(const eh_model* model, const eh_feature_set* set, const double* row,
                              size_t n_values, size_t k, double* out_score, int* out_above,
                              char* reasons, size_t capacity, size_t* needed);

/* ==== Troubled Families engagement and savings (earlyhelp::forecast) ==========================
 * The engagement model of `earlyhelp engagement`: fitted on a council's early-help episodes
 * (early_help_episodes.csv: family_ref, start_date, end_date, closure_reason, children, the six
 * problem_* columns) as known before an as-of date, it predicts how long a family's engagement
 * lasts and whether it is turned around in a short engagement, with the avoided cost per family.
 * Predictions are advisory: they help plan a service, never decide a family's support. A fitted
 * eh_engagement is immutable: the functions taking `const eh_engagement*` may be called from
 * several threads at once. */

typedef struct eh_engagement eh_engagement;

/* Fits the model on the episodes file `episodes_path` as known before `as_of` ("YYYY-MM-DD") and
 * scores the episodes open on that date. `options_json` may be NULL (the defaults) or an object
 * with any of "short_weeks" (24), "weekly_cost" (435, GBP per family per week), "threshold" (0.5),
 * "max_weeks" (104), "data_start" ("YYYY-MM-DD"); *n_rejected (may be NULL) receives the rows
 * the schema rejected (not used). EH_ERR_IO when the file cannot be read; EH_ERR_INVALID_ARGUMENT
 * for an unknown option or when nothing closed before as_of. */
EH_API int eh_engagement_fit_file(const char* episodes_path, const char* as_of, const char* options_json,
                                  size_t* n_rejected, eh_engagement** out);
/* Frees a model; NULL is a no-op. */
EH_API void eh_engagement_free(eh_engagement* e);

/* The families open on the as-of date as CSV text (`earlyhelp engagement --out`'s file: family_ref,
 * record_id, start_date, weeks_engaged, problems, p_short, p_achieved, expected_weeks, listed,
 * weeks_saved, avoided_cost; highest p_short first), through the output convention at the top. */
EH_API int eh_engagement_families_csv(const eh_engagement* e, char* out, size_t capacity, size_t* needed);

/* One family's prediction (eh_engagement_predict). */
typedef struct eh_engagement_prediction {
  double weeks_engaged;  /* from the episode's start to the as-of date */
  double p_short;        /* P(turned around within short_weeks of the start | open now) */
  double p_achieved;     /* P(turned around within max_weeks of the start | open now) */
  double expected_weeks; /* expected total length of engagement, restricted to max_weeks */
  double weeks_saved;    /* listed: expected_weeks - short_weeks (at least 0); else 0 */
  double avoided_cost;   /* listed: the savings calculator's gross for weeks_saved at weekly_cost */
  int problems;          /* headline problems recorded at assessment */
  int listed;            /* 1 when p_short >= threshold */
} eh_engagement_prediction;

/* Predicts one family's engagement: its current episode as one row of `n_columns` values of the
 * early_help_episodes stream (NUL-terminated UTF-8, the columns named by the stream's field names:
 * record_id, family_ref, start_date, children and the problem_* columns; end_date and
 * closure_reason empty while open), open on the model's as-of date; `earlier_episodes` is the
 * family's episodes before this one. EH_ERR_INVALID_ARGUMENT, naming the field and why, when the
 * row is rejected by the schema or the episode is not open on the as-of date. */
EH_API int eh_engagement_predict(const eh_engagement* e, size_t n_columns, const char* const* column_names,
                                 const char* const* values, size_t earlier_episodes,
                                 eh_engagement_prediction* out);

/* The intervention calculator of `earlyhelp savings`: `intervention_json` as `earlyhelp savings
 * --config` reads it (eligible, cost_per_unit, an effect of outcomes or weeks_saved, savings
 * items with cashable flags, discount_rate, horizon_years; see the README) -> the result as JSON
 * text into `out` (`earlyhelp savings --json`'s: cost, gross, cashable, net, cost per outcome,
 * break-even; the output convention at the top). EH_ERR_INVALID_ARGUMENT naming the key for a
 * missing, unknown or mistyped input. */
EH_API int eh_savings_calculate(const char* intervention_json, char* out, size_t capacity, size_t* needed);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* EARLYHELP_C_API_H */
