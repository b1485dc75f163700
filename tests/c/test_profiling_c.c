/* SPDX-License-Identifier: Apache-2.0 */
/* C API test of one person's domain score with reasons (eh_model_score_row), and of a family's
 * score in a family-level domain with the shipped homelessness bundle (eh_feature_set_domain);
 * called from test_c_api.c's main. */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Root: da_notifications_90d < 0.5 -> leaf 1.0, else age < 2 -> -2.0 / 3.0 (as test_models_c.c's
 * tiny model, with feature names). Exact TreeSHAP for da = 2, age = 44: age 1.875, da 0.375. */
static const char* kNamedJson =
    "{\"learner\": {\"feature_names\": [\"da_notifications_90d\", \"age\"], \"feature_types\": [\"q\", \"q\"],"
    " \"learner_model_param\": {\"base_score\": \"5E-1\", \"num_class\": \"0\","
    " \"num_feature\": \"2\"}, \"objective\": {\"name\": \"binary:logistic\"},"
    " \"gradient_booster\": {\"name\": \"gbtree\", \"model\": {\"tree_info\": [0], \"trees\": [{"
    " \"left_children\": [2, 3, -1, -1, -1], \"right_children\": [1, 4, -1, -1, -1],"
    " \"split_indices\": [0, 1, 0, 0, 0], \"split_conditions\": [0.5, 2.0, 1.0, -2.0, 3.0],"
    " \"default_left\": [1, 0, 0, 0, 0], \"sum_hessian\": [4, 2, 2, 1, 1]}]}}}}";

/* A case of Ann (police domestic-abuse notifications, with her date of birth) and her son Bo
 * (school attendance), Ann as member `ann` and Bo as the other of 0 and 1; every stream given is
 * given for both (Bo has no notifications, Ann no attendance). */
static eh_feature_case* ann_and_bo(const eh_feature_set* set, size_t ann) {
  eh_feature_case* c = NULL;
  EXPECT(eh_feature_case_create(set, &c) == EH_OK);
  EXPECT(eh_feature_case_add_rows(c, ann, "police_domestic_abuse", 4, 13, eh_test_da_columns, eh_test_da_rows, NULL) ==
         EH_OK);
  EXPECT(eh_feature_case_add_rows(c, 1 - ann, "police_domestic_abuse", 0, 13, eh_test_da_columns, NULL, NULL) == EH_OK);
  EXPECT(eh_feature_case_add_rows(c, 1 - ann, "school_attendance", 3, 18, eh_test_sa_columns, eh_test_sa_rows, NULL) ==
         EH_OK);
  EXPECT(eh_feature_case_add_rows(c, ann, "school_attendance", 0, 18, eh_test_sa_columns, NULL, NULL) == EH_OK);
  return c;
}

/* A homelessness family scored with the shipped bundle: the domain's set has the features the
 * bundle reads (the built-in set alone does not), the row holds the family's features, and the
 * family's score is the same whichever member is person 0. */
static void test_family_score_c(void) {
  eh_feature_set* builtin = NULL;
  eh_feature_set* set = NULL;
  eh_feature_set* none = NULL;
  eh_feature_case* c = NULL;
  eh_model* model = NULL;
  char path[4096];
  char text[2048];
  size_t n = 0, needed = 0;
  double *row, *other;
  double score = -1, score_other = -2, score_empty = -3;
  const char* source = getenv("EARLYHELP_SOURCE_DIR");

  EXPECT(source != NULL);
  if (source == NULL) return;
  snprintf(path, sizeof path, "%s/lib/profiling/models/homelessness.ehm", source);
  EXPECT(eh_model_load_file(path, NULL, 0, &model) == EH_OK);
  EXPECT(eh_feature_set_domain("homelessness", &set) == EH_OK && set != NULL);
  EXPECT(eh_feature_set_num_features(set, &n) == EH_OK);
  EXPECT(feature_index(set, "family_homeless_approaches_365d") != (size_t)-1); /* the domain's own */
  row = (double*)malloc(n * sizeof(double));
  other = (double*)malloc(n * sizeof(double));

  /* Unknown domains are refused naming the four; NULLs too. */
  EXPECT(eh_feature_set_domain("fraud", &none) == EH_ERR_INVALID_ARGUMENT && none == NULL);
  EXPECT(strstr(eh_last_error(), "'fraud'") != NULL);
  EXPECT(strstr(eh_last_error(), "safeguarding, homelessness, asb, debt") != NULL);
  EXPECT(eh_feature_set_domain(NULL, &none) == EH_ERR_INVALID_ARGUMENT && none == NULL);
  EXPECT(eh_feature_set_domain("asb", NULL) == EH_ERR_INVALID_ARGUMENT);

  /* Ann and Bo as of 2024-04-01: a family of an adult victim of domestic abuse and a child. */
  c = ann_and_bo(set, 0);
  EXPECT(eh_feature_case_row(c, "2024-04-01", row, n) == EH_OK);
  eh_feature_case_free(c);
  EXPECT(row[feature_index(set, "family_size")] == 2.0);
  EXPECT(row[feature_index(set, "family_adults")] == 1.0);
  EXPECT(row[feature_index(set, "family_children")] == 1.0);
  EXPECT(row[feature_index(set, "family_adult_domestic_abuse")] == 1.0);
  EXPECT(row[feature_index(set, "family_da_notifications_90d")] == 2.0);
  EXPECT(eh_model_score_row(model, set, row, n, 3, &score, NULL, text, sizeof text, &needed) == EH_OK);
  EXPECT(score > 0.0 && score < 1.0);
  EXPECT(needed > 1); /* reasons, as the features' sentences */
  EXPECT(eh_model_score_row(model, set, row, n - 1, 0, &score_other, NULL, NULL, 0, &needed) ==
         EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "the row has") != NULL);

  /* The same family with Bo as person 0: the same family features, the same score. */
  c = ann_and_bo(set, 1);
  EXPECT(eh_feature_case_row(c, "2024-04-01", other, n) == EH_OK);
  eh_feature_case_free(c);
  EXPECT(eh_model_score_row(model, set, other, n, 0, &score_other, NULL, NULL, 0, &needed) == EH_OK);
  EXPECT(score_other == score);

  /* Nothing known: another score. */
  {
    size_t j;
    for (j = 0; j < n; ++j) other[j] = strtod("nan", NULL);
    EXPECT(eh_model_score_row(model, set, other, n, 0, &score_empty, NULL, NULL, 0, &needed) == EH_OK);
    EXPECT(score_empty != score);
  }

  /* A person living alone whose age and role are not known is a household of one once their
   * role is set ("unknown"), as profile counts them; without it the family is not known. */
  EXPECT(eh_feature_case_create(set, &c) == EH_OK);
  EXPECT(eh_feature_case_add_rows(c, 0, "police_domestic_abuse", 2, 13, eh_test_da_columns, eh_test_da_rows + 13,
                                  NULL) == EH_OK); /* DA2 and DA3 (rejected): no date of birth */
  EXPECT(eh_feature_case_row(c, "2024-04-01", other, n) == EH_OK);
  EXPECT(isnan(other[feature_index(set, "family_size")]));
  EXPECT(eh_feature_case_set_role(c, 0, "unknown") == EH_OK);
  EXPECT(eh_feature_case_row(c, "2024-04-01", other, n) == EH_OK);
  EXPECT(other[feature_index(set, "family_size")] == 1.0);
  EXPECT(other[feature_index(set, "family_adults")] == 0.0);
  eh_feature_case_free(c);

  /* The built-in set alone lacks the homelessness features its bundle reads. */
  EXPECT(eh_feature_set_builtin(&builtin) == EH_OK);
  {
    size_t nb = 0;
    double* b;
    EXPECT(eh_feature_set_num_features(builtin, &nb) == EH_OK && nb < n);
    b = (double*)malloc(nb * sizeof(double));
    memcpy(b, row, nb * sizeof(double)); /* NaN or not, the set is refused first */
    EXPECT(eh_model_score_row(model, builtin, b, nb, 0, &score_other, NULL, NULL, 0, &needed) ==
           EH_ERR_INVALID_ARGUMENT);
    EXPECT(strstr(eh_last_error(), "which feature set") != NULL);
    free(b);
  }
  eh_feature_set_free(builtin);
  free(other);
  free(row);
  eh_model_free(model);
  eh_feature_set_free(set);
}

