// assay serve: the web app. Plain JavaScript, no library. Every piece of
// user or model text is written with textContent (el() below makes text
// nodes); the page never builds HTML from data.
"use strict";

const state = { csrf: "", actor: "", people: [], route: "", consolidated: false, keys: 0, accounts: false };

// ---- DOM helpers ----------------------------------------------------------

// el("td", {class: "x", onclick: f}, "text", child): strings become text nodes.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k === "value") node.value = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

function say(text, kind) {
  const s = document.getElementById("status");
  clear(s).appendChild(el("p", { class: kind || "info" }, text));
}

function errorText(e) {
  if (e && e.error) {
    let t = e.error.message || "error";
    if (e.error.hint) t += e.error.hint;
    return t;
  }
  return String(e && e.message ? e.message : e);
}

// ---- API ------------------------------------------------------------------

async function api(method, path, body) {
  const init = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") {
    init.headers["Content-Type"] = "application/json";
    init.headers["X-CSRF-Token"] = state.csrf;
    init.body = JSON.stringify(body || {});
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    data.httpStatus = res.status;
    throw data;
  }
  return data;
}

const enc = encodeURIComponent;

// Writes and refreshes still under way, counted in body[data-pending] so a
// test (or a person) can tell when the page has caught up.
let pending = 0;
async function tracked(promise) {
  document.body.dataset.pending = String(++pending);
  try {
    return await promise;
  } finally {
    document.body.dataset.pending = String(--pending);
  }
}

// ---- routing --------------------------------------------------------------

function route() {
  const hash = location.hash || "#/";
  const [path, query] = hash.slice(1).split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query || "");
  return { parts, params };
}

// Each render builds its screen apart and shows it only when no later render
// started meanwhile (a write re-renders and may change the hash too).
let generation = 0;

async function render() {
  const gen = ++generation;
  const hash = location.hash || "#/";
  document.body.dataset.busy = "1";
  const { parts, params } = route();
  const main = el("div", { class: "screen" });
  renderNav(parts);
  try {
    if (parts.length === 0) await screenAssessments(main);
    else if (parts[0] === "log") await screenLog(main);
    else if (parts[0] === "a" && parts.length === 2) await screenOverview(main, parts[1]);
    else if (parts[0] === "a" && parts[2] === "grid") await screenGrid(main, parts[1], params);
    else if (parts[0] === "a" && parts[2] === "evidence") await screenEvidence(main, parts[1]);
    else if (parts[0] === "a" && parts[2] === "interview" && parts[3]) await screenInterview(main, parts[1], parts[3]);
    else if (parts[0] === "a" && parts[2] === "consolidation") await screenConsolidation(main, parts[1]);
    else if (parts[0] === "a" && parts[2] === "profile") await screenProfile(main, parts[1]);
    else if (parts[0] === "a" && parts[2] === "checks") await screenChecks(main, parts[1]);
    else if (parts[0] === "a" && parts[2] === "report") screenReport(main, parts[1]);
    else main.appendChild(el("p", {}, "No such page."));
  } catch (e) {
    main.appendChild(el("p", { class: "error", role: "alert" }, errorText(e)));
  }
  if (gen !== generation) return;
  clear(document.getElementById("main")).appendChild(main);
  // For tests: which render, of which address, is on screen, and that none is under way.
  document.body.dataset.rendered = String(gen);
  document.body.dataset.renderedHash = hash;
  document.body.dataset.busy = "0";
  const start = main.querySelector('td.cell[tabindex="0"]');
  if (start) start.focus();
}

function renderNav(parts) {
  const nav = clear(document.getElementById("nav"));
  const links = [["#/", "Assessments"]];
  if (parts[0] === "a" && parts[1]) {
    const base = "#/a/" + enc(parts[1]);
    links.push([base, "Scope & team"], [base + "/evidence", "Evidence"], [base + "/grid", "Rating grid"],
               [base + "/consolidation", "Consolidate"], [base + "/profile", "Profile"],
               [base + "/checks", "Checks"], [base + "/report", "Report"]);
  }
  links.push(["#/log", "Log"]);
  const current = location.hash || "#/";
  for (const [href, text] of links)
    nav.appendChild(el("a", { href, "aria-current": current.split("?")[0] === href ? "page" : null }, text));
}

// ---- forms ----------------------------------------------------------------

function field(label, input) {
  return el("label", { class: "field" }, el("span", {}, label), input);
}

function select(name, options, value) {
  const s = el("select", { name });
  for (const o of options) {
    const [v, t] = Array.isArray(o) ? o : [o, o];
    s.appendChild(el("option", { value: v, selected: v === value }, t));
  }
  return s;
}

// A form whose submit calls `fn(values)`; reports errors next to it.
function form(title, inputs, button, fn) {
  const msg = el("p", { class: "form-msg", role: "alert" });
  const f = el("form", { class: "card", "aria-label": title }, el("h3", {}, title), inputs,
               el("button", { type: "submit" }, button), msg);
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(new FormData(f).entries());
    await tracked((async () => {
      try {
        await fn(values, f);
        clear(msg);
        await render();
      } catch (e) {
        msg.textContent = errorText(e);
      }
    })());
  });
  return f;
}

// ---- screens --------------------------------------------------------------

