#!/usr/bin/env python3
"""Runs the command blocks of a Markdown document and compares what they print
with what the document shows, so that the docs cannot drift from the program.

A block is checked only when an HTML comment (invisible on the rendered page)
stands on the line before its opening fence:

  <!-- doc-test: run SANDBOX -->
      The block is a shell script; it runs in SANDBOX with `set -e`, so every
      command must succeed. Blocks of one sandbox share its directory, in the
      order they appear (environment variables do not carry over).

  <!-- doc-test: transcript SANDBOX -->
      Lines starting with "$ " are commands; the lines up to the next "$ " are
      what the command prints (stdout and stderr together). Exit codes are
      not checked: a transcript may show an error on purpose.

  <!-- doc-test: output SANDBOX: COMMAND -->
      The block is what COMMAND prints when run in SANDBOX.

Expected output is matched line by line, ignoring trailing spaces. A line that
is just "..." matches any number of lines; a line ending in " ..." matches any
line that starts with the text before it.

Each sandbox is a fresh temporary directory holding links to the repository's
models/, schemas/ and scripts/ (so "models/examples/..." works as in a clone), with the
directory of the assay binary first on PATH, HOME pointing into it and no
ASSAY_* variable set.

usage: doc_test.py --assay BIN --root REPO DOC.md [DOC.md ...]
Prints "N passed, N failed" and exits 1 when a block failed.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

MARKER = re.compile(r"^<!--\s*doc-test:\s*(run|transcript|output)\s+([\w.-]+)(?::\s*(.*?))?\s*-->\s*$")
FENCE = re.compile(r"^(```+|~~~+)")


def blocks(path):
    """Yields (line, kind, sandbox, command, lines) for each marked block."""
    with open(path, encoding="utf-8") as f:
        text = f.read().split("\n")
    i = 0
    while i < len(text):
        m = MARKER.match(text[i])
        if not m:
            i += 1
            continue
        kind, sandbox, command = m.group(1), m.group(2), m.group(3)
        j = i + 1
        fence = FENCE.match(text[j]) if j < len(text) else None
        if not fence:
            raise SystemExit(f"{path}:{i + 1}: doc-test marker not followed by a fenced block")
        body = []
        j += 1
        while j < len(text) and not text[j].startswith(fence.group(1)):
            body.append(text[j])
            j += 1
        if j == len(text):
            raise SystemExit(f"{path}:{i + 2}: unterminated fenced block")
        if kind == "output" and not command:
            raise SystemExit(f"{path}:{i + 1}: 'output' needs a command: <!-- doc-test: output SANDBOX: COMMAND -->")
        yield i + 2, kind, sandbox, command, body
        i = j + 1


def matches(expected, actual):
    """Whether the actual lines match the expected ones ("..." wildcards)."""
    expected = [e.rstrip() for e in expected]
    actual = [a.rstrip() for a in actual]
    while actual and actual[-1] == "":
        actual.pop()
    while expected and expected[-1] == "":
        expected.pop()

    memo = {}

    def go(e, a):
        key = (e, a)
        if key in memo:
            return memo[key]
        if e == len(expected):
            result = a == len(actual)
        elif expected[e] == "...":
            result = any(go(e + 1, k) for k in range(a, len(actual) + 1))
        elif a == len(actual):
            result = False
        elif expected[e].endswith(" ...") and actual[a].startswith(expected[e][:-4]):
            result = go(e + 1, a + 1)
        else:
            result = expected[e] == actual[a] and go(e + 1, a + 1)
        memo[key] = result
        return result

    sys.setrecursionlimit(100000)
    return go(0, 0)


class Sandboxes:
    def __init__(self, root, assay):
        self.root = root
        self.assay = assay
        self.dirs = {}
        self.base = tempfile.mkdtemp(prefix="assay-doc-test.")

    def get(self, name):
        if name not in self.dirs:
            d = os.path.join(self.base, name)
            os.makedirs(os.path.join(d, "home"))
            for link in ("models", "schemas", "scripts"):
                os.symlink(os.path.join(self.root, link), os.path.join(d, link))
            self.dirs[name] = d
        return self.dirs[name]

    def env(self, d):
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSAY_")}
        env["PATH"] = os.path.dirname(os.path.abspath(self.assay)) + os.pathsep + env.get("PATH", "")
        env["HOME"] = os.path.join(d, "home")
        env["USER"] = "doc-test"
        env["TZ"] = "UTC"
        env["LC_ALL"] = "C.UTF-8"
        return env

    def run(self, name, script):
        d = self.get(name)
        p = subprocess.run(["bash", "-c", script], cwd=d, env=self.env(d), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=600)
        return p.returncode, p.stdout.decode("utf-8", "replace").split("\n")

    def close(self):
        shutil.rmtree(self.base, ignore_errors=True)


def check(doc, line, kind, sandbox, command, body, boxes):
    """Returns a list of failure messages for one block."""
    where = f"{doc}:{line}"
    if kind == "run":
        code, out = boxes.run(sandbox, "set -e -o pipefail\n" + "\n".join(body))
        if code != 0:
            return [f"{where}: block exited {code}; it printed:\n" + "\n".join(out[-30:])]
        return []
    if kind == "output":
        _, out = boxes.run(sandbox, command)
        if not matches(body, out):
            return [f"{where}: '{command}' printed:\n" + "\n".join(out[:60])]
        return []
    failures = []
    i = 0
    while i < len(body):
        if not body[i].startswith("$ "):
            failures.append(f"{where}: transcript line {i + 1} is not a command: {body[i]}")
            break
        cmd = body[i][2:]
        i += 1
        expected = []
        while i < len(body) and not body[i].startswith("$ "):
            expected.append(body[i])
            i += 1
        _, out = boxes.run(sandbox, cmd)
        if not matches(expected, out):
            failures.append(f"{where}: '{cmd}' printed:\n" + "\n".join(out[:60]) +
                            "\n--- the document shows:\n" + "\n".join(expected))
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assay", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("docs", nargs="+")
    args = ap.parse_args()
    boxes = Sandboxes(os.path.abspath(args.root), args.assay)
    passed = failed = 0
    try:
        for doc in args.docs:
            path = os.path.join(args.root, doc)
            for line, kind, sandbox, command, body in blocks(path):
                failures = check(doc, line, kind, sandbox, command, body, boxes)
                if failures:
                    failed += 1
                    for f in failures:
                        print("FAIL " + f + "\n")
                else:
                    passed += 1
                    print(f"ok   {doc}:{line} ({kind} {sandbox})")
    finally:
        boxes.close()
    if passed + failed == 0:
        print("doc-test: no marked blocks found")
        return 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
