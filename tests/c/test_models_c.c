/* SPDX-License-Identifier: Apache-2.0 */
/* C API tests for model bundles: import, save/load (memory and file), signatures, corrupt
 * bytes, batch vs one-record agreement, explanations summing to the margin, bad arguments.
 * Called from test_c_api.c's main through run_models_tests(). */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* Root: f0 < 0.5 (NaN left) -> leaf 1.0, else node 1: f1 < 2 (NaN right) -> -2.0 / 3.0. */
const char* const eh_test_tiny_xgboost_json =
    "{\"learner\": {\"learner_model_param\": {\"base_score\": \"5E-1\", \"num_class\": \"0\","
    " \"num_feature\": \"2\"}, \"objective\": {\"name\": \"binary:logistic\"},"
    " \"gradient_booster\": {\"name\": \"gbtree\", \"model\": {\"tree_info\": [0], \"trees\": [{"
    " \"left_children\": [2, 3, -1, -1, -1], \"right_children\": [1, 4, -1, -1, -1],"
    " \"split_indices\": [0, 1, 0, 0, 0], \"split_conditions\": [0.5, 2.0, 1.0, -2.0, 3.0],"
    " \"default_left\": [1, 0, 0, 0, 0], \"sum_hessian\": [4, 2, 2, 1, 1]}]}}}}";

/* Without libm: sigmoid of the leaf margins used below, and an absolute value. */
#define M_ABS(v) ((v) < 0 ? -(v) : (v))
static const double kSigmoid1 = 0.7310585786300049;
static const double kSigmoidMinus2 = 0.11920292202211755;
static const double kSigmoid3 = 0.9525741268224334;

void test_models_c(void) {
  eh_model* model = NULL;
  eh_model* back = NULL;
  size_t n = 0, size = 0;
  const double nan = strtod("nan", NULL);
  const double x[8] = {0.4, 0.0, 0.5, 1.0, 0.7, 2.0, nan, nan};
  double out[4], one, phi[12];
  unsigned char* bytes;
  const char key[] = "approval";
  int i;

  EXPECT(eh_model_import_xgboost_json(eh_test_tiny_xgboost_json, strlen(eh_test_tiny_xgboost_json), &model) == EH_OK);
  EXPECT(eh_model_num_features(model, &n) == EH_OK && n == 2);
  EXPECT(eh_model_num_outputs(model, &n) == EH_OK && n == 1);
  EXPECT(eh_model_num_contributions(model, &n) == EH_OK && n == 3);

  /* batch: exact values (ties go right; NaN follows the default direction) */
  EXPECT(eh_model_predict(model, x, 4, 2, 2, out, 4) == EH_OK);
  EXPECT(M_ABS(out[0] - kSigmoid1) < 1e-6);
  EXPECT(M_ABS(out[1] - kSigmoidMinus2) < 1e-6);
  EXPECT(M_ABS(out[2] - kSigmoid3) < 1e-6);
  EXPECT(M_ABS(out[3] - kSigmoid1) < 1e-6);
  for (i = 0; i < 4; ++i) {
    EXPECT(eh_model_predict_one(model, x + 2 * i, 2, &one, 1) == EH_OK && one == out[i]);
  }
  /* explanations sum to the margin */
  EXPECT(eh_model_explain(model, x, 4, 2, phi, 12) == EH_OK);
  for (i = 0; i < 4; ++i) {
    static const double margins[4] = {1.0, -2.0, 3.0, 1.0};
    const double margin = phi[3 * i] + phi[3 * i + 1] + phi[3 * i + 2];
    EXPECT(M_ABS(margin - margins[i]) < 1e-9);
  }

  /* save to memory (two calls), load back, signed and unsigned */
  EXPECT(eh_model_save_memory(model, key, strlen(key), NULL, 0, &size) == EH_ERR_BUFFER && size > 88);
  bytes = (unsigned char*)malloc(size);
  EXPECT(bytes != NULL);
  if (bytes == NULL) {
    eh_model_free(model);
    return;
  }
  EXPECT(eh_model_save_memory(model, key, strlen(key), bytes, size - 1, &n) == EH_ERR_BUFFER && n == size);
  EXPECT(eh_model_save_memory(model, key, strlen(key), bytes, size, &n) == EH_OK && n == size);
  EXPECT(eh_model_load_memory(bytes, size, key, strlen(key), &back) == EH_OK);
  EXPECT(eh_model_predict_one(back, x + 2, 2, &one, 1) == EH_OK && one == out[1]);
  eh_model_free(back);
  back = NULL;
  EXPECT(eh_model_load_memory(bytes, size, "wrong", 5, &back) == EH_ERR_FORMAT);
  EXPECT(strstr(eh_last_error(), "signature") != NULL);
  EXPECT(back == NULL);
  EXPECT(eh_model_load_memory(bytes, size - 3, NULL, 0, &back) == EH_ERR_FORMAT);
  bytes[size / 2] ^= 0x40;
  EXPECT(eh_model_load_memory(bytes, size, NULL, 0, &back) == EH_ERR_FORMAT);
  EXPECT(back == NULL);
  free(bytes);

  /* files */
  EXPECT(eh_model_load_file("/nonexistent/model.ehm", NULL, 0, &back) == EH_ERR_IO);

  /* bad arguments never crash */
  EXPECT(eh_model_predict(model, x, 4, 3, 1, out, 4) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "3 columns") != NULL);
  EXPECT(eh_model_predict(model, x, 4, 2, 1, out, 3) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_model_predict(NULL, x, 1, 2, 1, out, 1) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_model_predict_one(model, NULL, 2, out, 1) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_model_import_xgboost_json("{", 1, &back) == EH_ERR_FORMAT);
  EXPECT(eh_model_load_memory(NULL, 0, NULL, 0, &back) == EH_ERR_FORMAT);
  EXPECT(eh_model_predict(model, x, 0, 2, 1, NULL, 0) == EH_OK);
  eh_model_free(model);
  eh_model_free(NULL);

}
