// Tests of the PDF typesetting layer: they build documents with PdfDocument
// and inspect them with poppler-utils (pdftotext, pdfinfo) and qpdf.
#include "assay/reports/pdf.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "assay/reports/report_parts.h"
#include "test_util.h"

namespace assay::reports {
namespace {

using assay::testing::RunCommand;
using assay::testing::TempDir;

size_t Count(const std::string& haystack, const std::string& needle) {
  size_t count = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) {
    ++count;
  }
  return count;
}

std::vector<std::string> SplitPages(const std::string& text) {
  std::vector<std::string> pages;
  std::string page;
  std::istringstream in(text);
  while (std::getline(in, page, '\f')) pages.push_back(page);
  // pdftotext ends the last page with a form feed too.
  if (!pages.empty() && pages.back().find_first_not_of(" \n") == std::string::npos) pages.pop_back();
  return pages;
}

struct Word {
  int page;                           // from 1
  double x_min, y_min, x_max, y_max;  // from the top-left corner
  std::string text;
};

// The words of a PDF with their boxes (pdftotext -bbox).
std::vector<Word> Words(const std::string& path, double* page_width, double* page_height) {
  std::string html = RunCommand("pdftotext -bbox '" + path + "' - 2>/dev/null");
  std::vector<Word> words;
  static const std::regex kPage(R"re(<page width="([0-9.]+)" height="([0-9.]+)">)re");
  static const std::regex kWord(
      R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
  int page = 0;
  std::istringstream in(html);
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, kPage)) {
      ++page;
      *page_width = std::stod(m[1]);
      *page_height = std::stod(m[2]);
    } else if (std::regex_search(line, m, kWord)) {
      words.push_back(Word{page, std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]), m[5]});
    }
  }
  return words;
}

int PageCount(const std::string& path) {
  std::string info = RunCommand("pdfinfo '" + path + "' 2>/dev/null");
  std::smatch m;
  static const std::regex kPages(R"(Pages:\s+([0-9]+))");
  return std::regex_search(info, m, kPages) ? std::stoi(m[1]) : -1;
}

PdfOptions TestOptions() {
  PdfOptions options;
  options.metadata.title = "Assessment report: Nordlicht IT Services";
  options.metadata.author = "Zoë Šťastná";
  options.metadata.subject = "Process capability assessment";
  options.metadata.creator = "assay test";
  options.metadata.creation_date = "2026-11-24T10:30:00Z";
  options.header_text = "Nordlicht IT Services · Process assessment report";
  options.footer_text = "CONFIDENTIAL · for the sponsor and the assessment team only";
  return options;
}

const char kLongText[] =
    "The assessment was led by Zoë Šťastná with Łukasz Żółć and Mette Ørsted as assessors. It "
    "covered the service management processes of the organizational unit in scope, and every "
    "rating rests on sampled evidence: interviews, records and documents collected between "
    "3 and 14 November. Strengths and weaknesses are traced to indicators and evidence IDs so that "
    "a reader can follow each rating back to what the team saw and heard. ";

