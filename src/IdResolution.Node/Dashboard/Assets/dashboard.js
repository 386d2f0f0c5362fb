// The operators' dashboard: signs in with the node's accounts, then reads the node's status every second
// from /dashboard/live (server-sent events read with fetch, so the token travels in the Authorization
// header, never in a URL), and reconnects by itself when the connection drops.
import { drawChart } from "./charts.js";

const TOKEN_KEY = "idres.dashboard.token";
const SILENCE_MS = 5000;   // the node sends every second; this long without a word means the connection is gone
const MAX_BACKOFF_MS = 5000;
const STATES = {
  up: "● up", down: "✕ down", degraded: "▲ degraded", not_configured: "– not configured", unknown: "? unknown",
  suspended: "‖ suspended", late: "▲ late",
  Healthy: "● Healthy", Degraded: "▲ Degraded", Unhealthy: "✕ Unhealthy",
};

const $ = (id) => document.getElementById(id);
const history = { step: 5, points: [] };
let session = null;

function number(value, digits = 0) {
  const n = Number(value ?? 0);
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function duration(seconds) {
  const s = Math.round(Number(seconds ?? 0));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

function time(value) {
  if (!value) return "–";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || date.getTime() <= 0 ? "–" : date.toLocaleTimeString("en-GB");
}

function stateCell(state) {
  const cell = document.createElement("td");
  cell.className = `state state-${state}`;
  cell.textContent = STATES[state] ?? state;
  return cell;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function fillTable(id, rows, columns, empty) {
  const body = $(id).tBodies[0];
  const fresh = document.createElement("tbody");
  if (rows.length === 0) {
    const tr = fresh.insertRow();
    tr.className = "empty";
    const td = cell(empty);
    td.colSpan = columns;
    tr.appendChild(td);
  }
  for (const row of rows) fresh.appendChild(row);
  body.replaceWith(fresh);
}

function row(cells, attributes = {}) {
  const tr = document.createElement("tr");
  for (const [key, value] of Object.entries(attributes)) tr.setAttribute(key, value);
  for (const c of cells) tr.appendChild(c);
  return tr;
}

function setBadge(id, state, text) {
  const badge = $(id);
  badge.hidden = false;
  badge.className = `badge state-${state}`;
  badge.textContent = text;
}

function showStatus(status) {
  const f = status.figures ?? {};
  $("node-prefix").textContent = status.prefix;
  $("node-role").textContent = status.role;
  $("node-version").textContent = status.version;
  $("as-of").textContent = time(status.asOf);
  $("footer").hidden = false;
  setBadge("health", status.health.toLowerCase(), STATES[status.health] ?? status.health);

  $("resolutions-rate").textContent = number(f.resolutionsPerSecond, 2);
  $("registrations-rate").textContent = number(f.registrationsPerSecond, 2);
  $("p50").textContent = `${number(f.resolveP50Ms, 2)} ms`;
  $("p99").textContent = `${number(f.resolveP99Ms, 2)} ms`;
  $("resolutions-total").textContent = number(f.resolutionsTotal);
  $("registrations-total").textContent = number(f.registrationsTotal);
  $("uptime").textContent = `up ${duration(status.uptimeSeconds)}`;

  fillTable("dependencies", (status.dependencies ?? []).map((d) => row([
    cell(d.name), stateCell(d.state), cell(d.state === "not_configured" ? "–" : `${number(d.latencyMs, 1)} ms`, "number"),
    cell(time(d.since)), cell(d.detail, "detail")], { "data-dependency": d.name })), 5, "not probed yet");

  fillTable("hit-ratios", Object.entries(f.cacheHitRatio ?? {}).map(([tier, ratio]) =>
    row([cell(tier), cell(`${number(ratio * 100, 1)} %`, "number")], { "data-tier": tier })), 2, "no cache lookups yet");

  fillTable("errors", Object.entries(f.errorsByCode ?? {}).sort((a, b) => Number(a[0]) - Number(b[0])).map(([code, count]) =>
    row([cell(code), cell(number(count), "number")], { "data-code": code })), 2, "no errors");

  const fed = status.federation ?? {};
  $("fed-parent").textContent = fed.parent || (status.role === "TopLevel" ? "none (a top level)" : "none configured");
  const parentState = $("fed-parent-state");
  parentState.className = `state state-${fed.parentState}`;
  parentState.textContent = STATES[fed.parentState] ?? fed.parentState;
  $("fed-backlog").textContent = fed.parent ? `${number(fed.filingBacklog)} changes` : "–";
  $("fed-oldest").textContent = fed.parent && Number(fed.filingBacklog) > 0 ? duration(fed.filingOldestSeconds) : "–";
  $("fed-referrals").textContent = `${number(fed.referralCacheEntries)} entries`;

  fillTable("children", (status.children ?? []).map((c) => row([
    cell(c.prefix), cell(c.name), stateCell(c.status), cell(time(c.since)),
    cell(c.lastHeartbeat ? time(c.lastHeartbeat) : "no heartbeats yet"),
    // The node leaves the field out while there is no figure: 0 would read as a child down all month.
    cell(c.availabilityPercent == null ? "no figure yet" : `${number(c.availabilityPercent, 3)} %`, "number availability"),
    cell(c.figures ? `${number(c.figures.resolutionsTotal)} resolutions, ${number(c.figures.registrationsTotal)} registrations, p99 ${number(c.figures.resolveP99Ms, 1)} ms` : "–"),
    reportCell(c)], { "data-child": c.prefix })), 8, "no child nodes admitted");

  fillTable("top-prefixes", (status.topPrefixes ?? []).map((p) =>
    row([cell(p.prefix), cell(number(p.resolutions), "number")], { "data-prefix": p.prefix })), 2, "no resolutions yet");

  fillTable("audit", (status.recentAudit ?? []).map((e) => row([
    cell(time(e.time)), cell(e.who), cell(e.operation), cell(e.target), cell(String(e.responseCode), "number"), cell(e.message, "detail")])),
    6, "no audit events since this instance started");
}

// A link to the child's monthly report; the click handler on the table fetches it, since it needs the token.
function reportCell(child) {
  if (!child.reportUrl) return cell("–");
  const td = document.createElement("td");
  const link = document.createElement("a");
  link.href = child.reportUrl;
  link.className = "report-link";
  link.dataset.report = child.reportUrl;
  link.dataset.child = child.prefix;
  link.textContent = child.reportUrl;
  td.appendChild(link);
  return td;
}

// The report endpoint wants the Bearer token, which never goes into a URL: so the page fetches it with the
// header and shows the answer in its own panel instead of letting the browser navigate to it.
async function showReport(url, child) {
  const panel = $("report");
  panel.hidden = false;
  $("report-node").textContent = child;
  $("report-text").textContent = "loading…";
  try {
    const response = await fetch(url, { headers: { authorization: `Bearer ${session?.token ?? ""}` }, cache: "no-store" });
    const body = await response.json().catch(() => ({}));
    $("report-text").textContent = !response.ok ? `the node refused the report (${response.status}): ${body.message ?? ""}`
      : body.markdown || JSON.stringify(body, null, 2);
  } catch (error) {
    $("report-text").textContent = `the node could not be reached: ${error.message}`;
  }
}

// Whatever escrow instruments the node exports (idres.escrow.*), by name; n/a while it exports none.
function showEscrow(escrow) {
  $("fed-escrow").textContent = !escrow || escrow.length === 0 ? "n/a (the node exports no escrow figures)"
    : escrow.map((e) => `${e.name.replace("idres.escrow.", "")}: ${e.unit === "s" ? duration(e.value) : number(e.value)}`).join(", ");
}

function addPoint(point) {
  if (!point) return;
  const last = history.points[history.points.length - 1];
  if (last && last.time === point.time) return;
  history.points.push(point);
  const cutoff = Date.now() - 3600 * 1000;
  while (history.points.length > 0 && Date.parse(history.points[0].time) < cutoff) history.points.shift();
}

function drawCharts() {
  const times = history.points.map((p) => Date.parse(p.time));
  const pick = (f) => history.points.map(f);
  drawChart($("chart-traffic"), times, [
    { name: "resolutions", values: pick((p) => p.resolutionsPerSecond) },
    { name: "registrations", values: pick((p) => p.registrationsPerSecond) }]);
  drawChart($("chart-latency"), times, [
    { name: "p50", values: pick((p) => p.resolutionsPerSecond > 0 ? p.resolveP50Ms : null) },
    { name: "p99", values: pick((p) => p.resolutionsPerSecond > 0 ? p.resolveP99Ms : null) }]);
  drawChart($("chart-errors"), times, [{ name: "errors", values: pick((p) => p.errorsPerSecond) }]);
  const tiers = [...new Set(history.points.flatMap((p) => Object.keys(p.hitRatio ?? {})))].sort();
  drawChart($("chart-hits"), times, tiers.map((tier) => ({
    name: tier, values: pick((p) => (p.hitRatio && tier in p.hitRatio ? p.hitRatio[tier] * 100 : null)) })), { max: 100 });
}

function handle(frame) {
  let event = "message";
  const data = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  const payload = data.length ? JSON.parse(data.join("\n")) : null;
  if (event === "history") {
    history.step = payload.stepSeconds;
    history.points = payload.points;
    drawCharts();
  } else if (event === "status") {
    showStatus(payload.status);
    showEscrow(payload.escrow);
    addPoint(payload.point);
    drawCharts();
  }
  return event;
}

// One connection: resolves "renew" when the node ends it on purpose, "refused" on 401/403, throws when it drops.
async function stream(token, controller) {
  let silence;
  const arm = () => {
    clearTimeout(silence);
    silence = setTimeout(() => controller.abort(new Error(`no word from the node for ${SILENCE_MS / 1000} s`)), SILENCE_MS);
  };
  arm();
  try {
    const response = await fetch("/dashboard/live", {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" }, cache: "no-store", signal: controller.signal,
    });
    if (response.status === 401 || response.status === 403) {
      const body = await response.json().catch(() => ({}));
      return { outcome: "refused", message: body.message ?? `refused (${response.status})` };
    }
    if (!response.ok) throw new Error(`the node answered ${response.status}`);
    setBadge("live", "up", "● live");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the node closed the connection");
      arm();
      buffer += value.replaceAll("\r\n", "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (handle(frame) === "renew") return { outcome: "renew" };
      }
    }
  } finally {
    clearTimeout(silence);
  }
}

async function watch(current) {
  let attempt = 0;
  while (session === current) {
    try {
      const result = await stream(current.token, current.controller = new AbortController());
      if (result.outcome === "refused") {
        signOut(result.message);
        return;
      }
      attempt = 0;
    } catch (error) {
      if (session !== current) return;
      attempt += 1;
      const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempt, 4));
      setBadge("live", "down", `✕ connection lost (${error?.message ?? error}); reconnecting in ${Math.round(wait / 1000)} s, attempt ${attempt}`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (session === current) setBadge("live", "reconnecting", "▲ reconnecting…");
    }
  }
}

function start(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  $("sign-in").hidden = true;
  $("board").hidden = false;
  $("sign-out").hidden = false;
  setBadge("live", "reconnecting", "▲ connecting…");
  session = { token, controller: null };
  watch(session);
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  session?.controller?.abort();
  session = null;
  $("board").hidden = true;
  $("footer").hidden = true;
  $("sign-out").hidden = true;
  $("live").hidden = true;
  $("health").hidden = true;
  $("report").hidden = true;
  $("report-text").textContent = "";
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message ?? "";
  $("password").value = "";
}

async function signIn(event) {
  event.preventDefault();
  const button = $("sign-in-button");
  button.disabled = true;
  $("sign-in-error").textContent = "";
  try {
    const response = await fetch("/identity/token", {
      method: "POST", headers: { "content-type": "application/json" }, cache: "no-store",
      body: JSON.stringify({ username: $("username").value, password: $("password").value }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.data?.token) {
      $("sign-in-error").textContent = body.message ?? `sign-in refused (${response.status})`;
      return;
    }
    start(body.data.token);
  } catch (error) {
    $("sign-in-error").textContent = `the node could not be reached: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

$("sign-in-form").addEventListener("submit", signIn);
$("sign-out").addEventListener("click", () => signOut(""));
// On the table, not the links: the rows are rebuilt every second.
$("children").addEventListener("click", (event) => {
  const link = event.target.closest("a[data-report]");
  if (!link) return;
  event.preventDefault();
  showReport(link.dataset.report, link.dataset.child);
});
$("report-close").addEventListener("click", () => { $("report").hidden = true; });
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) start(saved);
