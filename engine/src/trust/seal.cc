// The seal line (signing.h): its message, its text and its parser.
#include "assay/signing.h"

#include <cctype>
#include <string>
#include <vector>

namespace assay {

namespace {

constexpr std::string_view kSealPrefix = "assay-seal/1";
constexpr const char* kSealFields[] = {"workspace", "seq", "head", "at", "signer", "key", "sig"};

bool AllOf(std::string_view s, size_t n, int (*pred)(int)) {
  if (s.size() != n) return false;
  for (char c : s)
    if (!pred(static_cast<unsigned char>(c))) return false;
  return true;
}

int IsLowerHex(int c) { return std::isdigit(c) || (c >= 'a' && c <= 'f'); }
int IsUpperHex(int c) { return std::isdigit(c) || (c >= 'A' && c <= 'F'); }
int IsBase64(int c) { return std::isalnum(c) || c == '+' || c == '/' || c == '='; }

// Why `value` is not valid for field `name`, or "" when it is.
std::string WhyNot(std::string_view name, std::string_view v) {
  if (name == "workspace" && !AllOf(v, 32, IsLowerHex)) return "expected 32 lower-case hex digits";
  if (name == "seq") {
    if (v.empty() || v.size() > 18 || v[0] == '0') return "expected a positive integer";
    for (char c : v)
      if (!std::isdigit(static_cast<unsigned char>(c))) return "expected a positive integer";
  }
  if (name == "head" && !AllOf(v, 64, IsLowerHex)) return "expected 64 lower-case hex digits";
  if (name == "at" && (v.size() != 20 || v[4] != '-' || v[10] != 'T' || v[19] != 'Z'))
    return "expected a UTC time such as 2026-11-24T10:30:00Z";
  if (name == "signer" && !IsValidKeyPerson(v)) return "expected a person ID (A-Z a-z 0-9 . _ @ + -)";
  if (name == "key" && !AllOf(v, 16, IsUpperHex)) return "expected 16 upper-case hex digits";
  if (name == "sig" && !AllOf(v, 88, IsBase64)) return "expected 88 base64 characters";
  return "";
}

}  // namespace

std::string SealMessage(const SealInfo& s) {
  return std::string(kSealPrefix) + " workspace=" + s.workspace_id + " seq=" + std::to_string(s.seq) +
         " head=" + s.hash + " at=" + s.at + " signer=" + s.signer + " key=" + s.key_id;
}

std::string SealLine(const SealInfo& s) { return SealMessage(s) + " sig=" + s.signature; }

Status ParseSealLine(std::string_view text, SealInfo* seal) {
  *seal = SealInfo();
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t sp = text.find(' ', start);
    parts.push_back(text.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start));
    if (sp == std::string_view::npos) break;
    start = sp + 1;
  }
  if (parts[0] != kSealPrefix)
    return Status::InvalidInput("not an assay seal (it must start with '" + std::string(kSealPrefix) + " ')");
  if (text.find('\n') != std::string_view::npos)
    return Status::InvalidInput("a seal is one line; this text has several");
  std::string values[7];
  for (size_t i = 0; i < 7; ++i) {
    const std::string name = kSealFields[i];
    if (parts.size() <= i + 1) return Status::InvalidInput("seal field '" + name + "' is missing");
    std::string_view part = parts[i + 1];
    if (part.substr(0, name.size() + 1) != name + "=")
      return Status::InvalidInput("seal field " + std::to_string(i + 1) + " must be '" + name + "=...'");
    std::string_view value = part.substr(name.size() + 1);
    std::string why = WhyNot(name, value);
    if (!why.empty()) return Status::InvalidInput("seal field '" + name + "': " + why);
    values[i] = std::string(value);
  }
  if (parts.size() > 8) return Status::InvalidInput("unexpected text after the seal's 'sig' field");
  seal->workspace_id = values[0];
  seal->seq = std::stoll(values[1]);
  seal->hash = values[2];
  seal->at = values[3];
  seal->signer = values[4];
  seal->key_id = values[5];
  seal->signature = values[6];
  seal->line = SealLine(*seal);
  return Status::OK();
}

bool IsValidKeyPerson(std::string_view p) {
  if (p.empty() || p.size() > 64) return false;
  for (char ch : p) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '@' && c != '+' && c != '-') return false;
  }
  return true;
}

}  // namespace assay