// A report-like document: contents, headings, text, a chart, a colour-coded
// matrix and a 300-row table.
Status BuildReport(const PdfOptions& options, std::string* pdf) {
  std::unique_ptr<PdfDocument> doc;
  ASSAY_RETURN_IF_ERROR(PdfDocument::Create(options, &doc));
  doc->VerticalSpace(120);
  doc->Paragraph("Process Assessment Report", TextStyle{24, true, palette::kAccent, Align::kLeft, 8});
  doc->Paragraph("Nordlicht IT Services GmbH — service management capability",
                 TextStyle{13, false, palette::kMuted, Align::kLeft, 30});
  doc->KeyValues({{"Sponsor", "Ingrid Ørsted, COO"},
                  {"Lead assessor", "Zoë Šťastná"},
                  {"Assessors", "Łukasz Żółć, Mette Ørsted"},
                  {"Assessment class", "Class 2"},
                  {"Dates", "3–14 November 2026"}});
  doc->PageBreak();
  doc->TableOfContents();
  doc->Heading(1, "1 Purpose and scope");
  doc->Paragraph(std::string(kLongText) + kLongText + kLongText);
  doc->Heading(2, "1.1 Processes in scope");
  doc->BulletList({"ITSM.1 Service level management — target level 3",
                   "ITSM.2 Incident management — target level 3, with a long explanation that wraps onto "
                   "a second line to show the hanging indent of the bullet list",
                   "ITSM.3 Change management — target level 2"});
  doc->Heading(1, "2 Results");
  doc->Heading(2, "2.1 Capability profile");
  doc->Drawing(150, [](Canvas& c) {
    const char* names[] = {"ITSM.1", "ITSM.2", "ITSM.3", "ITSM.4", "ITSM.5"};
    const int achieved[] = {3, 2, 2, 1, 3};
    const int target[] = {3, 3, 2, 2, 3};
    const double axis = 36, base = 24, top = c.height() - 10, step = (top - base) / 5;
    for (int level = 0; level <= 5; ++level) {
      const double y = base + level * step;
      c.Line(axis, y, c.width(), y, palette::kRule, 0.4, level > 0);
      c.Text(axis - 6, y - 3, std::to_string(level), TextStyle{8, false, palette::kMuted, Align::kRight, 0});
    }
    const double slot = (c.width() - axis) / 5;
    for (int i = 0; i < 5; ++i) {
      const double x = axis + i * slot + slot * 0.25;
      c.FillRect(x, base, slot * 0.5, achieved[i] * step, palette::kAccent);
      c.Line(x - 6, base + target[i] * step, x + slot * 0.5 + 6, base + target[i] * step, palette::kHighlight, 1.5);
      c.Text(x + slot * 0.25, 8, names[i], TextStyle{8, false, palette::kInk, Align::kCenter, 0});
    }
  });
  doc->Heading(2, "2.2 Process attribute ratings");
  const Color fills[] = {palette::kRatingN, palette::kRatingP, palette::kRatingL, palette::kRatingF};
  const char* letters[] = {"N", "P", "L", "F"};
  std::vector<TableRow> matrix;
  for (int p = 0; p < 8; ++p) {
    TableRow row{"ITSM." + std::to_string(p + 1)};
    for (int a = 0; a < 5; ++a) {
      const int r = (p * 3 + a * 5) % 4;
      TableCell cell(letters[r]);
      cell.fill = fills[r];
      cell.bold = true;
      row.push_back(cell);
    }
    matrix.push_back(row);
  }
  doc->Table({{"Process", 2},
              {"PA 1.1", 1, Align::kCenter},
              {"PA 2.1", 1, Align::kCenter},
              {"PA 2.2", 1, Align::kCenter},
              {"PA 3.1", 1, Align::kCenter},
              {"PA 3.2", 1, Align::kCenter}},
             matrix, TableStyle{9, 3, true, false, TableStyle::Lines::kGrid, 8});
  doc->Heading(1, "Appendix A Evidence register");
  doc->Paragraph("Every evidence item the team recorded, in the order it was collected.");
  std::vector<TableRow> rows;
  const char* people[] = {"Zoë Šťastná", "Łukasz Żółć", "Mette Ørsted"};
  for (int i = 1; i <= 300; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "EV-%04d", i);
    std::string description = "Record reviewed for the process instance";
    if (i % 7 == 0) description += " with a longer note that wraps over two or three lines of the column";
    rows.push_back(TableRow{id, description, people[i % 3], i % 5 == 0 ? "interview" : "document"});
  }
  doc->Table({{"Evidence ID", 1.2}, {"Description", 4}, {"Collected by", 1.8}, {"Kind", 1.2}}, rows);
  return doc->Finish(pdf);
}

class PdfTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!assay::testing::HavePdfTools()) GTEST_SKIP() << "pdftotext, pdfinfo or qpdf not installed";
  }
  // Builds the sample report into report.pdf and returns its path.
  std::string WriteReport(const PdfOptions& options = TestOptions()) {
    std::string pdf;
    Status s = BuildReport(options, &pdf);
    EXPECT_TRUE(s.ok()) << s.ToString();
    // To look at the sample report: ASSAY_KEEP_PDF=/some/dir.
    if (const char* keep = std::getenv("ASSAY_KEEP_PDF"); keep != nullptr && *keep != '\0') {
      std::ofstream(std::string(keep) + "/pdf_test_report.pdf", std::ios::binary) << pdf;
    }
    return dir_.Write("report.pdf", pdf);
  }
  std::string Text(const std::string& path, const std::string& flags = "") {
    return RunCommand("pdftotext " + flags + " '" + path + "' - 2>/dev/null");
  }

  TempDir dir_;
};

TEST_F(PdfTest, UnicodeNamesAreExtractable) {
  std::string text = Text(WriteReport());
  for (const char* name : {"Zoë Šťastná", "Łukasz Żółć", "Ørsted", "3–14 November 2026"}) {
    EXPECT_NE(text.find(name), std::string::npos) << name;
  }
}

