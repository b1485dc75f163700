/* SPDX-License-Identifier: Apache-2.0 */
/* C API: the Troubled Families engagement model (eh_engagement_*) and the intervention calculator
 * (eh_savings_calculate); called from test_c_api.c's main. */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* const kEpisodesFile = "eh_c_test_early_help_episodes.csv";

static const char* const kEpisodeColumns[] = {"record_id", "family_ref", "start_date", "end_date", "closure_reason",
                                       "children", "problem_crime_asb", "problem_school_attendance",
                                       "problem_children_need_help", "problem_worklessness_debt",
                                       "problem_domestic_abuse", "problem_health"};
#define EP_N_COLS 12

/* 240 closed episodes in 2021-2023 (fewer problems: shorter, and more often turned around) and 30
 * open on 2024-01-01, plus one row the schema rejects. */
static int write_test_episodes(void) {
  FILE* f = fopen(kEpisodesFile, "w");
  int k, c;
  if (f == NULL) return 0;
  for (c = 0; c < EP_N_COLS; ++c) fprintf(f, "%s%s", kEpisodeColumns[c], c + 1 < EP_N_COLS ? "," : "\n");
  for (k = 0; k < 270; ++k) {
    const int problems = k % 5, open = k >= 240;
    const int start_month = open ? 6 + k % 6 : k % 24, months = 2 + 2 * problems + k % 3;
    const int end_month = start_month + months;
    const char* reason = (k % 4 != 0 && problems < 3) || k % 7 == 0 ? "outcomes_achieved"
                         : k % 2 == 0                             ? "disengaged"
                                                                  : "stepped_up";
    fprintf(f, "E%d,F%d,%d-%02d-%02d,", k, k, open ? 2023 : 2021 + start_month / 12, 1 + start_month % 12, 1 + k % 28);
    if (open) fprintf(f, ",,");
    else fprintf(f, "%d-%02d-%02d,%s,", 2021 + end_month / 12, 1 + end_month % 12, 1 + k % 28, reason);
    fprintf(f, "%d", 1 + k % 3);
    for (c = 0; c < 6; ++c) fprintf(f, ",%s", c < problems ? "Y" : "N");
    fprintf(f, "\n");
  }
  fprintf(f, "BAD1,F999,2022-02-30,,,1,N,N,N,N,N,N\n");
  return fclose(f) == 0;
}

/* The p_short column of record `record_id` in the families CSV, or -1. */
static double families_p_short(const char* csv, const char* record_id) {
  char key[32];
  const char* at;
  double weeks = 0, p = -1;
  int problems = 0;
  snprintf(key, sizeof key, ",%s,", record_id);
  at = strstr(csv, key);
  if (at == NULL) return -1;
  at += strlen(key) + 11; /* the start date and its comma */
  if (sscanf(at, "%lf,%d,%lf", &weeks, &problems, &p) != 3) return -1;
  return p;
}

