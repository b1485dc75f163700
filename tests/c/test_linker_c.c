/* SPDX-License-Identifier: Apache-2.0 */
/* C API: eh_linker (create, add, fit, link, person ids, lookup, incremental add, errors). */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <stdio.h>
#include <string.h>


static const char* const columns[] = {"record_id", "first_name", "surname", "dob", "address", "postcode"};
#define N_COLS 6

void test_linker_c(void) {
  static const char* first[] = {"william", "margaret", "thomas", "elizabeth", "james", "susan", "peter", "ruby"};
  static const char* surname[] = {"smith", "jones", "taylor", "brown", "wilson", "evans", "walker", "green"};
  /* 8 x 8 people, three records each (one with a nickname-free typo in the surname). */
  static char buf[64 * 3][N_COLS][40];
  const char* values[64 * 3 * N_COLS];
  size_t n = 0, i, j, r;
  eh_linker* l = NULL;
  char pid_a[32], pid_b[32], pid_c[32];
  size_t needed = 0, n_records = 0, n_out = 0;
  eh_match best[3];
  for (i = 0; i < 8; ++i)
    for (j = 0; j < 8; ++j)
      for (r = 0; r < 3; ++r) {
        snprintf(buf[n][0], 40, "r%zu", n);
        snprintf(buf[n][1], 40, "%s", first[i]);
        snprintf(buf[n][2], 40, r == 2 ? "%sx" : "%s", surname[j]);
        snprintf(buf[n][3], 40, "19%02zu-0%zu-1%zu", 50 + i * 5 + j, 1 + j % 9, i);
        snprintf(buf[n][4], 40, "%zu %s road", 1 + i * 8 + j, surname[(i + j) % 8]);
        snprintf(buf[n][5], 40, "LS%zu %zuAB", 1 + i, 1 + j);
        ++n;
      }
  for (i = 0; i < n; ++i)
    for (j = 0; j < N_COLS; ++j) values[i * N_COLS + j] = buf[i][j];

  EXPECT(eh_linker_create("{\"u_sample_pairs\": 50000}", &l) == EH_OK);
  EXPECT(eh_linker_person_id(l, 0, pid_a, sizeof pid_a, &needed) == EH_ERR_STATE);
  EXPECT(eh_linker_add_records(l, n - 3, N_COLS, columns, values) == EH_OK);
  EXPECT(eh_linker_fit(l) == EH_OK);
  EXPECT(eh_linker_link(l) == EH_OK);
  EXPECT(eh_linker_n_records(l, &n_records) == EH_OK && n_records == n - 3);
  EXPECT(eh_linker_person_id(l, 0, pid_a, sizeof pid_a, &needed) == EH_OK && needed == 18);
  EXPECT(eh_linker_person_id(l, 2, pid_b, sizeof pid_b, NULL) == EH_OK);
  EXPECT(eh_linker_person_id(l, 3, pid_c, sizeof pid_c, NULL) == EH_OK);
  EXPECT(strcmp(pid_a, pid_b) == 0);  /* a surname typo joins */
  EXPECT(strcmp(pid_a, pid_c) != 0);  /* another person */
  EXPECT(eh_linker_person_id(l, 0, pid_c, 4, &needed) == EH_ERR_BUFFER && needed == 18);
  EXPECT(eh_linker_person_id(l, 100000, pid_c, sizeof pid_c, NULL) == EH_ERR_INVALID_ARGUMENT);
  /* Lookup of the first record's person with a different record id. */
  {
    const char* q[N_COLS];
    for (j = 0; j < N_COLS; ++j) q[j] = values[j];
    q[0] = "query";
    EXPECT(eh_linker_lookup(l, N_COLS, columns, q, 3, best, &n_out) == EH_OK);
    EXPECT(n_out >= 1 && strcmp(best[0].person_id, pid_a) == 0 && best[0].probability > 0.5);
    /* The whole id, of any length: a pointer into the library's storage, not a fixed-size array. */
    EXPECT(sizeof best[0].person_id == sizeof(const char*) && strlen(best[0].person_id) + 1 == needed);
  }
  /* Incremental: the last person's three records arrive later and form one new person. */
  EXPECT(eh_linker_add_records(l, 3, N_COLS, columns, values + (n - 3) * N_COLS) == EH_OK);
  EXPECT(eh_linker_n_records(l, &n_records) == EH_OK && n_records == n);
  EXPECT(eh_linker_person_id(l, n - 3, pid_b, sizeof pid_b, NULL) == EH_OK);
  EXPECT(eh_linker_person_id(l, n - 1, pid_c, sizeof pid_c, NULL) == EH_OK);
  EXPECT(strcmp(pid_b, pid_c) == 0);
  EXPECT(eh_linker_person_id(l, 0, pid_c, sizeof pid_c, NULL) == EH_OK && strcmp(pid_a, pid_c) == 0);
  /* Errors. */
  {
    const char* bad_cols[] = {"record_id", "shoe_size"};
    const char* bad_vals[] = {"x", "9"};
    EXPECT(eh_linker_add_records(l, 1, 2, bad_cols, bad_vals) == EH_ERR_INVALID_ARGUMENT);
    EXPECT(strstr(eh_last_error(), "shoe_size") != NULL);
  }
  EXPECT(eh_linker_fit(NULL) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_linker_link(l) == EH_ERR_STATE); /* already linked */
  eh_linker_free(l);
  /* eh_linker_link trains the model itself when nothing was fitted or loaded. */
  l = NULL;
  EXPECT(eh_linker_create("{\"u_sample_pairs\": 50000}", &l) == EH_OK);
  EXPECT(eh_linker_add_records(l, n, N_COLS, columns, values) == EH_OK);
  EXPECT(eh_linker_link(l) == EH_OK);
  EXPECT(eh_linker_person_id(l, 0, pid_b, sizeof pid_b, NULL) == EH_OK && strcmp(pid_a, pid_b) == 0);
  eh_linker_free(l);
  eh_linker_free(NULL);
  l = NULL;
  EXPECT(eh_linker_create("{\"nope\": 1}", &l) == EH_ERR_INVALID_ARGUMENT && l == NULL);
}
