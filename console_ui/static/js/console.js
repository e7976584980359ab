// The call-taker's console: login, then intake, map, live queue, verification, detail.
import { roleText, signIn } from "./auth.js";
import { $, clock, h } from "./dom.js";
import { IncidentDetail } from "./detail.js";
import { getLang, setLang, t } from "./i18n.js";
import { IntakeForm } from "./intake.js";
import { LiveFeed, LiveStore } from "./live.js";
import { CityMap } from "./map.js";
import { Queues } from "./queue.js";
import { ResultPanel } from "./result.js";
import { renderUnitsBar } from "./units.js";
import { Verification } from "./verify.js";
import { showConnection } from "./connection.js";
import { Alerts, showNeedsAction } from "./alerts.js";

const { api, me } = await signIn();
if (me.agency) window.location.replace(`/board/${me.agency}`); // agencies have their own board
const store = new LiveStore();
const toast = notifier($("#toast"));

$("#who").textContent = roleText(me);
// When the control that opened a dialog is gone (its incident left the queue): the queue's
// first item (what needs a person next), else the intake form.
const usefulFocus = () => queues.focusFirst() || $("#f-category").focus();
const detail = new IncidentDetail({ api, store, me, fallbackFocus: usefulFocus });
const map = new CityMap($("#map"), {
  onPick: (lat, lon) => intake.pick(lat, lon),
  onSelectIncident: (id) => openIncident(id),
});
const intake = new IntakeForm({
  api,
  map,
  onSaved: (answer) => {
    alerts.taken(answer.incident.id);
    store.applyIncident(answer.incident);
    result.show(answer);
    map.focusIncident(answer.incident);
  },
});
const result = new ResultPanel({
  api,
  store,
  notify: toast,
  onRouted: () => {
    call.stop();
    feed.refreshSoon();
  },
});
const verification = new Verification({
  api,
  store,
  notify: toast,
  openDetail: (id) => openIncident(id),
  fallbackFocus: usefulFocus,
});
const alerts = new Alerts({ store, notify: toast });
const queues = new Queues({
  store,
  onOpen: (id) => openIncident(id),
  onVerify: (incident, outcome, button) => verification.decide(incident, outcome, button),
  onCounts: ({ needsAction }) => showNeedsAction(needsAction),
});

const feed = new LiveFeed({
  path: "/ws/console",
  token: api.token,
  store,
  poll: async () => {
    const [incidents, units] = await Promise.all([
      api.get("/api/incidents?limit=1000"),
      api.get("/api/units"),
    ]);
    return { incidents: incidents.incidents, units: units.units, position: incidents.position };
  },
  onState: (state, position) => showConnection($("#conn"), state, position),
  onUnauthenticated: () => api.onUnauthenticated?.(),
});
showConnection($("#conn"), "connecting", null);

let drawPending = false;
store.subscribe(() => {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    map.setIncidents([...store.incidents.values()]);
    map.setUnits([...store.units.values()]);
    renderUnitsBar(store);
  });
});
window.addEventListener("langchange", () => {
  $("#who").textContent = roleText(me);
  renderUnitsBar(store);
  showConnection($("#conn"), feed.state, store.position);
});

// The on-call clock: from F2 until the incident is routed.
const call = {
  started: null,
  timer: null,
  start() {
    this.started = Date.now();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.show(), 1000);
    this.show();
  },
  stop() {
    clearInterval(this.timer);
    this.show();
  },
  show() {
    $("#oncall").textContent = this.started
      ? `☎ ${t("on_call", { time: clock((Date.now() - this.started) / 1000) })}`
      : "";
  },
};

/** The incident at hand: its detail opens and the map zooms to it. */
function openIncident(id) {
  detail.open(id);
  map.focusIncident(store.incidents.get(id));
}

function newReport() {
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  intake.reset();
  result.clear();
  call.start();
}

document.addEventListener("keydown", (event) => {
  if (event.key === "F2") {
    event.preventDefault();
    newReport();
  } else if (
    event.key === "Enter" &&
    event.ctrlKey &&
    $("#intake-form").contains(document.activeElement)
  ) {
    event.preventDefault();
    $("#intake-form").requestSubmit();
  } else if (event.key === "F8" || event.key === "F9") {
    event.preventDefault();
    queues.focusQueue(event.key === "F9" ? "verify" : "queue");
  } else if (event.altKey && (event.key === "l" || event.key === "L")) {
    event.preventDefault();
    setLang(getLang() === "id" ? "en" : "id");
  }
});
$("#lang").addEventListener("click", () => setLang(getLang() === "id" ? "en" : "id"));
$("#map-zoom-in").addEventListener("click", () => map.zoom(0.66));
$("#map-zoom-out").addEventListener("click", () => map.zoom(1.5));
$("#map-reset").addEventListener("click", () => map.reset());

// The map layers may fail to load (the link dropped): keep retrying, backing off to 30 s.
function loadMap(retryMs = 2000) {
  map.load(api).then((ok) => {
    const notice = $("#map-notice");
    notice.hidden = ok;
    notice.dataset.i18n = "map_unavailable";
    notice.textContent = t("map_unavailable");
    $("#map-attribution").title = map.attribution || ""; // the text is the translated credit
    intake.showLocation();
    if (!ok) setTimeout(() => loadMap(Math.min(retryMs * 2, 30_000)), retryMs);
  });
}
loadMap();
feed.start();
queues.update();
intake.reset(); // ready for the first call; the on-call clock starts with F2

function notifier(el) {
  let timer = null;
  return (text, kind = "info") => {
    el.replaceChildren(h("span", {}, text));
    el.className = `toast ${kind}`;
    el.hidden = false;
    clearTimeout(timer);
    timer = setTimeout(() => (el.hidden = true), kind === "error" ? 10000 : 4000);
  };
}
