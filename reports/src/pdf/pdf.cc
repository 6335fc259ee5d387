// PdfDocument over libharu: text handling, the flow layout, tables, the
// contents, header and footer, and the libharu error plumbing.
#include "assay/reports/pdf.h"

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#ifndef ASSAY_DEFAULT_FONT_DIR
#define ASSAY_DEFAULT_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif
// Fallbacks for what DejaVu Sans lacks, in this order: CJK (Debian's
// fonts-droid-fallback), Hangul and the CJK it lacks (fonts-wqy-zenhei, a
// collection) and symbols (fonts-symbola).
#ifndef ASSAY_CJK_FONT
#define ASSAY_CJK_FONT "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
#endif
#ifndef ASSAY_HANGUL_FONT
#define ASSAY_HANGUL_FONT "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#endif
#ifndef ASSAY_SYMBOL_FONT
#define ASSAY_SYMBOL_FONT "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"
#endif

namespace assay::reports {

namespace {

constexpr char kRegularFontFile[] = "DejaVuSans.ttf";
constexpr char kBoldFontFile[] = "DejaVuSans-Bold.ttf";
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD
constexpr double kLeadingFactor = 1.35;
constexpr double kCapHeight = 0.73;  // DejaVu Sans cap height, em
constexpr double kEps = 1e-6;

HPDF_REAL R(double v) { return static_cast<HPDF_REAL>(v); }

double Leading(double size) { return size * kLeadingFactor; }

// Distance from the top of a line box to the baseline that centres capital
// letters in the box.
double BaselineOffset(double leading, double size) { return leading / 2 + kCapHeight * size / 2; }

// ---------------------------------------------------------------------------
// UTF-8

// Returns the byte length of the well-formed UTF-8 sequence at s[i] and its
// code point, or 0 when the bytes there are not well-formed.
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  size_t len;
  char32_t min;
  char32_t v;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, v = b0 & 0x1Fu;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, v = b0 & 0x0Fu;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, v = b0 & 0x07u;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b & 0x3Fu);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

// Well-formed UTF-8 that libharu can set: invalid bytes and code points
// outside the Basic Multilingual Plane become U+FFFD, a tab becomes a space,
// other control characters except "\n" are dropped.
std::string Sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (cp == '\t') {
      out += ' ';
    } else if (cp == '\n') {
      out += '\n';
    } else if (cp < 0x20 || cp == 0x7F) {
      // dropped
    } else if (cp > 0xFFFF) {
      out += kReplacement;
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

// Byte length of the (well-formed, sanitized) code point at s[i].
size_t CodePointLength(std::string_view s, size_t i) {
  char32_t cp = 0;
  size_t len = DecodeUtf8(s, i, &cp);
  return len == 0 ? 1 : len;
}

// ---------------------------------------------------------------------------
// libharu errors

struct HpdfErrorName {
  HPDF_STATUS code;
  const char* text;
};

// The libharu errors a report can plausibly meet, in words; others are
// reported by number.
constexpr HpdfErrorName kHpdfErrors[] = {
    {HPDF_FAILD_TO_ALLOC_MEM, "out of memory"},
    {HPDF_FILE_IO_ERROR, "file I/O error"},
    {HPDF_FILE_OPEN_ERROR, "cannot open file"},
    {HPDF_FONT_EXISTS, "font already loaded"},
    {HPDF_INVALID_DATE_TIME, "invalid date or time"},
    {HPDF_INVALID_DESTINATION, "invalid destination"},
    {HPDF_INVALID_DOCUMENT, "invalid document (an earlier error left it unusable)"},
    {HPDF_INVALID_DOCUMENT_STATE, "invalid document state"},
    {HPDF_INVALID_ENCODER, "invalid encoder"},
    {HPDF_INVALID_ENCODING_NAME, "invalid encoding name"},
    {HPDF_INVALID_FONTDEF_DATA, "invalid font definition data"},
    {HPDF_INVALID_FONT_NAME, "invalid font name"},
    {HPDF_INVALID_OBJECT, "invalid object"},
    {HPDF_INVALID_OPERATION, "invalid operation"},
    {HPDF_INVALID_OUTLINE, "invalid outline"},
    {HPDF_INVALID_PAGE, "invalid page"},
    {HPDF_INVALID_PARAMETER, "invalid parameter"},
    {HPDF_PAGE_CANNOT_RESTORE_GSTATE, "unbalanced graphics state save/restore"},
    {HPDF_PAGE_INVALID_FONT, "invalid font"},
    {HPDF_PAGE_INVALID_FONT_SIZE, "invalid font size"},
    {HPDF_PAGE_INVALID_GMODE, "operator not allowed in the current graphics mode"},
    {HPDF_PAGE_INVALID_SIZE, "invalid page size"},
    {HPDF_PAGE_OUT_OF_RANGE, "page out of range"},
    {HPDF_REAL_OUT_OF_RANGE, "number out of range"},
    {HPDF_STRING_OUT_OF_RANGE, "string too long"},
    {HPDF_TTF_CANNOT_EMBEDDING_FONT, "the TrueType font does not allow embedding"},
    {HPDF_TTF_INVALID_CMAP, "the TrueType font has an invalid cmap table"},
    {HPDF_TTF_INVALID_FOMAT, "not a TrueType font"},
    {HPDF_TTF_MISSING_TABLE, "the TrueType font lacks a required table"},
    {HPDF_UNSUPPORTED_FONT_TYPE, "unsupported font type"},
    {HPDF_ZLIB_ERROR, "zlib compression error"},
    {HPDF_EXCEED_GSTATE_LIMIT, "too many nested graphics states"},
};

std::string HpdfErrorText(HPDF_STATUS code, HPDF_STATUS detail) {
  const char* text = "unknown error";
  for (const HpdfErrorName& e : kHpdfErrors) {
    if (e.code == code) text = e.text;
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, "libharu error 0x%04X (%s), detail %u", static_cast<unsigned>(code), text,
                static_cast<unsigned>(detail));
  return buf;
}

// Where libharu's error handler records the first error (user_data).
struct HpdfErrorSink {
  HPDF_STATUS error = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void HPDF_STDCALL OnHpdfError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* sink = static_cast<HpdfErrorSink*>(user_data);
  if (sink->error == HPDF_OK) {
    sink->error = error_no;
    sink->detail = detail_no;
  }
}

struct HpdfDocDeleter {
  void operator()(HPDF_Doc doc) const { HPDF_Free(doc); }
};
using HpdfDocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, HpdfDocDeleter>;

// ---------------------------------------------------------------------------
// Dates

// Reads `n` digits at s[*pos] into *value.
bool ReadDigits(std::string_view s, size_t* pos, int n, int* value) {
  if (*pos + static_cast<size_t>(n) > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[*pos + static_cast<size_t>(k)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<size_t>(n);
  *value = v;
  return true;
}

bool ReadChar(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

Status ParseDate(std::string_view s, HPDF_Date* date) {
  Status bad = Status::InvalidInput("PDF metadata creation_date: \"" + std::string(s) +
                                    "\": expected YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM|-HH:MM]");
  HPDF_Date d{};
  d.ind = ' ';
  size_t p = 0;
  if (!ReadDigits(s, &p, 4, &d.year) || !ReadChar(s, &p, '-') || !ReadDigits(s, &p, 2, &d.month) ||
      !ReadChar(s, &p, '-') || !ReadDigits(s, &p, 2, &d.day)) {
    return bad;
  }
  if (ReadChar(s, &p, 'T') || ReadChar(s, &p, ' ')) {
    if (!ReadDigits(s, &p, 2, &d.hour) || !ReadChar(s, &p, ':') || !ReadDigits(s, &p, 2, &d.minutes)) {
      return bad;
    }
    if (ReadChar(s, &p, ':') && !ReadDigits(s, &p, 2, &d.seconds)) return bad;
    if (ReadChar(s, &p, 'Z')) {
      d.ind = 'Z';
    } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      d.ind = s[p++];
      if (!ReadDigits(s, &p, 2, &d.off_hour) || !ReadChar(s, &p, ':') || !ReadDigits(s, &p, 2, &d.off_minutes)) {
        return bad;
      }
    }
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (p != s.size() || d.month < 1 || d.month > 12 || d.day < 1 || d.day > kDays[d.month - 1] || d.hour > 23 ||
      d.minutes > 59 || d.seconds > 59 || d.off_hour > 23 || d.off_minutes > 59) {
    return bad;
  }
  *date = d;
  return Status::OK();
}

// libharu 2.3.0 reads past its buffers on a malformed font when the error
// handler returns (instead of longjmp-ing), so the sfnt table directory is
// checked here first: version, table count, every table inside the file, and
// the tables libharu needs present.
Status CheckTrueType(const std::string& path) {
  auto bad = [&](const std::string& why) {
    return Status::IOError("font file " + path + " is not a usable TrueType font (" + why +
                           "); reinstall the Debian package fonts-dejavu-core");
  };
  std::ifstream in(path, std::ios::binary);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0);
  unsigned char head[12];
  if (!in || size < 12 || !in.read(reinterpret_cast<char*>(head), sizeof head)) return bad("too short");
  auto u16 = [](const unsigned char* p) { return static_cast<std::uint32_t>(p[0] << 8 | p[1]); };
  auto u32 = [&](const unsigned char* p) { return u16(p) << 16 | u16(p + 2); };
  if (u32(head) == 0x74746366 /* "ttcf" */) {
    // A collection: the first font's offset table is checked (libharu loads font 0).
    unsigned char first[4];
    if (u32(head + 8) == 0 || !in.read(reinterpret_cast<char*>(first), sizeof first)) return bad("empty collection");
    const std::streamoff at = u32(first);
    if (at + 12 > size || !in.seekg(at) || !in.read(reinterpret_cast<char*>(head), sizeof head))
      return bad("a collection's font lies outside the file");
  }
  const std::uint32_t version = u32(head);
  if (version != 0x00010000 && version != 0x74727565 /* "true" */) return bad("no sfnt header");
  const std::uint32_t tables = u16(head + 4);
  std::vector<unsigned char> dir(static_cast<size_t>(tables) * 16);
  if (tables == 0 || 12 + static_cast<std::streamoff>(dir.size()) > size ||
      !in.read(reinterpret_cast<char*>(dir.data()), static_cast<std::streamsize>(dir.size()))) {
    return bad("truncated table directory");
  }
  std::vector<std::string> found;
  for (size_t t = 0; t < tables; ++t) {
    const unsigned char* e = dir.data() + t * 16;
    const std::streamoff offset = u32(e + 8), length = u32(e + 12);
    if (offset + length > size) return bad("a table lies outside the file");
    found.emplace_back(reinterpret_cast<const char*>(e), 4);
  }
  for (const char* tag : {"cmap", "head", "hhea", "hmtx", "loca", "maxp", "name", "glyf", "OS/2", "post"}) {
    if (std::find(found.begin(), found.end(), tag) == found.end()) return bad(std::string("no ") + tag + " table");
  }
  return Status::OK();
}

// libharu 2.3.0 gives a UTF-8 font a /ToUnicode stream that is an encoding
// CMap ("begincidrange"), which poppler reports as "Invalid 'begincidrange'
// operator in ToUnicode CMap" and other readers may ignore. The font's codes
// are BMP code points (Identity-H plus a CIDToGIDMap), so the right map is the
// identity; this rewrites the stream with it, through libharu's installed
// object API. Does nothing if the font has no such stream.
void FixToUnicode(HPDF_Font font) {
  auto cmap = static_cast<HPDF_Dict>(HPDF_Dict_GetItem(static_cast<HPDF_Dict>(font), "ToUnicode", HPDF_OCLASS_DICT));
  if (cmap == nullptr || cmap->stream == nullptr || cmap->stream->type != HPDF_STREAM_MEMORY) return;
  std::string text =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<unsigned> highs;  // high bytes of the BMP, without surrogates
  for (unsigned h = 0; h < 256; ++h) {
    if (h < 0xD8 || h > 0xDF) highs.push_back(h);
  }
  for (size_t i = 0; i < highs.size(); i += 100) {
    const size_t n = std::min<size_t>(100, highs.size() - i);
    text += std::to_string(n) + " beginbfrange\n";
    for (size_t k = i; k < i + n; ++k) {
      char line[32];
      std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", highs[k], highs[k], highs[k]);
      text += line;
    }
    text += "endbfrange\n";
  }
  text += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  HPDF_MemStream_FreeData(cmap->stream);
  HPDF_Stream_WriteStr(cmap->stream, text.c_str());
  for (const char* key : {"Type", "CMapName", "CIDSystemInfo", "WMode"}) {
    HPDF_Dict_RemoveElement(cmap, key);  // absent keys are no error
  }
}

// A Type0 font of `name` with the UTF-8 encoder, made without libharu's cost
// for it. libharu 2.3.0 builds a new Type0 TrueType font's CIDToGIDMap and
// widths (W) for every code point of the BMP: 65,536 lookups in the font's
// cmap, each a linear search of its segments, and a map of 128 KiB that is
// deflated into every report (the largest fixed cost of a short report).
// Here the cmap is swapped for an empty one (the format 4 end segment only,
// which maps everything to glyph 0) while the font is made, so both come out
// empty; FinishCidFont() writes them for the code points the document
// shows. The font's own cmap is restored at once: widths and the glyphs
// marked for embedding are looked up in it as before.
HPDF_Font NewUnicodeFont(HPDF_Doc doc, const char* name) {
  HPDF_FontDef def = HPDF_GetFontDef(doc, name);
  if (def == nullptr || def->attr == nullptr) return HPDF_GetFont(doc, name, "UTF-8");
  auto* attr = static_cast<HPDF_TTFontDefAttr>(def->attr);
  if (attr->cmap.format != 4) return HPDF_GetFont(doc, name, "UTF-8");
  HPDF_TTF_CmapRange saved = attr->cmap;
  HPDF_UINT16 end[1] = {0xFFFF}, start[1] = {0xFFFF}, range_offset[1] = {0};
  HPDF_INT16 delta[1] = {1};
  attr->cmap.seg_count_x2 = 2;
  attr->cmap.end_count = end;
  attr->cmap.start_count = start;
  attr->cmap.id_delta = delta;
  attr->cmap.id_range_offset = range_offset;
  HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
  attr->cmap = saved;
  if (font != nullptr) FixToUnicode(font);
  return font;
}

// Writes the CIDToGIDMap and the widths (W) of a font NewUnicodeFont() made,
// for the code points `used` (indexed by code point; the font's CIDs are
// BMP code points): the map up to the highest one used, and the widths that
// differ from the default width (DW), in runs of consecutive CIDs, as
// libharu writes them.
void FinishCidFont(HPDF_Font font, const std::vector<bool>& used) {
  auto* attr = static_cast<HPDF_FontAttr>(font->attr);
  if (attr == nullptr || attr->descendant_font == nullptr || attr->map_stream == nullptr) return;
  HPDF_FontDef def = attr->fontdef;
  size_t count = 1;  // CID 0 (.notdef) at least
  for (size_t cp = used.size(); cp-- > 0;) {
    if (used[cp]) {
      count = cp + 1;
      break;
    }
  }
  std::string map(count * 2, '\0');
  auto widths = static_cast<HPDF_Array>(HPDF_Dict_GetItem(attr->descendant_font, "W", HPDF_OCLASS_ARRAY));
  if (widths != nullptr) HPDF_Array_Clear(widths);
  HPDF_Array run = nullptr;
  size_t last = 0;
  for (size_t cp = 0; cp < count && cp < used.size(); ++cp) {
    if (!used[cp]) continue;
    const HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, static_cast<HPDF_UINT16>(cp));
    map[cp * 2] = static_cast<char>(gid >> 8);
    map[cp * 2 + 1] = static_cast<char>(gid & 0xFF);
    const HPDF_INT16 w = HPDF_TTFontDef_GetGidWidth(def, gid);
    if (widths == nullptr || w == def->missing_width) {
      run = nullptr;
      continue;
    }
    if (run == nullptr || cp != last + 1) {
      run = HPDF_Array_New(font->mmgr);
      HPDF_Array_AddNumber(widths, static_cast<HPDF_INT32>(cp));
      HPDF_Array_Add(widths, run);
    }
    HPDF_Array_AddNumber(run, w);
    last = cp;
  }
  HPDF_Stream stream = attr->map_stream->stream;
  HPDF_MemStream_FreeData(stream);
  HPDF_Stream_Write(stream, reinterpret_cast<const HPDF_BYTE*>(map.data()), static_cast<HPDF_UINT>(map.size()));
}

// libharu 2.3.0 embeds the glyphs a text uses, and the components of a
// composite glyph one level deep, but not components whose glyph index is
// above 32767 (it reads them as signed) nor the components of a component.
// Droid Sans Fallback builds many CJK and all Hangul glyphs that way, so
// they would render incomplete. This marks every component of every used
// glyph of `def` (read from its file, `path`) as used, recursively, before
// the font is written.
void MarkCompositeComponents(const std::string& path, HPDF_FontDef def) {
  auto* attr = static_cast<HPDF_TTFontDefAttr>(def->attr);
  if (attr == nullptr || attr->glyph_tbl.flgs == nullptr || attr->glyph_tbl.offsets == nullptr) return;
  std::ifstream in(path, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto u16 = [&](size_t at) -> int {
    if (at + 2 > file.size()) return -1;
    return static_cast<unsigned char>(file[at]) << 8 | static_cast<unsigned char>(file[at + 1]);
  };
  const size_t glyphs = attr->num_glyphs;
  HPDF_BYTE* used = attr->glyph_tbl.flgs;
  std::vector<size_t> work;
  for (size_t g = 0; g < glyphs; ++g)
    if (used[g] != 0) work.push_back(g);
  constexpr int kWords = 1, kScale = 8, kMore = 32, kXYScale = 64, kTwoByTwo = 128;
  while (!work.empty()) {
    const size_t gid = work.back();
    work.pop_back();
    size_t at = attr->glyph_tbl.offsets[gid];
    if (attr->header.index_to_loc_format == 0) at *= 2;
    at += attr->glyph_tbl.base_offset;
    const int contours = u16(at);
    if (contours < 0x8000) continue;  // a simple glyph (or no data)
    at += 10;                          // numberOfContours and the bounding box
    for (int flags = kMore; (flags & kMore) != 0;) {
      flags = u16(at);
      const int component = u16(at + 2);
      if (flags < 0 || component < 0) break;
      at += 4 + ((flags & kWords) ? 4 : 2);
      at += (flags & kScale) ? 2 : (flags & kXYScale) ? 4 : (flags & kTwoByTwo) ? 8 : 0;
      const auto c = static_cast<size_t>(component);
      if (c < glyphs && used[c] == 0) {
        used[c] = 1;
        work.push_back(c);
      }
    }
  }
}

std::string FontDir(const PdfOptions& options) {
  if (!options.font_dir.empty()) return options.font_dir;
  return ASSAY_DEFAULT_FONT_DIR;
}

}  // namespace

Status ParsePaper(std::string_view name, Paper* paper) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  if (lower == "a4") {
    *paper = Paper::kA4;
  } else if (lower == "letter") {
    *paper = Paper::kLetter;
  } else {
    return Status::InvalidInput("paper \"" + std::string(name) + "\": expected a4 or letter");
  }
  return Status::OK();
}

namespace internal {

// The state behind a PdfDocument: the libharu document, the fonts, the pages
// and the flow position. Methods do nothing once status_ holds an error.
class PdfWriter {
 public:
  explicit PdfWriter(const PdfOptions& options) : options_(options) {}

  Status Open();

  const Status& status() const { return status_; }
  bool ok() const { return status_.ok(); }
  // Keeps the first error.
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  // Turns an error libharu reported into status_; returns ok().
  bool Sync() {
    if (sink_.error != HPDF_OK) Fail(Status::IOError("PDF: " + HpdfErrorText(sink_.error, sink_.detail)));
    return ok();
  }

  Box ContentBox() const { return Box{left_, bottom_, right_ - left_, top_ - bottom_}; }
  double RemainingHeight() const { return std::max(0.0, y_ - bottom_); }
  int page_count() const { return static_cast<int>(pages_.size()); }

  void Heading(int level, std::string_view text);
  void Paragraph(std::string_view text, const TextStyle& style);
  void KeyValues(const std::vector<std::pair<std::string, std::string>>& items, double key_fraction);
  void BulletList(const std::vector<std::string>& items);
  void Table(const std::vector<TableColumn>& columns, const std::vector<TableRow>& rows, const TableStyle& style);
  void Drawing(double height, const std::function<void(Canvas&)>& draw);
  void VerticalSpace(double height);
  void PageBreak();
  void KeepTogether(double height);
  void TableOfContents(std::string_view title);
  Status Finish(std::string* pdf);
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Sanitize(text), noting a warning when a character of it has no glyph.
  std::string Clean(std::string_view text) const;

  // Drawing primitives in page coordinates on the current page.
  double Width(std::string_view text, double size, bool bold) const;
  void FillRect(double x, double y, double w, double h, Color fill);
  void StrokeRect(double x, double y, double w, double h, Color stroke, double line_width);
  void Line(double x1, double y1, double x2, double y2, Color stroke, double line_width, bool dashed);
  // `text` must be sanitized. Aligns within [x, x + width]; clips to it when
  // the text is wider.
  void Text(HPDF_Page page, double x, double width, double baseline, const std::string& text, double size, bool bold,
            Color color, Align align);
  HPDF_Page page() const { return page_; }
  // libharu's errors are sticky: after one, later operators on the page
  // fail too, so an EndText or GRestore would leave the page unbalanced (and
  // leak its graphics states). The error is already in sink_; clear
  // libharu's copy before such a closing operator.
  void ClearHpdfError() {
    if (sink_.error != HPDF_OK) HPDF_ResetError(doc_.get());
  }

 private:
  struct PendingHeading {
    int level;
    std::vector<std::string> lines;
    std::string text;
    double extra_space = 0;  // VerticalSpace() asked for after it
  };
  struct TocEntry {
    int level;
    std::string text;
    size_t page_index;  // into pages_ before contents pages are inserted
  };
  struct CellLayout {
    std::vector<std::string> lines;
    bool bold = false;
    std::optional<Color> fill;
    Color color = palette::kInk;
    Align align = Align::kLeft;
  };
  struct RowLayout {
    std::vector<CellLayout> cells;
    size_t lines = 1;  // the most lines of any cell, at least 1
  };
  struct TableGeometry {
    std::vector<double> x;  // left edge of each column
    std::vector<double> w;
    TableStyle style;
    double leading = 0;
    // The part of the table on the current page (a segment): the y of each
    // horizontal rule so far, top first, and the header's bottom edge (NaN
    // when the segment has no header). Its rules are stroked together when
    // the segment ends (CloseSegment), as one path, instead of row by row.
    std::vector<double> rules;
    double header_bottom = std::numeric_limits<double>::quiet_NaN();
  };

  HPDF_Font font(bool bold) const { return bold ? bold_ : regular_; }

  // Fonts per character. DejaVu Sans sets what it has; a character it lacks
  // is set in the first fallback font (PdfOptions::fallback_fonts) that has
  // it. A fallback is read when a text first needs a character that DejaVu
  // lacks, and becomes a font of the document (embedded, as a subset of the
  // glyphs used) only when it sets one.
  static constexpr int kPrimary = 0;         // DejaVu of the text's weight
  static constexpr int kRegularPrimary = 1;  // bold text, but only the regular DejaVu has it
  static constexpr int kFirstFallback = 2;   // + index into fallbacks_
  static constexpr int kNoGlyph = 127;       // no font has it: DejaVu's .notdef box
  struct Fallback {
    std::string path;
    bool tried = false;           // loading was attempted
    const char* name = nullptr;   // libharu's name for it, once loaded
    HPDF_FontDef def = nullptr;   // its glyph table, once loaded
    HPDF_Font font = nullptr;     // the document's font, once used
  };
  // Which font sets code point `cp` (of the BMP) in text of weight `bold`.
  int FontIndex(char32_t cp, bool bold) const;
  HPDF_Font FontAt(int index, bool bold) const;
  HPDF_FontDef LoadFallback(size_t i) const;

  // The graphics state last set on one page's content stream, so that an
  // operator is written only when it changes something (a table of 15,000
  // rows otherwise repeats the same colour, line width and font operators
  // for every cell). Forget() after GRestore and whenever in doubt.
  struct GraphicsCache {
    HPDF_Page page = nullptr;
    std::optional<Color> fill;
    std::optional<Color> stroke;
    double line_width = -1;
    HPDF_Font font = nullptr;
    double font_size = 0;
  };
  void Touch(HPDF_Page page) {
    if (gc_.page != page) {
      gc_ = GraphicsCache{};
      gc_.page = page;
    }
  }
  void Forget() { gc_ = GraphicsCache{}; }
  void SetFill(HPDF_Page page, Color c) {
    Touch(page);
    if (gc_.fill && *gc_.fill == c) return;
    HPDF_Page_SetRGBFill(page, R(c.r), R(c.g), R(c.b));
    gc_.fill = c;
  }
  void SetStroke(HPDF_Page page, Color c, double line_width) {
    Touch(page);
    if (!gc_.stroke || !(*gc_.stroke == c)) {
      HPDF_Page_SetRGBStroke(page, R(c.r), R(c.g), R(c.b));
      gc_.stroke = c;
    }
    if (gc_.line_width != line_width) {
      HPDF_Page_SetLineWidth(page, R(line_width));
      gc_.line_width = line_width;
    }
  }
  void SetFont(HPDF_Page page, HPDF_Font f, double size) {
    Touch(page);
    if (gc_.font == f && gc_.font_size == size) return;
    HPDF_Page_SetFontAndSize(page, f, R(size));
    gc_.font = f;
    gc_.font_size = size;
  }
  // One line of text inside BeginText/EndText, at (x, baseline): one run
  // per font it needs.
  void ShowLine(HPDF_Page page, double x, double baseline, const std::string& text, double size, bool bold,
                Color color) {
    const bool ascii = std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7F; });
    if (ascii) {
      SetFont(page, bold ? bold_ascii_ : regular_ascii_, size);
      SetFill(page, color);
      HPDF_Page_TextOut(page, R(x), R(baseline), text.c_str());
      return;
    }
    size_t start = 0;
    while (start < text.size()) {
      const int index = RunFont(text, start, bold);
      size_t end = start;
      while (end < text.size() && RunFont(text, end, bold) == index) end += CodePointLength(text, end);
      const std::string run = text.substr(start, end - start);
      HPDF_Font f = FontAt(index, bold);
      MarkUsed(f, run);
      SetFont(page, f, size);
      SetFill(page, color);
      HPDF_Page_TextOut(page, R(x), R(baseline), run.c_str());
      x += Width(run, size, bold);
      start = end;
    }
  }
  // The font index of the code point at text[i]; a missing glyph is set in
  // the primary font (its .notdef box), in one run with its neighbours.
  int RunFont(const std::string& text, size_t i, bool bold) const {
    char32_t cp = 0;
    if (DecodeUtf8(text, i, &cp) == 0 || cp > 0xFFFF) return kPrimary;
    const int index = FontIndex(cp, bold);
    return index == kNoGlyph ? kPrimary : index;
  }
  std::vector<std::string> Wrap(const std::string& text, double width, double size, bool bold) const;
  // Notes the code points of `run` as shown in the Unicode font `f`.
  void MarkUsed(HPDF_Font f, const std::string& run) {
    std::vector<bool>& used = used_cids_[f];
    if (used.empty()) used.assign(0x10000, false);
    for (size_t i = 0; i < run.size();) {
      char32_t cp = 0;
      const size_t len = DecodeUtf8(run, i, &cp);
      if (len != 0 && cp <= 0xFFFF) used[cp] = true;
      i += len == 0 ? 1 : len;
    }
  }

  // `automatic`: a page break the layout made (not PageBreak() and the like).
  void NewPage(bool automatic = true);
  // Moves to a new page unless the pending headings plus `first` points fit
  // here, then draws the pending headings.
  void Place(double first);
  double PendingHeight(bool at_top) const;
  void DrawHeading(const PendingHeading& h);

  RowLayout LayoutRow(const TableRow& row, const std::vector<TableColumn>& columns, const TableGeometry& g,
                      bool header) const;
  double PieceHeight(size_t lines, const TableGeometry& g) const {
    return 2 * g.style.padding + static_cast<double>(std::max<size_t>(lines, 1)) * g.leading;
  }
  void DrawRowPiece(const RowLayout& row, size_t from, size_t count, TableGeometry& g, bool header, bool shaded);
  // Strokes the rules of the table's part on this page and starts a new part.
  void CloseSegment(TableGeometry& g);

  void LayoutContents();
  void DrawHeaderAndFooter(size_t index, size_t total);

  PdfOptions options_;
  Status status_;
  // Mutable: a fallback font that fails to load (measured from const
  // layout code) clears its error here and becomes a warning.
  mutable HpdfErrorSink sink_;
  HpdfDocPtr doc_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  HPDF_FontDef regular_def_ = nullptr;
  HPDF_FontDef bold_def_ = nullptr;
  mutable std::vector<Fallback> fallbacks_;
  // The code points shown in each Unicode (Type0) font, by code point.
  std::map<HPDF_Font, std::vector<bool>> used_cids_;
  // FontIndex() per BMP code point and weight (0 regular, 1 bold); -1 until
  // looked up.
  mutable std::vector<int8_t> font_index_[2];
  // Texts with characters no font has (Clean()), one warning each.
  mutable std::vector<std::string> warnings_;
  // The same two fonts with a single-byte encoding (CP1252). A line of
  // printable ASCII is shown in them: one byte per glyph in the content
  // stream instead of a four-digit hex CID, which makes the page streams
  // about half as long to write and to compress. Widths are the same glyphs'.
  HPDF_Font regular_ascii_ = nullptr;
  HPDF_Font bold_ascii_ = nullptr;
  HPDF_Encoder utf8_ = nullptr;
  double page_width_ = 0, page_height_ = 0;
  double left_ = 0, right_ = 0, top_ = 0, bottom_ = 0;

  std::vector<HPDF_Page> pages_;
  HPDF_Page page_ = nullptr;
  double y_ = 0;                  // top of the free part of the current page
  bool page_empty_ = true;        // nothing placed on the current page yet
  bool automatic_break_ = false;  // the current page began at an automatic break
  std::vector<PendingHeading> pending_;
  std::vector<TocEntry> toc_;
  HPDF_Outline last_level1_ = nullptr;
  std::optional<size_t> contents_index_;
  double contents_y_ = 0;  // flow position below the contents title
  bool finished_ = false;
  GraphicsCache gc_;
  // Advance widths (1/1000 em) of the code points of the Basic Multilingual
  // Plane, per font (0 regular, 1 bold), looked up in libharu once each;
  // -1 until then. Text widths are their sums, as HPDF_Font_TextWidth's are.
  mutable std::vector<int32_t> advance_[2];
};

Status PdfWriter::Open() {
  if (!(options_.margin >= 0) || options_.margin > Mm(60)) {
    return Status::InvalidInput("PDF margin: expected 0 to 60 mm");
  }
  if (!(options_.body_size >= 4) || options_.body_size > 36) {
    return Status::InvalidInput("PDF body_size: expected 4 to 36 points");
  }
  HPDF_Date date{};
  if (!options_.metadata.creation_date.empty()) {
    ASSAY_RETURN_IF_ERROR(ParseDate(options_.metadata.creation_date, &date));
  }
  const std::filesystem::path dir = FontDir(options_);
  const std::string regular_path = (dir / kRegularFontFile).string();
  const std::string bold_path = (dir / kBoldFontFile).string();
  for (const std::string& path : {regular_path, bold_path}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return Status::NotFound("font file " + path +
                              " not found: install the Debian package fonts-dejavu-core, or set "
                              "ASSAY_FONT_DIR to a directory holding " +
                              kRegularFontFile + " and " + kBoldFontFile);
    }
  }

