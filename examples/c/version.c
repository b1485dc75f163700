/* SPDX-License-Identifier: Apache-2.0 */
/* Smallest C program using the earlyhelp C API. */
#include <earlyhelp/c_api.h>
#include <stdio.h>

int main(void) {
  int major = 0, minor = 0, patch = 0;
  if (eh_version_numbers(&major, &minor, &patch) != EH_OK) {
    fprintf(stderr, "error: %s\n", eh_last_error());
    return 1;
  }
  printf("earlyhelp %s (%d.%d.%d)\n", eh_version(), major, minor, patch);
  return 0;
}
