/* SPDX-License-Identifier: Apache-2.0 */
/* Tests of the C API, in C99. Prints "N passed, N failed" and exits non-zero on failure. */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <stdio.h>
#include <string.h>

int eh_test_passed = 0;
int eh_test_failed = 0;

static void test_version(void) {
  int major = -1, minor = -1, patch = -1;
  char expected[64];
  EXPECT(eh_version_numbers(&major, &minor, &patch) == EH_OK);
  snprintf(expected, sizeof expected, "%d.%d.%d", major, minor, patch);
  EXPECT(strcmp(eh_version(), expected) == 0);
  EXPECT(eh_version_numbers(NULL, NULL, NULL) == EH_OK);
  EXPECT(strcmp(eh_last_error(), "") == 0);
  /* The library was built for the header this test was compiled with. */
  EXPECT(eh_abi_version() == EH_ABI_VERSION);
  EXPECT(EH_ABI_VERSION >= 1);
}

static void test_status_names(void) {
  EXPECT(strcmp(eh_status_name(EH_OK), "EH_OK") == 0);
  EXPECT(strcmp(eh_status_name(EH_ERR_FORMAT), "EH_ERR_FORMAT") == 0);
  EXPECT(strcmp(eh_status_name(12345), "EH_ERR_UNRECOGNISED_STATUS") == 0);
}

static void test_pseudonymiser(void) {
  uint8_t key[32];
  eh_pseudonymiser* p = NULL;
  char a[65], b[65];
  size_t needed = 0;
  memset(key, 0xAA, sizeof key);
  EXPECT(eh_pseudonymiser_create(key, sizeof key, 0, &p) == EH_OK);
  EXPECT(p != NULL);
  EXPECT(eh_pseudonymise(p, "nhs_number", "943 476 5919", 1, a, sizeof a, &needed) == EH_OK);
  EXPECT(needed == 33 && strlen(a) == 32); /* the size with its NUL */
  EXPECT(eh_pseudonymise(p, "nhs_number", "9434765919", 0, b, sizeof b, NULL) == EH_OK);
  EXPECT(strcmp(a, b) == 0);
  /* Too small a buffer: EH_ERR_BUFFER, the size needed, and the buffer untouched. */
  strcpy(b, "untouched");
  EXPECT(eh_pseudonymise(p, "nhs_number", "9434765919", 0, b, 10, &needed) == EH_ERR_BUFFER);
  EXPECT(needed == 33);
  EXPECT(strcmp(eh_status_name(EH_ERR_BUFFER), "EH_ERR_BUFFER") == 0);
  EXPECT(strcmp(b, "untouched") == 0);
  EXPECT(strstr(eh_last_error(), "too small") != NULL);
  EXPECT(eh_pseudonymise(p, NULL, "x", 0, a, sizeof a, NULL) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "'domain' is NULL") != NULL);
  EXPECT(eh_pseudonymiser_fingerprint(p, a, sizeof a) == EH_OK && strlen(a) == 16);
  EXPECT(eh_pseudonymiser_fingerprint(p, a, 16) == EH_ERR_BUFFER);
  eh_pseudonymiser_free(p);
  eh_pseudonymiser_free(NULL);
  p = NULL;
  EXPECT(eh_pseudonymiser_create(key, 8, 0, &p) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(p == NULL);
  EXPECT(strstr(eh_last_error(), "at least 32") != NULL);
  EXPECT(eh_pseudonymiser_create_from_file("/nonexistent/key", 0, &p) == EH_ERR_IO);
  EXPECT(p == NULL);
}


int main(void) {
  test_version();
  test_status_names();
  test_pseudonymiser();
  test_linkage_c();
  test_linker_c();
  test_models_c();
  test_features_c();
  test_profiling_c();
  test_household_c();
  test_tf_c();
  test_forecast_c();
  test_misuse_c();
  printf("%d passed, %d failed\n", eh_test_passed, eh_test_failed);
  return eh_test_failed == 0 ? 0 : 1;
}
