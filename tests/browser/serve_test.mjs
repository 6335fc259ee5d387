// The browser test of `assay serve`: Debian's Chromium (headless), driven by
// playwright-core, captures a small realistic assessment without any CLI
// command (rating method R1, 3 processes, 2 instances each, 2 assessors, an
// interview rated in interview mode, evidence with an attached file linked to
// a rating, a disagreement consolidated on its screen and the team's
// consolidated ratings), rating by keyboard only, and checks what the page
// shows against the CLI (the profile, a what-if, the checks, the report).
//
// usage: node serve_test.mjs  (environment: ASSAY_BIN, the assay executable;
//   ASSAY_BROWSER_OUT, a directory for screenshots and the report; CHROMIUM,
//   default /usr/bin/chromium)
// Exits 77 (ctest SKIP_RETURN_CODE) when Chromium or node_modules are absent.
import { spawnSync, execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { checker, setUp, startServer as serve, waitUntil } from "./harness.mjs";

const { playwright, chromiumPath, assay, work, out } = setUp("assay-browser-");
const db = path.join(work, "ws.db");
const { failures, check } = checker();

// Starts `assay serve --port 0` on `workspace`: { child, url } (url with its token).
const startServer = (workspace = db) => serve(assay, workspace);

// stdout of `assay --db ws.db ARGS` (whatever its exit code: check exits 5 when a check fails).
function cli(...args) {
  return spawnSync(assay, ["--db", db, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).stdout;
}

const TITLE = 'Service desk <script>alert("x")</script> 2027';
const PROCESSES = ["RES.1", "RES.2", "RES.3"];
// Per rater and process: the values pressed for the outcomes, in order (cycled).
const PLAN = {
  ada: { "RES.1": "ffff", "RES.2": "flfl", "RES.3": "lppl" },
  bob: { "RES.1": "ffff", "RES.2": "ffll", "RES.3": "lpnp" },
  team: { "RES.1": "ffff", "RES.2": "flfl", "RES.3": "lppp" },
};
let keys = 0, ratings = 0;

async function press(page, key) {
  keys++;
  await page.keyboard.press(key);
}

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: path.join(out, name + ".png"), fullPage });
}

async function createAssessment(page) {
  await page.getByLabel("ID").fill("ACME-2027");
  await page.getByLabel("Title").fill(TITLE);
  await page.getByLabel("Organization").fill("Acme Managed Services");
  await page.getByLabel("Rating method").selectOption("R1");
  await shot(page, "assessments");
  const before = await rendered(page);
  await page.getByRole("button", { name: "Create" }).click();
  await page.waitForSelector("text=Add a process to the scope");
  await waitUntil(page, (b) => Number(document.body.dataset.rendered || 0) > b, before);
  const h1 = await page.locator("h1").textContent();
  check(h1 === TITLE, "a <script> title is shown as text: " + JSON.stringify(h1));
}

// Waits until the screen of the current address is rendered and no render is under way.
async function settled(page) {
  await waitUntil(page, () => document.body.dataset.busy === "0" &&
    document.body.dataset.renderedHash === (location.hash || "#/"));
}

// Waits until the screen is rendered and no save or live refresh is under way
// (the app counts them in body[data-pending]).
async function idle(page) {
  await settled(page);
  await waitUntil(page, () => (document.body.dataset.pending || "0") === "0");
}

// Goes to `hash` (the same page) and waits for its screen.
async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await settled(page);
}

// The number of renders on screen (the app counts them in body[data-rendered]).
const rendered = (page) => page.evaluate(() => Number(document.body.dataset.rendered || 0));

async function submit(page, formName, fill) {
  const form = page.getByRole("form", { name: formName });
  await fill(form);
  const before = await rendered(page);
  await form.getByRole("button").click();
  await waitUntil(page, (b) => Number(document.body.dataset.rendered || 0) > b ||
    Array.from(document.querySelectorAll(".form-msg")).some((m) => m.textContent), before);
  const errors = await page.locator(".form-msg").allTextContents();
  if (errors.some(Boolean)) throw new Error(formName + ": " + errors.join(" "));
}

