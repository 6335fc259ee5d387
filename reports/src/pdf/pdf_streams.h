// Internal: reading the streams of a PDF file (for reading a manifest back
// from a rewritten file and for comparing a file with a reproduced report).
#ifndef ASSAY_REPORTS_PDF_STREAMS_H_
#define ASSAY_REPORTS_PDF_STREAMS_H_

#include <string>
#include <string_view>
#include <vector>

namespace assay::reports::internal {

// One stream of a PDF file: the dictionary before it and its data, decoded
// when it is Flate-compressed (and decodable), else as stored.
struct PdfStream {
  std::string_view dict;
  std::string data;
};

// Every stream in the file, in file order (found by their "stream" and
// "endstream" keywords, whatever the cross-reference says).
std::vector<PdfStream> PdfStreams(std::string_view pdf);

// The decoded content of each page of a PDF written by assay (libharu: one
// pages node, one content stream per page), in page order. Empty when the
// structure is not that.
std::vector<std::string> PageContents(std::string_view pdf);

}  // namespace assay::reports::internal

#endif  // ASSAY_REPORTS_PDF_STREAMS_H_