TEST_F(PdfTest, TableHeaderRepeatsOnEveryPageAndNoRowIsLost) {
  std::string path = WriteReport();
  const int pages = PageCount(path);
  std::vector<std::string> text = SplitPages(Text(path));
  ASSERT_EQ(static_cast<int>(text.size()), pages);
  // The evidence table starts on the page of its first row and runs to the end.
  size_t first = 0;
  while (first < text.size() && text[first].find("EV-0001") == std::string::npos) ++first;
  ASSERT_LT(first, text.size());
  EXPECT_GE(text.size() - first, 3u) << "the 300-row table should span several pages";
  for (size_t p = first; p < text.size(); ++p) {
    EXPECT_EQ(Count(text[p], "Collected by"), 1u) << "page " << p + 1;
  }
  EXPECT_EQ(Count(Text(path), "Collected by"), text.size() - first);
  std::string all = Text(path);
  for (int i = 1; i <= 300; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "EV-%04d", i);
    EXPECT_EQ(Count(all, id), 1u) << id;
  }
}

TEST_F(PdfTest, QpdfCheckPasses) {
  int rc = -1;
  std::string out = RunCommand("qpdf --check '" + WriteReport() + "' 2>&1", &rc);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("No syntax or stream encoding errors"), std::string::npos) << out;
}

TEST_F(PdfTest, RendersWithoutWarnings) {
  if (std::system("command -v pdftoppm >/dev/null 2>&1") != 0) GTEST_SKIP() << "pdftoppm not installed";
  std::string path = WriteReport();
  int rc = -1;
  std::string out = RunCommand("pdftoppm -png -r 30 -f 1 -l 3 '" + path + "' '" + dir_.path() + "/page' 2>&1", &rc);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(out, "");
  EXPECT_TRUE(std::filesystem::exists(dir_.path() + "/page-01.png") ||
              std::filesystem::exists(dir_.path() + "/page-1.png"));
  // pdftotext has no complaint either (e.g. about the fonts' ToUnicode maps).
  EXPECT_EQ(RunCommand("pdftotext '" + path + "' /dev/null 2>&1", &rc), "");
}

TEST_F(PdfTest, SameCallsGiveIdenticalBytes) {
  std::string a, b;
  ASSERT_OK(BuildReport(TestOptions(), &a));
  ASSERT_OK(BuildReport(TestOptions(), &b));
  EXPECT_GT(a.size(), 1000u);
  EXPECT_TRUE(a == b) << "sizes " << a.size() << " and " << b.size();
  EXPECT_EQ(a.find("/ID"), std::string::npos);

  // Save() writes the same bytes as Finish().
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(TestOptions(), &doc));
  doc->Paragraph("one line");
  std::string path = dir_.path() + "/saved.pdf";
  ASSERT_OK(doc->Save(path));
  std::unique_ptr<PdfDocument> doc2;
  ASSERT_OK(PdfDocument::Create(TestOptions(), &doc2));
  doc2->Paragraph("one line");
  std::string bytes;
  ASSERT_OK(doc2->Finish(&bytes));
  std::ifstream in(path, std::ios::binary);
  std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(saved == bytes);
}

TEST_F(PdfTest, FooterShowsPageNOfNOnEveryPage) {
  std::string path = WriteReport();
  const int pages = PageCount(path);
  ASSERT_GT(pages, 4);
  std::vector<std::string> text = SplitPages(Text(path));
  ASSERT_EQ(static_cast<int>(text.size()), pages);
  for (int p = 1; p <= pages; ++p) {
    const std::string label = "Page " + std::to_string(p) + " of " + std::to_string(pages);
    EXPECT_NE(text[static_cast<size_t>(p - 1)].find(label), std::string::npos) << label;
    EXPECT_NE(text[static_cast<size_t>(p - 1)].find("CONFIDENTIAL"), std::string::npos) << p;
  }
}

TEST_F(PdfTest, MetadataComesFromTheCaller) {
  std::string info = RunCommand("pdfinfo '" + WriteReport() + "' 2>/dev/null");
  EXPECT_NE(info.find("Title:           Assessment report: Nordlicht IT Services"), std::string::npos) << info;
  EXPECT_NE(info.find("Author:          Zoë Šťastná"), std::string::npos) << info;
  EXPECT_NE(info.find("CreationDate:    Tue Nov 24 10:30:00 2026 UTC"), std::string::npos) << info;
  EXPECT_NE(info.find("Page size:       595.276 x 841.89 pts (A4)"), std::string::npos) << info;
}

