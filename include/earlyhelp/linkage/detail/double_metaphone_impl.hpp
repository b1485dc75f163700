// SPDX-License-Identifier: Apache-2.0
#pragma once

// Double Metaphone (L. Philips, "The double metaphone search algorithm", C/C++ Users Journal
// 18(6), 2000), written from the published rules. Works on the upper-cased name; letters
// outside A-Z other than C-cedilla and N-tilde are folded by NFKD to their base letter first.

#include "earlyhelp/linkage/unicode.hpp"

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace earlyhelp::linkage::detail {

class DoubleMetaphone {
 public:
  explicit DoubleMetaphone(std::string s) : s_(std::move(s)), n_(static_cast<long>(s_.size())) {
    // Padded with spaces as in Philips' code, so rules that look for a following space also
    // match at the end of the name.
    s_ += "     ";
    slavo_germanic_ = s_.find('W') != std::string::npos || s_.find('K') != std::string::npos ||
                      s_.find("CZ") != std::string::npos || s_.find("WITZ") != std::string::npos;
  }

  std::pair<std::string, std::string> run(std::size_t max_length) {
    long cur = 0;
    const long last = n_ - 1;
    if (at(0, {"GN", "KN", "PN", "WR", "PS"})) cur = 1;
    if (get(0) == 'X') {
      add("S");  // 'Xavier'
      cur = 1;
    }
    while (cur < n_) {
      const char c = get(cur);
      switch (c) {
        case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
          if (cur == 0) add("A");
          cur += 1;
          break;
        case 'B':
          add("P");
          cur += get(cur + 1) == 'B' ? 2 : 1;
          break;
        case '\x01':  // C-cedilla
          add("S");
          cur += 1;
          break;
        case 'C': cur = do_c(cur); break;
        case 'D':
          if (at(cur, {"DG"})) {
            if (at(cur + 2, {"I", "E", "Y"})) {
              add("J");  // 'edge'
              cur += 3;
            } else {
              add("TK");  // 'edgar'
              cur += 2;
            }
          } else if (at(cur, {"DT", "DD"})) {
            add("T");
            cur += 2;
          } else {
            add("T");
            cur += 1;
          }
          break;
        case 'F':
          cur += get(cur + 1) == 'F' ? 2 : 1;
          add("F");
          break;
        case 'G': cur = do_g(cur); break;
        case 'H':
          // Kept only first or between vowels.
          if ((cur == 0 || vowel(cur - 1)) && vowel(cur + 1)) {
            add("H");
            cur += 2;
          } else {
            cur += 1;
          }
          break;
        case 'J': cur = do_j(cur, last); break;
        case 'K':
          cur += get(cur + 1) == 'K' ? 2 : 1;
          add("K");
          break;
        case 'L':
          if (get(cur + 1) == 'L') {
            // Spanish, e.g. 'cabrillo', 'gallegos'.
            if ((cur == n_ - 3 && at(cur - 1, {"ILLO", "ILLA", "ALLE"})) ||
                ((at(last - 1, {"AS", "OS"}) || at(last, {"A", "O"})) && at(cur - 1, {"ALLE"}))) {
              add("L", "");
              cur += 2;
              break;
            }
            cur += 2;
          } else {
            cur += 1;
          }
          add("L");
          break;
        case 'M':
          if ((at(cur - 1, {"UMB"}) && (cur + 1 == last || at(cur + 2, {"ER"}))) || get(cur + 1) == 'M') cur += 2;
          else cur += 1;
          add("M");
          break;
        case 'N':
          cur += get(cur + 1) == 'N' ? 2 : 1;
          add("N");
          break;
        case '\x02':  // N-tilde
          cur += 1;
          add("N");
          break;
        case 'P':
          if (get(cur + 1) == 'H') {
            add("F");
            cur += 2;
          } else {
            cur += at(cur + 1, {"P", "B"}) ? 2 : 1;  // 'campbell', 'raspberry'
            add("P");
          }
          break;
        case 'Q':
          cur += get(cur + 1) == 'Q' ? 2 : 1;
          add("K");
          break;
        case 'R':
          // French, e.g. 'rogier', but not 'hochmeier'.
          if (cur == last && !slavo_germanic_ && at(cur - 2, {"IE"}) && !at(cur - 4, {"ME", "MA"})) add("", "R");
          else add("R");
          cur += get(cur + 1) == 'R' ? 2 : 1;
          break;
        case 'S': cur = do_s(cur, last); break;
        case 'T':
          if (at(cur, {"TION"}) || at(cur, {"TIA", "TCH"})) {
            add("X");
            cur += 3;
          } else if (at(cur, {"TH"}) || at(cur, {"TTH"})) {
            // 'thomas', 'thames' or Germanic.
            if (at(cur + 2, {"OM", "AM"}) || at(0, {"VAN ", "VON "}) || at(0, {"SCH"})) add("T");
            else add("0", "T");
            cur += 2;
          } else {
            cur += at(cur + 1, {"T", "D"}) ? 2 : 1;
            add("T");
          }
          break;
        case 'V':
          cur += get(cur + 1) == 'V' ? 2 : 1;
          add("F");
          break;
        case 'W':
          if (at(cur, {"WR"})) {
            add("R");
            cur += 2;
            break;
          }
          if (cur == 0 && (vowel(cur + 1) || at(cur, {"WH"}))) {
            if (vowel(cur + 1)) add("A", "F");  // Wasserman / Vasserman
            else add("A");
          }
          // Arnow / Arnoff.
          if ((cur == last && vowel(cur - 1)) || at(cur - 1, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) ||
              at(0, {"SCH"})) {
            add("", "F");
            cur += 1;
            break;
          }
          if (at(cur, {"WICZ", "WITZ"})) {  // Polish, e.g. 'filipowicz'
            add("TS", "FX");
            cur += 4;
            break;
          }
          cur += 1;
          break;
        case 'X':
          // French, e.g. 'breaux'.
          if (!(cur == last && (at(cur - 3, {"IAU", "EAU"}) || at(cur - 2, {"AU", "OU"})))) add("KS");
          cur += at(cur + 1, {"C", "X"}) ? 2 : 1;
          break;
        case 'Z':
          if (get(cur + 1) == 'H') {  // Pinyin, e.g. 'zhao'
            add("J");
            cur += 2;
            break;
          }
          if (at(cur + 1, {"ZO", "ZI", "ZA"}) || (slavo_germanic_ && cur > 0 && get(cur - 1) != 'T')) add("S", "TS");
          else add("S");
          cur += get(cur + 1) == 'Z' ? 2 : 1;
          break;
        default: cur += 1; break;
      }
    }
    if (primary_.size() > max_length) primary_.resize(max_length);
    if (secondary_.size() > max_length) secondary_.resize(max_length);
    return {primary_, secondary_};
  }

 private:
  char get(long i) const noexcept {
    return (i >= 0 && i < static_cast<long>(s_.size())) ? s_[static_cast<std::size_t>(i)] : '\0';
  }
  bool vowel(long i) const noexcept {
    const char c = get(i);
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
  }
  /// True when one of `options` (all of one length) occurs at `start`.
  bool at(long start, std::initializer_list<std::string_view> options) const noexcept {
    if (start < 0) return false;
    for (const std::string_view o : options) {
      const auto len = static_cast<long>(o.size());
      if (start + len > static_cast<long>(s_.size())) continue;
      if (std::string_view(s_).substr(static_cast<std::size_t>(start), o.size()) == o) return true;
    }
    return false;
  }
  void add(std::string_view both) { add(both, both); }
  void add(std::string_view main, std::string_view alt) {
    primary_ += main;
    secondary_ += alt;
  }

  long do_c(long cur) {
    // Germanic, e.g. 'bacher', 'macher'.
    if (cur > 1 && !vowel(cur - 2) && at(cur - 1, {"ACH"}) && get(cur + 2) != 'I' &&
        (get(cur + 2) != 'E' || at(cur - 2, {"BACHER", "MACHER"}))) {
      add("K");
      return cur + 2;
    }
    if (cur == 0 && at(cur, {"CAESAR"})) {
      add("S");
      return cur + 2;
    }
    if (at(cur, {"CHIA"})) {  // Italian 'chianti'
      add("K");
      return cur + 2;
    }
    if (at(cur, {"CH"})) {
      if (cur > 0 && at(cur, {"CHAE"})) {  // 'michael'
        add("K", "X");
        return cur + 2;
      }
      // Greek roots, e.g. 'chemistry', 'chorus'.
      if (cur == 0 && (at(cur + 1, {"HARAC", "HARIS"}) || at(cur + 1, {"HOR", "HYM", "HIA", "HEM"})) &&
          !at(0, {"CHORE"})) {
        add("K");
        return cur + 2;
      }
      if (at(0, {"VAN ", "VON "}) || at(0, {"SCH"}) || at(cur - 2, {"ORCHES", "ARCHIT", "ORCHID"}) ||
          at(cur + 2, {"T", "S"}) ||
          ((at(cur - 1, {"A", "O", "U", "E"}) || cur == 0) &&
           at(cur + 2, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}))) {
        add("K");
      } else if (cur > 0) {
        if (at(0, {"MC"})) add("K");
        else add("X", "K");
      } else {
        add("X");
      }
      return cur + 2;
    }
    if (at(cur, {"CZ"}) && !at(cur - 2, {"WICZ"})) {  // 'czerny'
      add("S", "X");
      return cur + 2;
    }
    if (at(cur + 1, {"CIA"})) {  // 'focaccia'
      add("X");
      return cur + 3;
    }
    if (at(cur, {"CC"}) && !(cur == 1 && get(0) == 'M')) {  // not 'McClellan'
      if (at(cur + 2, {"I", "E", "H"}) && !at(cur + 2, {"HU"})) {
        // 'accident', 'accede', 'succeed' versus 'bacci', 'bertucci'.
        if ((cur == 1 && get(cur - 1) == 'A') || at(cur - 1, {"UCCEE", "UCCES"})) add("KS");
        else add("X");
        return cur + 3;
      }
      add("K");  // Pierce's rule
      return cur + 2;
    }
    if (at(cur, {"CK", "CG", "CQ"})) {
      add("K");
      return cur + 2;
    }
    if (at(cur, {"CI", "CE", "CY"})) {
      if (at(cur, {"CIO", "CIE", "CIA"})) add("S", "X");
      else add("S");
      return cur + 2;
    }
    add("K");
    if (at(cur + 1, {" C", " Q", " G"})) return cur + 3;  // 'mac caffrey', 'mac gregor'
    if (at(cur + 1, {"C", "K", "Q"}) && !at(cur + 1, {"CE", "CI"})) return cur + 2;
    return cur + 1;
  }

  long do_g(long cur) {
    if (get(cur + 1) == 'H') {
      if (cur > 0 && !vowel(cur - 1)) {
        add("K");
        return cur + 2;
      }
      if (cur == 0) {  // 'ghislane', 'ghiradelli'
        if (get(cur + 2) == 'I') add("J");
        else add("K");
        return cur + 2;
      }
      // Parker's rule, e.g. 'hugh', 'bough', 'broughton'.
      if ((cur > 1 && at(cur - 2, {"B", "H", "D"})) || (cur > 2 && at(cur - 3, {"B", "H", "D"})) ||
          (cur > 3 && at(cur - 4, {"B", "H"}))) {
        return cur + 2;
      }
      // 'laugh', 'McLaughlin', 'cough', 'gough', 'rough', 'tough'.
      if (cur > 2 && get(cur - 1) == 'U' && at(cur - 3, {"C", "G", "L", "R", "T"})) add("F");
      else if (cur > 0 && get(cur - 1) != 'I') add("K");
      return cur + 2;
    }
    if (get(cur + 1) == 'N') {
      if (cur == 1 && vowel(0) && !slavo_germanic_) {
        add("KN", "N");
      } else if (!at(cur + 2, {"EY"}) && get(cur + 1) != 'Y' && !slavo_germanic_) {  // not 'cagney'
        add("N", "KN");
      } else {
        add("KN");
      }
      return cur + 2;
    }
    if (at(cur + 1, {"LI"}) && !slavo_germanic_) {  // 'tagliaro'
      add("KL", "L");
      return cur + 2;
    }
    // -ges-, -gep-, -gel-, -gie- at the beginning.
    if (cur == 0 && (get(cur + 1) == 'Y' ||
                     at(cur + 1, {"ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"}))) {
      add("K", "J");
      return cur + 2;
    }
    // -ger-, -gy-.
    if ((at(cur + 1, {"ER"}) || get(cur + 1) == 'Y') && !at(0, {"DANGER", "RANGER", "MANGER"}) &&
        !at(cur - 1, {"E", "I"}) && !at(cur - 1, {"RGY", "OGY"})) {
      add("K", "J");
      return cur + 2;
    }
    // Italian, e.g. 'biaggi'.
    if (at(cur + 1, {"E", "I", "Y"}) || at(cur - 1, {"AGGI", "OGGI"})) {
      if (at(0, {"VAN ", "VON "}) || at(0, {"SCH"}) || at(cur + 1, {"ET"})) add("K");
      else if (at(cur + 1, {"IER "})) add("J");  // French ending
      else add("J", "K");
      return cur + 2;
    }
    add("K");
    return cur + (get(cur + 1) == 'G' ? 2 : 1);
  }

  long do_j(long cur, long last) {
    if (at(cur, {"JOSE"}) || at(0, {"SAN "})) {  // Spanish 'jose', 'san jacinto'
      if ((cur == 0 && get(cur + 4) == ' ') || at(0, {"SAN "})) add("H");
      else add("J", "H");
      return cur + 1;
    }
    if (cur == 0 && !at(cur, {"JOSE"})) {
      add("J", "A");  // Yankelovich / Jankelowicz
    } else if (vowel(cur - 1) && !slavo_germanic_ && (get(cur + 1) == 'A' || get(cur + 1) == 'O')) {
      add("J", "H");  // Spanish, e.g. 'bajador'
    } else if (cur == last) {
      add("J", "");
    } else if (!at(cur + 1, {"L", "T", "K", "S", "N", "M", "B", "Z"}) && !at(cur - 1, {"S", "K", "L"})) {
      add("J");
    }
    return cur + (get(cur + 1) == 'J' ? 2 : 1);
  }

  long do_s(long cur, long last) {
    if (at(cur - 1, {"ISL", "YSL"})) return cur + 1;  // 'island', 'isle', 'carlisle'
    if (cur == 0 && at(cur, {"SUGAR"})) {
      add("X", "S");
      return cur + 1;
    }
    if (at(cur, {"SH"})) {
      if (at(cur + 1, {"HEIM", "HOEK", "HOLM", "HOLZ"})) add("S");  // Germanic
      else add("X");
      return cur + 2;
    }
    if (at(cur, {"SIO", "SIA"}) || at(cur, {"SIAN"})) {  // Italian and Armenian
      if (!slavo_germanic_) add("S", "X");
      else add("S");
      return cur + 3;
    }
    // 'smith' matches 'schmidt', 'snider' matches 'schneider'; Slavic -sz-.
    if ((cur == 0 && at(cur + 1, {"M", "N", "L", "W"})) || at(cur + 1, {"Z"})) {
      add("S", "X");
      return cur + (at(cur + 1, {"Z"}) ? 2 : 1);
    }
    if (at(cur, {"SC"})) {
      if (get(cur + 2) == 'H') {  // Schlesinger's rule
        if (at(cur + 3, {"OO", "ER", "EN", "UY", "ED", "EM"})) {  // Dutch, e.g. 'school'
          if (at(cur + 3, {"ER", "EN"})) add("X", "SK");  // 'schermerhorn', 'schenker'
          else add("SK");
          return cur + 3;
        }
        if (cur == 0 && !vowel(3) && get(3) != 'W') add("X", "S");
        else add("X");
        return cur + 3;
      }
      if (at(cur + 2, {"I", "E", "Y"})) {
        add("S");
        return cur + 3;
      }
      add("SK");
      return cur + 3;
    }
    // French, e.g. 'resnais', 'artois'.
    if (cur == last && at(cur - 2, {"AI", "OI"})) add("", "S");
    else add("S");
    return cur + (at(cur + 1, {"S", "Z"}) ? 2 : 1);
  }

  std::string s_;
  long n_;
  bool slavo_germanic_ = false;
  std::string primary_, secondary_;
};

/// Upper-cases and reduces a name to the byte alphabet Double Metaphone reads: A-Z, space, and
/// the markers 0x01 (C-cedilla) and 0x02 (N-tilde); other letters fold by NFKD to their base.
inline std::string double_metaphone_input(std::u32string_view in) {
  std::string out;
  for (const char32_t c : to_upper(in)) {
    if (c == 0xC7) out.push_back('\x01');
    else if (c == 0xD1) out.push_back('\x02');
    else if (c < 0x80) out.push_back(static_cast<char>(c));
    else {
      const std::u32string d = nfkd(std::u32string_view(&c, 1));
      if (!d.empty() && d[0] < 0x80) out.push_back(static_cast<char>(d[0]));
    }
  }
  return out;
}

}  // namespace earlyhelp::linkage::detail
