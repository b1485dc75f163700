/* SPDX-License-Identifier: Apache-2.0 */
/* C API: the household of a linked person (eh_linker_household); called from test_c_api.c's main. */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* const hh_columns[] = {"record_id", "first_name", "surname", "dob", "address", "postcode"};
#define HH_N_COLS 6

/* The number of lines of `text` that start with `prefix`. */
static int hh_lines_starting(const char* text, const char* prefix) {
  int n = 0;
  const char* line = text;
  while (line != NULL && *line != '\0') {
    if (strncmp(line, prefix, strlen(prefix)) == 0) ++n;
    line = strchr(line, '\n');
    if (line != NULL) ++line;
  }
  return n;
}

static int hh_count_lines(const char* text) {
  int n = 0;
  for (; *text != '\0'; ++text) n += *text == '\n';
  return n;
}

void test_household_c(void) {
  static const char* first[] = {"william", "margaret", "thomas", "elizabeth", "james", "susan"};
  static const char* surname[] = {"smith", "jones", "taylor", "brown", "wilson", "evans"};
  /* 36 people, three records each; person 2k and 2k+1 share an address (a household of two), and
   * person 35 (the last) lives alone at another address from person 34's. */
  static char buf[36 * 3][HH_N_COLS][40];
  const char* values[36 * 3 * HH_N_COLS];
  size_t n = 0, i, j, r, needed = 0, small_needed = 0;
  eh_linker* l = NULL;
  char pid0[64], pid1[64], pid2[64], pid35[64], text[1024], other_date[1024];
  for (i = 0; i < 6; ++i)
    for (j = 0; j < 6; ++j)
      for (r = 0; r < 3; ++r) {
        const size_t p = i * 6 + j, home = p == 35 ? 99 : p / 2;
        snprintf(buf[n][0], 40, "r%zu", n);
        snprintf(buf[n][1], 40, "%s", first[i]);
        snprintf(buf[n][2], 40, r == 2 ? "%sx" : "%s", surname[j]);
        /* adults, except the second of each pair of the first row: a child born in 2015 */
        if (i == 0 && j % 2 == 1) snprintf(buf[n][3], 40, "2015-0%zu-10", 1 + j);
        else snprintf(buf[n][3], 40, "19%02zu-0%zu-1%zu", 50 + i * 5 + j, 1 + j, i);
        snprintf(buf[n][4], 40, "%zu %s road", 1 + home, surname[home % 6]);
        snprintf(buf[n][5], 40, "LS%zu %zuAB", 1 + home / 6, 1 + home % 6);
        ++n;
      }
  for (i = 0; i < n; ++i)
    for (j = 0; j < HH_N_COLS; ++j) values[i * HH_N_COLS + j] = buf[i][j];

  EXPECT(eh_linker_create("{\"u_sample_pairs\": 20000}", &l) == EH_OK);
  EXPECT(eh_linker_add_records(l, n, HH_N_COLS, hh_columns, values) == EH_OK);
  EXPECT(eh_linker_household(l, "anyone", "2024-04-01", text, sizeof text, &needed) == EH_ERR_STATE);
  EXPECT(eh_linker_link(l) == EH_OK);
  EXPECT(eh_linker_person_id(l, 0, pid0, sizeof pid0, NULL) == EH_OK);   /* person 0 */
  EXPECT(eh_linker_person_id(l, 3, pid1, sizeof pid1, NULL) == EH_OK);   /* person 1: 0's household */
  EXPECT(eh_linker_person_id(l, 6, pid2, sizeof pid2, NULL) == EH_OK);   /* person 2: another */
  EXPECT(eh_linker_person_id(l, n - 1, pid35, sizeof pid35, NULL) == EH_OK);
  EXPECT(strcmp(pid0, pid1) != 0 && strcmp(pid0, pid2) != 0);

  /* Size first, then the text: header + the two members, sorted, person 1 a child on the date. */
  EXPECT(eh_linker_household(l, pid0, "2024-04-01", NULL, 0, &needed) == EH_ERR_BUFFER);
  EXPECT(needed > 1 && needed <= sizeof text);
  EXPECT(eh_linker_household(l, pid0, "2024-04-01", text, needed, &needed) == EH_OK);
  EXPECT(strlen(text) + 1 == needed);
  EXPECT(strncmp(text, "person_id,household_id,role,family\n", 35) == 0);
  EXPECT(hh_lines_starting(text, pid0) == 1 && hh_lines_starting(text, pid1) == 1 && hh_lines_starting(text, pid2) == 0);
  EXPECT(hh_count_lines(text) == 3); /* header + two members */
  {
    char line[160];
    snprintf(line, sizeof line, "%s,", pid1);
    EXPECT(strstr(text, line) != NULL && strstr(strstr(text, line), ",child,1\n") != NULL);
  }
  /* The same household from the other member. */
  {
    char other[1024];
    EXPECT(eh_linker_household(l, pid1, "2024-04-01", other, sizeof other, NULL) == EH_OK);
    EXPECT(strcmp(text, other) == 0);
  }
  /* Alone: a household of one. */
  EXPECT(eh_linker_household(l, pid35, "2024-04-01", text, sizeof text, &needed) == EH_OK);
  EXPECT(hh_lines_starting(text, pid35) == 1 && hh_count_lines(text) == 2);
  /* Another date, then a new person added at person 35's address after linking: the household
   * follows (the index kept for a date is dropped when records are added). */
  EXPECT(eh_linker_household(l, pid0, "2023-04-01", other_date, sizeof other_date, NULL) == EH_OK);
  EXPECT(hh_lines_starting(other_date, pid0) == 1);
  EXPECT(eh_linker_household(l, pid35, "2024-04-01", text, sizeof text, &needed) == EH_OK);
  EXPECT(hh_count_lines(text) == 2); /* alone, and this date's households are now kept */
  {
    static const char* const lodger[HH_N_COLS] = {"lodger1", "zachary", "quill", "1990-06-15", "100 brown road", "LS17 4AB"};
    EXPECT(eh_linker_add_records(l, 1, HH_N_COLS, hh_columns, lodger) == EH_OK);
  }
  EXPECT(eh_linker_household(l, pid35, "2024-04-01", text, sizeof text, &needed) == EH_OK);
  EXPECT(hh_lines_starting(text, pid35) == 1 && hh_count_lines(text) == 3);
  /* Too small: nothing written, the size said. */
  memset(text, 'x', sizeof text);
  EXPECT(eh_linker_household(l, pid0, "2024-04-01", text, 10, &small_needed) == EH_ERR_BUFFER);
  EXPECT(small_needed > 10 && text[0] == 'x');
  /* Errors. */
  EXPECT(eh_linker_household(l, "no-such-person", "2024-04-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "no linked person") != NULL && strstr(eh_last_error(), "no-such-person") == NULL);
  EXPECT(eh_linker_household(l, pid0, "2024-02-30", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_linker_household(l, NULL, "2024-04-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_linker_household(l, pid0, NULL, text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  eh_linker_free(l);
  EXPECT(eh_linker_household(l, pid0, "2024-04-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "not a live eh_linker") != NULL);
}
