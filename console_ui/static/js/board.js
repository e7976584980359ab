// An agency's board for its dispatchers' wall screen: active incidents with acknowledgement
// timers, and the agency's units with their status; live over /ws/agencies/{agency}.
import { roleText, signIn } from "./auth.js";
import { serverNow } from "./api.js";
import { showConnection } from "./connection.js";
import { $, busy, clock, coordText, h, timeOfDay } from "./dom.js";
import { agencyLabel, categoryLabel, getLang, setLang, t } from "./i18n.js";
import { KeyedList } from "./keyed.js";
import { LiveFeed, LiveStore } from "./live.js";
import { reportDetails, timeInStatus } from "./board_details.js";
import { RowSelection } from "./board_select.js";
import { mountRecord } from "./record.js";
import { AGENCY_SHAPES, CityMap } from "./map.js";
import { secondsSince } from "./timers.js";
import { renderUnitsBar } from "./units.js";

const agency = decodeURIComponent(window.location.pathname.split("/").pop());
// Acknowledgement deadlines by priority, as in dispatch/routing/rules.toml ([ack_timeout_s]);
// the server's watchdog decides escalation, this only colours the timer before it does.
const ACK_DEADLINE_S = { P1: 60, P2: 120, P3: 300, P4: 900 };
const NEXT_STATUS = {
  available: ["out_of_service"],
  dispatched: ["en_route", "on_scene", "available"],
  en_route: ["on_scene", "available"],
  on_scene: ["transporting", "available"],
  transporting: ["at_hospital", "available"],
  at_hospital: ["available"],
  out_of_service: ["available"],
};
const STALE_POSITION_S = 15 * 60;

const { api, me } = await signIn({
  refuse: (who) =>
    who.agency && who.agency !== agency
      ? t("login_wrong_board", { role: roleText(who), agency: agencyLabel(agency) })
      : null,
});
const store = new LiveStore();
const toast = (text, kind = "info") => {
  const el = $("#toast");
  el.textContent = text;
  el.className = `toast ${kind}`;
  el.hidden = false;
  setTimeout(() => (el.hidden = true), kind === "error" ? 10000 : 4000);
};

function title() {
  document.title = `SIAGA 112 · ${agencyLabel(agency)}`;
  $("#board-title").textContent = t("board_title", { agency: agencyLabel(agency) });
  $("#who").textContent = roleText(me);
}

function routing(incident) {
  return incident.agencies.find((a) => a.agency === agency) || {};
}

function ackOrder(a, b) {
  const pending = (i) => (routing(i).acknowledged_at ? 1 : 0);
  return (
    pending(a) - pending(b) ||
    a.priority.localeCompare(b.priority) ||
    Date.parse(a.received_at) - Date.parse(b.received_at)
  );
}

function ackTimer(incident) {
  const waited = secondsSince(routing(incident).routed_at || incident.received_at);
  const deadline = ACK_DEADLINE_S[incident.priority] || 120;
  const escalated = incident.escalations.includes("not_acknowledged");
  const level =
    escalated || waited >= deadline ? "late" : waited >= deadline * 0.75 ? "warn" : "ok";
  const icon = { late: "‼", warn: "⚠", ok: "◷" }[level];
  return h(
    "span",
    { class: `ack-timer ack-${level}`, title: `${deadline} s` },
    `${icon} ${t("not_acknowledged")} ${clock(waited)}`,
  );
}

function ackCell(incident) {
  if (routing(incident).acknowledged_at) {
    return h("span", { class: "ack-done" }, `✓ ${t("acknowledged")}`);
  }
  return [
    ackTimer(incident),
    " ",
    h(
      "button",
      {
        type: "button",
        class: "primary",
        dataset: { key: `ack-${incident.id}` },
        onclick: (e) => acknowledge(incident, e.currentTarget),
      },
      t("acknowledge"),
    ),
  ];
}

function ageBadge(incident) {
  return h("span", { class: "age-clock" }, `◷ ${clock(secondsSince(incident.received_at))}`);
}

