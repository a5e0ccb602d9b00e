// Pantau officers' console. Every text from the server is set with textContent, never parsed as HTML.
"use strict";

const BASE = "/console";
const SEVERITY_ORDER = ["critical", "high", "medium", "low"];
let strings = {};
let lang = "en";
let csrf = null;

function t(key) {
  return (strings[lang] && strings[lang][key]) || (strings.en && strings.en[key]) || key;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child ?? "")));
  }
  return node;
}

function cookie(name) {
  for (const part of document.cookie.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

async function loadStrings() {
  const response = await fetch(`${BASE}/static/strings.json`);
  strings = await response.json();
  const chosen = localStorage.getItem("pantau.lang");
  lang = chosen || ((navigator.language || "en").toLowerCase().startsWith("id") ? "id" : "en");
  applyStrings();
  const toggle = document.getElementById("lang-switch");
  if (toggle) {
    toggle.addEventListener("click", () => {
      lang = lang === "id" ? "en" : "id";
      localStorage.setItem("pantau.lang", lang);
      applyStrings();
      document.dispatchEvent(new Event("pantau:lang"));
    });
  }
}

function applyStrings() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  const toggle = document.getElementById("lang-switch");
  if (toggle) toggle.textContent = t("language");
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    if (csrf) headers["X-CSRF-Token"] = csrf;
  }
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 401 && document.body.dataset.page !== "login") {
    window.location.assign(`${BASE}/login`);
    throw new Error("not logged in");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleString(lang === "id" ? "id-ID" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function severityBadge(severity) {
  return el("span", { class: `sev sev-${severity}`, "data-severity": severity }, t(severity));
}

async function session() {
  const me = await api("GET", "/api/me");
  csrf = me.csrf;
  const officer = document.getElementById("officer");
  if (officer) officer.textContent = me.officer;
  const logout = document.getElementById("logout");
  if (logout) {
    logout.addEventListener("click", async () => {
      await api("POST", "/logout").catch(() => null);
      window.location.assign(`${BASE}/login`);
    });
  }
  return me;
}

// -- login ---------------------------------------------------------------------------------------------------

function loginPage() {
  const form = document.getElementById("login-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    csrf = cookie("pantau_login_csrf");
    const error = document.getElementById("login-error");
    error.textContent = "";
    try {
      await api("POST", "/login", { name: form.elements.name.value, password: form.elements.password.value });
      window.location.assign(`${BASE}/`);
    } catch (exc) {
      error.textContent = exc.message === "wrong name or password" ? t("login_failed") : exc.message;
    }
  });
}

// -- the live list -------------------------------------------------------------------------------------------

const incidents = new Map();
let facets = { severities: [], types: [], countries: [], states: [] };

function filterValues() {
  const form = document.getElementById("filters");
  return {
    severity: form.elements.severity.value,
    type: form.elements.type.value,
    country: form.elements.country.value,
    state: form.elements.state.value,
  };
}

function fillSelect(select, values, label) {
  const current = select.value;
  select.replaceChildren(el("option", { value: "" }, t("all")));
  for (const value of values) select.append(el("option", { value }, label ? label(value) : value));
  select.value = values.includes(current) ? current : "";
}

function renderFilters() {
  const form = document.getElementById("filters");
  fillSelect(form.elements.severity, facets.severities, t);
  fillSelect(form.elements.type, facets.types);
  fillSelect(form.elements.country, facets.countries);
  fillSelect(form.elements.state, facets.states, t);
}

function admitted(incident, f) {
  return (
    (!f.severity || incident.severity === f.severity) &&
    (!f.type || incident.type.code === f.type) &&
    (!f.country || incident.countries.includes(f.country)) &&
    (!f.state || incident.state === f.state)
  );
}

function renderList(fresh) {
  const f = filterValues();
  const rows = [...incidents.values()]
    .filter((i) => admitted(i, f))
    .sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
        b.updated.localeCompare(a.updated) ||
        a.incident_id.localeCompare(b.incident_id),
    );
  const body = document.querySelector("#incidents tbody");
  body.replaceChildren(
    ...rows.map((i) => {
      const link = el("a", { href: `${BASE}/incidents/${encodeURIComponent(i.incident_id)}` }, i.title);
      const row = el(
        "tr",
        { "data-incident": i.incident_id, class: fresh === i.incident_id ? "new" : "" },
        el("td", {}, severityBadge(i.severity)),
        el("td", {}, link),
        el("td", {}, i.type.label),
        el("td", {}, i.countries.join(", ")),
        el("td", {}, i.posts),
        el("td", { "data-state": i.state }, t(i.state)),
        el("td", {}, when(i.updated)),
      );
      return row;
    }),
  );
  document.getElementById("status").textContent = rows.length ? "" : t("none");
}

function setLive(on) {
  const badge = document.getElementById("live");
  badge.textContent = on ? t("live") : t("offline");
  badge.classList.toggle("off", !on);
}

async function listPage() {
  await session();
  const data = await api("GET", "/api/incidents");
  facets = data.facets;
  for (const incident of data.incidents) incidents.set(incident.incident_id, incident);
  renderFilters();
  renderList();
  if (!data.caught_up) document.getElementById("status").textContent = t("loading");
  document.getElementById("filters").addEventListener("change", () => renderList());
  document.addEventListener("pantau:lang", () => {
    renderFilters();
    renderList();
    setLive(true);
  });
  const events = new EventSource(`${BASE}/api/events`);
  events.addEventListener("open", () => setLive(true));
  events.addEventListener("error", () => setLive(false));
  events.addEventListener("incident", (event) => {
    const incident = JSON.parse(event.data);
    incidents.set(incident.incident_id, incident);
    for (const [key, values] of [["types", incident.type.code], ["countries", incident.countries]]) {
      for (const value of [].concat(values)) if (!facets[key].includes(value)) facets[key].push(value);
      facets[key].sort();
    }
    renderFilters();
    renderList(incident.incident_id);
  });
}