TEST_F(PdfTest, LetterPaper) {
  PdfOptions options = TestOptions();
  ASSERT_OK(ParsePaper("Letter", &options.paper));
  std::string info = RunCommand("pdfinfo '" + WriteReport(options) + "' 2>/dev/null");
  EXPECT_NE(info.find("612 x 792 pts (letter)"), std::string::npos) << info;
}

TEST_F(PdfTest, OutlineHasHeadingsAndPointsToTheirPages) {
  std::string path = WriteReport();
  std::string json = RunCommand("qpdf --json --json-key=outlines '" + path + "' 2>/dev/null");
  for (const char* title :
       {"\"title\": \"Contents\"", "\"title\": \"1 Purpose and scope\"", "\"title\": \"1.1 Processes in scope\"",
        "\"title\": \"2.2 Process attribute ratings\"", "\"title\": \"Appendix A Evidence register\""}) {
    EXPECT_NE(json.find(title), std::string::npos) << title << "\n" << json;
  }
  // "Appendix A" is a bookmark to the page that shows it.
  std::smatch m;
  std::regex appendix(
      R"re("destpageposfrom1": ([0-9]+),\s*"kids": \[\],\s*"object": "[0-9]+ 0 R",\s*"open": true,\s*"title": "Appendix A)re");
  ASSERT_TRUE(std::regex_search(json, m, appendix)) << json;
  std::vector<std::string> pages = SplitPages(Text(path));
  const size_t page = std::stoul(m[1]);
  ASSERT_LE(page, pages.size());
  EXPECT_NE(pages[page - 1].find("Appendix A Evidence register"), std::string::npos);
}

// Many headings need several contents pages; the numbers must still be those
// of the pages the headings are on.
TEST_F(PdfTest, ContentsListsHeadingsWithTheirFinalPageNumbers) {
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(TestOptions(), &doc));
  doc->Paragraph("Cover");
  doc->PageBreak();
  doc->TableOfContents("Contents");
  for (int i = 1; i <= 90; ++i) {
    doc->Heading(i % 3 == 1 ? 1 : 2, "Section " + std::to_string(i) + " heading");
    doc->Paragraph(std::string(kLongText) + kLongText);
  }
  std::string pdf;
  ASSERT_OK(doc->Finish(&pdf));
  std::string path = dir_.Write("toc.pdf", pdf);
  std::vector<std::string> pages = SplitPages(Text(path, "-layout"));
  ASSERT_EQ(static_cast<int>(pages.size()), PageCount(path));
  // Contents pages are 2, 3, ... until the page holding "Section 1 heading" twice over.
  std::regex entry(R"((Section ([0-9]+) heading)\s*\.*\s+([0-9]+)\s*$)");
  std::map<int, size_t> listed;
  for (size_t p = 1; p < pages.size() && p < 6; ++p) {
    std::istringstream in(pages[p]);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_search(line, m, entry)) listed[std::stoi(m[2])] = std::stoul(m[3]);
    }
  }
  ASSERT_EQ(listed.size(), 90u);
  EXPECT_GT(listed[1], 3u) << "more than one contents page expected";
  for (const auto& [section, page] : listed) {
    ASSERT_LE(page, pages.size());
    std::string heading = "Section " + std::to_string(section) + " heading";
    // On its page the heading stands alone on a line (not as a contents entry).
    std::regex alone("(^|\\n)\\s*" + heading + "\\s*(\\n|$)");
    EXPECT_TRUE(std::regex_search(pages[page - 1], alone)) << heading << " on page " << page;
  }
}

// A cell taller than a page is split; nothing is drawn outside the margins.
TEST_F(PdfTest, TallRowsAndLongWordsStayInsideTheMargins) {
  PdfOptions options = TestOptions();
  options.header_text.clear();
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(options, &doc));
  std::string tall;
  for (int i = 0; i < 400; ++i) tall += "tallword" + std::to_string(i) + " ";
  std::string long_word(300, 'x');
  long_word = "longword" + long_word;
  doc->Paragraph("A paragraph with a " + long_word + " in it.");
  doc->Table({{"Key", 1}, {"Value", 1}, {"Narrow", 0.3}},
             {{"a", "b", "c"}, {"tallcell", tall, "narrowcolumnwithaverylongword"}, {"after", "row", "z"}});
  std::string pdf;
  ASSERT_OK(doc->Finish(&pdf));
  std::string path = dir_.Write("tall.pdf", pdf);
  double width = 0, height = 0;
  std::vector<Word> words = Words(path, &width, &height);
  ASSERT_FALSE(words.empty());
  const double margin = Mm(20), tolerance = 0.5;
  int tallwords = 0;
  for (const Word& w : words) {
    if (w.text.rfind("Page", 0) == 0 || w.text == "of" || w.text == "CONFIDENTIAL" || w.y_min > height - margin) {
      continue;  // the footer lives in the bottom margin
    }
    if (w.text.rfind("tallword", 0) == 0) ++tallwords;
    EXPECT_GE(w.x_min, margin - tolerance) << w.text << " page " << w.page;
    EXPECT_LE(w.x_max, width - margin + tolerance) << w.text << " page " << w.page;
    EXPECT_GE(w.y_min, margin - tolerance) << w.text << " page " << w.page;
    EXPECT_LE(w.y_max, height - margin + tolerance) << w.text << " page " << w.page;
  }
  EXPECT_EQ(tallwords, 400);
  EXPECT_GE(PageCount(path), 3);
  std::string text = Text(path);
  EXPECT_NE(text.find("after"), std::string::npos);
  // The header row is repeated on every page the tall row spans.
  EXPECT_EQ(Count(text, "Narrow"), static_cast<size_t>(PageCount(path)));
}

