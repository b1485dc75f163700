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

/* The functions added for case systems (household, Troubled Families, engagement, savings): NULL
 * pointers, freed handles, handles of another type, too-small buffers. */
static void misuse_case_functions(const eh_model* model) {
  eh_feature_set* set = NULL;
  eh_feature_case* c = NULL;
  eh_linker* linker = NULL;
  char text[64];
  size_t needed = 0;
  eh_engagement_prediction pred;
  const char* cols[] = {"record_id"};
  const char* vals[] = {"x"};

  EXPECT(eh_feature_set_builtin(&set) == EH_OK);
  EXPECT(eh_feature_case_create(set, &c) == EH_OK);
  /* NULL: the case, the date; a NULL buffer asks for the size. */
  EXPECT(eh_feature_case_tf(NULL, NULL, "2024-04-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "argument 'c' is NULL") != NULL);
  EXPECT(eh_feature_case_tf(c, NULL, NULL, text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_feature_case_tf(c, NULL, "2024-04-01", NULL, 0, &needed) == EH_ERR_BUFFER && needed > 1);
  EXPECT(eh_feature_case_tf(c, NULL, "2024-04-01", NULL, 0, NULL) == EH_ERR_BUFFER);
  EXPECT(eh_feature_case_tf(c, NULL, "2024-04-01", text, sizeof text, &needed) == EH_ERR_BUFFER); /* 64 is small */
  /* Another handle type, then a freed case. */
  EXPECT(eh_feature_case_tf((const eh_feature_case*)(const void*)set, NULL, "2024-04-01", text, sizeof text,
                            &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "not a live eh_feature_case") != NULL);
  eh_feature_case_free(c);
  EXPECT(eh_feature_case_tf(c, NULL, "2024-04-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "not a live eh_feature_case") != NULL);
  eh_feature_set_free(set);

  /* The household: not linked yet, NULL, freed. */
  EXPECT(eh_linker_create(NULL, &linker) == EH_OK);
  EXPECT(eh_linker_household(linker, "P1", "2024-04-01", text, sizeof text, &needed) == EH_ERR_STATE);
  EXPECT(eh_linker_household(NULL, "P1", "2024-04-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  eh_linker_free(linker);
  EXPECT(eh_linker_household(linker, "P1", "2024-04-01", text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "not a live eh_linker") != NULL);

  /* Engagement: a model handle is not an engagement model; NULL everywhere. */
  EXPECT(eh_engagement_families_csv((const eh_engagement*)(const void*)model, text, sizeof text, &needed) ==
         EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "not a live eh_engagement") != NULL);
  EXPECT(eh_engagement_families_csv(NULL, text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_engagement_predict(NULL, 1, cols, vals, 0, &pred) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_engagement_fit_file(NULL, "2024-01-01", NULL, NULL, NULL) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_engagement_fit_file("episodes.csv", NULL, NULL, NULL, NULL) == EH_ERR_INVALID_ARGUMENT);
  eh_engagement_free((eh_engagement*)(void*)text); /* never a handle: refused, not freed */
  EXPECT(strstr(eh_last_error(), "never created by earlyhelp") != NULL);
  EXPECT(eh_savings_calculate(NULL, text, sizeof text, &needed) == EH_ERR_INVALID_ARGUMENT);
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
  misuse_case_functions(model);
  eh_model_free(model);
  EXPECT(eh_model_predict_one(model, rows[0], 2, &out, 1) == EH_ERR_INVALID_ARGUMENT);
}
