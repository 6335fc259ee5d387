// The parts every assay PDF report shares: cover, notices, signatures and
// the manifest (printed and in the PDF Info dictionary).
#include "assay/reports/report_parts.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>

#include "pdf/pdf_streams.h"

namespace assay::reports {

namespace {

constexpr std::string_view kManifestMarker = "assay-report-manifest/1";

bool Unreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '~' || c == '@' || c == ':' || c == '/' || c == '+' ||
         c == '-';
}

std::string PercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (Unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      *out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return false;
    int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return false;
    *out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

bool IsSha256(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return HexValue(c) >= 0; });
}

bool IsPdfSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0'; }

// Reads a PDF string object starting at `pos` (at '(' or '<'); appends its
// raw bytes to *out. False when it is not a well-formed string.
bool ReadPdfString(std::string_view pdf, size_t pos, std::string* out) {
  out->clear();
  if (pos >= pdf.size()) return false;
  if (pdf[pos] == '(') {
    int depth = 1;
    for (size_t i = pos + 1; i < pdf.size(); ++i) {
      char c = pdf[i];
      if (c == '\\') {
        if (++i >= pdf.size()) return false;
        char e = pdf[i];
        switch (e) {
          case 'n': *out += '\n'; break;
          case 'r': *out += '\r'; break;
          case 't': *out += '\t'; break;
          case 'b': *out += '\b'; break;
          case 'f': *out += '\f'; break;
          case '(': case ')': case '\\': *out += e; break;
          case '\r':  // line continuation
            if (i + 1 < pdf.size() && pdf[i + 1] == '\n') ++i;
            break;
          case '\n': break;
          default:
            if (e >= '0' && e <= '7') {
              int v = e - '0';
              for (int k = 0; k < 2 && i + 1 < pdf.size() && pdf[i + 1] >= '0' && pdf[i + 1] <= '7'; ++k)
                v = v * 8 + (pdf[++i] - '0');
              *out += static_cast<char>(v & 0xFF);
            } else {
              *out += e;  // an unknown escape stands for the character itself
            }
        }
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) return true;
      *out += c;
    }
    return false;
  }
  if (pdf[pos] == '<') {
    int pending = -1;
    for (size_t i = pos + 1; i < pdf.size(); ++i) {
      char c = pdf[i];
      if (c == '>') {
        if (pending >= 0) *out += static_cast<char>(pending * 16);
        return true;
      }
      if (IsPdfSpace(c)) continue;
      int v = HexValue(c);
      if (v < 0) return false;
      if (pending < 0) {
        pending = v;
      } else {
        *out += static_cast<char>(pending * 16 + v);
        pending = -1;
      }
    }
  }
  return false;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding,
// read as Latin-1, which agrees with it on everything assay writes) as UTF-8.
std::string TextStringToUtf8(const std::string& raw) {
  std::string out;
  if (raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0xFE && static_cast<unsigned char>(raw[1]) == 0xFF) {
    for (size_t i = 2; i + 1 < raw.size(); i += 2) {
      char32_t u = static_cast<char32_t>((static_cast<unsigned char>(raw[i]) << 8) | static_cast<unsigned char>(raw[i + 1]));
      if (u >= 0xD800 && u < 0xDC00 && i + 3 < raw.size()) {
        char32_t lo = static_cast<char32_t>((static_cast<unsigned char>(raw[i + 2]) << 8) | static_cast<unsigned char>(raw[i + 3]));
        if (lo >= 0xDC00 && lo < 0xE000) {
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
          i += 2;
        }
      }
      AppendUtf8(u, &out);
    }
    return out;
  }
  if (raw.size() >= 3 && raw.compare(0, 3, "\xEF\xBB\xBF") == 0) return raw.substr(3);
  for (char c : raw) AppendUtf8(static_cast<unsigned char>(c), &out);
  return out;
}

// The object number the last trailer's /Info names, or 0.
long InfoObjectNumber(std::string_view pdf) {
  size_t t = pdf.rfind("trailer");
  if (t == std::string_view::npos) return 0;
  size_t i = pdf.find("/Info", t);
  if (i == std::string_view::npos) return 0;
  i += 5;
  while (i < pdf.size() && IsPdfSpace(pdf[i])) ++i;
  long n = 0;
  bool any = false;
  while (i < pdf.size() && std::isdigit(static_cast<unsigned char>(pdf[i])) != 0 && n < 100000000) {
    n = n * 10 + (pdf[i++] - '0');
    any = true;
  }
  return any ? n : 0;
}

// The text of object `n` ("n 0 obj ... endobj"), or empty.
std::string_view ObjectText(std::string_view pdf, long n) {
  const std::string head = std::to_string(n) + " 0 obj";
  for (size_t pos = pdf.find(head); pos != std::string_view::npos; pos = pdf.find(head, pos + 1)) {
    if (pos > 0 && !IsPdfSpace(pdf[pos - 1])) continue;  // "11 0 obj" is not "1 0 obj"
    size_t end = pdf.find("endobj", pos);
    if (end == std::string_view::npos) return {};
    return pdf.substr(pos, end - pos);
  }
  return {};
}

// The decoded /Keywords string within `dict`; false when absent or malformed.
bool FindKeywords(std::string_view dict, std::string* keywords) {
  for (size_t k = dict.find("/Keywords"); k != std::string_view::npos; k = dict.find("/Keywords", k + 1)) {
    size_t i = k + 9;
    while (i < dict.size() && IsPdfSpace(dict[i])) ++i;
    std::string raw;
    if (i < dict.size() && ReadPdfString(dict, i, &raw)) {
      *keywords = TextStringToUtf8(raw);
      return true;
    }
  }
  return false;
}

// The last /Keywords entry in `text` that holds an assay manifest.
bool ScanForManifest(std::string_view text, std::string* keywords) {
  for (size_t k = text.rfind("/Keywords"); k != std::string_view::npos;
       k = k == 0 ? std::string_view::npos : text.rfind("/Keywords", k - 1)) {
    std::string candidate;
    if (FindKeywords(text.substr(k, 4096), &candidate) && candidate.find(kManifestMarker) != std::string::npos) {
      *keywords = candidate;
      return true;
    }
  }
  return false;
}

const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};

