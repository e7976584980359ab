// The rows of an agency's board: its incidents (words, place, age, acknowledgement timer and
// button, units) and its units (name, type, position age, status, time in it, next status).
import { reportDetails, timeInStatus } from "./board_details.js";
import { clock, coordText, h } from "./dom.js";
import { categoryLabel, t } from "./i18n.js";
import { AGENCY_SHAPES } from "./map.js";
import { secondsSince } from "./timers.js";

// Acknowledgement deadlines by priority, as in adapters/routing/rules.toml ([ack_timeout_s]);
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

/** Row renderers for one agency's board; acknowledge and setStatus are the board's actions. */
export function boardRows({ agency, store, acknowledge, setStatus }) {
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

  return { routing, ackOrder, ackTimer, ageBadge, positionText, incidentRow, unitRow };
}