  ASSAY_RETURN_IF_ERROR(CheckTrueType(regular_path));
  ASSAY_RETURN_IF_ERROR(CheckTrueType(bold_path));

  doc_.reset(HPDF_New(OnHpdfError, &sink_));
  if (!doc_) return Status::IOError("PDF: libharu could not create a document");
  HPDF_SetCompressionMode(doc_.get(), options_.compress ? HPDF_COMP_ALL : HPDF_COMP_NONE);
  HPDF_UseUTFEncodings(doc_.get());
  HPDF_SetCurrentEncoder(doc_.get(), "UTF-8");
  utf8_ = HPDF_GetEncoder(doc_.get(), "UTF-8");
  const char* regular_name = HPDF_LoadTTFontFromFile(doc_.get(), regular_path.c_str(), HPDF_TRUE);
  const char* bold_name = HPDF_LoadTTFontFromFile(doc_.get(), bold_path.c_str(), HPDF_TRUE);
  if (!Sync() || regular_name == nullptr || bold_name == nullptr) {
    Fail(Status::IOError("PDF: cannot load fonts from " + dir.string()));
    return status_;
  }
  regular_def_ = HPDF_GetFontDef(doc_.get(), regular_name);
  bold_def_ = HPDF_GetFontDef(doc_.get(), bold_name);
  for (const std::string& path : options_.fallback_fonts) fallbacks_.push_back(Fallback{path});
  regular_ = NewUnicodeFont(doc_.get(), regular_name);
  bold_ = NewUnicodeFont(doc_.get(), bold_name);
  regular_ascii_ = HPDF_GetFont(doc_.get(), regular_name, "CP1252");
  bold_ascii_ = HPDF_GetFont(doc_.get(), bold_name, "CP1252");
  if (!Sync()) return status_;