async function scopeAndTeam(page) {
  for (const p of PROCESSES)
    await submit(page, "Add a process to the scope", async (f) => {
      await f.getByLabel("Process").selectOption(p);
      await f.getByLabel("Target level").selectOption("1");
    });
  await submit(page, "Add a unit", async (f) => {
    await f.getByLabel("ID").fill("HQ");
    await f.getByLabel("Name").fill("Head office");
  });
  for (const p of PROCESSES)
    await submit(page, "Add instances", async (f) => {
      await f.getByLabel("Process").selectOption(p);
      await f.getByLabel("Instance IDs, one per line").fill(p + "/LEJ\n" + p + "/OPO");
    });
  for (const [id, name] of [["ada", "Ada Lovelace"], ["bob", "Bob Kahn"]])
    await submit(page, "Add a team member", async (f) => {
      await f.getByLabel("ID").fill(id);
      await f.getByLabel("Name").fill(name);
    });
  const instances = await page.getByRole("region", { name: "Instances" }).locator("li").count();
  check(instances === 6, "6 instances listed (" + instances + ")");
  await shot(page, "scope");
}

// The live profile's capability level of the grid's process ("–" when not determined).
async function liveLevel(page) {
  await idle(page);
  return (await page.locator("section.live td.cl").first().textContent()).trim();
}

// Rates the outcome rows of every instance of the grid's process, by keyboard only.
async function rateProcess(page, process, values) {
  const kinds = await page.locator("table.grid tbody tr:not(.group)").evaluateAll(
    (rows) => rows.map((r) => r.className));
  const first = kinds.indexOf("kind-outcome");
  const count = kinds.filter((k) => k === "kind-outcome").length;
  const columns = await page.locator("table.grid thead th").count() - 1;
  await page.locator("td.cell").first().focus();
  for (let col = 0; col < columns; col++) {
    await press(page, "Home");
    if (col > 0) await press(page, "ArrowRight");
    for (let i = 0; i < first; i++) await press(page, "ArrowDown");
    for (let i = 0; i < count; i++) {
      const want = values[i % values.length];
      const saved = page.waitForResponse((r) => r.url().includes("/ratings") && r.request().method() === "PUT");
      await press(page, want);  // saves and moves down at once
      const res = await saved;
      if (!res.ok()) failures.push("rating not saved: " + res.status() + " " + (await res.text()));
      ratings++;
    }
  }
  await idle(page);
}

// An interview of RES.1 and a piece of evidence from it with a file attached;
// the register shows the SHA-256 the server computed.
async function evidenceAndInterview(page) {
  await go(page, "#/a/ACME-2027/evidence");
  await submit(page, "Record an interview", async (f) => {
    await f.getByLabel("ID", { exact: true }).fill("I-1");
    await f.getByLabel("Interviewers (person IDs, comma-separated)").fill("ada");
    await f.getByLabel("Interviewees").fill("");
    await f.locator('select[name="processes"]').selectOption(["RES.1"]);
    await f.getByLabel("Notes").fill("Service desk lead, <b>walk-through</b>");
  });
  const file = Buffer.from("Incident procedure v3: triage, escalation, closure\n");
  await submit(page, "Add evidence", async (f) => {
    await f.getByLabel("ID", { exact: true }).fill("EV-1");
    await f.getByLabel("Description").fill("Incident procedure v3");
    await f.getByLabel("From interview").selectOption("I-1");
    await f.getByLabel("Attach a file (its SHA-256 is recorded)").setInputFiles(
      { name: "procedure.txt", mimeType: "text/plain", buffer: file });
    await f.getByLabel("Keep a copy of the file in the workspace (at most 32 MiB)").check();
  });
  await idle(page);
  const want = crypto.createHash("sha256").update(file).digest("hex");
  const shown = await page.locator('#evidence-register tr[data-evidence="EV-1"] td.hash').getAttribute("title");
  check(shown === want, "the register shows the SHA-256 the server computed of the attached file (" + (shown || "").slice(0, 12) + ")");
  const ev = JSON.parse(cli("export", "ACME-2027")).evidence.find((e) => e.id === "EV-1");
  check(ev && ev.sha256 === want && ev.interview === "I-1", "the evidence is recorded with its hash and interview");
  const link = page.locator('#evidence-register tr[data-evidence="EV-1"] a.download');
  check(await link.count() === 1, "the register offers the kept file for download");
  const got = await page.request.get(new URL(await link.getAttribute("href"), page.url()).href);
  const body = await got.body();
  check(got.ok() && Buffer.compare(body, file) === 0 &&
        (got.headers()["content-disposition"] || "").startsWith("attachment"),
        "the kept file downloads as the same bytes, as an attachment");
  await shot(page, "evidence");
}