// A heading that would end a page moves to the next one with its paragraph.
TEST_F(PdfTest, HeadingIsNeverAloneAtThePageBottom) {
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(TestOptions(), &doc));
  while (doc->page_count() == 1 && doc->RemainingHeight() > 40) doc->Paragraph("Filler line.");
  ASSERT_EQ(doc->page_count(), 1);
  doc->Heading(1, "Kept heading");
  doc->Paragraph("First line of the kept paragraph. " + std::string(kLongText));
  std::string pdf;
  ASSERT_OK(doc->Finish(&pdf));
  std::vector<std::string> pages = SplitPages(Text(dir_.Write("keep.pdf", pdf)));
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].find("Kept heading"), std::string::npos);
  EXPECT_NE(pages[1].find("Kept heading"), std::string::npos);
  EXPECT_NE(pages[1].find("First line of the kept"), std::string::npos);
}

// The last line of a paragraph does not go alone to the next page.
TEST_F(PdfTest, NoWidowLines) {
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(TestOptions(), &doc));
  while (doc->RemainingHeight() > 6 * 13.5) doc->Paragraph("Filler line.");
  const int fit = static_cast<int>(doc->RemainingHeight() / 13.5);
  ASSERT_GE(fit, 3);
  std::string text;
  for (int i = 1; i <= fit + 1; ++i) text += "Numbered line " + std::to_string(i) + "\n";
  doc->Paragraph(text);
  std::string pdf;
  ASSERT_OK(doc->Finish(&pdf));
  std::vector<std::string> pages = SplitPages(Text(dir_.Write("widow.pdf", pdf)));
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(Count(pages[0], "Numbered line"), static_cast<size_t>(fit - 1));
  EXPECT_EQ(Count(pages[1], "Numbered line"), 2u);
}

// Space asked for at the top of the first page (a cover) is kept.
TEST_F(PdfTest, VerticalSpaceAtTheTopOfTheFirstPageIsKept) {
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(TestOptions(), &doc));
  const double full = doc->RemainingHeight();
  doc->VerticalSpace(100);
  EXPECT_DOUBLE_EQ(doc->RemainingHeight(), full - 100);
  doc->Paragraph("Title");
  std::string pdf;
  ASSERT_OK(doc->Finish(&pdf));
}

TEST_F(PdfTest, DrawingIsClippedToItsBox) {
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(TestOptions(), &doc));
  Box box;
  doc->Drawing(100, [&](Canvas& c) {
    box = c.box();
    EXPECT_DOUBLE_EQ(c.height(), 100);
    c.StrokeRect(0, 0, c.width(), c.height(), palette::kRule);
    c.Text(10, 40, "inside", TextStyle{10, false, palette::kInk, Align::kLeft, 0});
    c.Text(c.width() - 5, 60, "farright", TextStyle{10, false, palette::kInk, Align::kLeft, 0});
    EXPECT_GT(c.TextWidth("inside", 10), 20);
  });
  std::string pdf;
  ASSERT_OK(doc->Finish(&pdf));
  EXPECT_NEAR(box.x, Mm(20), 0.01);
  EXPECT_NEAR(box.width, 595.276 - 2 * Mm(20), 0.01);
  std::string text = Text(dir_.Write("drawing.pdf", pdf));
  EXPECT_NE(text.find("inside"), std::string::npos);
}