  const PdfMetadata& m = options_.metadata;
  const std::pair<HPDF_InfoType, const std::string*> attrs[] = {
      {HPDF_INFO_TITLE, &m.title},
      {HPDF_INFO_AUTHOR, &m.author},
      {HPDF_INFO_SUBJECT, &m.subject},
      {HPDF_INFO_CREATOR, &m.creator},
      {HPDF_INFO_KEYWORDS, &m.keywords},
  };
  for (const auto& [type, value] : attrs) {
    if (!value->empty()) HPDF_SetInfoAttr(doc_.get(), type, Sanitize(*value).c_str());
  }
  if (!m.creation_date.empty()) {
    HPDF_SetInfoDateAttr(doc_.get(), HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(doc_.get(), HPDF_INFO_MOD_DATE, date);
  }
  if (!Sync()) return status_;

  if (options_.paper == Paper::kLetter) {
    page_width_ = 612, page_height_ = 792;
  } else {
    page_width_ = 595.276, page_height_ = 841.89;
  }
  left_ = options_.margin;
  right_ = page_width_ - options_.margin;
  bottom_ = options_.margin;
  top_ = page_height_ - options_.margin;
  NewPage(false);
  Sync();
  return status_;
}

// ---------------------------------------------------------------------------
// Fonts per character

HPDF_FontDef PdfWriter::LoadFallback(size_t i) const {
  Fallback& f = fallbacks_[i];
  if (f.tried) return f.def;
  f.tried = true;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(f.path, ec)) return nullptr;  // not installed: skipped
  if (!CheckTrueType(f.path).ok()) {
    warnings_.push_back("fallback font " + f.path + " is not a usable TrueType font; skipped");
    return nullptr;
  }
  const bool clean = sink_.error == HPDF_OK;
  // A TrueType collection (.ttc): its first font.
  const bool collection = f.path.size() > 4 && f.path.compare(f.path.size() - 4, 4, ".ttc") == 0;
  f.name = collection ? HPDF_LoadTTFontFromFile2(doc_.get(), f.path.c_str(), 0, HPDF_TRUE)
                      : HPDF_LoadTTFontFromFile(doc_.get(), f.path.c_str(), HPDF_TRUE);
  if (f.name != nullptr) f.def = HPDF_GetFontDef(doc_.get(), f.name);
  if (f.def == nullptr && clean && sink_.error != HPDF_OK) {
    warnings_.push_back("fallback font " + f.path + " cannot be read (" + HpdfErrorText(sink_.error, sink_.detail) +
                        "); skipped");
    sink_ = HpdfErrorSink{};
    HPDF_ResetError(doc_.get());
  }
  return f.def;
}

