// The SQL layer's shared parts (sql.h).
#include "store/sql.h"

#include <cctype>
#include <string>

namespace assay::internal::sql {

std::string PostgresPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int last = 0;  // the previous parameter's number
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote) {
      out.push_back(c);
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
      continue;
    }
    if (c != '?') {
      out.push_back(c);
      continue;
    }
    size_t j = i + 1;
    int n = 0;
    while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) n = n * 10 + (sql[j++] - '0');
    if (j == i + 1) n = last + 1;
    last = n;
    out += "$" + std::to_string(n);
    i = j - 1;
  }
  return out;
}

int64_t QueryInt64(Connection& db, std::string_view sql) {
  Statement q(db, sql);
  return q.Step() ? q.Int64(0) : 0;
}

}  // namespace assay::internal::sql