TEST(PdfErrorsTest, MissingFontNamesThePathAndThePackage) {
  TempDir empty;
  PdfOptions options;
  options.font_dir = empty.path();  // the command line's $ASSAY_FONT_DIR
  std::unique_ptr<PdfDocument> doc;
  Status s = PdfDocument::Create(options, &doc);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_EQ(s.message(), "font file " + empty.path() +
                             "/DejaVuSans.ttf not found: install the Debian package fonts-dejavu-core, or set "
                             "ASSAY_FONT_DIR to a directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf");
  EXPECT_EQ(doc, nullptr);
}

TEST(PdfErrorsTest, ANonFontFileIsRejectedBeforeLibharuReadsIt) {
  TempDir dir;
  dir.Write("DejaVuSans.ttf", "not a font");
  dir.Write("DejaVuSans-Bold.ttf", "not a font");
  PdfOptions options;
  options.font_dir = dir.path();
  std::unique_ptr<PdfDocument> doc;
  Status s = PdfDocument::Create(options, &doc);
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_EQ(s.message(), "font file " + dir.path() +
                             "/DejaVuSans.ttf is not a usable TrueType font (too short); reinstall the Debian "
                             "package fonts-dejavu-core");
}

// An error libharu raises (here: a font size above its limit of 600) comes
// back through the error handler as a Status.
TEST(PdfErrorsTest, LibharuErrorsBecomeAStatus) {
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(PdfOptions(), &doc));
  doc->Drawing(50, [](Canvas& c) { c.Text(0, 10, "huge", TextStyle{1000, false, palette::kInk, Align::kLeft, 0}); });
  EXPECT_EQ(doc->status().code(), Status::Code::kIOError);
  EXPECT_EQ(doc->status().message(), "PDF: libharu error 0x1050 (invalid font size), detail 1000");
  doc->Paragraph("ignored");
  std::string pdf;
  EXPECT_EQ(doc->Finish(&pdf).message(), doc->status().message());
}

TEST(PdfErrorsTest, BadInputIsReportedByName) {
  struct Case {
    std::function<void(PdfDocument&)> call;
    std::string message;
  } cases[] = {
      {[](PdfDocument& d) { d.Heading(3, "Deep"); }, "PDF heading \"Deep\": level 3, expected 1 or 2"},
      {[](PdfDocument& d) {
         d.Table({{"A", 1}, {"B", 1}}, {{"1", "2"}, {"only one"}});
       },
       "PDF table: row 2 has 1 cells, expected 2"},
      {[](PdfDocument& d) {
         d.Table({{"A", 1}, {"B", 0}}, {});
       },
       "PDF table: column 2 (\"B\"): width must be > 0"},
      {[](PdfDocument& d) { d.Table({}, {}); }, "PDF table: no columns"},
      {[](PdfDocument& d) {
         d.TableOfContents();
         d.TableOfContents();
       },
       "PDF: TableOfContents() called twice"},
  };
  for (const Case& c : cases) {
    std::unique_ptr<PdfDocument> doc;
    ASSERT_OK(PdfDocument::Create(PdfOptions(), &doc));
    c.call(*doc);
    EXPECT_EQ(doc->status().code(), Status::Code::kInvalidInput);
    EXPECT_EQ(doc->status().message(), c.message);
    doc->Paragraph("ignored after an error");
    std::string pdf;
    Status s = doc->Finish(&pdf);
    EXPECT_EQ(s.message(), c.message);
    EXPECT_TRUE(pdf.empty());
  }
}

TEST(PdfErrorsTest, BadOptions) {
  const std::pair<std::string, std::string> dates[] = {
      {"2026-13-01", "expected YYYY-MM-DD"},
      {"24.11.2026", "expected YYYY-MM-DD"},
      {"2026-11-24T25:00", "expected"},
      {"2026-11-24T10:00:00+0100", "expected"},
  };
  for (const auto& [date, text] : dates) {
    PdfOptions options;
    options.metadata.creation_date = date;
    std::unique_ptr<PdfDocument> doc;
    Status s = PdfDocument::Create(options, &doc);
    EXPECT_EQ(s.code(), Status::Code::kInvalidInput) << date;
    EXPECT_NE(s.message().find("creation_date: \"" + date + "\": " + text), std::string::npos) << s.message();
  }
  for (const char* good : {"2026-11-24", "2026-11-24T10:00", "2026-11-24T10:00:05+01:00"}) {
    PdfOptions options;
    options.metadata.creation_date = good;
    std::unique_ptr<PdfDocument> doc;
    EXPECT_OK(PdfDocument::Create(options, &doc));
  }
  Paper paper;
  EXPECT_EQ(ParsePaper("a5", &paper).message(), "paper \"a5\": expected a4 or letter");
  ASSERT_OK(ParsePaper("A4", &paper));
  EXPECT_EQ(paper, Paper::kA4);
}

