/* SPDX-License-Identifier: Apache-2.0 */
/* C API tests of the linkage primitives; called from test_c_api.c's main. */
#include "check.h"
#include "earlyhelp/c_api.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


void test_linkage_c(void) {
  double score = -1.0;
  char buf[32];
  size_t needed = 0;

  EXPECT(eh_linkage_score("jaro_winkler", "martha", "marhta", &score) == EH_OK);
  EXPECT(fabs(score - 0.9611111111111111) < 1e-12);
  EXPECT(eh_linkage_score("levenshtein", "kitten", "sitting", &score) == EH_OK && score == 3.0);
  EXPECT(eh_linkage_score("levenshtein", "Zo\xC3\xAB", "Zoe", &score) == EH_OK && score == 1.0);
  EXPECT(eh_linkage_score("nope", "a", "b", &score) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "unknown scorer") != NULL);
  EXPECT(eh_linkage_score("jaro", NULL, "b", &score) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(strstr(eh_last_error(), "argument 'a' is NULL") != NULL);

  /* The output convention: the size first (EH_ERR_BUFFER), then the text. */
  EXPECT(eh_linkage_phonetic("soundex", "Tymczak", NULL, 0, &needed) == EH_ERR_BUFFER && needed == 5);
  EXPECT(eh_linkage_phonetic("soundex", "Tymczak", buf, sizeof buf, &needed) == EH_OK);
  EXPECT(strcmp(buf, "T522") == 0);
  EXPECT(eh_linkage_phonetic("double_metaphone_alternate", "Smith", buf, sizeof buf, &needed) == EH_OK);
  EXPECT(strcmp(buf, "XMT") == 0);
  memcpy(buf, "unchanged", 10);
  EXPECT(eh_linkage_phonetic("nysiis", "MacArthur", buf, 3, &needed) == EH_ERR_BUFFER && needed == 8);
  EXPECT(strcmp(buf, "unchanged") == 0); /* too small: nothing written */
  EXPECT(eh_linkage_phonetic("klingon", "x", buf, sizeof buf, &needed) == EH_ERR_INVALID_ARGUMENT);

  EXPECT(eh_linkage_normalise("postcode", " sw1a1aa", buf, sizeof buf, &needed) == EH_OK);
  EXPECT(strcmp(buf, "SW1A 1AA") == 0);
  EXPECT(eh_linkage_normalise("nhs_number", "943 476 5918", buf, sizeof buf, &needed) == EH_OK);
  EXPECT(strcmp(buf, "") == 0 && needed == 1);
  EXPECT(eh_linkage_normalise("name", "Dr. Zo\xC3\xAB O'Brien", buf, sizeof buf, &needed) == EH_OK);
  EXPECT(strcmp(buf, "zoe obrien") == 0);
  EXPECT(eh_linkage_normalise("shoe size", "x", buf, sizeof buf, &needed) == EH_ERR_INVALID_ARGUMENT);
  EXPECT(eh_linkage_normalise("name", "x", buf, sizeof buf, NULL) == EH_ERR_INVALID_ARGUMENT);
}