function positionText(unit) {
  const age = unit.location_at ? secondsSince(unit.location_at) : null;
  return age === null ? t("no_position") : `◎ ${t("last_position", { age: clock(age) })}`;
}

function incidentRow(incident) {
  const units = incident.units.map((u) => {
    const unit = store.units.get(u.unit_id);
    return h("div", {}, `${u.callsign || "?"}${unit ? ` · ${t(`unit_${unit.status}`)}` : ""}`);
  });
  const place = incident.place;
  return [
    h("td", {}, h("span", { class: `chip prio prio-${incident.priority}` }, incident.priority)),
    h(
      "td",
      {},
      h("div", { class: "num nowrap" }, incident.number),
      h("div", {}, categoryLabel(incident.category.code)),
      h("span", { class: `chip status-${incident.status}` }, t(`status_${incident.status}`)),
      incident.escalations.length ? h("div", { class: "escalation" }, `▲ ${t("escalated")}`) : null,
      reportDetails(incident),
    ),
    h(
      "td",
      {},
      place?.kelurahan || place?.kecamatan || t("place_unknown"),
      h(
        "div",
        { class: "small-text muted" },
        [place?.kelurahan ? `Kec. ${place.kecamatan}` : "", incident.address_text || ""]
          .filter(Boolean)
          .join(" · "),
      ),
      incident.location
        ? h("div", { class: "small-text muted coords" }, `◎ ${coordText(incident.location)}`)
        : null,
    ),
    h("td", { class: "age" }, ageBadge(incident)),
    h("td", { class: "ack" }, ackCell(incident)),
    h("td", {}, units.length ? units : "–"),
  ];
}

function unitRow(unit) {
  const incident = unit.incident_id ? store.incidents.get(unit.incident_id) : null;
  const age = unit.location_at ? secondsSince(unit.location_at) : null;
  const choices = NEXT_STATUS[unit.status] || [];
  const picker = h(
    "select",
    { "aria-label": `${t("set_status")} ${unit.callsign}`, dataset: { key: `status-${unit.id}` } },
    choices.map((s) => h("option", { value: s }, t(`unit_${s}`))),
  );
  return [
    h(
      "td",
      {},
      h(
        "div",
        { class: "nowrap unit-name" },
        h(
          "span",
          { class: `glyph ${unit.agency}`, "aria-hidden": "true" },
          AGENCY_SHAPES[unit.agency]?.glyph || "•",
        ),
        ` ${unit.callsign}`,
      ),
      h("div", { class: "small-text muted" }, t(`utype_${unit.unit_type}`)),
      h(
        "div",
        { class: `position small-text ${age !== null && age > STALE_POSITION_S ? "stale" : ""}` },
        positionText(unit),
      ),
    ),
    h(
      "td",
      {},
      h("span", { class: `chip unit-${unit.status}` }, t(`unit_${unit.status}`)),
      timeInStatus(unit),
      incident ? h("div", { class: "small-text" }, `→ ${incident.number.slice(-4)}`) : null,
    ),
    h(
      "td",
      { class: "nowrap" },
      choices.length
        ? [
            picker,
            " ",
            h(
              "button",
              {
                type: "button",
                class: "small",
                "aria-label": t("set_status"),
                dataset: { key: `set-${unit.id}` },
                onclick: (e) => setStatus(unit, picker.value, e.currentTarget),
              },
              "✓",
            ),
          ]
        : null,
    ),
  ];
}

async function acknowledge(incident, button) {
  try {
    const updated = await busy(button, () =>
      api.post(`/api/incidents/${incident.id}/acknowledge`, { expected_version: incident.version }),
    );
    store.applyIncident(updated);
    toast(`✓ ${updated.number} ${t("acknowledged")}`);
  } catch (error) {
    if (error.current) store.applyIncident(error.current);
    toast(`⚠ ${incident.number}: ${error.describe ? error.describe() : error}`, "error");
  }
}

