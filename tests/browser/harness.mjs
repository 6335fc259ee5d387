// What the browser tests share: Playwright and Debian's Chromium (or exit 77,
// ctest's SKIP_RETURN_CODE, when either is missing), a scratch directory,
// the list of failures, `assay serve` started on a workspace, and polling the
// page (page.waitForFunction evaluates strings, which the page's CSP forbids:
// no 'unsafe-eval').
//
// Environment: ASSAY_BIN, the assay executable; ASSAY_BROWSER_OUT, a
// directory for screenshots (default: out/ in the scratch directory);
// CHROMIUM, default /usr/bin/chromium.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

// Playwright, the browser, the assay executable and a fresh scratch
// directory whose name starts with `prefix`: { playwright, chromiumPath,
// assay, work, out }.
export function setUp(prefix) {
  const require = createRequire(import.meta.url);
  const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
  let playwright;
  try {
    playwright = require("playwright-core");
  } catch {
    console.log("SKIP: tests/browser/node_modules is missing (scripts/setup.sh --test installs it)");
    process.exit(77);
  }
  if (!fs.existsSync(chromiumPath)) {
    console.log("SKIP: " + chromiumPath + " is missing (apt-get install chromium; scripts/setup.sh --test)");
    process.exit(77);
  }
  const assay = process.env.ASSAY_BIN;
  if (!assay) throw new Error("ASSAY_BIN is not set");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const out = process.env.ASSAY_BROWSER_OUT || path.join(work, "out");
  fs.mkdirSync(out, { recursive: true });
  return { playwright, chromiumPath, assay, work, out };
}

// The failures seen so far, and check(ok, what), which prints each result.
export function checker() {
  const failures = [];
  const check = (ok, what) => {
    if (!ok) failures.push(what);
    console.log((ok ? "ok   " : "FAIL ") + what);
  };
  return { failures, check };
}

// Starts `assay serve --port 0` on `workspace` and resolves, once it prints
// its address line, to { child, url, base, token }: url is the address as
// printed (with ?token=... in a workspace without accounts), base the
// server's root, token whether a one-time token was printed.
export function startServer(assay, workspace) {
  const child = spawn(assay, ["--db", workspace, "serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (d) => {
      text += d;
      const m = text.match(/(http:\/\/127\.0\.0\.1:\d+\/)(\?token=[0-9a-f]+)?\s/);
      if (m) resolve({ child, url: m[1] + (m[2] || ""), base: m[1], token: !!m[2] });
    });
    child.on("exit", (code) => reject(new Error("assay serve exited with " + code)));
  });
}

// Polls fn(arg) in the page every 50 ms until it is true (at most 30 s).
export async function waitUntil(page, fn, arg) {
  for (let i = 0; i < 600; i++) {
    if (await page.evaluate(fn, arg)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting for " + fn.toString());
}