async function screenAssessments(main) {
  const [list, models] = await Promise.all([api("GET", "/api/assessments"), api("GET", "/api/models")]);
  main.appendChild(el("h1", {}, "Assessments"));
  const table = el("table", { class: "list" },
    el("thead", {}, el("tr", {}, ["ID", "Title", "Organization", "Model", "Method", "Status"].map(h => el("th", { scope: "col" }, h)))));
  const body = el("tbody");
  for (const a of list)
    body.appendChild(el("tr", {},
      el("td", {}, el("a", { href: "#/a/" + enc(a.id) + "/grid" }, a.id)), el("td", {}, a.title),
      el("td", {}, a.organization), el("td", {}, a.model), el("td", {}, a.method), el("td", {}, el("span", { class: "badge" }, a.status))));
  table.appendChild(body);
  main.appendChild(list.length ? table : el("p", {}, "No assessment yet: create one below."));
  main.appendChild(form("New assessment", [
    field("ID", el("input", { name: "id", required: true, placeholder: "ACME-2027-01", autocomplete: "off" })),
    field("Title", el("input", { name: "title" })),
    field("Organization", el("input", { name: "organization" })),
    field("Model", select("model", models.map(m => [m.id, m.title ? m.id + " (" + m.title + ")" : m.id]), "itsm-20000")),
    field("Rating method", select("method", [["R1", "R1: outcomes and achievements"], ["R2", "R2: attributes"], ["R3", "R3"]], "R2")),
    field("Aggregation", select("aggregation", ["mean", "weighted-mean", "median", "minimum"], "mean")),
    field("Scale", select("scale", [["standard", "standard N/P/L/F"], ["refined", "refined N/P-/P+/L-/L+/F"]], "standard")),
    field("Class", select("class", ["1", "2", "3"], "3")),
  ], "Create", async (v) => {
    v.class = Number(v.class);
    await api("POST", "/api/assessments", v);
    location.hash = "#/a/" + enc(v.id);
  }));
}

async function screenOverview(main, id) {
  const d = await api("GET", "/api/assessments/" + enc(id));
  const a = d.assessment;
  main.appendChild(el("h1", {}, a.title || a.id));
  main.appendChild(el("p", { class: "meta" }, [a.id, a.organization, a.model, a.method, a.aggregation,
    a.scale + " scale", "class " + a.class, "status " + a.status].filter(Boolean).join(" · ")));
  const base = "/api/assessments/" + enc(id);
  if (d.allowed_status.length)
    main.appendChild(form("Status", [field("Move to", select("status", d.allowed_status))], "Move",
      (v) => api("POST", base + "/status", v)));
  const procs = d.model_processes.map(p => [p.id, p.id + " " + p.name]);
  const grid = el("div", { class: "cards" });
  grid.appendChild(listCard("Scope", d.scope.map(s => s.process + " (target level " + s.target_level + ")")));
  grid.appendChild(form("Add a process to the scope", [
    field("Process", select("process", procs)),
    field("Target level", select("target_level", ["1", "2", "3", "4", "5"], "3")),
  ], "Add to scope", (v) => api("POST", base + "/scope", { process: v.process, target_level: Number(v.target_level) })));
  grid.appendChild(listCard("Units", d.units.map(u => u.id + " " + u.name)));
  grid.appendChild(form("Add a unit", [field("ID", el("input", { name: "id", required: true })),
    field("Name", el("input", { name: "name" }))], "Add unit", (v) => api("POST", base + "/units", v)));
  grid.appendChild(listCard("Instances", d.instances.map(i => i.id + (i.name ? " " + i.name : "") + (i.unit ? " (" + i.unit + ")" : ""))));
  grid.appendChild(form("Add instances", [
    field("Process", select("process", d.scope.map(s => s.process))),
    field("Unit", select("unit", d.units.map(u => u.id))),
    field("Instance IDs, one per line", el("textarea", { name: "ids", rows: 3, placeholder: "RES.1/EU\nRES.1/US", required: true })),
  ], "Add instances", (v) => {
    const ids = v.ids.split("\n").map(s => s.trim()).filter(Boolean);
    return api("POST", base + "/instances", { instances: ids.map(i => ({ id: i, process: v.process, unit: v.unit })) });
  }));
  grid.appendChild(listCard("Team", d.team.map(p => p.id + " " + p.name + " (" + p.roles.join(", ") + ")")));
  grid.appendChild(form("Add a team member", [
    field("ID", el("input", { name: "id", required: true, autocomplete: "off" })),
    field("Name", el("input", { name: "name" })),
    field("Role", select("role", ["assessor", "lead-assessor", "coordinator", "interviewee", "observer", "sponsor"])),
  ], "Add person", (v) => api("POST", base + "/team", { id: v.id, name: v.name, roles: [v.role] })
      .then(() => loadSession())));
  main.appendChild(grid);
}

function listCard(title, lines) {
  return el("section", { class: "card", "aria-label": title }, el("h3", {}, title),
    lines.length ? el("ul", {}, lines.map(l => el("li", {}, l))) : el("p", { class: "muted" }, "none yet"));
}

// ---- the rating grid ------------------------------------------------------
//
// Rows: the items to rate (per the method), grouped by attribute; columns:
// the process's instances. Keyboard-first: a scale key saves the focused
// cell at once and moves down; arrows move; Enter opens the statement box.

// The keys of the scale's values: N P L F, and for the refined scale p = P-,
// Shift+P = P+, l = L-, Shift+L = L+; digits 1.. pick the n-th value.
function keyValue(key, values) {
  if (/^[1-9]$/.test(key) && Number(key) <= values.length) return values[Number(key) - 1];
  const refined = values.includes("P+");
  const map = refined ? { n: "N", N: "N", p: "P-", P: "P+", l: "L-", L: "L+", f: "F", F: "F" }
                      : { n: "N", p: "P", l: "L", f: "F" };
  const v = map[refined ? key : key.toLowerCase()];
  return values.includes(v) ? v : null;
}

function ratingOf(sheet, instance, item) {
  const who = state.consolidated ? "" : state.actor;
  return sheet.ratings.find(r => r.instance === instance && r.item === item &&
    r.consolidated === state.consolidated && (state.consolidated || r.assessor === who));
}

// The rating sheet with the assessment's evidence register (for linking).
async function loadSheet(id) {
  const [sheet, register] = await Promise.all([api("GET", "/api/assessments/" + enc(id) + "/items"),
    api("GET", "/api/assessments/" + enc(id) + "/evidence")]);
  sheet.evidence = register.evidence;
  return sheet;
}