async function setStatus(unit, status, button) {
  try {
    const updated = await busy(button, () =>
      api.post(`/api/units/${unit.id}/status`, { status, expected_version: unit.version }),
    );
    store.applyUnit(updated);
    toast(`✓ ${updated.callsign}: ${t(`unit_${updated.status}`)}`);
  } catch (error) {
    if (error.current) store.applyUnit(error.current);
    toast(`⚠ ${unit.callsign}: ${error.describe ? error.describe() : error}`, "error");
  }
}

const selection = new RowSelection($("#incidents tbody"), {
  onSelect: (id) => map.select(id),
  onAcknowledge: (id, button) => {
    const incident = store.incidents.get(id);
    if (incident) acknowledge(incident, button);
  },
});
const map = new CityMap($("#board-map"), { onSelectIncident: (id) => selection.select(id) });
map.load(api);

const incidents = new KeyedList($("#incidents tbody"), incidentRow, "tr");
const units = new KeyedList($("#units tbody"), unitRow, "tr");

function render(force = false) {
  const active = [...store.incidents.values()]
    .filter((i) => i.agencies.some((a) => a.agency === agency))
    .sort(ackOrder);
  const own = [...store.units.values()]
    .filter((u) => u.agency === agency)
    .sort(
      (a, b) =>
        (a.status === "available") - (b.status === "available") ||
        a.callsign.localeCompare(b.callsign),
    );
  incidents.update(active, force);
  units.update(own, force);
  for (const row of $("#incidents tbody").children) {
    const incident = store.incidents.get(row.dataset.id);
    row.className = incident && !routing(incident).acknowledged_at ? "unacked" : "";
    if (incident?.escalations.length) row.classList.add("escalated");
  }
  map.setIncidents(active);
  map.setUnits(own);
  map.select(selection.refresh());
  $("#incident-count").textContent = `(${active.length})`;
  $("#unit-count").textContent =
    `(${own.filter((u) => u.status === "available").length}/${own.length} ${t("unit_available")})`;
  $("#incidents-empty").hidden = active.length > 0;
  renderUnitsBar({ units: new Map(own.map((u) => [u.id, u])) });
}

let pending = false;
store.subscribe(() => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    render();
  });
});
/** Timers and position ages move every second without rebuilding rows (focus stays put). */
function tick() {
  for (const row of $("#incidents tbody").children) {
    const incident = store.incidents.get(row.dataset.id);
    if (!incident) continue;
    row.querySelector(".age-clock")?.replaceWith(ageBadge(incident));
    row.querySelector(".ack-timer")?.replaceWith(ackTimer(incident));
  }
  for (const row of $("#units tbody").children) {
    const unit = store.units.get(row.dataset.id);
    const cell = row.querySelector(".position");
    if (unit && cell) cell.textContent = positionText(unit);
    if (unit) row.querySelector(".bd-in-status")?.replaceWith(timeInStatus(unit));
  }
}

setInterval(() => {
  tick();
  $("#clock").textContent = timeOfDay(new Date(serverNow()).toISOString());
}, 1000);

const feed = new LiveFeed({
  path: `/ws/agencies/${agency}`,
  token: api.token,
  store,
  poll: async () => {
    const [found, fleet] = await Promise.all([
      api.get(`/api/incidents?agency=${agency}&limit=1000`),
      api.get(`/api/units?agency=${agency}`),
    ]);
    return { incidents: found.incidents, units: fleet.units, position: found.position };
  },
  onState: (state, position) => showConnection($("#conn"), state, position),
  onUnauthenticated: () => api.onUnauthenticated?.(),
});
showConnection($("#conn"), "connecting", null);
window.addEventListener("langchange", () => {
  title();
  render(true);
  showConnection($("#conn"), feed.state, store.position);
});
document.addEventListener("keydown", (event) => {
  if (event.altKey && (event.key === "l" || event.key === "L")) {
    event.preventDefault();
    setLang(getLang() === "id" ? "en" : "id");
  }
});
$("#lang").addEventListener("click", () => setLang(getLang() === "id" ? "en" : "id"));
title();
render();
mountRecord(api, agency, toast);
feed.start();