int PdfWriter::FontIndex(char32_t cp, bool bold) const {
  if (cp < 0x80) return kPrimary;
  std::vector<int8_t>& cache = font_index_[bold ? 1 : 0];
  if (cache.empty()) cache.assign(0x10000, -1);
  int8_t& index = cache[cp];
  if (index >= 0) return index;
  auto has = [&](HPDF_FontDef def) {
    return def != nullptr && HPDF_TTFontDef_GetGlyphid(def, static_cast<HPDF_UINT16>(cp)) != 0;
  };
  index = kNoGlyph;
  if (has(bold ? bold_def_ : regular_def_)) {
    index = kPrimary;
  } else if (bold && has(regular_def_)) {
    index = kRegularPrimary;
  } else {
    for (size_t i = 0; i < fallbacks_.size() && kFirstFallback + i < kNoGlyph; ++i) {
      if (has(LoadFallback(i))) {
        index = static_cast<int8_t>(kFirstFallback + i);
        break;
      }
    }
  }
  return index;
}

HPDF_Font PdfWriter::FontAt(int index, bool bold) const {
  if (index == kRegularPrimary) return regular_;
  if (index < kFirstFallback || index == kNoGlyph) return font(bold);
  Fallback& f = fallbacks_[static_cast<size_t>(index - kFirstFallback)];
  if (f.font == nullptr) {
    f.font = NewUnicodeFont(doc_.get(), f.name);
  }
  return f.font != nullptr ? f.font : font(bold);
}

