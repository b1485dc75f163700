/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the C API, in C99. Prints "N passed, N failed" and exits non-zero on failure. */
#include "earlyhelp/c_api.h"

#include <stdio.h>
#include <string.h>

static int passed = 0;
static int failed = 0;

#define EXPECT(cond)                                                        \
  do {                                                                      \
    if (cond) {                                                             \
      ++passed;                                                             \
    } else {                                                                \
      ++failed;                                                             \
      fprintf(stderr, "%s:%d: EXPECT(%s) failed (last error: %s)\n", __FILE__, __LINE__, #cond, \
              eh_last_error());                                             \
    }                                                                       \
  } while (0)

static void test_version(void) {
  int major = -1, minor = -1, patch = -1;
  char expected[64];
  EXPECT(eh_version_numbers(&major, &minor, &patch) == EH_OK);
  snprintf(expected, sizeof expected, "%d.%d.%d", major, minor, patch);
  EXPECT(strcmp(eh_version(), expected) == 0);
  EXPECT(eh_version_numbers(NULL, NULL, NULL) == EH_OK);
  EXPECT(strcmp(eh_last_error(), "") == 0);
}

static void test_status_names(void) {
  EXPECT(strcmp(eh_status_name(EH_OK), "EH_OK") == 0);
  EXPECT(strcmp(eh_status_name(EH_ERR_FORMAT), "EH_ERR_FORMAT") == 0);
  EXPECT(strcmp(eh_status_name(12345), "EH_ERR_UNRECOGNISED_STATUS") == 0);
}

int run_models_tests(void);

int main(void) {
  failed += run_models_tests();
  test_version();
  test_status_names();
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
