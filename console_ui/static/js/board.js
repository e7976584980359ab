// An agency's board for its dispatchers' wall screen: active incidents with acknowledgement
// timers, and the agency's units with their status; live over /ws/agencies/{agency}.
import { roleText, signIn } from "./auth.js";
import { serverNow } from "./api.js";
import { showConnection } from "./connection.js";
import { $, busy, timeOfDay } from "./dom.js";
import { agencyLabel, getLang, setLang, t } from "./i18n.js";
import { KeyedList } from "./keyed.js";
import { LiveFeed, LiveStore } from "./live.js";
import { timeInStatus } from "./board_details.js";
import { boardRows } from "./board_rows.js";
import { RowSelection } from "./board_select.js";
import { mountRecord } from "./record.js";
import { CityMap } from "./map.js";
import { renderUnitsBar } from "./units.js";

const agency = decodeURIComponent(window.location.pathname.split("/").pop());
const { api, me } = await signIn({
  refuse: (who) =>
    who.agency && who.agency !== agency
      ? t("login_wrong_board", { role: roleText(who), agency: agencyLabel(agency) })
      : null,
});
const store = new LiveStore();
const { routing, ackOrder, ackTimer, ageBadge, positionText, incidentRow, unitRow } = boardRows({
  agency,
  store,
  acknowledge,
  setStatus,
});
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