// Whether the acting person or the team is rating, and the keys.
function ratingMode(sheet) {
  return [el("p", { class: "mode" },
    el("label", {}, el("input", { type: "checkbox", id: "consolidated", checked: state.consolidated,
      onchange: (ev) => { state.consolidated = ev.target.checked; render(); } }), " Team (consolidated) rating"),
    " · rating as ", el("strong", { id: "rating-as" }, state.consolidated ? "the team" : (state.actor || "nobody: choose who is acting"))),
  el("p", { class: "help", id: "grid-help" }, "Keys: " +
    (sheet.values.includes("P+") ? "N, p (P-), Shift+P (P+), l (L-), Shift+L (L+), F" : "N, P, L, F") +
    " or 1–" + sheet.values.length + " save at once and move down · arrows, Home, End move · Enter: statement · E: link evidence · Esc: close")];
}

async function screenGrid(main, id, params) {
  const sheet = await loadSheet(id);
  const a = sheet.assessment;
  main.appendChild(el("h1", {}, "Rating grid: " + (a.title || a.id)));
  if (!sheet.processes.length) {
    main.appendChild(el("p", {}, "Nothing in scope yet. ", el("a", { href: "#/a/" + enc(id) }, "Add processes and instances")));
    return;
  }
  const procId = params.get("p") || sheet.processes[0].process;
  const proc = sheet.processes.find(p => p.process === procId) || sheet.processes[0];
  const tabs = el("nav", { class: "tabs", "aria-label": "Processes" });
  for (const p of sheet.processes)
    tabs.appendChild(el("a", { href: "#/a/" + enc(id) + "/grid?p=" + enc(p.process),
      "aria-current": p === proc ? "page" : null }, p.process + " " + p.name));
  main.appendChild(tabs);
  for (const node of ratingMode(sheet)) main.appendChild(node);
  if (!proc.instances.length) {
    main.appendChild(el("p", {}, "No instance of " + proc.process + " yet. ", el("a", { href: "#/a/" + enc(id) }, "Add instances")));
    return;
  }
  const layout = el("div", { class: "grid-layout" });
  const side = el("aside", { class: "side", "aria-label": "Item" });
  layout.appendChild(buildGrid(sheet, id, proc, side, params));
  layout.appendChild(side);
  main.appendChild(layout);
  const live = el("section", { class: "card live", "aria-label": "Live profile" });
  main.appendChild(live);
  await refreshLive(live, id, proc.process);
}

function buildGrid(sheet, id, proc, side, params, withTexts) {
  const table = el("table", { class: "grid", role: "grid", "aria-label": "Ratings of " + proc.process });
  const head = el("tr", {}, el("th", { scope: "col" }, "Item"), proc.instances.map(i => el("th", { scope: "col" }, i.id)));
  table.appendChild(el("thead", {}, head));
  const body = el("tbody");
  let attr = "";
  const wantInstance = params.get("i"), wantItem = params.get("x");
  let first = null;
  proc.items.forEach((item, row) => {
    if (item.attribute !== attr) {
      attr = item.attribute;
      body.appendChild(el("tr", { class: "group" }, el("th", { colspan: proc.instances.length + 1, scope: "colgroup" },
        "Level " + item.level + " · " + item.attribute)));
    }
    const tr = el("tr", { class: "kind-" + item.kind });
    tr.appendChild(el("th", { scope: "row", class: "item" }, el("span", { class: "id" }, item.id),
      el("span", { class: "label" }, item.label), withTexts ? el("span", { class: "item-text" }, item.text) : null));
    proc.instances.forEach((inst, col) => {
      const td = el("td", { class: "cell", role: "gridcell", tabindex: "-1", dataset: { row, col },
        "aria-label": item.id + " in " + inst.id });
      td.item = item;
      td.instance = inst.id;
      paintCell(td, ratingOf(sheet, inst.id, item.id));
      td.addEventListener("keydown", (ev) => onCellKey(ev, td, sheet, id, side, proc));
      td.addEventListener("focus", () => showItem(side, sheet, td));
      td.addEventListener("click", () => td.focus());
      tr.appendChild(td);
      if (!first || (inst.id === wantInstance && item.id === wantItem)) first = td;
    });
    body.appendChild(tr);
  });
  if (first) first.tabIndex = 0;
  table.appendChild(body);
  return table;
}

function paintCell(td, rating) {
  td.rating = rating || null;
  clear(td);
  const v = rating ? rating.value : "";
  td.className = "cell" + (v ? " v-" + v.replace("+", "plus").replace("-", "minus") : "");
  td.appendChild(el("span", { class: "value" }, v || "·"));
  if (rating) td.appendChild(el("span", { class: "author" }, rating.consolidated ? "team" : rating.assessor));
  if (rating && (rating.strength || rating.weakness)) td.appendChild(el("span", { class: "note", title: "has a statement" }, "✎"));
  td.setAttribute("aria-label", td.item.id + " in " + td.instance + ": " + (v ? v + " by " + (rating.consolidated ? "the team" : rating.assessor) : "not rated"));
}

function showItem(side, sheet, td) {
  clear(side);
  side.appendChild(el("h2", {}, td.item.id));
  side.appendChild(el("p", { class: "muted" }, td.item.label + " · " + td.item.attribute + " · " + td.instance));
  side.appendChild(el("p", { class: "text" }, td.item.text));
  const all = sheet.ratings.filter(r => r.instance === td.instance && r.item === td.item.id);
  if (all.length) {
    side.appendChild(el("h3", {}, "Ratings"));
    side.appendChild(el("ul", { class: "ratings" }, all.map(r => el("li", {},
      el("strong", {}, r.value), " by " + (r.consolidated ? "the team" : r.assessor) + ", " + r.rated_at,
      r.strength ? el("div", { class: "strength" }, "Strength: " + r.strength) : null,
      r.weakness ? el("div", { class: "weakness" }, "Weakness: " + r.weakness) : null,
      r.evidence && r.evidence.length ? el("div", { class: "evidence" }, "Evidence: " + r.evidence.join(", ")) : null))));
  }
}