std::string PdfWriter::Clean(std::string_view text) const {
  std::string missing;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const size_t len = DecodeUtf8(text, i, &cp);
    i += len == 0 ? 1 : len;
    if (len == 0 || cp < 0x80) continue;
    if (cp <= 0xFFFF && FontIndex(cp, false) != kNoGlyph) continue;
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
    if (missing.find(code) == std::string::npos) missing += (missing.empty() ? "" : ", ") + std::string(code);
  }
  if (!missing.empty()) {
    // The text as one line (control characters and invalid bytes as \xNN),
    // cut after about 200 bytes.
    std::string shown;
    for (size_t i = 0; i < text.size();) {
      if (i >= 200) {
        shown += "...";
        break;
      }
      char32_t cp = 0;
      const size_t len = DecodeUtf8(text, i, &cp);
      if (len == 0 || cp < 0x20 || cp == 0x7F) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
        shown += hex;
        ++i;
      } else {
        shown.append(text.substr(i, len));
        i += len;
      }
    }
    std::string w = "no font has a glyph for " + missing + " in \"" + shown + "\"";
    constexpr size_t kMaxWarnings = 50;
    if (warnings_.size() < kMaxWarnings) {
      if (std::find(warnings_.begin(), warnings_.end(), w) == warnings_.end()) warnings_.push_back(std::move(w));
    } else if (warnings_.size() == kMaxWarnings) {
      warnings_.push_back("more texts have characters without a glyph; only the first " +
                          std::to_string(kMaxWarnings) + " are listed");
    }
  }
  return Sanitize(text);
}

// ---------------------------------------------------------------------------
// Text

double PdfWriter::Width(std::string_view text, double size, bool bold) const {
  if (text.empty()) return 0;
  std::vector<int32_t>& advance = advance_[bold ? 1 : 0];
  if (advance.empty()) advance.assign(0x10000, -1);
  int64_t units = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0 || cp > 0xFFFF) {
      // Not sanitized text: measure it whole, as libharu sees it.
      HPDF_TextWidth tw = HPDF_Font_TextWidth(font(bold), reinterpret_cast<const HPDF_BYTE*>(text.data()),
                                              static_cast<HPDF_UINT>(text.size()));
      return static_cast<double>(tw.width) * size / 1000.0;
    }
    int32_t& w = advance[cp];
    if (w < 0) {
      const int index = FontIndex(cp, bold);
      HPDF_TextWidth tw = HPDF_Font_TextWidth(FontAt(index == kNoGlyph ? kPrimary : index, bold),
                                              reinterpret_cast<const HPDF_BYTE*>(text.data() + i),
                                              static_cast<HPDF_UINT>(len));
      w = static_cast<int32_t>(tw.width);
    }
    units += w;
    i += len;
  }
  return static_cast<double>(units) * size / 1000.0;
}

std::vector<std::string> PdfWriter::Wrap(const std::string& text, double width, double size, bool bold) const {
  std::vector<std::string> lines;
  const double space = Width(" ", size, bold);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view para(text.data() + start, end - start);
    std::string line;
    double line_width = 0;
    size_t i = 0;
    while (i < para.size()) {
      if (para[i] == ' ') {
        ++i;
        continue;
      }
      size_t j = para.find(' ', i);
      if (j == std::string_view::npos) j = para.size();
      std::string_view word = para.substr(i, j - i);
      i = j;
      double w = Width(word, size, bold);
      if (!line.empty() && line_width + space + w <= width + kEps) {
        line += ' ';
        line += word;
        line_width += space + w;
        continue;
      }
      if (!line.empty()) lines.push_back(std::move(line));
      line.clear();
      line_width = 0;
      if (w <= width + kEps) {
        line = word;
        line_width = w;
        continue;
      }
      // Break an overlong word between code points; each piece holds at
      // least one code point.
      for (size_t k = 0; k < word.size();) {
        size_t n = CodePointLength(word, k);
        double cw = Width(word.substr(k, n), size, bold);
        if (!line.empty() && line_width + cw > width + kEps) {
          lines.push_back(std::move(line));
          line.clear();
          line_width = 0;
        }
        line.append(word.substr(k, n));
        line_width += cw;
        k += n;
      }
    }
    // An empty source line (from "\n\n") is kept as a blank line.
    lines.push_back(std::move(line));
    if (end == text.size()) break;
    start = end + 1;
  }
  // No trailing blank lines.
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// ---------------------------------------------------------------------------
// Primitives

void PdfWriter::FillRect(double x, double y, double w, double h, Color fill) {
  SetFill(page_, fill);
  HPDF_Page_Rectangle(page_, R(x), R(y), R(w), R(h));
  HPDF_Page_Fill(page_);
}

void PdfWriter::StrokeRect(double x, double y, double w, double h, Color stroke, double line_width) {
  SetStroke(page_, stroke, line_width);
  HPDF_Page_Rectangle(page_, R(x), R(y), R(w), R(h));
  HPDF_Page_Stroke(page_);
}

void PdfWriter::Line(double x1, double y1, double x2, double y2, Color stroke, double line_width, bool dashed) {
  static constexpr HPDF_UINT16 kDash[] = {2, 2};
  SetStroke(page_, stroke, line_width);
  if (dashed) HPDF_Page_SetDash(page_, kDash, 2, 0);
  HPDF_Page_MoveTo(page_, R(x1), R(y1));
  HPDF_Page_LineTo(page_, R(x2), R(y2));
  HPDF_Page_Stroke(page_);
  if (dashed) HPDF_Page_SetDash(page_, nullptr, 0, 0);
}

void PdfWriter::Text(HPDF_Page page, double x, double width, double baseline, const std::string& text, double size,
                     bool bold, Color color, Align align) {
  if (text.empty()) return;
  double tw = Width(text, size, bold);
  double tx = x;
  if (align == Align::kCenter) tx = x + (width - tw) / 2;
  if (align == Align::kRight) tx = x + width - tw;
  const bool clip = tw > width + 0.01;
  if (clip) {
    tx = x;
    HPDF_Page_GSave(page);
    HPDF_Page_Rectangle(page, R(x), R(baseline - size), R(width), R(size * 2));
    HPDF_Page_Clip(page);
    HPDF_Page_EndPath(page);
  }
  HPDF_Page_BeginText(page);
  ShowLine(page, tx, baseline, text, size, bold, color);
  ClearHpdfError();
  HPDF_Page_EndText(page);
  if (clip) {
    HPDF_Page_GRestore(page);
    Forget();
  }
}

// ---------------------------------------------------------------------------
// Flow

void PdfWriter::NewPage(bool automatic) {
  HPDF_Page page = HPDF_AddPage(doc_.get());
  if (page == nullptr) {
    Sync();
    Fail(Status::IOError("PDF: cannot add a page"));
    return;
  }
  HPDF_Page_SetSize(page, options_.paper == Paper::kLetter ? HPDF_PAGE_SIZE_LETTER : HPDF_PAGE_SIZE_A4,
                    HPDF_PAGE_PORTRAIT);
  pages_.push_back(page);
  page_ = page;
  y_ = top_;
  page_empty_ = true;
  automatic_break_ = automatic;
}

namespace {
struct HeadingStyle {
  double size;
  double before;
  double after;
};
HeadingStyle StyleOf(int level, double body) {
  return level == 1 ? HeadingStyle{body * 1.5, 16, 9} : HeadingStyle{body * 1.2, 12, 5};
}
}  // namespace

double PdfWriter::PendingHeight(bool at_top) const {
  double h = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    HeadingStyle s = StyleOf(pending_[i].level, options_.body_size);
    if (i > 0 || !at_top) h += s.before;
    h += static_cast<double>(pending_[i].lines.size()) * Leading(s.size) + s.after + pending_[i].extra_space;
  }
  return h;
}

void PdfWriter::Place(double first) {
  if (!ok()) return;
  const double need = PendingHeight(page_empty_) + first;
  if (!page_empty_ && y_ - need < bottom_ - kEps) NewPage();
  std::vector<PendingHeading> pending;
  pending.swap(pending_);
  for (const PendingHeading& h : pending) DrawHeading(h);
}

void PdfWriter::DrawHeading(const PendingHeading& h) {
  HeadingStyle s = StyleOf(h.level, options_.body_size);
  const double leading = Leading(s.size);
  if (!page_empty_) y_ -= s.before;
  toc_.push_back(TocEntry{h.level, h.text, pages_.size() - 1});
  HPDF_Outline parent = h.level == 2 ? last_level1_ : nullptr;
  HPDF_Outline outline = HPDF_CreateOutline(doc_.get(), parent, h.text.c_str(), utf8_);
  if (outline != nullptr) {
    HPDF_Outline_SetDestination(outline, HPDF_Page_CreateDestination(page_));
    if (h.level == 1) {
      HPDF_Outline_SetOpened(outline, HPDF_TRUE);
      last_level1_ = outline;
    }
  }
  for (const std::string& line : h.lines) {
    Text(page_, left_, right_ - left_, y_ - BaselineOffset(leading, s.size), line, s.size, true, palette::kAccent,
         Align::kLeft);
    y_ -= leading;
  }
  if (h.level == 1) Line(left_, y_ - 2, right_, y_ - 2, palette::kRule, 0.75, false);
  y_ -= s.after + h.extra_space;
  page_empty_ = false;
}

