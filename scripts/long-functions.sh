#!/usr/bin/env bash
# Lists the C++ functions longer than LIMIT lines (default 120), longest first:
#   path:line: name: N lines
# A function runs from the first line of its signature to its closing brace.
# The scan is a brace-depth one over the source with comments, string and
# character literals (raw strings too) removed: a '{' outside any function
# whose preceding text ends in ')' (optionally followed by const, noexcept,
# override, a trailing return type or a constructor's initializer list)
# opens a function; lambdas and blocks inside a function belong to it.
# Exits 1 when a function is over the limit, 0 otherwise.
# usage: scripts/long-functions.sh [-n LIMIT] [PATH...]   (default: engine reports cli)
set -euo pipefail
cd "$(dirname "$0")/.."
limit=120
if [[ ${1:-} == -n ]]; then
  limit=$2
  shift 2
fi
if [[ $# -eq 0 ]]; then set -- engine reports cli; fi

out=$(find "$@" -type f \( -name '*.cc' -o -name '*.h' -o -name '*.cpp' \) | LC_ALL=C sort |
  xargs awk -v limit="$limit" '
  FNR == 1 { depth = 0; fn_depth = -1; pending = ""; pending_line = 0; in_comment = 0; raw_end = "" }
  # Removes comments and literals from one line, keeping the state of block
  # comments and raw strings across lines.
  function clean(s,    out, i, c, n, q, d, p) {
    out = ""; n = length(s); i = 1
    while (i <= n) {
      if (raw_end != "") {
        p = index(substr(s, i), raw_end)
        if (p == 0) return out
        i += p - 1 + length(raw_end); raw_end = ""; out = out "\"\""; continue
      }
      if (in_comment) {
        p = index(substr(s, i), "*/")
        if (p == 0) return out
        i += p + 1; in_comment = 0; continue
      }
      c = substr(s, i, 1)
      if (c == "/" && substr(s, i + 1, 1) == "/") return out
      if (c == "/" && substr(s, i + 1, 1) == "*") { in_comment = 1; i += 2; continue }
      if (c == "R" && substr(s, i + 1, 1) == "\"" && (i == 1 || substr(s, i - 1, 1) !~ /[A-Za-z0-9_]/)) {
        d = substr(s, i + 2); p = index(d, "(")
        if (p > 0) { raw_end = ")" substr(d, 1, p - 1) "\""; i += 2 + p; continue }
      }
      if (c == "\"" || (c == "\x27" && (i == 1 || substr(s, i - 1, 1) !~ /[0-9A-Fa-f]/))) {
        q = c; i++
        while (i <= n && substr(s, i, 1) != q) { if (substr(s, i, 1) == "\\") i++; i++ }
        i++; out = out q q; continue
      }
      out = out c; i++
    }
    return out
  }
  function name_of(text,    p, head, m) {
    p = index(text, "(")
    head = p ? substr(text, 1, p - 1) : text
    if (match(head, /[A-Za-z_~][A-Za-z0-9_:~<>,]*(operator[^A-Za-z0-9_ ]+)?[ ]*$/))
      m = substr(head, RSTART, RLENGTH)
    else
      m = head
    gsub(/ +$/, "", m)
    if (m ~ /^(TEST|TEST_F|TEST_P)$/ && match(text, /\([^)]*\)/)) m = m substr(text, RSTART, RLENGTH)
    return m
  }
  {
    line = $0
    if (!in_comment && raw_end == "" && line ~ /^[ \t]*#/) next
    s = clean(line)
    n = length(s)
    for (i = 1; i <= n; i++) {
      c = substr(s, i, 1)
      if (c == "{") {
        if (fn_depth < 0) {
          t = pending
          gsub(/[ \t]+/, " ", t); gsub(/^ | $/, "", t)
          # The text between the parameter list and the brace.
          u = t
          sub(/ *(-> *[^{]*)?$/, "", u)
          while (sub(/ *(const|noexcept|override|final|mutable|volatile|&|&&)$/, "", u)) {}
          if (u ~ /\)$/ && t !~ /^(namespace|class|struct|union|enum)( |$)/ && t !~ /= *$/ &&
              t !~ /^(if|for|while|switch|catch)[ (]/) {
            fn_depth = depth; fn_line = pending_line; fn_name = name_of(t)
          }
        }
        depth++; pending = ""; pending_line = 0
      } else if (c == "}") {
        depth--
        if (fn_depth >= 0 && depth == fn_depth) {
          len = FNR - fn_line + 1
          if (len > limit) printf "%d\t%s:%d: %s: %d lines\n", len, FILENAME, fn_line, fn_name, len
          fn_depth = -1
        }
        pending = ""; pending_line = 0
      } else if (c == ";") {
        pending = ""; pending_line = 0
      } else {
        if (pending_line == 0 && c !~ /[ \t]/) pending_line = FNR
        if (pending_line) pending = pending c
      }
    }
    if (pending_line) pending = pending " "
  }' | LC_ALL=C sort -t$'\t' -k1,1nr -k2 | cut -f2-)
if [[ -n $out ]]; then
  printf '%s\n' "$out"
  exit 1
fi
