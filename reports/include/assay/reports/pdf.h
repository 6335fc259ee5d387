// PdfDocument: the typesetting layer of assay's PDF reports.
//
// A PdfDocument lays out a sequence of blocks (headings, paragraphs,
// key-value blocks, bullet lists, tables and vector drawings) from top to
// bottom on pages of one paper size, breaking pages automatically. It knows
// nothing of assessments: report writers feed it text and numbers they have
// already computed (see DESIGN.md, "reports/ never runs SQL or rating logic").
//
//   PdfOptions options;
//   options.metadata.title = "Assessment report";
//   options.metadata.creation_date = "2026-11-24T10:00:00Z";  // from the record
//   options.footer_text = "Confidential";
//   std::unique_ptr<PdfDocument> doc;
//   ASSAY_RETURN_IF_ERROR(PdfDocument::Create(options, &doc));
//   doc->TableOfContents();
//   doc->Heading(1, "Results");
//   doc->Paragraph("The assessment covered ...");
//   doc->Table({{"Process", 3}, {"Level", 1, Align::kCenter}}, rows);
//   ASSAY_RETURN_IF_ERROR(doc->Save("report.pdf"));
//
// Text is UTF-8 throughout and is set in DejaVu Sans (regular and bold),
// embedded as TrueType fonts, so pdftotext recovers it. Characters DejaVu
// lacks (Chinese, Japanese, Korean; many symbols) are set in fallback fonts
// (PdfOptions::fallback_fonts), each read and embedded only when a text
// needs it. libharu sets only the Basic Multilingual Plane: characters above
// it (most emoji) are shown as U+FFFD. A text with a character no font has
// is named in warnings(). Invalid UTF-8 is shown as U+FFFD; tabs become
// spaces; "\n" breaks a line.
//
// Geometry: lengths are PDF points (1/72 inch; Mm() converts). Canvas
// coordinates have their origin at the bottom-left corner of the drawing box
// and y grows upwards, as in PDF.
//
// Errors: like leveldb's TableBuilder, the layout calls return nothing; the
// first error (a libharu error, caught through its error handler, or a
// misuse such as a heading level of 3) is kept, later calls do nothing, and
// status(), Finish() and Save() return it. Codes: kNotFound (a font file is
// missing), kInvalidInput (a bad argument: the message names it), kIOError
// (libharu failed, or Save() could not write the file).
//
// Determinism: the same calls give byte-identical output. Nothing reads the
// clock; the only dates written are PdfMetadata::creation_date, and libharu
// writes no /ID without encryption, which is never used.
//
// Thread safety: a PdfDocument is not thread safe; distinct documents may be
// used from different threads.
#ifndef ASSAY_REPORTS_PDF_H_
#define ASSAY_REPORTS_PDF_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "assay/status.h"

namespace assay::reports {

namespace internal {
class PdfWriter;
}  // namespace internal

// Millimetres to points.
constexpr double Mm(double mm) { return mm * 72.0 / 25.4; }

enum class Paper { kA4, kLetter };

// "a4" or "letter" (any case) to a Paper; kInvalidInput otherwise.
Status ParsePaper(std::string_view name, Paper* paper);

// An RGB colour, each component in [0, 1].
struct Color {
  double r = 0;
  double g = 0;
  double b = 0;

