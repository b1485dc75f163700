/* SPDX-License-Identifier: Apache-2.0 */
#include <earlyhelp/c_api.h>
#include <stdio.h>

int main(void) {
  printf("consumer (C): earlyhelp %s\n", eh_version());
  return 0;
}