// Links EV-1 to the focused rating with E, Space and Ctrl+Enter.
async function linkEvidence(page) {
  await page.locator('td.cell[data-row="1"][data-col="0"]').focus();
  await page.keyboard.press("e");
  await page.locator('#evidence input[value="EV-1"]').waitFor();
  await page.keyboard.press("Space");
  const saved = page.waitForResponse((r) => r.url().includes("/ratings") && r.request().method() === "PUT");
  await page.keyboard.press("Control+Enter");
  await saved;
  await idle(page);
  const ratings = JSON.parse(cli("export", "ACME-2027")).ratings.filter((r) => (r.evidence || []).includes("EV-1"));
  check(ratings.length === 1 && ratings[0].assessor === "ada", "E links the evidence to ada's rating (" + ratings.length + ")");
}

// The consolidation screen lists what assay disagreements lists; one is
// agreed there with its rationale.
async function consolidateOne(page) {
  await go(page, "#/a/ACME-2027/consolidation");
  const open = JSON.parse(cli("disagreements", "-a", "ACME-2027", "--format", "json")).disagreements;
  const rows = await page.locator("#disagreements tbody tr").count();
  check(open.length > 0 && rows === open.length, "the consolidation screen lists the " + open.length + " open disagreements (" + rows + ")");
  await shot(page, "consolidation");
  const first = page.locator("#disagreements tbody tr").first();
  const { instance, item } = await first.evaluate((tr) => ({ instance: tr.dataset.instance, item: tr.dataset.item }));
  await first.locator('select[name="value"]').selectOption("L");
  await first.locator('input[name="rationale"]').fill("The records of both sites support L");
  const before = await rendered(page);
  await first.getByRole("button", { name: "Consolidate" }).click();
  await waitUntil(page, (b) => Number(document.body.dataset.rendered || 0) > b, before);
  await idle(page);
  const after = await page.locator("#disagreements tbody tr").count();
  const team = JSON.parse(cli("export", "ACME-2027")).ratings.find((r) => r.consolidated && r.instance === instance && r.item === item);
  check(after === open.length - 1 && team && team.value === "L" && /both sites/.test(team.justification || ""),
    "consolidating " + item + " in " + instance + " records the team's L with its rationale (" + after + " left)");
}

async function rateAs(page, who) {
  await idle(page);  // no save of the previous person still under way
  if (who === "team") {
    await go(page, "#/a/ACME-2027/grid?p=RES.1");
    await page.locator("#consolidated").check();
  } else {
    await page.locator("#actor").selectOption(who);
    await page.waitForSelector("text=Acting as " + who);
  }
  await settled(page);
  for (const p of PROCESSES) {
    // ada rates RES.1 in the interview's mode: its items with their texts.
    const interview = who === "ada" && p === "RES.1";
    await go(page, interview ? "#/a/ACME-2027/interview/I-1" : "#/a/ACME-2027/grid?p=" + encodeURIComponent(p));
    await page.waitForSelector("section.live td.cl");
    if (interview) check(await page.locator(".item-text").count() > 0, "interview mode shows the items' texts");
    const before = await liveLevel(page);
    await rateProcess(page, p, PLAN[who][p]);
    const after = await liveLevel(page);
    console.log("     " + who + " " + p + ": live capability level " + before + " -> " + after);
    if (who === "ada" && p === "RES.1") {
      check(before !== after, "the live profile changes as RES.1 is rated (" + before + " -> " + after + ")");
      await linkEvidence(page);
      await page.locator('td.cell[data-row="1"][data-col="0"]').focus();
      await shot(page, "interview", false);
    }
    if (who === "bob" && p === "RES.1") {
      await page.locator('td.cell[data-row="1"][data-col="0"]').focus();
      await shot(page, "grid");
    }
  }
}

// Presses `key` on the focused cell and waits until its save has been answered
// and the page has caught up (a later read then sees it).
async function pressAndSave(page, key) {
  const saved = page.waitForResponse((r) => r.url().includes("/ratings") && r.request().method() === "PUT");
  await page.keyboard.press(key);
  await saved;
  await idle(page);
}