function moveFocus(td, drow, dcol) {
  const row = Number(td.dataset.row) + drow, col = Number(td.dataset.col) + dcol;
  const next = td.closest("table").querySelector('td.cell[data-row="' + row + '"][data-col="' + col + '"]');
  if (!next) return false;
  td.tabIndex = -1;
  next.tabIndex = 0;
  next.focus();
  return true;
}

function onCellKey(ev, td, sheet, id, side, proc) {
  if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
  state.keys++;
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  if (moves[ev.key]) {
    ev.preventDefault();
    moveFocus(td, ...moves[ev.key]);
    return;
  }
  if (ev.key === "Home" || ev.key === "End") {  // the top or bottom of the column
    ev.preventDefault();
    const rows = proc.items.length - 1, row = Number(td.dataset.row);
    moveFocus(td, ev.key === "Home" ? -row : rows - row, 0);
    return;
  }
  if (ev.key === "e" || ev.key === "E") {  // link evidence
    ev.preventDefault();
    openStatement(td, sheet, id, side, proc, "evidence");
    return;
  }
  if (ev.key === "Enter") {
    ev.preventDefault();
    openStatement(td, sheet, id, side, proc);
    return;
  }
  const value = keyValue(ev.key, sheet.values);
  if (value) {  // saved in the background; the focus moves on at once
    ev.preventDefault();
    tracked(saveRating(td, sheet, id, proc, { value }));
    moveFocus(td, 1, 0);
  }
}

async function saveRating(td, sheet, id, proc, fields) {
  if (!state.consolidated && !state.actor) {
    say("Choose who is acting (top right) before rating.", "error");
    return false;
  }
  const body = Object.assign({ instance: td.instance, item: td.item.id, version: td.rating ? td.rating.version : 0 },
    state.consolidated ? { consolidated: true } : { assessor: state.actor }, fields);
  td.classList.add("saving");
  try {
    const res = await api("PUT", "/api/assessments/" + enc(id) + "/ratings", body);
    replaceRating(sheet, res.rating);
    paintCell(td, res.rating);
    say("Saved " + td.item.id + " in " + td.instance + ": " + res.rating.value + " (" + res.result + ")", "ok");
    const screen = td.closest(".screen");  // this grid's own live profile, even when another screen is shown
    if (screen) await refreshLive(screen.querySelector("section.live"), id, proc.process);
    return true;
  } catch (e) {
    td.classList.remove("saving");
    if (e.httpStatus === 409) {
      if (e.current) replaceRating(sheet, e.current);
      paintCell(td, e.current);
      say("Not saved: " + errorText(e) + ". The cell now shows the newer rating" +
        (e.current ? " (" + e.current.value + " by " + (e.current.consolidated ? "the team" : e.current.assessor) + ")" : "") + ".", "error");
    } else {
      say("Not saved: " + errorText(e), "error");
    }
    return false;
  }
}

function replaceRating(sheet, rating) {
  if (!rating) return;
  const i = sheet.ratings.findIndex(r => r.instance === rating.instance && r.item === rating.item &&
    r.consolidated === rating.consolidated && r.assessor === rating.assessor);
  if (i >= 0) sheet.ratings[i] = rating; else sheet.ratings.push(rating);
}

function openStatement(td, sheet, id, side, proc, focus) {
  showItem(side, sheet, td);
  const r = td.rating || {};
  const strength = el("textarea", { id: "strength", rows: 3 });
  strength.value = r.strength || "";
  const weakness = el("textarea", { id: "weakness", rows: 3 });
  weakness.value = r.weakness || "";
  const linked = new Set(r.evidence || []);
  const register = sheet.evidence || [];
  const known = new Set(register.map(e => e.id));
  const boxes = register.map(e => el("label", { class: "check" },
    el("input", { type: "checkbox", name: "evidence", value: e.id, checked: linked.has(e.id) }),
    " " + e.id + (e.description ? ": " + e.description : e.reference ? ": " + e.reference : "")));
  const evidence = el("fieldset", { class: "evidence-pick", id: "evidence" }, el("legend", {}, "Evidence"),
    boxes.length ? boxes : el("p", { class: "muted" }, "No evidence registered yet: add it under Evidence."));
  const close = () => { box.remove(); td.focus(); };
  const save = async () => {
    const chosen = boxes.map(b => b.firstChild).filter(c => c.checked).map(c => c.value);
    const kept = [...linked].filter(e => !known.has(e));  // cited IDs the register no longer lists
    const ok = await tracked(saveRating(td, sheet, id, proc, { value: (td.rating && td.rating.value) || undefined,
      strength: strength.value, weakness: weakness.value, evidence: kept.concat(chosen) }));
    if (ok) close();
  };
  const box = el("div", { class: "statement", role: "dialog", "aria-label": "Statement for " + td.item.id },
    el("h3", {}, "Statement: " + td.item.id + " in " + td.instance),
    field("Strength", strength), field("Weakness", weakness), evidence,
    el("p", { class: "help" }, "Ctrl+Enter saves · Esc closes"),
    el("button", { type: "button", onclick: save }, "Save"), el("button", { type: "button", class: "secondary", onclick: close }, "Cancel"));
  box.addEventListener("keydown", (ev) => {
    state.keys++;
    if (ev.key === "Escape") { ev.preventDefault(); close(); }
    if (ev.key === "Enter" && ev.ctrlKey) { ev.preventDefault(); save(); }
  });
  side.appendChild(box);
  if (focus === "evidence" && boxes.length) boxes[0].firstChild.focus();
  else (r.value && r.value !== "F" ? weakness : strength).focus();
}

// ---- profile --------------------------------------------------------------

function whyText(p) {
  const c = p.capability;
  if (!c.determined) return "not determined: " + c.blockers.map(b => b.attribute + " " + (b.value || b.state)).join(", ");
  if (!c.blockers.length) return c.limited_by_target ? "reaches its target level" : "no higher level assessed";
  return "next level needs " + c.blockers.map(b => b.attribute + " " + b.needs + " (is " + (b.value || b.state) + ")").join(", ");
}

