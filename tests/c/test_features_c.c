/* SPDX-License-Identifier: Apache-2.0 */
/* C API tests of features for a case system; called from test_c_api.c's main. */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t feature_index(const eh_feature_set* set, const char* name) {
  size_t n = 0, needed = 0, j;
  char buf[128];
  eh_feature_set_num_features(set, &n);
  for (j = 0; j < n; ++j)
    if (eh_feature_set_name(set, j, buf, sizeof buf, &needed) == EH_OK && strcmp(buf, name) == 0) return j;
  return (size_t)-1;
}

static const char* const register_columns[] = {"record_id", "first_name", "middle_name", "surname", "dob",
                                               "sex", "address_line", "town", "postcode", "uprn",
                                               "nhs_number", "ethnicity_group", "start_date", "end_date"};
static const char* const register_rows[] = {"PR1", "Ann", "", "Lee", "1980-04-01", "F", "1 High St", "Town",
                                            "SS16 7AB", "", "", "white", "2015-01-01", ""};

const char* const eh_test_da_columns[] = {"record_id", "incident_ref", "first_name", "surname", "dob", "sex",
                                         "address_line", "town", "postcode", "incident_date", "role",
                                         "risk_level", "crime_flag"};
const char* const eh_test_da_rows[] = {
    "DA1", "I1", "Ann", "Lee", "1980-04-01", "F", "", "", "", "2024-03-20", "victim", "high", "N",
    "DA2", "I2", "Ann", "Lee", "", "F", "", "", "", "2024-02-01", "victim", "standard", NULL,
    "DA3", "I3", "Ann", "Lee", "", "F", "", "", "", "2024-02-02", "victimised", "high", "N", /* rejected */
    "DA4", "I4", "Ann", "Lee", "", "F", "", "", "", "2024-05-01", "victim", "high", "N"};  /* after the date */

const char* const eh_test_sa_columns[] = {"record_id", "upn", "first_name", "middle_name", "surname", "dob",
                                         "sex", "postcode", "school_urn", "academic_year", "term",
                                         "term_end_date", "sessions_possible", "sessions_attended",
                                         "authorised_absence_sessions", "unauthorised_absence_sessions",
                                         "free_school_meals", "sen_status"};
const char* const eh_test_sa_rows[] = {
    "SA1", "J881219212267", "Bo", "", "Lee", "2012-04-02", "M", "", "", "2022/23", "summer", "2023-07-21", "100", "85", "", "", "N", "none",
    "SA2", "J881219212267", "Bo", "", "Lee", "2012-04-02", "M", "", "", "2023/24", "autumn", "2023-12-20", "100", "80", "", "", "N", "none",
    "SA3", "J881219212267", "Bo", "", "Lee", "2012-04-02", "M", "", "", "2023/24", "spring", "2024-03-28", "100", "70", "", "", "N", "none"};

void test_features_c(void) {
  eh_feature_set* set = NULL;
  eh_feature_case* c = NULL;
  size_t n = 0, needed = 0, rejected = 99;
  double* row;
  char text[256];

  EXPECT(eh_feature_set_builtin(&set) == EH_OK && set != NULL);
  EXPECT(eh_feature_set_num_features(set, &n) == EH_OK && n >= 100);
  EXPECT(eh_feature_set_name(set, 0, NULL, 0, &needed) == EH_ERR_BUFFER && needed == 4); /* "age" + NUL */
  EXPECT(eh_feature_set_name(set, n, text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);

  EXPECT(eh_feature_case_create(set, &c) == EH_OK && c != NULL);
  EXPECT(eh_feature_case_add_rows(c, 0, "person_register", 1, 14, register_columns, register_rows, &rejected) == EH_OK);
  EXPECT(rejected == 0);
  EXPECT(eh_feature_case_add_rows(c, 0, "police_domestic_abuse", 4, 13, eh_test_da_columns, eh_test_da_rows, &rejected) == EH_OK);
  EXPECT(rejected == 1);
  EXPECT(eh_feature_case_add_rows(c, 1, "school_attendance", 3, 18, eh_test_sa_columns, eh_test_sa_rows, NULL) == EH_OK);
  EXPECT(eh_feature_case_add_rows(c, 0, "police_domestic_abus", 4, 13, eh_test_da_columns, eh_test_da_rows, NULL) ==
         EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "did you mean \"police_domestic_abuse\"") != NULL);
  EXPECT(eh_feature_case_add_rows(c, 0, "police_domestic_abuse", 1, 3, eh_test_da_columns, eh_test_da_rows, NULL) ==
         EH_ERR_INVALID_ARGUMENT); /* required columns missing */
  EXPECT(eh_feature_case_set_role(c, 2, "grown-up") == EH_ERR_INVALID_ARGUMENT);

  row = (double*)malloc(n * sizeof(double));
  EXPECT(eh_feature_case_row(c, "2024-04-01", row, n - 1) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_feature_case_row(c, "2024-02-30", row, n) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_feature_case_row(c, "2024-04-01", row, n) == EH_OK);
  EXPECT(row[feature_index(set, "age")] == 44.0);
  EXPECT(row[feature_index(set, "sex_female")] == 1.0);
  EXPECT(row[feature_index(set, "da_notifications_90d")] == 2.0);
  EXPECT(row[feature_index(set, "da_high_risk_365d")] == 1.0);
  EXPECT(row[feature_index(set, "family_adults")] == 1.0);
  EXPECT(row[feature_index(set, "family_children")] == 1.0);
  EXPECT(row[feature_index(set, "family_adult_domestic_abuse")] == 1.0);
  EXPECT(row[feature_index(set, "family_children_persistent_absence")] == 1.0);
  EXPECT(isnan(row[feature_index(set, "ae_attendances_365d")])); /* never given: not known */
  EXPECT(eh_feature_set_describe(set, feature_index(set, "da_notifications_90d"), row, n, text, sizeof text,
                                 &needed) == EH_OK);
  EXPECT(strcmp(text, "2 police domestic-abuse notifications in the last 90 days") == 0);

  /* A stream given with no rows: none, not unknown. */
  EXPECT(eh_feature_case_add_rows(c, 0, "health_ae", 0, 1, eh_test_da_columns, NULL, NULL) == EH_ERR_INVALID_ARGUMENT);
  {
    static const char* const ae_columns[] = {"record_id", "nhs_number", "first_name", "surname", "dob", "sex",
                                             "postcode", "attendance_date", "arrival_mode", "attendance_category",
                                             "discharge"};
    EXPECT(eh_feature_case_add_rows(c, 0, "health_ae", 0, 11, ae_columns, NULL, NULL) == EH_OK);
  }
  EXPECT(eh_feature_case_row(c, "2024-04-01", row, n) == EH_OK);
  EXPECT(row[feature_index(set, "ae_attendances_365d")] == 0.0);

  EXPECT(eh_feature_case_row(NULL, "2024-04-01", row, n) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "argument 'c' is NULL") != NULL);
  free(row);
  eh_feature_case_free(c);
  eh_feature_case_free(NULL);

  {
    eh_feature_set* bad = NULL;
    EXPECT(eh_feature_set_from_json("{\"name\": \"x\", \"features\": [{\"name\": \"a\", \"kind\": \"count\", \"description\": \"d\", \"template\": \"t\"}]}",
                                    &bad) == EH_ERR_INVALID_ARGUMENT);
    EXPECT(strstr(eh_last_error(), "definitions: features[0]: missing required key \"stream\"") != NULL);
    EXPECT(bad == NULL);
  }
  eh_feature_set_free(set);
  eh_feature_set_free(NULL);
}