// Two tabs edit the same rating: the older one is told and shows the newer rating.
async function twoTabs(context, page) {
  const grid = "#/a/ACME-2027/grid?p=RES.1";
  const other = await context.newPage();
  await other.goto(page.url().split("#")[0] + grid);
  await go(page, grid);
  await settled(other);
  await other.locator("#consolidated").check();  // both tabs edit the team's rating
  await settled(other);
  for (const p of [page, other]) await p.waitForSelector("section.live td.cl");
  await page.locator('td.cell[data-row="1"][data-col="0"]').focus();
  await pressAndSave(page, "p");
  await other.locator('td.cell[data-row="1"][data-col="0"]').focus();
  await other.keyboard.press("l");
  await other.waitForSelector("#status .error");
  const msg = await other.locator("#status").textContent();
  const cell = await other.locator('td.cell[data-row="1"][data-col="0"] .value').textContent();
  check(/Not saved/.test(msg) && cell === "P", "a stale tab is told and shows the newer rating (" + cell + ")");
  await other.close();
  await page.locator('td.cell[data-row="1"][data-col="0"]').focus();
  await pressAndSave(page, "f");  // back to the team's F
}

async function profileMatchesCli(page) {
  await go(page, "#/a/ACME-2027/profile");
  const shown = await page.locator("table.profile tbody tr").evaluateAll((rows) => rows.map((r) => ({
    process: r.dataset.process,
    cells: Array.from(r.querySelectorAll("td.pa")).map((c) => c.textContent),
    level: r.querySelector("td.cl").textContent,
  })));
  const json = JSON.parse(cli("profile", "ACME-2027", "--format", "json"));
  const expected = json.processes.map((p) => ({
    process: p.process,
    cells: p.attributes.map((a) => a.value || (a.state === "not assessed" ? "·" : "–")),
    level: p.capability.determined ? String(p.capability_level) : "–",
  }));
  check(JSON.stringify(shown) === JSON.stringify(expected),
    "the profile the page shows equals assay profile --format json: " + JSON.stringify(shown.map((s) => s.process + " CL" + s.level)));
  await shot(page, "profile");
  // What if: hypothetical ratings, computed by the engine as assay what-if does; nothing written.
  const card = page.locator("#what-if");
  const exported = cli("export", "ACME-2027");
  const tried = [];
  for (const inst of ["RES.1/LEJ", "RES.1/OPO"]) {  // every outcome of RES.1 N
    await card.getByLabel("Instance").selectOption(inst);
    const items = await card.getByLabel("Item").evaluate((s) => Array.from(s.options).map((o) => o.value).filter((v) => /\.O\d/.test(v)));
    for (const item of items) {
      await card.getByLabel("Item").selectOption(item);
      await card.getByLabel("Value").selectOption("N");
      await card.getByRole("button", { name: "Try" }).click();
      await idle(page);
      tried.push(inst + ":" + item + "=N");
    }
  }
  await page.waitForSelector("#what-if-changes");
  const whatIf = JSON.parse(cli("what-if", "ACME-2027", ...tried.flatMap((t) => ["-r", t]), "--format", "json"));
  const row = (p) => ({ cells: p.attributes.map((a) => a.value || (a.state === "not assessed" ? "·" : "–")),
    level: p.capability.determined ? String(p.capability_level) : "–" });
  const want = row(whatIf.processes.find((p) => p.process === "RES.1"));
  const now = row(json.processes.find((p) => p.process === "RES.1"));
  const shownRow = await card.locator('table.profile tr[data-process="RES.1"]').evaluate((r) => ({
    cells: Array.from(r.querySelectorAll("td.pa")).map((c) => c.textContent), level: r.querySelector("td.cl").textContent }));
  const said = await page.locator("#what-if-changes").textContent();
  check(JSON.stringify(shownRow) === JSON.stringify(want) && JSON.stringify(want) !== JSON.stringify(now) &&
    cli("export", "ACME-2027") === exported,
    "what-if with " + tried.length + " outcomes of RES.1 at N shows RES.1 as assay what-if does (" + want.cells.join(" ") + " CL" + want.level +
    ", now " + now.cells.join(" ") + " CL" + now.level + "), nothing written: " + said);
  await shot(page, "what-if", false);
}

