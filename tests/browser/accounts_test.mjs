// The browser test of `assay serve` in a workspace with accounts
// (docs/ACCOUNTS.md): the sign-in page instead of a token link, a wrong
// password refused, two users with different roles signed in side by side
// (an assessor and the lead assessor), the assessor's status move refused
// with the engine's 403 message shown in the page and logged, the lead
// assessor's accepted; no free-text actor; sign out.
//
// usage: node accounts_test.mjs  (environment: ASSAY_BIN; ASSAY_BROWSER_OUT,
//   a directory for screenshots; CHROMIUM, default /usr/bin/chromium)
// Exits 77 (ctest SKIP_RETURN_CODE) when Chromium or node_modules are absent.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { checker, setUp, startServer, waitUntil } from "./harness.mjs";

const { playwright, chromiumPath, assay, work, out } = setUp("assay-accounts-");
const db = path.join(work, "ws.db");
const pw = path.join(work, "pw");
fs.writeFileSync(pw, "correct horse battery\n");
const { failures, check } = checker();

// `assay --db ws.db ARGS`, failing the test on a non-zero exit.
function cli(...args) {
  const r = spawnSync(assay, ["--db", db, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error("assay " + args.join(" ") + ": exit " + r.status + ": " + r.stderr);
  return r.stdout;
}

// An assessment in collecting with ada (lead assessor) and cy (assessor) on
// its team, and the accounts root (admin), ada and cy.
function prepare() {
  cli("assessment", "new", "A1", "--model", "itsm-20000", "--title", "Service desk <b>bold</b>");
  cli("scope", "add", "RES.1", "--target", "1");
  cli("instance", "add", "RES.1/EU", "-p", "RES.1");
  cli("person", "add", "ada", "-n", "Ada Lovelace", "-r", "lead-assessor");
  cli("person", "add", "cy", "-n", "Cy Twombly", "-r", "assessor");
  cli("assessment", "status", "collecting");
  cli("user", "add", "root", "--role", "admin", "--password-file", pw);
  for (const [id, role] of [["ada", "lead-assessor"], ["cy", "assessor"]])
    cli("--user", "root", "--login-password-file", pw, "user", "add", id, "--role", role, "--password-file", pw);
}

// No sign-in, save or render under way (body[data-pending], data-busy).
async function idle(page) {
  await waitUntil(page, () => (document.body.dataset.pending || "0") === "0" && document.body.dataset.busy === "0");
}

async function signIn(page, url, user, password) {
  await page.goto(url);
  await page.locator("#login").waitFor();
  await idle(page);
  await page.locator("#login-user").fill(user);
  await page.locator("#login-password").fill(password);
  await page.locator("#login button[type=submit]").click();
  await waitUntil(page, () => (document.body.dataset.pending || "0") === "0" &&
    (document.getElementById("signed-in") !== null || (document.getElementById("login-error") || {}).textContent));
  await idle(page);
}

// Submits the overview's status form moving to `to`; resolves to its message ("" when accepted).
async function moveStatus(page, to) {
  await page.evaluate(() => { location.hash = "#/a/A1"; });
  await waitUntil(page, () => document.body.dataset.renderedHash === "#/a/A1" && document.body.dataset.busy === "0");
  const form = page.getByRole("form", { name: "Status" });
  await form.getByLabel("Move to").selectOption(to);
  await form.getByRole("button").click();
  await idle(page);
  return (await form.locator(".form-msg").count()) ? (await form.locator(".form-msg").textContent()) : "";
}

prepare();
const { child, base: url, token } = await startServer(assay, db);
check(!token, "with accounts the server prints no token link: " + url);
const browser = await playwright.chromium.launch({ executablePath: chromiumPath, headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const asCy = await (await browser.newContext()).newPage();
  await asCy.goto(url);
  await asCy.locator("#login").waitFor();
  await idle(asCy);
  await asCy.screenshot({ path: path.join(out, "login.png"), fullPage: true });
  check(await asCy.locator("#actor").count() === 0, "no actor to choose before signing in");

  await signIn(asCy, url, "cy", "wrong horse battery");
  const wrong = await asCy.locator("#login-error").textContent();
  check(/unknown user or wrong password/.test(wrong), "a wrong password is refused: " + wrong);

  await signIn(asCy, url, "cy", "correct horse battery");
  check(/Signed in as cy \(assessor\)/.test(await asCy.locator("#signed-in").textContent()), "cy is signed in as assessor");
  check(await asCy.locator("#actor").count() === 0, "no free-text actor in the page");

  // Second user, second browser context: the lead assessor.
  const asAda = await (await browser.newContext()).newPage();
  await signIn(asAda, url, "ada", "correct horse battery");
  check(/Signed in as ada \(lead-assessor\)/.test(await asAda.locator("#signed-in").textContent()), "ada is signed in as lead assessor");

  // The assessor may not move the status: the engine's refusal, as 403, in the page.
  const refused = await moveStatus(asCy, "validating");
  check(/permission denied: 'cy' \(assessor\): only the assessment's lead assessor moves its status/.test(refused),
    "cy's status move is refused in the page: " + refused);
  await asCy.screenshot({ path: path.join(out, "refused.png"), fullPage: true });
  const title = await asCy.locator("h1").first().textContent();
  check(title === "Service desk <b>bold</b>", "user text is shown as text: " + title);

  // The free-text actor is refused by the server too.
  const put = await asCy.evaluate(async () => {
    const s = await (await fetch("/api/session")).json();
    const r = await fetch("/api/session", { method: "PUT", headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrf },
      body: JSON.stringify({ actor: "ada" }) });
    return r.status;
  });
  check(put === 403, "PUT /api/session {actor} is refused: " + put);

  // The lead assessor's is accepted and recorded with ada as the actor.
  const accepted = await moveStatus(asAda, "validating");
  check(accepted === "", "ada's status move is accepted" + (accepted ? ": " + accepted : ""));
  const log = cli("log");
  check(/\bcy +refused +access .*only the assessment's lead assessor moves its status/.test(log), "the refusal is in the log");
  check(/\bada +status +assessment +A1/.test(log), "the status move is ada's");
  check(/^ok: /.test(cli("log", "verify")), "the log verifies");

  // Sign-in attempts are rate-limited per account: the sixth wrong one within
  // 15 minutes is 429, and then so is the right password.
  const codes = await asAda.evaluate(async () => {
    const out = [];
    for (const password of ["w1xxxxxxxxx", "w2xxxxxxxxx", "w3xxxxxxxxx", "w4xxxxxxxxx", "w5xxxxxxxxx", "w6xxxxxxxxx",
                            "correct horse battery"]) {
      const r = await fetch("/api/login", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ user: "root", password }) });
      out.push(r.status);
    }
    return out.join(",");
  });
  check(codes === "401,401,401,401,401,429,429", "sign-ins are rate-limited per account: " + codes);

  // Sign out: the session no longer works.
  await asCy.locator("#logout").click();
  await asCy.locator("#login").waitFor();
  const after = await asCy.evaluate(async () => (await fetch("/api/assessments")).status);
  check(after === 401, "after signing out the API answers 401: " + after);
} finally {
  await browser.close();
  child.kill("SIGTERM");
}
if (failures.length) {
  console.log(failures.length + " failure(s)");
  process.exit(1);
}
console.log("all passed; screenshots in " + out);