void PdfWriter::Heading(int level, std::string_view text) {
  if (!ok()) return;
  if (level != 1 && level != 2) {
    Fail(Status::InvalidInput("PDF heading \"" + std::string(text) + "\": level " + std::to_string(level) +
                              ", expected 1 or 2"));
    return;
  }
  std::string clean = Clean(text);
  std::replace(clean.begin(), clean.end(), '\n', ' ');
  HeadingStyle s = StyleOf(level, options_.body_size);
  std::vector<std::string> lines = Wrap(clean, right_ - left_, s.size, true);
  if (lines.empty()) lines.emplace_back();
  pending_.push_back(PendingHeading{level, std::move(lines), std::move(clean), 0});
}

void PdfWriter::Paragraph(std::string_view text, const TextStyle& style) {
  if (!ok()) return;
  if (!(style.size >= 2) || style.size > 72) {
    Fail(Status::InvalidInput("PDF paragraph: text size " + std::to_string(style.size) + ", expected 2 to 72 points"));
    return;
  }
  const double width = right_ - left_;
  const double leading = Leading(style.size);
  std::vector<std::string> lines = Wrap(Clean(text), width, style.size, style.bold);
  if (lines.empty()) return;
  Place(static_cast<double>(std::min<size_t>(lines.size(), 2)) * leading);
  size_t on_page = 0;  // lines of this paragraph on the current page
  for (size_t i = 0; i < lines.size(); ++i) {
    bool next_page = !page_empty_ && y_ - leading < bottom_ - kEps;
    // No widow: the last line does not go alone to the next page if two
    // lines (already on this page) can go with it.
    if (!next_page && on_page >= 2 && i + 2 == lines.size() && y_ - 2 * leading < bottom_ - kEps) {
      next_page = true;
    }
    if (next_page) {
      NewPage();
      on_page = 0;
    }
    Text(page_, left_, width, y_ - BaselineOffset(leading, style.size), lines[i], style.size, style.bold, style.color,
         style.align);
    y_ -= leading;
    page_empty_ = false;
    ++on_page;
  }
  y_ -= style.space_after;
  Sync();
}

void PdfWriter::KeyValues(const std::vector<std::pair<std::string, std::string>>& items, double key_fraction) {
  if (!ok()) return;
  if (!(key_fraction > 0.05 && key_fraction < 0.95)) {
    Fail(Status::InvalidInput("PDF key-value block: key_fraction " + std::to_string(key_fraction) +
                              ", expected 0.05 to 0.95"));
    return;
  }
  std::vector<TableColumn> columns = {{"", key_fraction, Align::kLeft}, {"", 1 - key_fraction, Align::kLeft}};
  std::vector<TableRow> rows;
  rows.reserve(items.size());
  for (const auto& [key, value] : items) {
    TableCell k(key);
    k.bold = true;
    rows.push_back(TableRow{std::move(k), TableCell(value)});
  }
  TableStyle style;
  style.font_size = options_.body_size;
  style.header = false;
  style.zebra = false;
  style.lines = TableStyle::Lines::kHorizontal;
  style.padding = 3;
  Table(columns, rows, style);
}

void PdfWriter::BulletList(const std::vector<std::string>& items) {
  if (!ok()) return;
  const double size = options_.body_size;
  const double leading = Leading(size);
  const double indent = 14;
  const double width = right_ - left_ - indent;
  bool first = true;
  for (const std::string& item : items) {
    std::vector<std::string> lines = Wrap(Clean(item), width, size, false);
    if (lines.empty()) lines.emplace_back();
    const double two = static_cast<double>(std::min<size_t>(lines.size(), 2)) * leading;
    if (first) {
      Place(two);
    } else if (!page_empty_ && y_ - two < bottom_ - kEps) {
      NewPage();
    }
    first = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (!page_empty_ && y_ - leading < bottom_ - kEps) NewPage();
      const double baseline = y_ - BaselineOffset(leading, size);
      if (i == 0) Text(page_, left_ + 3, indent, baseline, "\xE2\x80\xA2", size, false, palette::kAccent, Align::kLeft);
      Text(page_, left_ + indent, width, baseline, lines[i], size, false, palette::kInk, Align::kLeft);
      y_ -= leading;
      page_empty_ = false;
    }
    y_ -= 2;
  }
  y_ -= 4;
  Sync();
}

// ---------------------------------------------------------------------------
// Tables

PdfWriter::RowLayout PdfWriter::LayoutRow(const TableRow& row, const std::vector<TableColumn>& columns,
                                          const TableGeometry& g, bool header) const {
  RowLayout r;
  r.cells.resize(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    CellLayout& cell = r.cells[c];
    cell.align = columns[c].align;
    if (header) {
      cell.bold = true;
      cell.lines = Wrap(Clean(columns[c].title), g.w[c] - 2 * g.style.padding, g.style.font_size, true);
    } else {
      const TableCell& in = row[c];
      cell.bold = in.bold;
      cell.fill = in.fill;
      if (in.color) cell.color = *in.color;
      if (in.align) cell.align = *in.align;
      cell.lines = Wrap(Clean(in.text), g.w[c] - 2 * g.style.padding, g.style.font_size, in.bold);
    }
    r.lines = std::max(r.lines, cell.lines.size());
  }
  return r;
}

void PdfWriter::DrawRowPiece(const RowLayout& row, size_t from, size_t count, TableGeometry& g, bool header,
                             bool shaded) {
  const double h = PieceHeight(count, g);
  const double top = y_;
  const double bottom = y_ - h;
  const double pad = g.style.padding;
  const double size = g.style.font_size;
  // Backgrounds: one rectangle per run of neighbouring cells of one colour.
  auto fill_of = [&](size_t c) -> std::optional<Color> {
    if (header) return palette::kHeaderFill;
    if (row.cells[c].fill) return row.cells[c].fill;
    if (shaded) return palette::kZebra;
    return std::nullopt;
  };
  for (size_t c = 0; c < row.cells.size();) {
    const std::optional<Color> fill = fill_of(c);
    size_t end = c + 1;
    while (end < row.cells.size() && fill_of(end) == fill) ++end;
    if (fill) FillRect(g.x[c], bottom, g.x[end - 1] + g.w[end - 1] - g.x[c], h, *fill);
    c = end;
  }
  // The lines that fit their cell go into one text object; a line wider than
  // its cell is clipped to it (Text() does that, in a text object of its own).
  bool in_text = false;
  for (size_t c = 0; c < row.cells.size(); ++c) {
    const CellLayout& cell = row.cells[c];
    const double cx = g.x[c] + pad;
    const double cw = g.w[c] - 2 * pad;
    const Color color = header ? palette::kInk : cell.color;
    for (size_t k = 0; k < count && from + k < cell.lines.size(); ++k) {
      const std::string& line = cell.lines[from + k];
      if (line.empty()) continue;
      const double baseline = top - pad - static_cast<double>(k) * g.leading - BaselineOffset(g.leading, size);
      const double tw = Width(line, size, cell.bold);
      if (tw > cw + 0.01) {
        if (in_text) {
          ClearHpdfError();
          HPDF_Page_EndText(page_);
          in_text = false;
        }
        Text(page_, cx, cw, baseline, line, size, cell.bold, color, cell.align);
        continue;
      }
      double tx = cx;
      if (cell.align == Align::kCenter) tx = cx + (cw - tw) / 2;
      if (cell.align == Align::kRight) tx = cx + cw - tw;
      if (!in_text) {
        HPDF_Page_BeginText(page_);
        in_text = true;
      }
      ShowLine(page_, tx, baseline, line, size, cell.bold, color);
    }
  }
  if (in_text) {
    ClearHpdfError();
    HPDF_Page_EndText(page_);
  }
  // The rules are stroked when the segment ends; here their places are noted.
  if (g.rules.empty()) g.rules.push_back(top);
  g.rules.push_back(bottom);
  if (header) g.header_bottom = bottom;
  y_ = bottom;
  page_empty_ = false;
}

void PdfWriter::CloseSegment(TableGeometry& g) {
  if (g.rules.size() >= 2 && ok()) {
    const double table_left = g.x.front();
    const double table_right = g.x.back() + g.w.back();
    auto segment = [&](double x1, double y1, double x2, double y2) {
      HPDF_Page_MoveTo(page_, R(x1), R(y1));
      HPDF_Page_LineTo(page_, R(x2), R(y2));
    };
    const double top = g.rules.front(), bottom = g.rules.back();
    switch (g.style.lines) {
      case TableStyle::Lines::kGrid:
        SetStroke(page_, palette::kRule, 0.5);
        for (double y : g.rules) segment(table_left, y, table_right, y);
        for (double x : g.x) segment(x, top, x, bottom);
        segment(table_right, top, table_right, bottom);
        HPDF_Page_Stroke(page_);
        break;
      case TableStyle::Lines::kHorizontal:
        SetStroke(page_, palette::kRule, 0.5);
        for (size_t i = 1; i < g.rules.size(); ++i) segment(table_left, g.rules[i], table_right, g.rules[i]);
        HPDF_Page_Stroke(page_);
        break;
      case TableStyle::Lines::kNone:
        break;
    }
    if (!std::isnan(g.header_bottom))
      Line(table_left, g.header_bottom, table_right, g.header_bottom, palette::kMuted, 0.8, false);
  }
  g.rules.clear();
  g.header_bottom = std::numeric_limits<double>::quiet_NaN();
}