bool IsIsoDate(std::string_view s) {
  if (s.size() < 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) {
      if (s[i] != '-') return false;
    } else if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) {
      return false;
    }
  }
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

const char* ReportKindName(ReportKind kind) {
  switch (kind) {
    case ReportKind::kAudit: return "audit";
    case ReportKind::kSummary: return "summary";
    case ReportKind::kAssessment: break;
  }
  return "assessment";
}

std::string ManifestKeywords(const ReportManifest& m) {
  std::string out(kManifestMarker);
  const std::pair<const char*, const std::string*> fields[] = {
      {"subject", &m.subject},         {"snapshot-sha256", &m.snapshot_sha256}, {"assay", &m.assay_version},
      {"model", &m.model},             {"model-sha256", &m.model_sha256},       {"data-as-of", &m.data_as_of},
  };
  out += " kind=";
  out += ReportKindName(m.kind);
  for (const auto& [key, value] : fields) out += std::string(" ") + key + "=" + PercentEncode(*value);
  out += " log-seq=" + std::to_string(m.log_seq);
  if (!m.log_head.empty()) out += " log-head=" + PercentEncode(m.log_head);
  if (!m.seal.empty()) out += " seal=" + PercentEncode(m.seal);
  if (m.draft) out += " draft=yes";
  return out;
}