async function refreshLive(section, id, process) {
  if (!section) return;
  const seq = section.liveSeq = (section.liveSeq || 0) + 1;
  let profile;
  try {
    profile = await api("GET", "/api/assessments/" + enc(id) + "/profile");
  } catch (e) {
    if (seq === section.liveSeq) say("The live profile could not be refreshed: " + errorText(e), "error");
    return;
  }
  if (seq !== section.liveSeq) return;  // a later refresh of this section is under way
  const p = profile.processes.find(x => x.process === process);
  clear(section);
  section.appendChild(el("h2", {}, "Live profile: " + process));
  if (!p) return;
  section.appendChild(profileTable({ processes: [p] }, true));
}

function profileTable(profile, compact) {
  const attrs = profile.processes.length ? profile.processes[0].attributes.map(a => a.attribute) : [];
  const table = el("table", { class: "profile", "aria-label": "Capability profile" });
  table.appendChild(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Process"),
    attrs.map(a => el("th", { scope: "col" }, a)), el("th", { scope: "col" }, "CL"), el("th", { scope: "col" }, "Target"),
    el("th", { scope: "col" }, "Gap"), el("th", { scope: "col" }, "Why this level"))));
  const body = el("tbody");
  for (const p of profile.processes) {
    const tr = el("tr", { dataset: { process: p.process } }, el("th", { scope: "row" }, p.process + (compact ? "" : " " + p.name)));
    for (const a of p.attributes) {
      const v = a.value || (a.state === "not assessed" ? "" : "–");
      tr.appendChild(el("td", { class: "pa" + (a.value ? " v-" + a.value.replace("+", "plus").replace("-", "minus") : ""),
        title: a.state }, v || "·"));
    }
    tr.appendChild(el("td", { class: "cl" }, p.capability.determined ? String(p.capability_level) : "–"));
    tr.appendChild(el("td", {}, String(p.target_level)));
    tr.appendChild(el("td", {}, p.gap === null || p.gap === undefined ? "–" : String(p.gap)));
    tr.appendChild(el("td", { class: "why" }, whyText(p)));
    body.appendChild(tr);
  }
  table.appendChild(body);
  return table;
}

function levelChart(profile) {
  const chart = el("div", { class: "chart", role: "img", "aria-label": "Capability level and target per process" });
  for (const p of profile.processes) {
    const level = p.capability.determined ? p.capability_level : 0;
    chart.appendChild(el("div", { class: "bar-row" }, el("span", { class: "bar-label" }, p.process),
      el("span", { class: "bar-track" }, el("span", { class: "bar l" + level, dataset: { level } }),
        el("span", { class: "target t" + p.target_level, title: "target " + p.target_level })),
      el("span", { class: "bar-value" }, "CL" + level + " / " + p.target_level)));
  }
  return chart;
}

async function screenProfile(main, id) {
  const [profile, sheet] = await Promise.all([api("GET", "/api/assessments/" + enc(id) + "/profile"),
    api("GET", "/api/assessments/" + enc(id) + "/items")]);
  main.appendChild(el("h1", {}, "Capability profile: " + (profile.assessment.title || id)));
  main.appendChild(el("p", { class: "meta" }, profile.assessment.rating_method + " · " + profile.assessment.aggregation +
    " · " + profile.assessment.scale + " scale"));
  main.appendChild(levelChart(profile));
  main.appendChild(profileTable(profile, false));
  const m = profile.maturity;
  if (m && m.available)
    main.appendChild(el("p", { class: "maturity" }, "Organizational maturity level " + m.level + " of " + m.top_level +
      (m.blockers && m.blockers.length ? "; level " + (m.level + 1) + " needs " +
        m.blockers.slice(0, 6).map(b => b.process + " at CL" + b.required + " (" + (b.achieved === null ? b.reason : "CL" + b.achieved) + ")").join(", ") +
        (m.blockers.length > 6 ? ", …" : "") : "")));
  main.appendChild(whatIfCard(id, sheet));
}

// ---- evidence register and interviews -------------------------------------

const list = (text) => (text || "").split(",").map(x => x.trim()).filter(Boolean);

// Uploads `file` as evidence `eid`'s attachment; the server computes its
// SHA-256 and, with `keep`, keeps the file in the workspace.
async function attachFile(id, eid, file, keep) {
  const res = await tracked(fetch("/api/assessments/" + enc(id) + "/evidence/" + enc(eid) + "/file" + (keep ? "?keep=1" : ""), {
    method: "POST", credentials: "same-origin", body: file,
    headers: { "Content-Type": "application/octet-stream", "X-CSRF-Token": state.csrf } }));
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw data;
  say("Attached " + file.name + " to " + eid + ": SHA-256 " + data.sha256 + " (" + data.bytes + " bytes" +
    (data.kept ? ", kept in the workspace" : "") + ")", "ok");
  return data;
}

