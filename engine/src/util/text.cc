#include "assay/text.h"

#include "assay/audit.h"

#include <iconv.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
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

bool DecodeUtf8(std::string_view s, size_t i, char32_t* cp, size_t* len) {
  *len = 1;
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *cp = c;
    return true;
  }
  size_t n = 0;
  uint32_t v = 0;
  if ((c & 0xe0) == 0xc0) {
    n = 1;
    v = c & 0x1fu;
  } else if ((c & 0xf0) == 0xe0) {
    n = 2;
    v = c & 0x0fu;
  } else if ((c & 0xf8) == 0xf0) {
    n = 3;
    v = c & 0x07u;
  } else {
    return false;
  }
  for (size_t k = 1; k <= n; ++k) {
    if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3fu);
  }
  static const uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (v < kMin[n] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return false;
  *cp = v;
  *len = n + 1;
  return true;
}

bool IsValidUtf8(std::string_view s, size_t* bad) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // ASCII, the common case: no decoding
      ++i;
      continue;
    }
    char32_t cp = 0;
    size_t len = 0;
    if (!DecodeUtf8(s, i, &cp, &len)) {
      if (bad) *bad = i;
      return false;
    }
    i += len;
  }
  return true;
}

bool IsHiddenCharacter(char32_t cp) {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return true;             // C0, DEL, C1
  if (cp == 0x061c || cp == 0x200e || cp == 0x200f) return true;       // bidi marks
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return true;  // bidi embeddings, isolates
  return (cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff;  // zero-width
}

namespace {

std::string CodePoint(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// The name of a hidden or space character, for messages ("" when none).
const char* CharacterName(char32_t cp) {
  switch (cp) {
    case 0x1b: return "escape";
    case 0x09: return "tab";
    case 0x0a: return "line feed";
    case 0x0d: return "carriage return";
    case 0x00a0: return "no-break space";
    case 0x061c: return "Arabic letter mark";
    case 0x200b: return "zero width space";
    case 0x200c: return "zero width non-joiner";
    case 0x200d: return "zero width joiner";
    case 0x200e: return "left-to-right mark";
    case 0x200f: return "right-to-left mark";
    case 0x202a: return "left-to-right embedding";
    case 0x202b: return "right-to-left embedding";
    case 0x202c: return "pop directional formatting";
    case 0x202d: return "left-to-right override";
    case 0x202e: return "right-to-left override";
    case 0x202f: return "narrow no-break space";
    case 0x2060: return "word joiner";
    case 0x2066: return "left-to-right isolate";
    case 0x2067: return "right-to-left isolate";
    case 0x2068: return "first strong isolate";
    case 0x2069: return "pop directional isolate";
    case 0x3000: return "ideographic space";
    case 0xfeff: return "zero width no-break space";
  }
  return "";
}

bool IsOtherSpace(char32_t cp) {
  return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

std::string Named(char32_t cp) {
  const char* name = CharacterName(cp);
  return CodePoint(cp) + (*name ? std::string(" (") + name + ")" : std::string());
}

}  // namespace

std::string WhyNotSafeId(std::string_view id) {
  if (id.empty()) return "is empty";
  if (id.size() > 200) return "is longer than 200 bytes";
  for (size_t i = 0; i < id.size();) {
    char32_t cp = 0;
    size_t len = 0;
    if (!DecodeUtf8(id, i, &cp, &len)) return "is not valid UTF-8 (byte " + std::to_string(i + 1) + ")";
    if (IsOtherSpace(cp)) return "contains the space " + Named(cp) + "; only U+0020 is allowed";
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return "contains the control character " + Named(cp);
    if (IsHiddenCharacter(cp)) return "contains the invisible character " + Named(cp);
    i += len;
  }
  if (id.front() == ' ' || id.back() == ' ') return "has leading or trailing blanks";
  return "";
}

namespace {

constexpr char kHex[] = "0123456789ABCDEF";

void Hex(std::string* out, unsigned char c) {
  *out += "\\x";
  *out += kHex[c >> 4];
  *out += kHex[c & 15];
}

void Unicode(std::string* out, char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
  *out += buf;
}

}  // namespace

std::string DisplaySafe(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    size_t len = 0;
    const auto c = static_cast<unsigned char>(s[i]);
    if (!DecodeUtf8(s, i, &cp, &len)) {
      Hex(&out, c);
    } else if (keep_newlines && (cp == '\n' || cp == '\t')) {
      out += static_cast<char>(cp);
    } else if (cp < 0x20 || cp == 0x7f) {
      Hex(&out, c);
    } else if (IsHiddenCharacter(cp)) {
      Unicode(&out, cp);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

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

bool Windows1252ToUtf8(std::string_view in, std::string* out) {
  iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out->assign(in.size() * 3 + 1, '\0');  // at most 3 UTF-8 bytes per byte
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  char* dst = out->data();
  size_t dst_left = out->size();
  const size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
  iconv_close(cd);
  if (r == static_cast<size_t>(-1) || src_left != 0) return false;
  out->resize(out->size() - dst_left);
  return true;
}

}  // namespace assay