async function checksLogReport(page) {
  const base = "#/a/ACME-2027";
  await go(page, base + "/checks");
  const summary = await page.locator("#checks-summary").textContent();
  const cliChecks = JSON.parse(cli("check", "ACME-2027", "--format", "json"));
  check(summary.includes(cliChecks.errors + " errors"), "the checks summary agrees with assay check: " + summary);
  await shot(page, "checks", false);
  await go(page, "#/log");
  await page.getByRole("button", { name: "Verify the log" }).click();
  await page.waitForSelector("#verify-result p.ok, #verify-result p.error");
  check((await page.locator("#verify-result p").first().textContent()) === "The log verifies.", "the log verifies");
  await go(page, base + "/report");
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#report-pdf").click()]);
  const pdf = path.join(out, "report.pdf");
  await download.saveAs(pdf);
  const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" });
  check(text.includes("ACME-2027") && text.includes("RES.3"), "the downloaded PDF report names the assessment and its processes");
}

// Headless Chromium with a fresh profile directory.
function launch(name) {
  return playwright.chromium.launchPersistentContext(path.join(work, name), {
    executablePath: chromiumPath,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

// The bundled example (the demo's workspace) in the browser: the README's
// screenshots, on a desktop and on a tablet.
async function demoScreens() {
  const source = process.env.ASSAY_SOURCE_DIR;
  if (!source) return;
  const demoDb = path.join(work, "demo.db");
  spawnSync(assay, ["--db", demoDb, "import", path.join(source, "models/examples/northwind-2026.json")]);
  const { child, url } = await startServer(demoDb);
  const context = await launch("demo-profile");
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on("pageerror", (e) => failures.push("demo: page error: " + e.message));
    await page.goto(url);
    await settled(page);
    await page.locator("#actor").selectOption("zoe.stastna");
    await settled(page);
    await go(page, "#/a/NW-2026-01/grid?p=RES.3");
    await page.locator("#consolidated").check();
    await settled(page);
    await page.locator('td.cell[data-row="3"][data-col="1"]').focus();
    await shot(page, "demo-grid", false);
    await go(page, "#/a/NW-2026-01/profile");
    const shown = await page.locator("table.profile tbody tr").count();
    const json = JSON.parse(spawnSync(assay, ["--db", demoDb, "profile", "NW-2026-01", "--format", "json"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).stdout);
    check(shown === (json.processes || []).length, "the demo's profile shows every process (" + shown + ")");
    await shot(page, "demo-profile", false);
    await page.setViewportSize({ width: 820, height: 1180 });
    await go(page, "#/a/NW-2026-01/grid?p=RES.1");
    await page.locator('td.cell[data-row="2"][data-col="0"]').focus();
    await shot(page, "demo-grid-tablet", false);
  } finally {
    await context.close();
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

async function main() {
  const { child, url } = await startServer();
  const context = await launch("profile");
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on("dialog", (d) => { failures.push("a dialog opened: " + d.message()); d.dismiss(); });
    page.on("pageerror", (e) => failures.push("page error: " + e.message));
    page.on("console", (m) => { if (m.type() === "error") failures.push("console error: " + m.text()); });
    await page.goto(url);
    await settled(page);
    check(!page.url().includes("token="), "the token leaves the address bar after sign-in");
    await createAssessment(page);
    await scopeAndTeam(page);
    await evidenceAndInterview(page);
    for (const who of ["ada", "bob"]) await rateAs(page, who);
    await consolidateOne(page);
    await rateAs(page, "team");
    console.log("     " + ratings + " ratings with " + keys + " key presses: " + (keys / ratings).toFixed(2) + " per rating");
    check(keys / ratings <= 3, "at most 3 key presses per rating on average");
    await twoTabs(context, page);
    await profileMatchesCli(page);
    await checksLogReport(page);
    const events = JSON.parse(cli("log", "ACME-2027", "--format", "json"));
    const actors = new Set(events.filter((e) => e.entity === "rating").map((e) => e.actor));
    check(actors.has("ada") && actors.has("bob"), "rating events name the acting people: " + [...actors].join(", "));
  } finally {
    await context.close();
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
  await demoScreens();
  for (const dir of ["profile", "demo-profile"]) fs.rmSync(path.join(work, dir), { recursive: true, force: true });
  if (failures.length) {
    console.log(failures.length + " failure(s):\n  " + failures.join("\n  "));
    process.exit(1);
  }
  console.log("browser test passed; screenshots in " + out);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