static void test_engagement_c(void) {
  eh_engagement* e = NULL;
  size_t rejected = 99, needed = 0;
  char* csv = NULL;
  eh_engagement_prediction pred;
  /* E246 as it is in the file: open since 2023-07-23, one child, one problem. */
  const char* row[EP_N_COLS] = {"E246", "F246", "2023-07-23", "", "", "1", "Y", "N", "N", "N", "N", "N"};

  EXPECT(write_test_episodes());
  EXPECT(eh_engagement_fit_file(kEpisodesFile, "2024-01-01", "{\"short_weeks\": 24, \"weekly_cost\": 435}", &rejected,
                                &e) == EH_OK);
  EXPECT(rejected == 1);
  /* The families open on the date, as `earlyhelp engagement --out` writes them. */
  EXPECT(eh_engagement_families_csv(e, NULL, 0, &needed) == EH_ERR_BUFFER && needed > 100);
  csv = (char*)malloc(needed);
  EXPECT(eh_engagement_families_csv(e, csv, needed, &needed) == EH_OK);
  EXPECT(strncmp(csv, "family_ref,record_id,start_date,weeks_engaged,problems,p_short,p_achieved,expected_weeks,"
                      "listed,weeks_saved,avoided_cost\n", 113) == 0);
  EXPECT(families_p_short(csv, "E246") >= 0 && families_p_short(csv, "E0") == -1); /* open ones only */

  /* One family: the same library function, so the same numbers as its line of the table. */
  EXPECT(eh_engagement_predict(e, EP_N_COLS, kEpisodeColumns, row, 0, &pred) == EH_OK);
  EXPECT(pred.problems == 1);
  EXPECT(pred.weeks_engaged > 23.1 && pred.weeks_engaged < 23.2); /* 162 days */
  EXPECT(pred.p_short >= 0 && pred.p_short <= 1 && pred.p_achieved >= pred.p_short);
  {
    char expected[16], got[16];
    snprintf(expected, sizeof expected, "%.4f", families_p_short(csv, "E246"));
    snprintf(got, sizeof got, "%.4f", pred.p_short);
    EXPECT(strcmp(expected, got) == 0);
  }
  EXPECT(pred.expected_weeks >= pred.weeks_engaged && pred.expected_weeks <= 104);
  EXPECT(pred.listed == (pred.p_short >= 0.5));
  if (pred.listed) {
    EXPECT(pred.weeks_saved >= 0 && pred.avoided_cost > 435 * pred.weeks_saved - 0.5 &&
           pred.avoided_cost < 435 * pred.weeks_saved + 0.5);
  } else {
    EXPECT(pred.weeks_saved == 0 && pred.avoided_cost == 0);
  }
  /* A family with every problem is predicted a longer engagement than one with one problem. */
  {
    const char* heavy[EP_N_COLS] = {"Q2", "FQ2", "2023-07-23", "", "", "1", "Y", "Y", "Y", "Y", "Y", "N"};
    eh_engagement_prediction p2;
    EXPECT(eh_engagement_predict(e, EP_N_COLS, kEpisodeColumns, heavy, 0, &p2) == EH_OK);
    EXPECT(p2.problems == 5 && p2.expected_weeks > pred.expected_weeks && p2.p_short < pred.p_short);
  }
  /* Rejected rows and episodes not open on the date: a message naming the field, no result. */
  {
    const char* bad[EP_N_COLS] = {"Q3", "FQ3", "2023-02-30", "", "", "2", "Y", "N", "N", "N", "N", "N"};
    const char* later[EP_N_COLS] = {"Q4", "FQ4", "2024-03-01", "", "", "2", "Y", "N", "N", "N", "N", "N"};
    const char* closed[EP_N_COLS] = {"Q5", "FQ5", "2023-01-01", "2023-06-01", "disengaged", "2", "Y", "N", "N", "N", "N", "N"};
    memset(&pred, 0, sizeof pred);
    pred.problems = -7;
    EXPECT(eh_engagement_predict(e, EP_N_COLS, kEpisodeColumns, bad, 0, &pred) == EH_ERR_INVALID_ARGUMENT);
    EXPECT(strstr(eh_last_error(), "start_date") != NULL && strstr(eh_last_error(), "2023-02-30") == NULL);
    EXPECT(pred.problems == -7);
    EXPECT(eh_engagement_predict(e, EP_N_COLS, kEpisodeColumns, later, 0, &pred) == EH_ERR_INVALID_ARGUMENT);
    EXPECT(strstr(eh_last_error(), "not open on the as-of date") != NULL);
    EXPECT(eh_engagement_predict(e, EP_N_COLS, kEpisodeColumns, closed, 0, &pred) == EH_ERR_INVALID_ARGUMENT);
    EXPECT(eh_engagement_predict(e, 3, kEpisodeColumns + 3, row + 3, 0, &pred) == EH_ERR_INVALID_ARGUMENT);
  }
  /* NULL arguments and a too-small buffer: errors, nothing written. */
  EXPECT(eh_engagement_predict(e, EP_N_COLS, NULL, row, 0, &pred) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_engagement_predict(e, EP_N_COLS, kEpisodeColumns, NULL, 0, &pred) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_engagement_predict(e, EP_N_COLS, kEpisodeColumns, row, 0, NULL) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "argument 'out' is NULL") != NULL);
  memset(csv, 'x', needed);
  EXPECT(eh_engagement_families_csv(e, csv, 10, &needed) == EH_ERR_BUFFER && csv[0] == 'x');
  free(csv);
  eh_engagement_free(e);
  /* Freed: refused with a message; freed again: nothing freed, said so. */
  EXPECT(eh_engagement_predict(e, EP_N_COLS, kEpisodeColumns, row, 0, &pred) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "not a live eh_engagement") != NULL);
  EXPECT(eh_engagement_families_csv(e, NULL, 0, &needed) == EH_ERR_INVALID_ARGUMENT);
  eh_engagement_free(e);
  EXPECT(strstr(eh_last_error(), "freed already") != NULL);
  eh_engagement_free(NULL);

  /* Options and files. */
  e = NULL;
  EXPECT(eh_engagement_fit_file(kEpisodesFile, "2024-01-01", "{\"shortweeks\": 20}", NULL, &e) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "unknown option 'shortweeks'") != NULL && e == NULL);
  EXPECT(eh_engagement_fit_file(kEpisodesFile, "2024-01-01", "{\"threshold\": 2}", NULL, &e) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_engagement_fit_file(kEpisodesFile, "2024-01-01", "[1", NULL, &e) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_engagement_fit_file(kEpisodesFile, "2020-01-01", NULL, NULL, &e) == EH_ERR_INVALID_ARGUMENT); /* nothing closed */
  EXPECT(eh_engagement_fit_file("/nonexistent/episodes.csv", "2024-01-01", NULL, NULL, &e) == EH_ERR_IO);
  EXPECT(e == NULL);
  remove(kEpisodesFile);
}

