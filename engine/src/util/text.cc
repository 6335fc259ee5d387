#include "assay/text.h"

#include "assay/calendar.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <cctype>
#include <stdexcept>

namespace assay {

namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

bool StartsWithCi(std::string_view s, std::string_view prefix) {
  if (prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (Lower(s[i]) != Lower(prefix[i])) return false;
  return true;
}

bool IsDigits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int Number(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Why s[pos..] is not a time zone designator (Z, +hh:mm, +hhmm, +hh), or "".
std::string WhyNotZone(std::string_view s, size_t pos) {
  const std::string_view zone = s.substr(pos);
  if (zone == "Z") return "";
  if (zone[0] != '+' && zone[0] != '-') return "unexpected '" + std::string(zone) + "' after the time";
  int hours = -1, minutes = 0;
  if (zone.size() == 3 && IsDigits(zone, 1, 2)) {
    hours = Number(zone, 1, 2);
  } else if (zone.size() == 5 && IsDigits(zone, 1, 4)) {
    hours = Number(zone, 1, 2);
    minutes = Number(zone, 3, 2);
  } else if (zone.size() == 6 && IsDigits(zone, 1, 2) && zone[3] == ':' && IsDigits(zone, 4, 2)) {
    hours = Number(zone, 1, 2);
    minutes = Number(zone, 4, 2);
  } else {
    return "time zone '" + std::string(zone) + "' is not Z, +hh:mm or -hh:mm";
  }
  if (minutes > 59 || hours * 60 + minutes > 14 * 60)
    return "UTC offset " + std::string(zone) + " is not within -14:00 and +14:00";
  return "";
}

}  // namespace

std::string WhyNotDateTime(std::string_view s) {
  if (!(IsDigits(s, 0, 4) && s.size() >= 10 && s[4] == '-' && IsDigits(s, 5, 2) && s[7] == '-' && IsDigits(s, 8, 2)))
    return "expected a date YYYY-MM-DD";
  Date date;
  Status valid = Date::FromYmd(Number(s, 0, 4), Number(s, 5, 2), Number(s, 8, 2), &date);
  if (!valid.ok()) {  // "invalid date 0000-01-01: year 0 is not 1 to 9999"
    const std::string& m = valid.message();
    const size_t colon = m.find(": ");
    return colon == std::string::npos ? m : m.substr(colon + 2);
  }
  if (s.size() == 10) return "";
  if (s[10] != 'T' && s[10] != ' ') return "expected 'T' and a time after the date";
  if (!(IsDigits(s, 11, 2) && s.size() >= 16 && s[13] == ':' && IsDigits(s, 14, 2)))
    return "expected a time hh:mm after the date";
  if (Number(s, 11, 2) > 23) return "hour " + std::to_string(Number(s, 11, 2)) + " is not 0 to 23";
  if (Number(s, 14, 2) > 59) return "minute " + std::to_string(Number(s, 14, 2)) + " is not 0 to 59";
  size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!IsDigits(s, pos + 1, 2)) return "expected two digits of seconds after hh:mm:";
    if (Number(s, pos + 1, 2) > 59) return "second " + std::to_string(Number(s, pos + 1, 2)) + " is not 0 to 59";
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      size_t digits = 0;
      while (IsDigits(s, pos + 1 + digits, 1)) ++digits;
      if (digits == 0) return "expected digits of a fraction of a second after '.'";
      if (digits > 9) return "a fraction of a second has at most 9 digits, not " + std::to_string(digits);
      pos += 1 + digits;
    }
  }
  return pos == s.size() ? "" : WhyNotZone(s, pos);
}

std::vector<std::string> NearestIds(std::string_view word, const std::vector<std::string>& candidates,
                                    size_t max) {
  struct Scored {
    size_t score;
    const std::string* id;
  };
  std::vector<Scored> scored;
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  for (const std::string& c : candidates) {
    if (!word.empty() && StartsWithCi(c, word)) {
      scored.push_back({0, &c});
      continue;
    }
    size_t d = EditDistance(word, c);
    if (d <= limit) scored.push_back({d, &c});
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Scored& x, const Scored& y) { return x.score < y.score; });
  std::vector<std::string> out;
  for (const Scored& s : scored) {
    if (out.size() >= max) break;
    if (std::find(out.begin(), out.end(), *s.id) == out.end()) out.push_back(*s.id);
  }
  return out;
}

std::string SuggestionSuffix(std::string_view word, const std::vector<std::string>& candidates) {
  std::vector<std::string> near = NearestIds(word, candidates);
  if (near.empty()) return "";
  std::string out = "; nearest: ";
  for (size_t i = 0; i < near.size(); ++i) {
    if (i) out += ", ";
    out += near[i];
  }
  return out;
}

bool IsValidUtf8(std::string_view s, size_t* bad) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07u;
    } else {
      if (bad) *bad = i;
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) {
        if (bad) *bad = i;
        return false;
      }
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
    }
    static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      if (bad) *bad = i;
      return false;
    }
    i += n + 1;
  }
  return true;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string JsonPointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

}  // namespace assay