Status ParseManifestKeywords(std::string_view keywords, ReportManifest* manifest) {
  auto bad = [](const std::string& why) { return Status::InvalidInput("report manifest: " + why); };
  size_t start = keywords.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || keywords.substr(start, kManifestMarker.size()) != kManifestMarker)
    return bad("does not start with '" + std::string(kManifestMarker) + "'");
  std::map<std::string, std::string> fields;
  size_t pos = start + kManifestMarker.size();
  while (pos < keywords.size()) {
    while (pos < keywords.size() && IsPdfSpace(keywords[pos])) ++pos;
    if (pos >= keywords.size()) break;
    size_t end = pos;
    while (end < keywords.size() && !IsPdfSpace(keywords[end])) ++end;
    std::string_view token = keywords.substr(pos, end - pos);
    size_t eq = token.find('=');
    if (eq == std::string_view::npos || eq == 0)
      return bad("field '" + std::string(token) + "' is not key=value");
    std::string value;
    if (!PercentDecode(token.substr(eq + 1), &value))
      return bad("field '" + std::string(token.substr(0, eq)) + "' has a malformed % escape");
    fields[std::string(token.substr(0, eq))] = value;
    pos = end;
  }
  ReportManifest m;
  const std::string kind = fields["kind"];
  if (kind == "assessment") {
    m.kind = ReportKind::kAssessment;
  } else if (kind == "audit") {
    m.kind = ReportKind::kAudit;
  } else if (kind == "summary") {
    m.kind = ReportKind::kSummary;
  } else {
    return bad("kind '" + kind + "', expected assessment, summary or audit");
  }
  const std::pair<const char*, std::string*> wanted[] = {
      {"subject", &m.subject},         {"snapshot-sha256", &m.snapshot_sha256}, {"assay", &m.assay_version},
      {"model", &m.model},             {"model-sha256", &m.model_sha256},       {"data-as-of", &m.data_as_of},
  };
  for (const auto& [key, target] : wanted) {
    auto it = fields.find(key);
    if (it == fields.end()) return bad(std::string("field '") + key + "' is missing");
    *target = it->second;
  }
  if (auto it = fields.find("log-seq"); it != fields.end()) {
    const std::string& v = it->second;
    if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return bad("log-seq '" + v + "' is not a number");
    m.log_seq = std::stoll(v);
  }
  if (auto it = fields.find("log-head"); it != fields.end()) {
    if (!IsSha256(it->second)) return bad("log-head '" + it->second + "' is not 64 hex digits");
    m.log_head = it->second;
  }
  if (auto it = fields.find("seal"); it != fields.end()) m.seal = it->second;
  if (auto it = fields.find("draft"); it != fields.end()) {
    if (it->second != "yes") return bad("draft '" + it->second + "', expected yes");
    m.draft = true;
  }
  if (m.subject.empty()) return bad("field 'subject' is empty");
  if (!IsSha256(m.snapshot_sha256)) return bad("snapshot-sha256 '" + m.snapshot_sha256 + "' is not 64 hex digits");
  if (!m.model_sha256.empty() && !IsSha256(m.model_sha256))
    return bad("model-sha256 '" + m.model_sha256 + "' is not 64 hex digits");
  *manifest = std::move(m);
  return Status::OK();
}

Status ReadPdfManifest(std::string_view pdf, ReportManifest* manifest) {
  if (pdf.substr(0, 5) != "%PDF-") return Status::InvalidInput("not a PDF file (no %PDF- header)");
  std::string keywords;
  bool found = false;
  if (long info = InfoObjectNumber(pdf); info > 0) found = FindKeywords(ObjectText(pdf, info), &keywords);
  // Files without a classic trailer (cross-reference streams): any /Keywords
  // entry that holds an assay manifest, the last one winning; in a rewritten
  // file it may sit in a compressed object stream.
  if (!found) found = ScanForManifest(pdf, &keywords);
  if (!found)
    for (const internal::PdfStream& s : internal::PdfStreams(pdf))
      if (s.dict.find("/ObjStm") != std::string_view::npos && ScanForManifest(s.data, &keywords)) found = true;
  if (!found || keywords.find(kManifestMarker) == std::string::npos)
    return Status::NotFound("no assay manifest in this PDF (its Info dictionary has no " +
                            std::string(kManifestMarker) + " keywords); was it written by `assay report`?");
  return ParseManifestKeywords(keywords, manifest);
}

std::string DraftMarked(bool draft, const std::string& title) { return draft ? "DRAFT: " + title : title; }

PdfOptions MakePdfOptions(const ReportOptions& options, const ReportIdentity& identity,
                          const ReportManifest& manifest) {
  PdfOptions pdf;
  pdf.paper = options.paper;
  pdf.font_dir = options.font_dir;
  pdf.fallback_fonts = options.fallback_fonts;
  pdf.metadata.title = DraftMarked(manifest.draft, identity.title);
  pdf.metadata.author = identity.author;
  pdf.metadata.subject = identity.subject;
  pdf.metadata.creator = "assay " + manifest.assay_version;
  pdf.metadata.keywords = ManifestKeywords(manifest);
  if (IsIsoDate(manifest.data_as_of)) pdf.metadata.creation_date = manifest.data_as_of.substr(0, 10);
  pdf.header_text = identity.header;
  pdf.footer_text = manifest.draft ? "DRAFT  \u00b7  " + identity.footer : identity.footer;
  return pdf;
}

// ---------------------------------------------------------------------------
// Cover page

