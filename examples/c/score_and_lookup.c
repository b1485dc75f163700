/* SPDX-License-Identifier: Apache-2.0 */
/* What a case-management system does with the earlyhelp C API:
 *  1. checks the library it loaded is the one its header describes (EH_ABI_VERSION);
 *  2. scores one person's feature row with a domain's model bundle, with the reasons;
 *  3. links the records it holds into persons, looks a new record up, and lists the household
 *     of the person found.
 * Build against an installed earlyhelp:
 *   cc -std=c99 score_and_lookup.c $(pkg-config --cflags --libs earlyhelp) -o score_and_lookup
 *   ./score_and_lookup lib/profiling/models/asb.ehm
 * Scores are advisory: a professional decides. */
#include <earlyhelp/c_api.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char* what, int status) {
  fprintf(stderr, "%s: %s (%s)\n", what, eh_status_name(status), eh_last_error());
  return 1;
}

/* Text results: ask for the size, then fetch (the C API's one output convention). */
typedef int (*text_fn)(const void* ctx, char* out, size_t capacity, size_t* needed);

static char* fetch_text(text_fn fn, const void* ctx) {
  size_t needed = 0;
  char* text;
  if (fn(ctx, NULL, 0, &needed) != EH_ERR_BUFFER) return NULL;
  text = (char*)malloc(needed);
  if (text != NULL && fn(ctx, text, needed, &needed) != EH_OK) {
    free(text);
    text = NULL;
  }
  return text;
}

static int score(const char* bundle_path) {
  eh_model* model = NULL;
  eh_feature_set* set = NULL;
  size_t n = 0, i, needed = 0;
  double* row;
  double value = 0;
  int above = 0, rc;
  char reasons[2048];
  if ((rc = eh_model_load_file(bundle_path, NULL, 0, &model)) != EH_OK) return fail("eh_model_load_file", rc);
  if ((rc = eh_feature_set_builtin(&set)) != EH_OK) return fail("eh_feature_set_builtin", rc);
  eh_feature_set_num_features(set, &n);
  row = (double*)malloc(n * sizeof(double));
  if (row == NULL) return 1;
  /* Usually eh_feature_case_row fills the row from the person's records; here: a 15-year-old with
   * nothing else known (NaN). */
  for (i = 0; i < n; ++i) {
    char name[128];
    row[i] = NAN;
    if (eh_feature_set_name(set, i, name, sizeof name, &needed) == EH_OK && strcmp(name, "age") == 0) row[i] = 15;
  }
  rc = eh_model_score_row(model, set, row, n, 3, &value, &above, reasons, sizeof reasons, &needed);
  free(row);
  if (rc != EH_OK) return fail("eh_model_score_row", rc);
  printf("score %.4f (%s the alert threshold)\nreasons:\n%s\n", value, above ? "at or above" : "below", reasons);
  eh_model_free(model);
  eh_feature_set_free(set);
  return 0;
}

struct household_query {
  const eh_linker* linker;
  const char* person_id;
};

static int household_text(const void* ctx, char* out, size_t capacity, size_t* needed) {
  const struct household_query* q = (const struct household_query*)ctx;
  return eh_linker_household(q->linker, q->person_id, "2024-04-01", out, capacity, needed);
}

static int lookup(void) {
  static const char* const columns[] = {"record_id", "first_name", "surname", "dob", "address", "postcode"};
  static const char* const first[] = {"william", "margaret", "thomas", "elizabeth", "james", "susan"};
  static const char* const surname[] = {"smith", "jones", "taylor", "brown", "wilson", "evans"};
  enum { kPeople = 36, kPerPerson = 3, kCols = 6 };
  static char cells[kPeople * kPerPerson][kCols][40];
  const char* values[kPeople * kPerPerson * kCols];
  const char* query[kCols] = {"new-referral", "margret", "jones", "1956-02-11", "4 jones road", "LS2 1AB"};
  eh_linker* linker = NULL;
  eh_match best[3];
  size_t n = 0, i, j, r, n_best = 0;
  int rc;
  char* household;
  /* Three records per person from three systems; two people live at each address. */
  for (i = 0; i < 6; ++i)
    for (j = 0; j < 6; ++j)
      for (r = 0; r < kPerPerson; ++r) {
        snprintf(cells[n][0], 40, "sys%zu-%zu", r, i * 6 + j);
        snprintf(cells[n][1], 40, "%s", first[i]);
        snprintf(cells[n][2], 40, r == 2 ? "%sx" : "%s", surname[j]);
        snprintf(cells[n][3], 40, "19%02zu-0%zu-1%zu", 50 + i * 5 + j, 1 + j, i);
        snprintf(cells[n][4], 40, "%zu %s road", 1 + (i * 6 + j) / 2, surname[i]);
        snprintf(cells[n][5], 40, "LS%zu %zuAB", 1 + i, 1 + j / 2);
        ++n;
      }
  for (i = 0; i < n; ++i)
    for (j = 0; j < kCols; ++j) values[i * kCols + j] = cells[i][j];
  if ((rc = eh_linker_create("{\"u_sample_pairs\": 20000}", &linker)) != EH_OK) return fail("eh_linker_create", rc);
  if ((rc = eh_linker_add_records(linker, n, kCols, columns, values)) != EH_OK) return fail("eh_linker_add_records", rc);
  if ((rc = eh_linker_link(linker)) != EH_OK) return fail("eh_linker_link", rc);
  if ((rc = eh_linker_lookup(linker, kCols, columns, query, 3, best, &n_best)) != EH_OK) return fail("eh_linker_lookup", rc);
  if (n_best == 0) {
    printf("lookup: no candidate person\n");
    eh_linker_free(linker);
    return 1;
  }
  printf("lookup: best person %s (probability %.3f) of %zu candidates\n", best[0].person_id, best[0].probability, n_best);
  {
    struct household_query q;
    q.linker = linker;
    q.person_id = best[0].person_id;
    household = fetch_text(household_text, &q);
  }
  if (household == NULL) return fail("eh_linker_household", EH_ERR_RUNTIME);
  printf("household of %s on 2024-04-01:\n%s", best[0].person_id, household);
  free(household);
  eh_linker_free(linker);
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s BUNDLE.ehm\n", argv[0]);
    return 2;
  }
  if (eh_abi_version() != EH_ABI_VERSION) {
    fprintf(stderr, "libearlyhelp_c has ABI %d, this program was built for %d\n", eh_abi_version(), EH_ABI_VERSION);
    return 1;
  }
  printf("earlyhelp %s, ABI %d (header %d)\n", eh_version(), eh_abi_version(), EH_ABI_VERSION);
  if (score(argv[1]) != 0) return 1;
  return lookup();
}