/* The two published cases of issue 16, to the pound. */
static void test_savings_c(void) {
  char out[4096];
  size_t needed = 0;
  const char* edge_of_care =
      "{\"name\": \"Edge of care\", \"eligible\": 135.5, \"unit\": \"family\", \"cost_per_unit\": 2285,"
      " \"effect\": {\"outcomes\": 21.7, \"outcome\": \"children prevented from entering care\"},"
      " \"savings\": [{\"item\": \"placement\", \"amount\": 29923.09, \"cashable\": true},"
      "               {\"item\": \"other costs of care\", \"amount\": 40803.68, \"cashable\": false}]}";
  const char* short_team =
      "{\"name\": \"Short-term family team\", \"eligible\": 80, \"cost_per_unit\": 0,"
      " \"effect\": {\"weeks_saved\": 14}, \"savings\": [{\"item\": \"family support\", \"amount\": 435}]}";
  const char* pounds;
  EXPECT(eh_savings_calculate(edge_of_care, NULL, 0, &needed) == EH_ERR_BUFFER && needed > 100);
  EXPECT(eh_savings_calculate(edge_of_care, out, sizeof out, &needed) == EH_OK && strlen(out) + 1 == needed);
  pounds = strstr(out, "\"pounds\"");
  EXPECT(pounds != NULL);
  if (pounds != NULL) {
    EXPECT(strstr(pounds, "\"cost\": 309618") != NULL);
    EXPECT(strstr(pounds, "\"gross\": 1534771") != NULL);
    EXPECT(strstr(pounds, "\"net\": 1225153") != NULL);
    EXPECT(strstr(pounds, "\"cashable\": 649331") != NULL);
  }
  EXPECT(eh_savings_calculate(short_team, out, sizeof out, &needed) == EH_OK);
  EXPECT(strstr(out, "\"gross_per_unit\": 6090.0") != NULL);
  EXPECT(strstr(out, "\"gross\": 487200") != NULL);
  EXPECT(eh_savings_calculate("{\"name\": \"x\", \"eligible\": 10}", out, sizeof out, &needed) ==
         EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_savings_calculate("{\"name\": \"x\", \"eligible\": 10, \"colour\": 1}", out, sizeof out, &needed) ==
         EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "colour") != NULL);
  memset(out, 'x', sizeof out);
  EXPECT(eh_savings_calculate(short_team, out, 8, &needed) == EH_ERR_BUFFER && needed > 8 && out[0] == 'x');
  EXPECT(eh_savings_calculate(NULL, out, sizeof out, &needed) == EH_ERR_INVALID_ARGUMENT);
}

void test_forecast_c(void) {
  test_engagement_c();
  test_savings_c();
}