void RenderCoverPage(PdfDocument& doc, const CoverPage& cover) {
  // A band across the top: the report kind on the accent colour.
  doc.Drawing(Mm(14), [&](Canvas& c) {
    c.FillRect(0, 0, c.width(), c.height(), palette::kAccent);
    TextStyle s;
    s.size = 11;
    s.bold = true;
    s.color = palette::kWhite;
    c.Text(Mm(5), c.height() / 2 - 4, cover.kind, s);
  });
  doc.VerticalSpace(Mm(30));
  doc.Paragraph(cover.title, TextStyle{24, true, palette::kAccent, Align::kLeft, 10});
  if (!cover.subtitle.empty()) doc.Paragraph(cover.subtitle, TextStyle{13, false, palette::kMuted, Align::kLeft, 8});
  doc.Drawing(10, [](Canvas& c) { c.Line(0, 5, c.width(), 5, palette::kAccent, 1.2); });
  doc.VerticalSpace(Mm(6));
  if (!cover.details.empty()) doc.KeyValues(cover.details, 0.28);
  doc.VerticalSpace(Mm(10));
  if (!cover.marking.empty()) {
    doc.Drawing(Mm(11), [&](Canvas& c) {
      c.StrokeRect(0.5, 0.5, c.width() - 1, c.height() - 1, palette::kHighlight, 1);
      TextStyle s;
      s.size = 12;
      s.bold = true;
      s.color = palette::kHighlight;
      s.align = Align::kCenter;
      c.Text(c.width() / 2, c.height() / 2 - 4.2, cover.marking, s);
    });
  }
  if (!cover.marking_note.empty())
    doc.Paragraph(cover.marking_note, TextStyle{8.5, false, palette::kMuted, Align::kLeft, 6});
  if (!cover.issued_by.empty()) {
    // At the foot of the cover when there is room.
    const double room = doc.RemainingHeight() - 14;
    if (room > 12) doc.VerticalSpace(room - 12);
    doc.Paragraph(cover.issued_by, TextStyle{8, false, palette::kMuted, Align::kRight, 0});
  }
  doc.PageBreak();
}

// ---------------------------------------------------------------------------
// Blocks

void RenderNotice(PdfDocument& doc, std::string_view text) {
  TableStyle style;
  style.header = false;
  style.zebra = false;
  style.font_size = 9.5;
  style.padding = 7;
  style.lines = TableStyle::Lines::kGrid;
  TableCell cell{std::string(text)};
  cell.fill = palette::kZebra;
  doc.Table({{"", 1}}, {{cell}}, style);
}

std::string SamplingStatement(ReportKind kind) {
  if (kind == ReportKind::kAudit)
    return "This audit examined a sample of the records, activities and people of the service management system "
           "during a limited time. Its findings rest on that sample: nonconformities may exist that the audit did "
           "not meet, and the absence of a finding on a clause does not show that every requirement of that clause "
           "is met everywhere.";
  return "The ratings in this report rest on the evidence the team sampled: the interviews held, the documents and "
         "records examined and the work observed during the assessment period, within the units and instances in "
         "scope. A different sample, another period or other units could show strengths or weaknesses this "
         "assessment did not see. The results describe the processes as the evidence showed them; they do not "
         "guarantee how the processes perform elsewhere or later.";
}