async function screenEvidence(main, id) {
  const base = "/api/assessments/" + enc(id);
  const [d, reg, ivs] = await Promise.all([api("GET", base), api("GET", base + "/evidence"), api("GET", base + "/interviews")]);
  main.appendChild(el("h1", {}, "Evidence and interviews: " + (d.assessment.title || id)));
  main.appendChild(el("h2", {}, "Interviews"));
  const itable = el("table", { class: "list", id: "interviews" }, el("thead", {}, el("tr", {},
    ["ID", "Held", "Interviewers", "Interviewees", "Processes", "Instances", "Evidence", ""].map(h => el("th", { scope: "col" }, h)))));
  const ibody = el("tbody");
  for (const i of ivs.interviews)
    ibody.appendChild(el("tr", { dataset: { interview: i.id } }, el("td", {}, i.id), el("td", {}, i.held_at),
      el("td", {}, i.interviewers.join(", ")), el("td", {}, i.interviewees.join(", ")), el("td", {}, i.processes.join(", ")),
      el("td", {}, i.instances.join(", ") || "all"), el("td", {}, i.evidence.join(", ")),
      el("td", {}, el("a", { class: "button", href: "#/a/" + enc(id) + "/interview/" + enc(i.id) }, "Interview mode"))));
  itable.appendChild(ibody);
  main.appendChild(ivs.interviews.length ? itable : el("p", { class: "muted" }, "No interview recorded yet."));
  const scoped = d.scope.map(x => x.process);
  const pick = el("select", { name: "processes", multiple: true, size: Math.min(4, Math.max(2, scoped.length)) },
    scoped.map(x => el("option", { value: x }, x)));
  const cards = el("div", { class: "cards" });
  cards.appendChild(form("Record an interview", [
    field("ID", el("input", { name: "id", required: true, placeholder: "I-1", autocomplete: "off" })),
    field("Held at (empty: now)", el("input", { name: "held_at", placeholder: "2027-03-02T09:00:00Z" })),
    field("Interviewers (person IDs, comma-separated)", el("input", { name: "interviewers", value: state.actor })),
    field("Interviewees", el("input", { name: "interviewees" })),
    field("Processes", pick),
    field("Instances (empty: every instance of them)", el("input", { name: "instances" })),
    field("Notes", el("textarea", { name: "notes", rows: 2 })),
  ], "Record interview", (v) => api("POST", base + "/interviews", { id: v.id, held_at: v.held_at, notes: v.notes,
    interviewers: list(v.interviewers), interviewees: list(v.interviewees), instances: list(v.instances),
    processes: Array.from(pick.selectedOptions).map(o => o.value) })));
  cards.appendChild(evidenceForm(id, ivs.interviews.map(i => i.id), ""));
  main.appendChild(cards);
  main.appendChild(el("h2", {}, "Evidence register"));
  main.appendChild(reg.evidence.length ? evidenceTable(id, reg.evidence) : el("p", { class: "muted" }, "No evidence recorded yet."));
}

function evidenceForm(id, interviews, interview) {
  const file = el("input", { type: "file", name: "file", id: "evidence-file" });
  return form("Add evidence", [
    field("ID", el("input", { name: "id", required: true, placeholder: "EV-1", autocomplete: "off" })),
    field("Kind", select("kind", ["document", "record", "interview-statement", "observation", "tool-demonstration"],
      interview ? "interview-statement" : "document")),
    field("Reference (document ID, ticket, URL)", el("input", { name: "reference" })),
    field("Description", el("input", { name: "description" })),
    field("Date it speaks for", el("input", { name: "effective_date", type: "date" })),
    field("From interview", select("interview", [["", "none"]].concat(interviews), interview)),
    field("Attach a file (its SHA-256 is recorded)", file),
    el("label", { class: "check" }, el("input", { type: "checkbox", name: "keep", value: "1", id: "evidence-keep" }),
      " Keep a copy of the file in the workspace (at most 32 MiB)"),
  ], "Add evidence", async (v) => {
    const body = { id: v.id, kind: v.kind, reference: v.reference, description: v.description,
      effective_date: v.effective_date, interview: v.interview };
    await api("POST", "/api/assessments/" + enc(id) + "/evidence", body);
    if (file.files.length) await attachFile(id, v.id, file.files[0], v.keep === "1");
  });
}

function evidenceTable(id, evidence) {
  const table = el("table", { class: "list", id: "evidence-register" }, el("thead", {}, el("tr", {},
    ["ID", "Kind", "Reference", "Description", "Collected", "Interview", "SHA-256", "File", "Cited by", "Attach"].map(h => el("th", { scope: "col" }, h)))));
  const body = el("tbody");
  for (const e of evidence) {
    const input = el("input", { type: "file", "aria-label": "Attach a file to " + e.id });
    const keep = el("input", { type: "checkbox", "aria-label": "Keep a copy of the file attached to " + e.id + " in the workspace" });
    input.addEventListener("change", async () => {
      if (!input.files.length) return;
      try {
        await attachFile(id, e.id, input.files[0], keep.checked);
        await render();
      } catch (err) {
        say("Not attached: " + errorText(err), "error");
      }
    });
    body.appendChild(el("tr", { dataset: { evidence: e.id } }, el("td", {}, e.id), el("td", {}, e.kind),
      el("td", {}, e.reference), el("td", {}, e.description), el("td", {}, (e.collected_date || "") + (e.collected_by ? " by " + e.collected_by : "")),
      el("td", {}, e.interview), el("td", { class: "hash", title: e.sha256 }, e.sha256 ? e.sha256.slice(0, 12) + "…" : "–"),
      el("td", {}, e.kept ? el("a", { class: "download", href: "/api/assessments/" + enc(id) + "/evidence/" + enc(e.id) + "/file",
        download: "" }, "Download") : (e.sha256 ? "not kept" : "–")),
      el("td", {}, String(e.cited_by)), el("td", { class: "attach" }, input, el("label", { class: "check" }, keep, " keep"))));
  }
  table.appendChild(body);
  return table;
}

// Interview mode: the items of the interview's processes, with their texts,
// for its instances (all of a process's when it names none), rated as on
// the grid while talking; evidence from the interview is added beside them.
async function screenInterview(main, id, iid) {
  const [sheet, ivs] = await Promise.all([loadSheet(id), api("GET", "/api/assessments/" + enc(id) + "/interviews")]);
  const iv = ivs.interviews.find(i => i.id === iid);
  if (!iv) {
    main.appendChild(el("p", { class: "error", role: "alert" }, "No interview " + iid + " in " + id + ". ",
      el("a", { href: "#/a/" + enc(id) + "/evidence" }, "Record it")));
    return;
  }
  main.appendChild(el("h1", {}, "Interview " + iv.id));
  main.appendChild(el("p", { class: "meta" }, iv.held_at + " · interviewers " + (iv.interviewers.join(", ") || "–") +
    " · interviewees " + (iv.interviewees.join(", ") || "–") + (iv.notes ? " · " + iv.notes : "")));
  for (const node of ratingMode(sheet)) main.appendChild(node);
  let shown = 0;
  for (const pid of iv.processes) {
    const proc = sheet.processes.find(p => p.process === pid);
    if (!proc) {
      main.appendChild(el("p", { class: "muted" }, pid + " is not in the assessment's scope."));
      continue;
    }
    const own = proc.instances.filter(i => iv.instances.includes(i.id));
    const instances = own.length ? own : proc.instances;
    if (!instances.length) continue;
    shown++;
    main.appendChild(el("h2", {}, proc.process + " " + proc.name));
    const layout = el("div", { class: "grid-layout interview" });
    const side = el("aside", { class: "side", "aria-label": "Item of " + proc.process });
    layout.appendChild(buildGrid(sheet, id, Object.assign({}, proc, { instances }), side, new URLSearchParams(), true));
    layout.appendChild(side);
    main.appendChild(layout);
    const live = el("section", { class: "card live", "aria-label": "Live profile of " + proc.process });
    main.appendChild(live);
    await refreshLive(live, id, proc.process);
  }
  if (!shown) main.appendChild(el("p", {}, "The interview names no process with instances in scope."));
  main.appendChild(evidenceForm(id, ivs.interviews.map(i => i.id), iv.id));
}