void PdfWriter::Table(const std::vector<TableColumn>& columns, const std::vector<TableRow>& rows,
                      const TableStyle& style) {
  if (!ok()) return;
  if (columns.empty()) {
    Fail(Status::InvalidInput("PDF table: no columns"));
    return;
  }
  if (!(style.font_size >= 2) || style.font_size > 72 || !(style.padding >= 0) || style.padding > 36) {
    Fail(Status::InvalidInput("PDF table: font_size must be 2 to 72 and padding 0 to 36 points"));
    return;
  }
  double total = 0;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (!(columns[c].width > 0) || !std::isfinite(columns[c].width)) {
      Fail(Status::InvalidInput("PDF table: column " + std::to_string(c + 1) + " (\"" + columns[c].title +
                                "\"): width must be > 0"));
      return;
    }
    total += columns[c].width;
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].size() != columns.size()) {
      Fail(Status::InvalidInput("PDF table: row " + std::to_string(r + 1) + " has " + std::to_string(rows[r].size()) +
                                " cells, expected " + std::to_string(columns.size())));
      return;
    }
  }
  TableGeometry g;
  g.style = style;
  g.leading = Leading(style.font_size);
  double x = left_;
  for (const TableColumn& col : columns) {
    const double w = (right_ - left_) * col.width / total;
    g.x.push_back(x);
    g.w.push_back(w);
    x += w;
  }
  const double content_height = top_ - bottom_;
  const RowLayout header = LayoutRow({}, columns, g, true);
  const double header_height = style.header ? PieceHeight(header.lines, g) : 0;
  // Room for a row on a page that starts with the header.
  const double fresh = content_height - header_height;
  if (fresh < PieceHeight(1, g) - kEps) {
    Fail(Status::InvalidInput("PDF table: the header and one line of text do not fit on a page"));
    return;
  }
  auto draw_header = [&] {
    if (style.header) DrawRowPiece(header, 0, header.lines, g, true, false);
  };

  std::optional<RowLayout> next;
  if (!rows.empty()) next = LayoutRow(rows[0], columns, g, false);
  double first = header_height;
  if (next) {
    const double h = PieceHeight(next->lines, g);
    first += h <= fresh + kEps ? h : PieceHeight(1, g);
  }
  Place(first);
  draw_header();
  for (size_t r = 0; r < rows.size() && ok(); ++r) {
    RowLayout row = std::move(*next);
    if (r + 1 < rows.size()) next = LayoutRow(rows[r + 1], columns, g, false);
    const bool shaded = style.zebra && r % 2 == 1;
    size_t from = 0;
    while (ok()) {
      const size_t rest = row.lines - from;
      const double avail = y_ - bottom_;
      if (PieceHeight(rest, g) <= avail + kEps) {
        DrawRowPiece(row, from, rest, g, false, shaded);
        break;
      }
      if (PieceHeight(rest, g) > fresh + kEps) {
        // Taller than any page: split it between lines, here.
        const double fit = std::floor((avail - 2 * style.padding) / g.leading + kEps);
        if (fit >= 1) {
          const size_t n = static_cast<size_t>(fit);
          DrawRowPiece(row, from, n, g, false, shaded);
          from += n;
        }
      }
      CloseSegment(g);
      NewPage();
      draw_header();
    }
    if (r % 32 == 31) Sync();
  }
  CloseSegment(g);
  y_ -= style.space_after;
  Sync();
}

// ---------------------------------------------------------------------------
// Drawings, spacing, contents

void PdfWriter::Drawing(double height, const std::function<void(Canvas&)>& draw) {
  if (!ok()) return;
  if (!(height > 0)) {
    Fail(Status::InvalidInput("PDF drawing: height " + std::to_string(height) + ", expected > 0"));
    return;
  }
  height = std::min(height, top_ - bottom_);
  Place(height);
  if (!page_empty_ && y_ - height < bottom_ - kEps) NewPage();
  Box box{left_, y_ - height, right_ - left_, height};
  HPDF_Page_GSave(page_);
  HPDF_Page_Rectangle(page_, R(box.x), R(box.y), R(box.width), R(box.height));
  HPDF_Page_Clip(page_);
  HPDF_Page_EndPath(page_);
  Canvas canvas(this, box);
  if (draw) draw(canvas);
  ClearHpdfError();
  HPDF_Page_GRestore(page_);
  Forget();
  y_ -= height + 6;
  page_empty_ = false;
  Sync();
}

void PdfWriter::VerticalSpace(double height) {
  if (!ok() || !(height > 0)) return;
  if (!pending_.empty()) {
    pending_.back().extra_space += height;
    return;
  }
  if (page_empty_ && automatic_break_) return;
  y_ = std::max(bottom_, y_ - height);
  page_empty_ = false;
}

void PdfWriter::PageBreak() {
  if (!ok()) return;
  Place(0);
  if (!page_empty_) NewPage(false);
  Sync();
}

void PdfWriter::KeepTogether(double height) {
  if (!ok()) return;
  if (!page_empty_ && y_ - PendingHeight(false) - height < bottom_ - kEps) NewPage();
}

void PdfWriter::TableOfContents(std::string_view title) {
  if (!ok()) return;
  if (contents_index_) {
    Fail(Status::InvalidInput("PDF: TableOfContents() called twice"));
    return;
  }
  Place(0);
  if (!page_empty_) NewPage(false);
  contents_index_ = pages_.size() - 1;
  HeadingStyle s = StyleOf(1, options_.body_size);
  std::string clean = Clean(title);
  HPDF_Outline outline = HPDF_CreateOutline(doc_.get(), nullptr, clean.c_str(), utf8_);
  if (outline != nullptr) HPDF_Outline_SetDestination(outline, HPDF_Page_CreateDestination(page_));
  const double leading = Leading(s.size);
  for (const std::string& line : Wrap(clean, right_ - left_, s.size, true)) {
    Text(page_, left_, right_ - left_, y_ - BaselineOffset(leading, s.size), line, s.size, true, palette::kAccent,
         Align::kLeft);
    y_ -= leading;
  }
  Line(left_, y_ - 2, right_, y_ - 2, palette::kRule, 0.75, false);
  y_ -= s.after + 4;
  contents_y_ = y_;
  NewPage(false);
  Sync();
}

void PdfWriter::LayoutContents() {
  const size_t ci = *contents_index_;
  const double size = options_.body_size;
  const double leading = Leading(size);
  const double number_width = 36;
  struct Entry {
    std::vector<std::string> lines;
    double indent;
    bool bold;
    double before;
  };
  std::vector<Entry> entries;
  for (const TocEntry& t : toc_) {
    const double indent = t.level == 1 ? 0 : 16;
    const bool bold = t.level == 1;
    std::vector<std::string> lines = Wrap(t.text, right_ - left_ - indent - number_width - 12, size, bold);
    if (lines.empty()) lines.emplace_back();
    entries.push_back(Entry{std::move(lines), indent, bold, t.level == 1 ? 5.0 : 0.0});
  }
  // Pass 1: how many pages the entries take; pass 2: draw them.
  size_t extra = 0;
  for (int pass = 0; pass < 2 && ok(); ++pass) {
    size_t page = 0;
    double y = contents_y_;
    HPDF_Page target_page = pages_[ci];
    for (size_t e = 0; e < entries.size(); ++e) {
      const Entry& entry = entries[e];
      const double h = entry.before + static_cast<double>(entry.lines.size()) * leading;
      if (y - h < bottom_ - kEps && !(page == 0 ? y == contents_y_ : y == top_)) {
        ++page;
        y = top_;
        if (pass == 1) target_page = pages_[ci + page];
      }
      if (y != top_) y -= entry.before;
      if (pass == 0) {
        y -= static_cast<double>(entry.lines.size()) * leading;
        continue;
      }
      const TocEntry& t = toc_[e];
      const size_t final_index = t.page_index > ci ? t.page_index + extra : t.page_index;
      const std::string number = std::to_string(final_index + 1);
      const double entry_top = y;
      const double text_left = left_ + entry.indent;
      double last_end = text_left;
      for (const std::string& line : entry.lines) {
        const double baseline = y - BaselineOffset(leading, size);
        Text(target_page, text_left, right_ - text_left, baseline, line, size, entry.bold, palette::kInk, Align::kLeft);
        last_end = text_left + Width(line, size, entry.bold);
        y -= leading;
      }
      const double baseline = y + leading - BaselineOffset(leading, size);
      Text(target_page, right_ - number_width, number_width, baseline, number, size, entry.bold, palette::kInk,
           Align::kRight);
      const double dots_from = last_end + 6;
      const double dots_to = right_ - Width(number, size, entry.bold) - 6;
      if (dots_to > dots_from) {
        static constexpr HPDF_UINT16 kDots[] = {1, 3};
        SetStroke(target_page, palette::kRule, 0.8);
        HPDF_Page_SetDash(target_page, kDots, 2, 0);
        HPDF_Page_MoveTo(target_page, R(dots_from), R(baseline));
        HPDF_Page_LineTo(target_page, R(dots_to), R(baseline));
        HPDF_Page_Stroke(target_page);
        HPDF_Page_SetDash(target_page, nullptr, 0, 0);
      }
      HPDF_Destination dst = HPDF_Page_CreateDestination(pages_[final_index]);
      HPDF_Rect rect{R(left_), R(y), R(right_), R(entry_top)};
      HPDF_Annotation link = HPDF_Page_CreateLinkAnnot(target_page, rect, dst);
      if (link != nullptr) HPDF_LinkAnnot_SetBorderStyle(link, 0, 0, 0);
    }
    if (pass == 0) {
      extra = page;
      // Insert the extra contents pages right after the first one.
      HPDF_Page next = ci + 1 < pages_.size() ? pages_[ci + 1] : nullptr;
      for (size_t k = 0; k < extra; ++k) {
        HPDF_Page p = next != nullptr ? HPDF_InsertPage(doc_.get(), next) : HPDF_AddPage(doc_.get());
        if (p == nullptr) {
          Sync();
          Fail(Status::IOError("PDF: cannot insert a contents page"));
          return;
        }
        HPDF_Page_SetSize(p, options_.paper == Paper::kLetter ? HPDF_PAGE_SIZE_LETTER : HPDF_PAGE_SIZE_A4,
                          HPDF_PAGE_PORTRAIT);
        pages_.insert(pages_.begin() + static_cast<std::ptrdiff_t>(ci + 1 + k), p);
      }
    }
  }
}

