// Reading the streams of a PDF, and comparing a file with the report assay
// reproduces (assay verify-report).
#include "pdf/pdf_streams.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <unordered_set>

#include "assay/reports/report_parts.h"

namespace assay::reports {

namespace internal {

namespace {

bool Inflate(std::string_view in, std::string* out) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  char buf[16384];
  int rc = Z_OK;
  out->clear();
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out->append(buf, sizeof buf - z.avail_out);
    if (out->size() > (256u << 20)) rc = Z_MEM_ERROR;  // no decompression bombs
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END;
}

// The number after `key` in `text` ("/Pages 2 0 R" -> 2), or 0.
long NumberAfter(std::string_view text, std::string_view key) {
  size_t k = text.find(key);
  if (k == std::string_view::npos) return 0;
  size_t i = k + key.size();
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])) != 0) ++i;
  long n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0 && n < 100000000)
    n = n * 10 + (text[i++] - '0');
  return n;
}

// The text of object `n` from "n 0 obj" to "endobj" (its stream included).
std::string_view Object(std::string_view pdf, long n) {
  const std::string head = std::to_string(n) + " 0 obj";
  for (size_t pos = pdf.find(head); pos != std::string_view::npos; pos = pdf.find(head, pos + 1)) {
    if (pos > 0 && std::isspace(static_cast<unsigned char>(pdf[pos - 1])) == 0) continue;
    size_t end = pdf.find("endobj", pos);
    if (end == std::string_view::npos) return {};
    return pdf.substr(pos, end - pos);
  }
  return {};
}

}  // namespace

std::vector<PdfStream> PdfStreams(std::string_view pdf) {
  std::vector<PdfStream> out;
  size_t pos = 0;
  while ((pos = pdf.find("stream", pos)) != std::string_view::npos) {
    // "endstream" and words that merely end in "stream" are no stream start.
    if (pos >= 3 && pdf.substr(pos - 3, 3) == "end") {
      pos += 6;
      continue;
    }
    size_t data = pos + 6;
    if (data < pdf.size() && pdf[data] == '\r') ++data;
    if (data >= pdf.size() || pdf[data] != '\n') {
      pos += 6;
      continue;
    }
    ++data;
    size_t end = pdf.find("endstream", data);
    if (end == std::string_view::npos) break;
    // The end of line before "endstream" is not the data's, but a stream
    // may end in a CR or LF byte of its own: compressed data is inflated
    // with whatever follows it (zlib stops at the stream's end), so a last
    // data byte 0x0D or 0x0A is never cut off; stored data loses one EOL.
    size_t stop = end;
    if (stop > data && pdf[stop - 1] == '\n') --stop;
    if (stop > data && pdf[stop - 1] == '\r') --stop;
    size_t dict_start = pdf.rfind("obj", pos);
    PdfStream s;
    s.dict = dict_start == std::string_view::npos ? std::string_view() : pdf.substr(dict_start, pos - dict_start);
    std::string_view raw = pdf.substr(data, stop - data);
    if (s.dict.find("/FlateDecode") == std::string_view::npos || !Inflate(pdf.substr(data, end - data), &s.data))
      s.data.assign(raw);
    out.push_back(std::move(s));
    pos = end + 9;
  }
  return out;
}

std::vector<std::string> PageContents(std::string_view pdf) {
  std::vector<std::string> pages;
  size_t t = pdf.rfind("trailer");
  if (t == std::string_view::npos) return pages;
  const long root = NumberAfter(pdf.substr(t), "/Root");
  const long tree = root > 0 ? NumberAfter(Object(pdf, root), "/Pages") : 0;
  std::string_view node = tree > 0 ? Object(pdf, tree) : std::string_view();
  size_t kids = node.find("/Kids");
  size_t close = kids == std::string_view::npos ? kids : node.find(']', kids);
  if (close == std::string_view::npos) return pages;
  std::string_view list = node.substr(kids + 5, close - kids - 5);
  for (size_t i = list.find('['); i != std::string_view::npos && i < list.size();) {
    while (i < list.size() && std::isdigit(static_cast<unsigned char>(list[i])) == 0) ++i;
    if (i >= list.size()) break;
    const long page = std::strtol(list.data() + i, nullptr, 10);
    size_t r = list.find('R', i);
    if (r == std::string_view::npos) break;
    i = r + 1;
    const long contents = NumberAfter(Object(pdf, page), "/Contents");
    std::vector<PdfStream> s = contents > 0 ? PdfStreams(Object(pdf, contents)) : std::vector<PdfStream>();
    pages.push_back(s.empty() ? std::string() : std::move(s.front().data));
  }
  return pages;
}

}  // namespace internal

ReportDifference ComparePdfReports(std::string_view file, std::string_view reproduced) {
  ReportDifference d;
  d.same = file == reproduced;
  if (d.same) return d;
  if (file.size() > reproduced.size() && file.substr(0, reproduced.size()) == reproduced) {
    d.appended = file.size() - reproduced.size();
    return d;
  }
  const std::vector<std::string> pages = internal::PageContents(reproduced);
  d.pages = static_cast<int>(pages.size());
  std::unordered_set<std::string> present;
  for (internal::PdfStream& s : internal::PdfStreams(file)) present.insert(std::move(s.data));
  // A stream's end of line before "endstream" may be its data's own (a
  // stream whose /Length is indirect is read without it).
  auto found = [&present](const std::string& page) {
    if (present.count(page)) return true;
    return !page.empty() && page.back() == '\n' && present.count(page.substr(0, page.size() - 1)) > 0;
  };
  for (size_t i = 0; i < pages.size(); ++i)
    if (!found(pages[i])) {
      d.first_page = static_cast<int>(i) + 1;
      break;
    }
  return d;
}

}  // namespace assay::reports