// ---- consolidation --------------------------------------------------------

async function screenConsolidation(main, id) {
  const base = "/api/assessments/" + enc(id);
  const [d, sheet] = await Promise.all([api("GET", base + "/disagreements"), api("GET", base + "/items")]);
  main.appendChild(el("h1", {}, "Consolidation"));
  main.appendChild(el("p", {}, "Items whose assessors disagree and that the team has not yet rated. Until the team agrees, " +
    "the lowest value is used. The agreed rating is recorded with its rationale and your name."));
  if (!d.disagreements.length) {
    main.appendChild(el("p", { class: "ok", id: "no-disagreements" }, "No open disagreements."));
    return;
  }
  const table = el("table", { class: "list", id: "disagreements" }, el("thead", {}, el("tr", {},
    ["Instance", "Item", "Assessors", "Used now", "Agreed value and rationale"].map(h => el("th", { scope: "col" }, h)))));
  const body = el("tbody");
  for (const x of d.disagreements) {
    const rationale = el("input", { name: "rationale", required: true, "aria-label": "Rationale for " + x.item + " in " + x.instance,
      placeholder: "why the team agrees on this value" });
    const value = select("value", sheet.values, x.used);
    value.setAttribute("aria-label", "Agreed value of " + x.item + " in " + x.instance);
    const msg = el("span", { class: "form-msg", role: "alert" });
    const f = el("form", { class: "inline" }, value, rationale, el("button", { type: "submit" }, "Consolidate"), msg);
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        await tracked(api("POST", base + "/consolidate", { instance: x.instance, item: x.item, value: value.value, rationale: rationale.value }));
        say("Consolidated " + x.item + " in " + x.instance + ": " + value.value, "ok");
        await render();
      } catch (e) {
        msg.textContent = errorText(e);
      }
    });
    body.appendChild(el("tr", { dataset: { instance: x.instance, item: x.item } }, el("td", {}, x.instance), el("td", {}, x.item),
      el("td", {}, el("ul", { class: "ratings" }, x.ratings.map(r => el("li", {}, el("strong", {}, r.value), " " + r.assessor,
        r.weakness ? el("div", { class: "weakness" }, "Weakness: " + r.weakness) : null,
        r.strength ? el("div", { class: "strength" }, "Strength: " + r.strength) : null)))),
      el("td", {}, x.used), el("td", {}, f)));
  }
  table.appendChild(body);
  main.appendChild(table);
}

// ---- what-if --------------------------------------------------------------

// On the profile: hypothetical ratings, computed by the engine, nothing written.
function whatIfCard(id, sheet) {
  const changes = [];
  const instances = [];
  for (const p of sheet.processes) for (const i of p.instances) instances.push([i.id, p]);
  const card = el("section", { class: "card", id: "what-if", "aria-label": "What if" }, el("h2", {}, "What if"));
  if (!instances.length) return card;
  const inst = select("instance", instances.map(([i]) => i));
  const item = el("select", { name: "item" });
  const fill = () => {
    const proc = instances.find(([i]) => i === inst.value)[1];
    clear(item);
    const seen = new Set();
    for (const x of proc.items) if (!seen.has(x.id)) { seen.add(x.id); item.appendChild(el("option", { value: x.id }, x.id + " " + x.label)); }
    for (const a of [...new Set(proc.items.map(x => x.attribute))]) if (!seen.has(a)) item.appendChild(el("option", { value: a }, a));
  };
  inst.addEventListener("change", fill);
  fill();
  const value = select("value", sheet.values, sheet.values[sheet.values.length - 1]);
  const listed = el("ul", { class: "changes" });
  const result = el("div", { class: "what-if-result", "aria-live": "polite" });
  const run = async () => {
    clear(listed);
    for (const c of changes) listed.appendChild(el("li", {}, c.instance + " " + c.item + " = " + c.value));
    clear(result);
    if (!changes.length) return;
    try {
      const r = await tracked(api("POST", "/api/assessments/" + enc(id) + "/what-if", { ratings: changes }));
      result.appendChild(el("p", { id: "what-if-changes" }, r.changes.length ? r.changes.map(c =>
        (c.subject === "maturity" ? "maturity level " : c.subject + ": capability level ") + c.before + " → " + c.after).join("; ")
        : "No capability or maturity level changes."));
      result.appendChild(profileTable(r.profile, false));
    } catch (e) {
      changes.pop();
      result.appendChild(el("p", { class: "error", role: "alert" }, errorText(e)));
    }
  };
  card.appendChild(el("p", { class: "help" }, "Try ratings that are not recorded: the profile below is what they would give. Nothing is written."));
  card.appendChild(el("div", { class: "inline" }, field("Instance", inst), field("Item", item), field("Value", value),
    el("button", { type: "button", id: "what-if-add", onclick: () => { changes.push({ instance: inst.value, item: item.value, value: value.value }); run(); } }, "Try"),
    el("button", { type: "button", class: "secondary", onclick: () => { changes.length = 0; run(); } }, "Clear")));
  card.appendChild(listed);
  card.appendChild(result);
  return card;
}