void PdfWriter::DrawHeaderAndFooter(size_t index, size_t total) {
  HPDF_Page page = pages_[index];
  const double size = 8;
  const double width = right_ - left_;
  HPDF_Page saved = page_;
  page_ = page;
  const double rule_y = bottom_ - std::min(10.0, options_.margin * 0.3);
  const double baseline = rule_y - 12;
  Line(left_, rule_y, right_, rule_y, palette::kRule, 0.5, false);
  const std::string label = "Page " + std::to_string(index + 1) + " of " + std::to_string(total);
  const double label_width = Width(label, size, false);
  Text(page, left_, width, baseline, label, size, false, palette::kMuted, Align::kRight);
  std::string footer = Clean(options_.footer_text);
  std::replace(footer.begin(), footer.end(), '\n', ' ');
  const double room = width - label_width - 18;
  if (!footer.empty() && room > 0) {
    if (Width(footer, size, false) > room) {
      // Ellipsize at a code point boundary.
      const std::string ellipsis = "\xE2\x80\xA6";
      std::string cut;
      for (size_t i = 0; i < footer.size();) {
        const size_t n = CodePointLength(footer, i);
        if (Width(cut + footer.substr(i, n) + ellipsis, size, false) > room) break;
        cut += footer.substr(i, n);
        i += n;
      }
      footer = cut + ellipsis;
    }
    Text(page, left_, room, baseline, footer, size, false, palette::kMuted, Align::kLeft);
  }
  std::string header = Clean(options_.header_text);
  std::replace(header.begin(), header.end(), '\n', ' ');
  if (!header.empty() && index > 0) {
    const double header_rule = top_ + std::min(8.0, options_.margin * 0.25);
    Text(page, left_, width, header_rule + 5, header, size, false, palette::kMuted, Align::kLeft);
    Line(left_, header_rule, right_, header_rule, palette::kRule, 0.5, false);
  }
  page_ = saved;
}

Status PdfWriter::Finish(std::string* pdf) {
  if (finished_) Fail(Status::InvalidInput("PDF: Finish() called twice"));
  finished_ = true;
  if (!ok()) return status_;
  Place(0);
  if (contents_index_) LayoutContents();
  if (!Sync()) return status_;
  for (size_t i = 0; i < pages_.size(); ++i) DrawHeaderAndFooter(i, pages_.size());
  if (!toc_.empty()) HPDF_SetPageMode(doc_.get(), HPDF_PAGE_MODE_USE_OUTLINE);
  if (!Sync()) return status_;
  for (const Fallback& f : fallbacks_)
    if (f.font != nullptr) MarkCompositeComponents(f.path, f.def);
  {
    const std::vector<bool> none;
    std::vector<HPDF_Font> unicode_fonts = {regular_, bold_};
    for (const Fallback& f : fallbacks_)
      if (f.font != nullptr) unicode_fonts.push_back(f.font);
    for (HPDF_Font f : unicode_fonts) {
      auto it = used_cids_.find(f);
      FinishCidFont(f, it == used_cids_.end() ? none : it->second);
    }
  }

  if (HPDF_SaveToStream(doc_.get()) != HPDF_OK) {
    Sync();
    Fail(Status::IOError("PDF: cannot serialize the document"));
    return status_;
  }
  const HPDF_UINT32 size = HPDF_GetStreamSize(doc_.get());
  std::string bytes(size, '\0');
  HPDF_UINT32 read = size;
  HPDF_STATUS st = HPDF_ReadFromStream(doc_.get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &read);
  // Reading the whole stream reports HPDF_STREAM_EOF, which is no error.
  if (sink_.error == HPDF_STREAM_EOF) sink_ = HpdfErrorSink{};
  if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || read != size) {
    Sync();
    Fail(Status::IOError("PDF: cannot read the serialized document"));
    return status_;
  }
  if (!Sync()) return status_;
  *pdf = std::move(bytes);
  return Status::OK();
}

}  // namespace internal

// ---------------------------------------------------------------------------
// Canvas

void Canvas::FillRect(double x, double y, double w, double h, Color fill) {
  writer_->FillRect(box_.x + x, box_.y + y, w, h, fill);
}

void Canvas::StrokeRect(double x, double y, double w, double h, Color stroke, double line_width) {
  writer_->StrokeRect(box_.x + x, box_.y + y, w, h, stroke, line_width);
}

void Canvas::Line(double x1, double y1, double x2, double y2, Color stroke, double line_width, bool dashed) {
  writer_->Line(box_.x + x1, box_.y + y1, box_.x + x2, box_.y + y2, stroke, line_width, dashed);
}

void Canvas::Text(double x, double y, std::string_view text, const TextStyle& style) {
  std::string clean = writer_->Clean(text);
  std::replace(clean.begin(), clean.end(), '\n', ' ');
  const double w = writer_->Width(clean, style.size, style.bold);
  double left = x;
  if (style.align == Align::kCenter) left = x - w / 2;
  if (style.align == Align::kRight) left = x - w;
  writer_->Text(writer_->page(), box_.x + left, w, box_.y + y, clean, style.size, style.bold, style.color,
                Align::kLeft);
}

double Canvas::TextWidth(std::string_view text, double size, bool bold) const {
  return writer_->Width(writer_->Clean(text), size, bold);
}

// ---------------------------------------------------------------------------
// PdfDocument

PdfDocument::PdfDocument(std::unique_ptr<internal::PdfWriter> writer) : writer_(std::move(writer)) {}
PdfDocument::~PdfDocument() = default;

Status PdfDocument::Create(const PdfOptions& options, std::unique_ptr<PdfDocument>* doc) {
  auto writer = std::make_unique<internal::PdfWriter>(options);
  ASSAY_RETURN_IF_ERROR(writer->Open());
  doc->reset(new PdfDocument(std::move(writer)));
  return Status::OK();
}

Status PdfDocument::status() const { return writer_->status(); }
Box PdfDocument::ContentBox() const { return writer_->ContentBox(); }
double PdfDocument::RemainingHeight() const { return writer_->RemainingHeight(); }
int PdfDocument::page_count() const { return writer_->page_count(); }
void PdfDocument::Heading(int level, std::string_view text) { writer_->Heading(level, text); }
void PdfDocument::Paragraph(std::string_view text, const TextStyle& style) { writer_->Paragraph(text, style); }
void PdfDocument::KeyValues(const std::vector<std::pair<std::string, std::string>>& items, double key_fraction) {
  writer_->KeyValues(items, key_fraction);
}
void PdfDocument::BulletList(const std::vector<std::string>& items) { writer_->BulletList(items); }
void PdfDocument::Table(const std::vector<TableColumn>& columns, const std::vector<TableRow>& rows,
                        const TableStyle& style) {
  writer_->Table(columns, rows, style);
}
void PdfDocument::Drawing(double height, const std::function<void(Canvas&)>& draw) { writer_->Drawing(height, draw); }
void PdfDocument::VerticalSpace(double height) { writer_->VerticalSpace(height); }
void PdfDocument::PageBreak() { writer_->PageBreak(); }
void PdfDocument::KeepTogether(double height) { writer_->KeepTogether(height); }
void PdfDocument::TableOfContents(std::string_view title) { writer_->TableOfContents(title); }
Status PdfDocument::Finish(std::string* pdf) { return writer_->Finish(pdf); }
const std::vector<std::string>& PdfDocument::warnings() const { return writer_->warnings(); }

std::vector<std::string> DefaultFallbackFonts() { return {ASSAY_CJK_FONT, ASSAY_HANGUL_FONT, ASSAY_SYMBOL_FONT}; }

Status PdfDocument::Save(const std::string& path) {
  std::string bytes;
  ASSAY_RETURN_IF_ERROR(Finish(&bytes));
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::IOError(path + ": cannot write the PDF");
  return Status::OK();
}

}  // namespace assay::reports
