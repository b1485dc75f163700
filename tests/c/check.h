/* SPDX-License-Identifier: Apache-2.0 */
/* The one check macro of the C API test executable, shared by every C test file in tests/c. */
#ifndef EH_TESTS_C_CHECK_H
#define EH_TESTS_C_CHECK_H

#include "earlyhelp/c_api.h"

#include <stdio.h>

/* Counters of the whole executable (defined in test_c_api.c, printed by its main). */
extern int eh_test_passed;
extern int eh_test_failed;

#define EXPECT(cond)                                                                        \
  do {                                                                                      \
    if (cond) {                                                                             \
      ++eh_test_passed;                                                                     \
    } else {                                                                                \
      ++eh_test_failed;                                                                     \
      fprintf(stderr, "%s:%d: EXPECT(%s) failed (last error: %s)\n", __FILE__, __LINE__, #cond, \
              eh_last_error());                                                             \
    }                                                                                       \
  } while (0)

/* The test groups of the other files, called from main in test_c_api.c. */
void test_linkage_c(void);
void test_linker_c(void);
void test_models_c(void);
void test_features_c(void);
void test_profiling_c(void);
void test_household_c(void);
void test_tf_c(void);
void test_forecast_c(void);
void test_misuse_c(void);

/* A one-tree binary:logistic XGBoost model of two features (test_models_c.c): f0 < 0.5 (NaN left)
 * -> leaf 1.0, else f1 < 2 (NaN right) -> -2.0 / 3.0. */
extern const char* const eh_test_tiny_xgboost_json;

/* One family's rows (test_features_c.c): Ann's police domestic-abuse notifications (4 rows of 13
 * columns: two before 2024-04-01, one the schema rejects, one after) and her son Bo's school
 * attendance (3 terms of 18 columns). */
extern const char* const eh_test_da_columns[];
extern const char* const eh_test_da_rows[];
extern const char* const eh_test_sa_columns[];
extern const char* const eh_test_sa_rows[];

/* The index of a feature of `set` by name, or (size_t)-1 (test_features_c.c). */
size_t feature_index(const eh_feature_set* set, const char* name);

#endif /* EH_TESTS_C_CHECK_H */
