/* SPDX-License-Identifier: Apache-2.0 */
/* C API: one family's Troubled Families assessment (eh_feature_case_tf); called from
 * test_c_api.c's main. The family of test_features_c.c's rows: Ann (44, two police domestic-abuse
 * notifications in the last 12 months, a row the schema rejects, one after the date) and her son
 * Bo (11, attendance 85%, 80% and 70% in the last three terms). */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <stdlib.h>
#include <string.h>

/* A framework of one criterion (domestic abuse), eligible with it. */
static const char* kTfOneCriterion =
    "{\"name\": \"da_only\", \"title\": \"t\", \"version\": \"1\", \"min_criteria\": 1,"
    " \"criteria\": [{\"name\": \"domestic_abuse\", \"label\": \"l\", \"feature\": \"tf_domestic_abuse\"}],"
    " \"attendance\": {\"criterion\": \"domestic_abuse\", \"last\": \"attendance_last3_terms\","
    " \"previous\": \"attendance_prev3_terms\", \"target\": 0.9, \"near_miss_points\": 5}, \"features\": []}";

void test_tf_c(void) {
  eh_feature_set* set = NULL;
  eh_feature_case* c = NULL;
  size_t needed = 0, needed2 = 0;
  char* json;

  EXPECT(eh_feature_set_builtin(&set) == EH_OK);
  EXPECT(eh_feature_case_create(set, &c) == EH_OK);
  EXPECT(eh_feature_case_add_rows(c, 0, "police_domestic_abuse", 4, 13, eh_test_da_columns, eh_test_da_rows, NULL) == EH_OK);
  EXPECT(eh_feature_case_add_rows(c, 1, "school_attendance", 3, 18, eh_test_sa_columns, eh_test_sa_rows, NULL) == EH_OK);

  EXPECT(eh_feature_case_tf(c, NULL, "2024-04-01", NULL, 0, &needed) == EH_ERR_BUFFER);
  EXPECT(needed > 100);
  json = (char*)malloc(needed);
  EXPECT(eh_feature_case_tf(c, NULL, "2024-04-01", json, needed, &needed2) == EH_OK && needed2 == needed);
  EXPECT(strlen(json) + 1 == needed);
  EXPECT(strstr(json, "\"framework\":\"troubled_families\"") != NULL);
  EXPECT(strstr(json, "\"known\":true") != NULL);
  EXPECT(strstr(json, "\"criteria_met\":2") != NULL);
  EXPECT(strstr(json, "\"eligible\":true") != NULL);
  EXPECT(strstr(json, "\"min_criteria\":2") != NULL);
  /* The evidence: both notifications before the date (not DA4 after it), the three terms. */
  EXPECT(strstr(json, "{\"evidence\":[\"police_domestic_abuse:DA1\",\"police_domestic_abuse:DA2\"],"
                      "\"met\":true,\"name\":\"domestic_abuse\"}") != NULL);
  EXPECT(strstr(json, "{\"evidence\":[\"school_attendance:SA1\",\"school_attendance:SA2\",\"school_attendance:SA3\"],"
                      "\"met\":true,\"name\":\"education\"}") != NULL);
  EXPECT(strstr(json, "{\"evidence\":[],\"met\":false,\"name\":\"crime_asb\"}") != NULL);
  /* Attendance over the last three terms 235/300: 11.67 points below 90%; none before: null. */
  EXPECT(strstr(json, "\"attendance_distance_to_target\":11.67") != NULL);
  EXPECT(strstr(json, "\"attendance_distance_travelled\":null") != NULL);
  EXPECT(strstr(json, "\"members\":[{\"member\":0,\"role\":\"adult\"},{\"member\":1,\"role\":\"child\"}]") != NULL);
  free(json);

  /* Before any record: not known, nothing met. */
  {
    char text[2048];
    EXPECT(eh_feature_case_tf(c, NULL, "2020-01-01", text, sizeof text, &needed) == EH_OK);
    EXPECT(strstr(text, "\"known\":false") != NULL && strstr(text, "\"criteria_met\":0") != NULL);
    EXPECT(strstr(text, "\"members\":[]") != NULL);
    /* Another framework, as JSON. */
    EXPECT(eh_feature_case_tf(c, kTfOneCriterion, "2024-04-01", text, sizeof text, &needed) == EH_OK);
    EXPECT(strstr(text, "\"framework\":\"da_only\"") != NULL && strstr(text, "\"eligible\":true") != NULL);
    EXPECT(strstr(text, "\"criteria_met\":1") != NULL);
    /* Errors. */
    EXPECT(eh_feature_case_tf(c, "{\"name\": 1}", "2024-04-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
    EXPECT(eh_feature_case_tf(c, NULL, "2024-13-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
    EXPECT(strstr(eh_last_error(), "as_of is not a date") != NULL);
    /* Too small: EH_ERR_BUFFER, nothing written. */
    memset(text, 'x', sizeof text);
    EXPECT(eh_feature_case_tf(c, NULL, "2024-04-01", text, 16, &needed) == EH_ERR_BUFFER && needed > 16);
    EXPECT(text[0] == 'x');
  }
  eh_feature_case_free(c);
  eh_feature_set_free(set);
}