void RenderSignatureBlock(PdfDocument& doc, std::string_view heading, const std::vector<Signatory>& signatories,
                          std::string_view statement) {
  doc.Heading(1, heading);
  if (!statement.empty()) doc.Paragraph(statement);
  doc.VerticalSpace(6);
  const double box_height = 128;
  for (size_t i = 0; i < signatories.size(); i += 2) {
    doc.Drawing(box_height, [&](Canvas& c) {
      const double gap = Mm(8);
      const double w = (c.width() - gap) / 2;
      for (size_t k = 0; k < 2 && i + k < signatories.size(); ++k) {
        const Signatory& s = signatories[i + k];
        const double x = static_cast<double>(k) * (w + gap);
        c.FillRect(x + 0.5, c.height() - 20.5, w - 1, 20, palette::kHeaderFill);
        c.StrokeRect(x + 0.5, 0.5, w - 1, c.height() - 1, palette::kRule, 0.6);
        TextStyle role{9, true, palette::kAccent, Align::kLeft, 0};
        c.Text(x + 8, c.height() - 13.5, s.role, role);
        TextStyle name{11, true, palette::kInk, Align::kLeft, 0};
        std::string shown = s.name.empty() ? std::string() : s.name;
        while (!shown.empty() && c.TextWidth(shown, 11, true) > w - 16) shown.pop_back();
        c.Text(x + 8, c.height() - 38, shown, name);
        if (s.name.empty()) c.Line(x + 8, c.height() - 40, x + w - 8, c.height() - 40, palette::kMuted, 0.5);
        TextStyle org{8, false, palette::kMuted, Align::kLeft, 0};
        std::string o = s.organization;
        bool cut = false;
        while (!o.empty() && c.TextWidth(o + (cut ? "..." : ""), 8) > w - 16) {
          // Drop whole UTF-8 characters.
          do o.pop_back();
          while (!o.empty() && (static_cast<unsigned char>(o.back()) & 0xC0) == 0x80);
          if (!o.empty()) o.pop_back();
          cut = true;
        }
        c.Text(x + 8, c.height() - 51, o + (cut ? "..." : ""), org);
        TextStyle label{8, false, palette::kMuted, Align::kLeft, 0};
        c.Text(x + 8, 50, "Date", label);
        c.Line(x + 60, 48, x + w - 8, 48, palette::kInk, 0.5);
        c.Text(x + 8, 18, "Signature", label);
        c.Line(x + 60, 16, x + w - 8, 16, palette::kInk, 0.5);
      }
    });
  }
}

void RenderManifestSection(PdfDocument& doc, const ReportManifest& m, std::string_view verify_command) {
  doc.Heading(1, "Report manifest");
  doc.Paragraph(
      "The values below identify exactly what this report was produced from. The snapshot hash is the SHA-256 of "
      "the canonical export of the " +
      std::string(m.kind == ReportKind::kAudit ? "audit" : "assessment") +
      " record. The log position and the head hash at it say when in the workspace's history the report was made: "
      "anyone holding the workspace can reproduce the report as of that position and compare it byte for byte. "
      "The same values are stored in the document properties (Keywords) of this PDF.");
  doc.KeyValues({{std::string(m.kind == ReportKind::kAudit ? "Audit" : "Assessment"), m.subject},
                 {"Snapshot SHA-256", m.snapshot_sha256},
                 {"Model", m.model},
                 {"Model SHA-256", m.model_sha256.empty() ? "not recorded" : m.model_sha256},
                 {"Data as of", m.data_as_of.empty() ? "not recorded" : m.data_as_of},
                 {"Log position", m.log_seq > 0 ? "event " + std::to_string(m.log_seq) : "not recorded"},
                 {"Log head", m.log_head.empty() ? "not recorded" : m.log_head},
                 {"Latest seal", m.seal.empty() ? "none recorded up to this position" : m.seal},
                 {"Status", m.draft ? "DRAFT" : "final"},
                 {"Produced by", "assay " + m.assay_version}},
                0.21);
  if (!verify_command.empty()) {
    doc.Paragraph("To verify this report against a workspace, run:");
    doc.Paragraph(std::string(verify_command), TextStyle{9, true, palette::kAccent, Align::kLeft, 4});
    doc.Paragraph(
        "It prints \"match\" when the report reproduced from the workspace at its log position is this very file, "
        "and otherwise \"no match\" with what differs.",
        TextStyle{9, false, palette::kMuted, Align::kLeft, 6});
  }
}

// ---------------------------------------------------------------------------
// Formatting

std::string LongDate(std::string_view iso) {
  if (iso.empty()) return "not recorded";
  if (!IsIsoDate(iso)) return std::string(iso);
  int month = (iso[5] - '0') * 10 + (iso[6] - '0');
  int day = (iso[8] - '0') * 10 + (iso[9] - '0');
  return std::to_string(day) + " " + kMonths[month - 1] + " " + std::string(iso.substr(0, 4));
}

std::string DateRange(std::string_view start, std::string_view end) {
  if (start.empty() && end.empty()) return "not recorded";
  if (end.empty()) return "from " + LongDate(start);
  if (start.empty()) return "until " + LongDate(end);
  if (start.substr(0, 10) == end.substr(0, 10)) return LongDate(start);
  return LongDate(start) + " to " + LongDate(end);
}

std::string NewestDate(const std::vector<std::string_view>& dates) {
  std::string_view best;
  for (std::string_view d : dates) {
    if (!IsIsoDate(d)) continue;
    std::string_view day = d.substr(0, 10);
    if (day > best) best = day;
  }
  return std::string(best);
}

}  // namespace assay::reports