// ---- checks, log, report --------------------------------------------------

async function screenChecks(main, id) {
  const report = await api("GET", "/api/assessments/" + enc(id) + "/checks");
  main.appendChild(el("h1", {}, "Checks"));
  main.appendChild(el("p", { class: report.passed ? "ok" : "error", id: "checks-summary" },
    report.passed ? "Passed: " : "Failed: ", report.errors + " errors, " + (report.findings.length - report.errors) + " warnings and notes"));
  const table = el("table", { class: "list" }, el("thead", {}, el("tr", {},
    ["Severity", "Check", "Where", "Message"].map(h => el("th", { scope: "col" }, h)))));
  const body = el("tbody");
  for (const f of report.findings) {
    const where = f.instance && f.item
      ? el("a", { href: "#/a/" + enc(id) + "/grid?p=" + enc(f.process) + "&i=" + enc(f.instance) + "&x=" + enc(f.item) }, f.instance + " " + f.item)
      : (f.process || "");
    body.appendChild(el("tr", { class: "sev-" + f.severity }, el("td", {}, f.severity), el("td", {}, f.check),
      el("td", {}, where), el("td", {}, f.message)));
  }
  table.appendChild(body);
  main.appendChild(table);
}

async function screenLog(main) {
  main.appendChild(el("h1", {}, "The log"));
  main.appendChild(el("p", {}, "Every write is an event in one hash-chained log. Verifying walks the chain and compares every record with the event that wrote it."));
  const out = el("div", { id: "verify-result", "aria-live": "polite" });
  main.appendChild(el("button", { type: "button", id: "verify", onclick: async () => {
    clear(out).appendChild(el("p", {}, "Verifying…"));
    const v = await api("GET", "/api/log/verify");
    clear(out).appendChild(el("p", { class: v.ok ? "ok" : "error" }, v.ok ? "The log verifies." : v.message));
    out.appendChild(el("dl", {}, [["Events", v.events], ["Records compared", v.records], ["Head", v.head_seq + " " + v.head_hash],
      ["First bad event", v.first_bad_event || "none"]].map(([k, x]) => [el("dt", {}, k), el("dd", {}, String(x))])));
  } }, "Verify the log"));
  main.appendChild(out);
}

function screenReport(main, id) {
  main.appendChild(el("h1", {}, "Assessment report"));
  main.appendChild(el("p", {}, "The report as assay report writes it, as of the head of the log."));
  const base = "/api/assessments/" + enc(id) + "/report.";
  main.appendChild(el("p", { class: "downloads" },
    el("a", { class: "button", id: "report-pdf", href: base + "pdf", download: id + "-report.pdf" }, "Download PDF"), " ",
    el("a", { class: "button secondary", id: "report-json", href: base + "json", download: id + "-report.json" }, "Download JSON")));
}

// ---- session --------------------------------------------------------------

async function loadSession() {
  const s = await api("GET", "/api/session");
  state.csrf = s.csrf;
  state.actor = s.actor;
  state.people = s.people;
  state.accounts = !!s.accounts;
  const box = clear(document.getElementById("actor-box"));
  if (state.accounts) {
    // Signed in: the account is the actor of every event; no choice here.
    box.appendChild(el("span", { id: "signed-in" }, "Signed in as ", el("strong", {}, s.actor),
      s.roles && s.roles.length ? " (" + s.roles.join(", ") + ")" : ""));
    box.appendChild(el("button", { type: "button", id: "logout", class: "secondary", onclick: logout }, "Sign out"));
    return;
  }
  const sel = el("select", { id: "actor", "aria-label": "Acting person (recorded in the log)" });
  box.appendChild(el("label", { class: "actor" }, "Acting as ", sel));
  sel.appendChild(el("option", { value: "" }, "choose…"));
  for (const p of s.people) sel.appendChild(el("option", { value: p.id, selected: p.id === s.actor }, p.id + (p.name && p.name !== p.id ? " " + p.name : "")));
  sel.addEventListener("change", async (ev) => {
    try {
      const r = await api("PUT", "/api/session", { actor: ev.target.value });
      state.actor = r.actor;
      say("Acting as " + r.actor + ": your ratings and writes are recorded under this name.", "ok");
      render();
    } catch (e) {
      say(errorText(e), "error");
    }
  });
}

async function logout() {
  await tracked(api("POST", "/api/logout", {}).catch(() => ({})));
  location.hash = "#/";
  location.reload();
}

// The sign-in form of a workspace with accounts (docs/ACCOUNTS.md).
function screenLogin() {
  clear(document.getElementById("nav"));
  const msg = el("p", { class: "form-msg", role: "alert", id: "login-error" });
  const user = el("input", { name: "user", id: "login-user", autocomplete: "username", required: true });
  const password = el("input", { name: "password", id: "login-password", type: "password", autocomplete: "current-password", required: true });
  const f = el("form", { class: "card login", id: "login" },
    el("h1", {}, "Sign in"),
    el("p", {}, "This workspace has accounts: sign in with your user and password."),
    field("User", user), field("Password", password),
    el("button", { type: "submit" }, "Sign in"), msg);
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await tracked((async () => {
        await api("POST", "/api/login", { user: user.value, password: password.value });
        password.value = "";
        await loadSession();
        window.addEventListener("hashchange", () => { clear(document.getElementById("status")); render(); });
        await render();
      })());
    } catch (e) {
      password.value = "";
      msg.textContent = errorText(e);
    }
  });
  clear(document.getElementById("main")).appendChild(f);
  document.body.dataset.busy = "0";
  user.focus();
}

async function start() {
  try {
    await loadSession();
  } catch (e) {
    if (e && e.httpStatus === 401 && e.error && e.error.reason === "login") {
      screenLogin();
      return;
    }
    say(errorText(e), "error");
    return;
  }
  window.addEventListener("hashchange", () => { clear(document.getElementById("status")); render(); });
  render();
}

document.addEventListener("DOMContentLoaded", start);