  // From 0xRRGGBB.
  static constexpr Color Hex(std::uint32_t rgb) {
    return Color{((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0};
  }
  friend constexpr bool operator==(const Color&, const Color&) = default;
};

// The restrained palette the layout itself uses; report writers should pick
// from it too so that all reports look alike.
namespace palette {
inline constexpr Color kInk = Color::Hex(0x1F2933);          // body text
inline constexpr Color kMuted = Color::Hex(0x5F6B7A);        // header, footer, captions
inline constexpr Color kAccent = Color::Hex(0x1F4E79);       // headings, chart bars
inline constexpr Color kAccentLight = Color::Hex(0x9DB7D5);  // secondary chart series
inline constexpr Color kHighlight = Color::Hex(0xB5483B);    // chart targets, warnings
inline constexpr Color kRule = Color::Hex(0xC5CED8);         // table grid, rules
inline constexpr Color kHeaderFill = Color::Hex(0xDCE4EE);   // table header rows
inline constexpr Color kZebra = Color::Hex(0xF4F6F9);        // alternate table rows
inline constexpr Color kWhite = Color::Hex(0xFFFFFF);
// Rating fills for N / P / L / F (ISO/IEC 33020), readable under dark text.
inline constexpr Color kRatingN = Color::Hex(0xF2C4C0);
inline constexpr Color kRatingP = Color::Hex(0xF8DDB0);
inline constexpr Color kRatingL = Color::Hex(0xD5E8C6);
inline constexpr Color kRatingF = Color::Hex(0x9FD0A4);
}  // namespace palette

enum class Align { kLeft, kCenter, kRight };

struct PdfMetadata {
  std::string title;    // Default: empty (no /Title)
  std::string author;   // Default: empty
  std::string subject;  // Default: empty
  std::string creator;  // the producing application, e.g. "assay 0.1.0". Default: empty
  // /Keywords; assay reports keep their machine-readable manifest here
  // (report_parts.h). Default: empty
  std::string keywords;
  // Written as both /CreationDate and /ModDate. "YYYY-MM-DD",
  // "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS", optionally followed by "Z"
  // or "+HH:MM" / "-HH:MM". Take it from the data (e.g. the assessment
  // record), never from the clock. Default: empty (no dates written).
  std::string creation_date;
};

// The build's fallback fonts: Droid Sans Fallback (Chinese, Japanese;
// Debian's fonts-droid-fallback), WenQuanYi Zen Hei (Korean and more Han;
// fonts-wqy-zenhei, a .ttc collection), then Symbola (symbols and dingbats;
// fonts-symbola), at their Debian paths.
std::vector<std::string> DefaultFallbackFonts();

struct PdfOptions {
  Paper paper = Paper::kA4;
  PdfMetadata metadata;
  // Small text left in the top margin of every page but the first (which is
  // usually the cover). Default: empty (no running header).
  std::string header_text;
  // Left part of the footer of every page, e.g. a confidentiality marking.
  // The right part is always "Page n of N". Default: empty.
  std::string footer_text;
  // Directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf. Default: empty,
  // meaning the build's default (/usr/share/fonts/truetype/dejavu, from
  // Debian's fonts-dejavu-core). The command line sets it from $ASSAY_FONT_DIR.
  std::string font_dir;
  // TrueType files (.ttf, or .ttc: its first font) for the characters DejaVu Sans lacks, tried in
  // order. A file is read only when a text needs a character DejaVu lacks,
  // and embedded (the glyphs used, as a subset) only when it sets one;
  // missing files are skipped. Default: DefaultFallbackFonts().
  std::vector<std::string> fallback_fonts = DefaultFallbackFonts();
  double margin = Mm(20);  // all four sides. Default: 20 mm
  double body_size = 10;   // paragraph text, points. Default: 10
  bool compress = true;    // Flate-compress all streams. Default: true
};

// A text run's look. Leading is 1.35 x size.
struct TextStyle {
  double size = 10;
  bool bold = false;
  Color color = palette::kInk;
  Align align = Align::kLeft;
  double space_after = 6;  // below a paragraph; ignored by Canvas::Text
};

struct TableColumn {
  std::string title;
  double width = 1;  // relative to the other columns; > 0
  Align align = Align::kLeft;
};

struct TableCell {
  TableCell() = default;
  // Implicit, so that rows can be written as {"ITSM.1", "L"}.
  TableCell(std::string t) : text(std::move(t)) {}  // NOLINT(google-explicit-constructor)
  TableCell(const char* t) : text(t) {}             // NOLINT(google-explicit-constructor)

  std::string text;            // wrapped to the column width
  std::optional<Color> fill;   // background; Default: none (zebra or white)
  std::optional<Color> color;  // text colour; Default: palette::kInk
  std::optional<Align> align;  // Default: the column's
  bool bold = false;
};
using TableRow = std::vector<TableCell>;

struct TableStyle {
  enum class Lines { kGrid, kHorizontal, kNone };
  double font_size = 9;
  double padding = 3;  // inside each cell, points
  bool header = true;  // a header row of column titles, repeated on every page
  bool zebra = true;   // shade every other row (cells without a fill)
  Lines lines = Lines::kGrid;
  double space_after = 8;
};

// A box in absolute page coordinates (origin bottom-left of the page).
struct Box {
  double x = 0;
  double y = 0;  // bottom edge
  double width = 0;
  double height = 0;
};

// Draws inside a block reserved by PdfDocument::Drawing(). Coordinates are
// relative to the bottom-left corner of the block; everything is clipped to
// the block, so a drawing can never spill into the margins.
// A Canvas is valid only during the Drawing() callback.
class Canvas {
 public:
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  double width() const { return box_.width; }
  double height() const { return box_.height; }
  const Box& box() const { return box_; }  // where the block lies on the page

  void FillRect(double x, double y, double w, double h, Color fill);
  void StrokeRect(double x, double y, double w, double h, Color stroke, double line_width = 0.5);
  // A dashed line has 2 pt dashes and gaps.
  void Line(double x1, double y1, double x2, double y2, Color stroke, double line_width = 0.5, bool dashed = false);
  // One line of text (not wrapped); `y` is its baseline and `x` its left
  // edge, centre or right edge according to style.align.
  void Text(double x, double y, std::string_view text, const TextStyle& style = {});
  // The width `text` would take at `size` points.
  double TextWidth(std::string_view text, double size, bool bold = false) const;

 private:
  friend class internal::PdfWriter;
  Canvas(internal::PdfWriter* writer, const Box& box) : writer_(writer), box_(box) {}

  internal::PdfWriter* writer_;
  Box box_;
};

class PdfDocument {
 public:
  // Opens an empty document with its first page and loads the fonts.
  // Returns kNotFound naming the missing font file (and the Debian package
  // fonts-dejavu-core), kInvalidInput for a malformed creation_date or
  // margin, kIOError for a libharu failure. On success sets *doc.
  static Status Create(const PdfOptions& options, std::unique_ptr<PdfDocument>* doc);

  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  // The first error so far, or OK.
  Status status() const;

  // The content area of a page (inside the margins), in page coordinates.
  Box ContentBox() const;
  // Points left on the current page below the flow position.
  double RemainingHeight() const;
  // Pages so far, not counting contents pages still to be inserted.
  int page_count() const;

  // A level 1 or 2 heading. It becomes a bookmark (level 2 under the
  // previous level 1) and a contents entry, and is kept on the same page as
  // the start of the block that follows it.
  void Heading(int level, std::string_view text);

  // Wrapped text. Words longer than a line are broken; "\n" breaks a line.
  // Neither the first nor the last line is left alone on a page.
  void Paragraph(std::string_view text, const TextStyle& style = {});

  // Keys in bold on the left (key_fraction of the width), wrapped values on
  // the right, a light rule under each pair.
  void KeyValues(const std::vector<std::pair<std::string, std::string>>& items, double key_fraction = 0.3);

  // A bulleted list with hanging indents.
  void BulletList(const std::vector<std::string>& items);

  // A table as wide as the content area; column widths are proportional to
  // TableColumn::width. Rows that do not fit move to the next page, where
  // the header row is repeated; a row taller than a whole page is split
  // between lines. Every row must have columns.size() cells.
  void Table(const std::vector<TableColumn>& columns, const std::vector<TableRow>& rows, const TableStyle& style = {});

  // Reserves a block of `height` points as wide as the content area (moving
  // to a new page if it does not fit; clamped to one page) and calls `draw`
  // with a Canvas on it.
  void Drawing(double height, const std::function<void(Canvas&)>& draw);

  // Empty space. It vanishes at the top of a page the layout started (an
  // automatic break), but is kept at the top of the first page and after
  // PageBreak(), e.g. to lower a cover title.
  void VerticalSpace(double height);

  // Starts a new page unless the current one is still empty.
  void PageBreak();

  // Starts a new page unless `height` points remain on this one.
  void KeepTogether(double height);

  // Makes the current page (after a page break if it is not empty) the
  // contents page, headed `title`, and continues the flow on a new page.
  // At Finish() it lists every heading with its page number and a link;
  // extra contents pages are inserted when one is not enough (the footers
  // count them). At most once per document.
  void TableOfContents(std::string_view title = "Contents");

  // Lays out the contents and the page header and footer ("Page n of N"),
  // and returns the PDF bytes in *pdf. REQUIRES: Finish() not called before.
  Status Finish(std::string* pdf);
  // Finish() and write the bytes to `path` (kIOError naming it on failure).
  Status Save(const std::string& path);

  // What the reader should know but that is no error, one line each: a text
  // with characters no font has a glyph for ('no font has a glyph for
  // U+1F600 in "Launch 😀"'; such characters show as a box or U+FFFD), a
  // fallback font that could not be read. At most 51 lines.
  const std::vector<std::string>& warnings() const;

 private:
  explicit PdfDocument(std::unique_ptr<internal::PdfWriter> writer);

  std::unique_ptr<internal::PdfWriter> writer_;
};

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_PDF_H_