void test_profiling_c(void) {
  eh_feature_set* set = NULL;
  eh_model* model = NULL;
  size_t n = 0, j, needed = 0;
  double* row;
  double score = -1;
  int above = -1;
  char text[512];
  const char* newline;

  EXPECT(eh_feature_set_builtin(&set) == EH_OK);
  EXPECT(eh_model_import_xgboost_json(kNamedJson, strlen(kNamedJson), &model) == EH_OK);
  eh_feature_set_num_features(set, &n);
  row = (double*)malloc(n * sizeof(double));
  for (j = 0; j < n; ++j) row[j] = strtod("nan", NULL);
  row[feature_index(set, "da_notifications_90d")] = 2;
  row[feature_index(set, "age")] = 44;

  /* The score alone (k = 0), then the size of the reasons (EH_ERR_BUFFER, no score written). */
  EXPECT(eh_model_score_row(model, set, row, n, 0, &score, &above, NULL, 0, &needed) == EH_OK && needed == 1);
  EXPECT(score > 0.95257 && score < 0.95258); /* sigmoid(3) */
  score = -1.0;
  EXPECT(eh_model_score_row(model, set, row, n, 2, &score, &above, NULL, 0, &needed) == EH_ERR_BUFFER);
  EXPECT(score == -1.0);
  EXPECT(above == 0);                         /* the bundle has no alert threshold */
  EXPECT(needed > 1 && needed <= sizeof text);
  EXPECT(eh_model_score_row(model, set, row, n, 2, &score, NULL, text, needed, &needed) == EH_OK);
  EXPECT(strlen(text) + 1 == needed);
  newline = strchr(text, '\n');
  EXPECT(newline != NULL);
  if (newline != NULL) /* age pushes hardest; then the notifications, as the feature's sentence */
    EXPECT(strcmp(newline + 1, "2 police domestic-abuse notifications in the last 90 days") == 0);

  EXPECT(eh_model_score_row(model, set, row, n - 1, 2, &score, NULL, text, sizeof text, &needed) ==
         EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_model_score_row(NULL, set, row, n, 2, &score, NULL, text, sizeof text, &needed) ==
         EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "'model' is NULL") != NULL);
  eh_model_free(model);

  /* A bundle whose feature the set does not have. */
  {
    const char* at = strstr(kNamedJson, "\"age\"");
    char* other = (char*)malloc(strlen(kNamedJson) + 16);
    size_t head = (size_t)(at - kNamedJson);
    memcpy(other, kNamedJson, head);
    strcpy(other + head, "\"shoe_size\"");
    strcat(other, at + 5);
    EXPECT(eh_model_import_xgboost_json(other, strlen(other), &model) == EH_OK);
    EXPECT(eh_model_score_row(model, set, row, n, 2, &score, NULL, text, sizeof text, &needed) ==
           EH_ERR_INVALID_ARGUMENT);
    EXPECT(strstr(eh_last_error(), "needs feature 'shoe_size'") != NULL);
    eh_model_free(model);
    free(other);
  }
  free(row);
  eh_feature_set_free(set);
  test_family_score_c();
}