TEST(PdfErrorsTest, FinishTwice) {
  std::unique_ptr<PdfDocument> doc;
  ASSERT_OK(PdfDocument::Create(PdfOptions(), &doc));
  std::string pdf;
  ASSERT_OK(doc->Finish(&pdf));
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(doc->Finish(&pdf).message(), "PDF: Finish() called twice");
}


// ---------------------------------------------------------------------------
// Fallback fonts (issue 20): CJK and symbols that DejaVu Sans lacks.

class PdfFontTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!assay::testing::HavePdfTools() || std::system("command -v pdffonts >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "poppler-utils not installed";
  }
  // A one-page document with `title` as its heading and `text` below it
  // (and, with `table`, a table naming 王小明).
  std::string Write(const std::string& title, const std::string& text, const PdfOptions& options,
                    std::vector<std::string>* warnings = nullptr, bool table = false) {
    std::unique_ptr<PdfDocument> doc;
    Status s = PdfDocument::Create(options, &doc);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (!s.ok()) return "";
    doc->Heading(1, title);
    doc->Paragraph(text);
    if (table) doc->Table({{"Name", 1}, {"Role", 1}}, {{TableCell("王小明"), TableCell("lead assessor")}});
    std::string pdf;
    s = doc->Finish(&pdf);
    EXPECT_TRUE(s.ok()) << s.ToString();
    if (warnings) *warnings = doc->warnings();
    return dir_.Write("fonts.pdf", pdf);
  }
  static bool Installed(const std::string& path) { return std::filesystem::exists(path); }
  TempDir dir_;
};

