/* SPDX-License-Identifier: Apache-2.0 */
/* C API misuse (issue 19): freed handles, handles freed twice, a handle of another type, a
 * pointer that never was a handle, NULL, and one model scored from several threads at once. Each
 * misuse is an error code and a message, never a crash (run under ASan in ci-sanitize: the freed
 * handles are compared, never read). Called from test_c_api.c's main. */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <pthread.h>
#include <string.h>

enum { kThreads = 4, kCalls = 2000 };

struct work {
  const eh_model* model;
  double expected[3];
  int mismatches;
  int errors;
};

static void* score_many(void* arg) {
  struct work* w = (struct work*)arg;
  const double rows[3][2] = {{0.4, 0.0}, {0.7, 1.0}, {0.7, 2.0}};
  int i;
  for (i = 0; i < kCalls; ++i) {
    double out = 0;
    if (eh_model_predict_one(w->model, rows[i % 3], 2, &out, 1) != EH_OK) ++w->errors;
    else if (out != w->expected[i % 3]) ++w->mismatches;
  }
  return NULL;
}

void test_misuse_c(void) {
  eh_model* model = NULL;
  eh_feature_set* set = NULL;
  eh_linker* linker = NULL;
  size_t n = 0;
  int not_a_handle = 7;
  double out = 0;
  const double rows[3][2] = {{0.4, 0.0}, {0.7, 1.0}, {0.7, 2.0}};

  /* A freed handle is refused with a message; freeing it again frees nothing and says so. */
  EXPECT(eh_feature_set_builtin(&set) == EH_OK && set != NULL);
  EXPECT(eh_feature_set_num_features(set, &n) == EH_OK && n > 0);
  eh_feature_set_free(set);
  EXPECT(eh_feature_set_num_features(set, &n) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "not a live eh_feature_set") != NULL);
  eh_feature_set_free(set);
  EXPECT(strstr(eh_last_error(), "freed already") != NULL);

  /* A handle of another type, and a pointer that never was a handle. */
  EXPECT(eh_model_import_xgboost_json(eh_test_tiny_xgboost_json, strlen(eh_test_tiny_xgboost_json), &model) == EH_OK);
  EXPECT(eh_linker_n_records((const eh_linker*)(const void*)model, &n) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "not a live eh_linker") != NULL);
  EXPECT(eh_model_num_features((const eh_model*)(const void*)&not_a_handle, &n) == EH_ERR_INVALID_ARGUMENT);
  eh_linker_free((eh_linker*)(void*)&not_a_handle); /* refused, not freed */
  EXPECT(strstr(eh_last_error(), "never created by earlyhelp") != NULL);
  EXPECT(eh_model_num_features(NULL, &n) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "is NULL") != NULL);
  EXPECT(eh_linker_create(NULL, &linker) == EH_OK);
  eh_linker_free(linker);
  EXPECT(eh_linker_link(linker) == EH_ERR_INVALID_ARGUMENT);

  /* One model, several threads: every call succeeds and gives the one-thread result. */
  {
    pthread_t threads[kThreads];
    struct work w[kThreads];
    int t, i;
    for (t = 0; t < kThreads; ++t) {
      w[t].model = model;
      w[t].mismatches = 0;
      w[t].errors = 0;
      for (i = 0; i < 3; ++i) EXPECT(eh_model_predict_one(model, rows[i], 2, &w[t].expected[i], 1) == EH_OK);
    }
    for (t = 0; t < kThreads; ++t) EXPECT(pthread_create(&threads[t], NULL, score_many, &w[t]) == 0);
    for (t = 0; t < kThreads; ++t) {
      EXPECT(pthread_join(threads[t], NULL) == 0);
      EXPECT(w[t].errors == 0 && w[t].mismatches == 0);
    }
  }
  eh_model_free(model);
  EXPECT(eh_model_predict_one(model, rows[0], 2, &out, 1) == EH_ERR_INVALID_ARGUMENT);
}