// -- one incident --------------------------------------------------------------------------------------------

function drawChart(svg, points) {
  const ns = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  if (!points.length) return;
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  const pad = 24;
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - t0);
  const top = Math.max(1, ...points.map((p) => p.posts));
  const xy = points.map((p, i) => [
    pad + ((times[i] - t0) / span) * (width - 2 * pad),
    height - pad - (p.posts / top) * (height - 2 * pad),
  ]);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "));
  svg.append(line);
  for (const [x, y] of xy) {
    const dot = document.createElementNS(ns, "circle");
    dot.setAttribute("cx", x.toFixed(1));
    dot.setAttribute("cy", y.toFixed(1));
    dot.setAttribute("r", "3");
    svg.append(dot);
  }
  const label = document.createElementNS(ns, "text");
  label.setAttribute("x", "4");
  label.setAttribute("y", "12");
  label.textContent = `${top} ${t("posts")}`;
  svg.append(label);
  svg.setAttribute("aria-label", `${t("timeline")}: ${points.map((p) => p.posts).join(", ")}`);
}

function renderIncident(d) {
  document.title = `Pantau · ${d.title}`;
  document.getElementById("title").textContent = d.title;
  document.getElementById("severity").replaceWith(
    Object.assign(severityBadge(d.severity), { id: "severity" }),
  );
  document.getElementById("type").textContent = `${d.type.label} (${d.type.code})`;
  document.getElementById("state").textContent = t(d.state);
  document.getElementById("state").dataset.state = d.state;
  document.getElementById("confidence").textContent = `${Math.round(d.confidence * 100)}%`;
  document.getElementById("countries").textContent = d.countries.join(", ");
  document.getElementById("languages").textContent = d.languages.join(", ");
  document.getElementById("first-seen").textContent = when(d.first_seen);
  document.getElementById("updated").textContent = when(d.updated);
  document.getElementById("reason").textContent = d.reason;
  drawChart(document.getElementById("chart"), d.timeline);
  document.getElementById("terms").replaceChildren(
    ...d.terms.map((term) => el("li", {}, el("b", {}, term.term), ` ${t("score")} ${term.score}`)),
  );
  document.getElementById("samples").replaceChildren(
    ...d.samples.map((s) => {
      const source = /^https?:\/\//i.test(s.source || "")
        ? el("a", { href: s.source, rel: "noopener noreferrer nofollow", target: "_blank" }, t("open_link"))
        : el("span", { class: "muted" }, s.source || "");
      return el("li", { "data-post": s.id }, el("q", { class: "sample-text" }, s.text), " ", source, " ",
        el("span", { class: "muted" }, `${when(s.ts)} · ${s.source_kind}${s.lang ? " · " + s.lang : ""}`));
    }),
  );
  document.getElementById("judgements").replaceChildren(
    ...(d.judgements.length
      ? d.judgements.map((j) =>
          el("li", { "data-label": j.label }, el("b", {}, j.by), ` ${t("label_" + j.label)} · ${when(j.at)}`,
            j.comment ? el("span", {}, ` — ${j.comment}`) : ""),
        )
      : [el("li", { class: "muted" }, t("nobody"))]),
  );
  document.querySelector("#history tbody").replaceChildren(
    ...d.history.map((r) =>
      el("tr", {}, el("td", {}, `#${r.seq}`), el("td", {}, r.kind), el("td", {}, when(r.at)),
        el("td", {}, severityBadge(r.severity)), el("td", {}, `${r.posts} ${t("posts")}`), el("td", {}, r.reason)),
    ),
  );
}

async function incidentPage() {
  await session();
  const id = decodeURIComponent(window.location.pathname.split("/").pop());
  const path = `/api/incidents/${encodeURIComponent(id)}`;
  let detail = await api("GET", path);
  renderIncident(detail);
  document.addEventListener("pantau:lang", () => renderIncident(detail));
  const status = document.getElementById("action-status");
  for (const button of document.querySelectorAll("button[data-label]")) {
    button.addEventListener("click", async () => {
      const comment = document.getElementById("comment").value.trim();
      status.textContent = "";
      try {
        await api("POST", `${path}/feedback`, { label: button.dataset.label, comment: comment || null });
        status.textContent = t("recorded");
        status.dataset.outcome = "recorded";
        document.getElementById("comment").value = "";
      } catch (exc) {
        status.textContent = `${t("failed")}: ${exc.message}`;
        status.dataset.outcome = "failed";
      }
    });
  }
  // The page follows its incident: new records and labels as the topics have them.
  const events = new EventSource(`${BASE}/api/events`);
  events.addEventListener("incident", async (event) => {
    if (JSON.parse(event.data).incident_id !== id) return;
    detail = await api("GET", path);
    renderIncident(detail);
  });
}

document.addEventListener("DOMContentLoaded", async () => {
  await loadStrings();
  const page = document.body.dataset.page;
  if (page === "login") loginPage();
  else if (page === "list") await listPage();
  else if (page === "incident") await incidentPage();
});