TEST_F(PdfFontTest, CjkIsSetInTheFallbackFontAndExtractable) {
  if (!Installed(DefaultFallbackFonts().at(0))) GTEST_SKIP() << "fonts-droid-fallback not installed";
  std::vector<std::string> warnings;
  const std::string path = Write("過程評估報告 プロセス", "Assessor: 山田 花子 (Tōkyō)", TestOptions(), &warnings, true);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  const std::string fonts = RunCommand("pdffonts '" + path + "' 2>&1");
  EXPECT_NE(fonts.find("DroidSansFallback"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("DejaVuSans"), std::string::npos) << fonts;
  const std::string text = RunCommand("pdftotext '" + path + "' - 2>&1");
  for (const char* s : {"過程評估報告", "プロセス", "山田 花子", "王小明"})
    EXPECT_NE(text.find(s), std::string::npos) << s << " in\n" << text;
  // No complaint from poppler about the fonts.
  EXPECT_EQ(text.find("Syntax"), std::string::npos) << text;
}

// Korean comes from the second fallback, a font collection (.ttc): Droid
// Sans Fallback maps few Hangul syllables.
TEST_F(PdfFontTest, HangulIsSetInTheCollectionFontAndExtractable) {
  if (!Installed(DefaultFallbackFonts().at(1))) GTEST_SKIP() << "fonts-wqy-zenhei not installed";
  std::vector<std::string> warnings;
  const std::string path = Write("서비스 데스크 평가", "평가자: 김민수, 東京", TestOptions(), &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  const std::string fonts = RunCommand("pdffonts '" + path + "' 2>&1");
  EXPECT_NE(fonts.find("WenQuanYi"), std::string::npos) << fonts;
  const std::string text = RunCommand("pdftotext '" + path + "' - 2>&1");
  for (const char* s : {"서비스 데스크 평가", "평가자: 김민수", "東京"})
    EXPECT_NE(text.find(s), std::string::npos) << s << " in\n" << text;
  EXPECT_EQ(text.find("Syntax"), std::string::npos) << text;
}

TEST_F(PdfFontTest, FallbackIsEmbeddedOnlyWhenUsed) {
  // Latin text only: DejaVu alone, no fallback font read or embedded.
  std::vector<std::string> warnings;
  std::string fonts = RunCommand("pdffonts '" + Write("Results", "Zoë Šťastná", TestOptions(), &warnings) + "'");
  EXPECT_EQ(fonts.find("Fallback"), std::string::npos) << fonts;
  // A character no font has (private use): a warning, still no fallback.
  PdfOptions latin = TestOptions();
  std::string path = Write("Results \xEE\x80\x80", "text", latin, &warnings);
  fonts = RunCommand("pdffonts '" + path + "'");
  EXPECT_EQ(fonts.find("DroidSansFallback"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find("Symbola"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find("WenQuanYi"), std::string::npos) << fonts;
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "no font has a glyph for U+E000 in \"Results \xEE\x80\x80\"");
}

TEST_F(PdfFontTest, EmojiAndMissingGlyphsAreNamedInWarnings) {
  std::vector<std::string> warnings;
  // U+1F600 lies above the Basic Multilingual Plane, which libharu cannot set.
  Write("Go-live \xF0\x9F\x98\x80 review", "Plain text", TestOptions(), &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "no font has a glyph for U+1F600 in \"Go-live \xF0\x9F\x98\x80 review\"");
  // Without fallback fonts, CJK is missing too; each text is named once.
  PdfOptions none = TestOptions();
  none.fallback_fonts = {dir_.path() + "/no-such-font.ttf"};
  Write("報告", "報告", none, &warnings, true);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], "no font has a glyph for U+5831, U+544A in \"報告\"");
  EXPECT_EQ(warnings[1], "no font has a glyph for U+738B, U+5C0F, U+660E in \"王小明\"");
}

TEST_F(PdfFontTest, SymbolsDejaVuLacksComeFromTheSymbolFont) {
  if (!Installed(DefaultFallbackFonts().back())) GTEST_SKIP() << "fonts-symbola not installed";
  std::vector<std::string> warnings;
  // U+2B50 WHITE MEDIUM STAR is in neither DejaVu Sans nor Droid Sans Fallback.
  const std::string path = Write("Rating \xE2\xAD\x90", "text", TestOptions(), &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  EXPECT_NE(RunCommand("pdffonts '" + path + "'").find("Symbola"), std::string::npos);
}

TEST_F(PdfFontTest, AnUnusableFallbackIsSkippedWithAWarning) {
  PdfOptions bad = TestOptions();
  bad.fallback_fonts = {dir_.Write("bad.ttf", "not a font at all, just text of some length")};
  std::vector<std::string> warnings;
  Write("報", "x", bad, &warnings);
  ASSERT_GE(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("bad.ttf is not a usable TrueType font; skipped"), std::string::npos) << warnings[0];
}

// A one-page PDF in the shape libharu writes (catalog, pages node, page,
// Flate content stream), the stream's data followed by `eol` and
// "endstream", and `tail` before the end of the file.
std::string OnePagePdf(const std::string& deflated, const std::string& eol, const std::string& tail) {
  return "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [ 3 0 R ] >>\n"
         "endobj\n3 0 obj\n<< /Type /Page /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length " +
         std::to_string(deflated.size()) + " /Filter /FlateDecode >>\nstream\n" + deflated + eol +
         "endstream\nendobj\n" + tail + "trailer\n<< /Root 1 0 R >>\n%%EOF\n";
}

std::string Deflate(const std::string& text) {
  uLongf size = compressBound(text.size());
  std::string out(size, '\0');
  EXPECT_EQ(Z_OK, compress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(text.data()),
                           text.size()));
  out.resize(size);
  return out;
}

// A page stream whose compressed data happens to end in an LF or CR byte
// (its checksum's last byte: about one page in 128) is still read as its
// content when another writer puts "endstream" right after the data, as qpdf
// does (libharu writes an LF before it): the rewritten file's pages are all
// found, and only its structure differs.
TEST(ComparePdfReportsTest, AStreamEndingInACarriageReturnOrLineFeedByteIsReadWhole) {
  for (char last : {'\n', '\r'}) {
    std::string content, deflated;
    // The checksum's last byte is the low byte of 1 + the sum of the bytes:
    // a comment of one more character each time reaches every value.
    for (int n = 0; deflated.empty() || deflated.back() != last; ++n) {
      content = "BT /F1 10 Tf (page) Tj ET\n%" + std::string(static_cast<size_t>(n / 90), '~') +
                static_cast<char>('!' + n % 90) + "\n";
      deflated = Deflate(content);
      ASSERT_LT(n, 2000);
    }
    const std::string reproduced = OnePagePdf(deflated, "\n", "");
    const std::string rewritten = OnePagePdf(deflated, "", "5 0 obj\n<< /Producer (qpdf) >>\nendobj\n");
    ReportDifference d = ComparePdfReports(rewritten, reproduced);
    EXPECT_FALSE(d.same);
    EXPECT_EQ(0u, d.appended);
    EXPECT_EQ(1, d.pages);
    EXPECT_EQ(0, d.first_page) << "the page's content was not found in the rewritten file (last byte "
                               << static_cast<int>(last) << ")";
    // A page whose content really differs is still named.
    const std::string edited = OnePagePdf(Deflate(content + "(x) Tj\n"), "", "");
    EXPECT_EQ(1, ComparePdfReports(edited, reproduced).first_page);
  }
}

}  // namespace
}  // namespace assay::reports
