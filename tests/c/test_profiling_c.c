/* SPDX-License-Identifier: Apache-2.0 */
/* C API test of one person's domain score with reasons (eh_model_score_row); called from
 * test_c_api.c's main. */
#include "check.h"
#include "earlyhelp/c_api.h"

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
}
