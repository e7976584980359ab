// Markers of the city map: agencies' shapes, an incident (labelled only when selected, hovered
// or focused), a cluster of incidents too close to tell apart, a unit with its status in a
// glyph and in words. All are reachable with Tab.
import { h } from "./dom.js";
import { categoryLabel, t } from "./i18n.js";

export const AGENCY_SHAPES = {
  police: { glyph: "■", path: "M-6,-6H6V6H-6Z" },
  fire: { glyph: "▲", path: "M0,-8L7,6H-7Z" },
  medical: { glyph: "✚", path: "M-2.5,-7H2.5V-2.5H7V2.5H2.5V7H-2.5V2.5H-7V-2.5H-2.5Z" },
  bpbd: { glyph: "◆", path: "M0,-8L8,0L0,8L-8,0Z" },
  sar: { glyph: "⬢", path: "M-7,0L-3.5,-6H3.5L7,0L3.5,6H-3.5Z" },
};

// A unit's status as a glyph beside its agency's shape (the title says it in words).
export const STATUS_GLYPHS = {
  available: "✓",
  dispatched: "!",
  en_route: "→",
  on_scene: "◉",
  transporting: "⇢",
  at_hospital: "H",
  out_of_service: "×",
};

export function incidentMarker(map, i) {
  const flagged = i.verification?.pending;
  const selected = i.id === map.selected;
  const name = `${i.priority} ${i.number} · ${categoryLabel(i.category.code)}`;
  const g = map.marker(
    i.location.lat,
    i.location.lon,
    `incident prio-${i.priority}${selected ? " selected" : ""}`,
    [
      selected ? h("svg:circle", { r: 13, class: "selection-ring" }) : null,
      h("svg:circle", { r: 8, class: flagged ? "flagged" : "" }),
      h(
        "svg:text",
        { class: "marker-glyph", y: 4, "aria-hidden": "true" },
        flagged ? "?" : i.priority.slice(1),
      ),
      h(
        "svg:text",
        { class: "marker-label", x: 11, y: 4, "aria-hidden": "true" },
        `${i.priority} ${i.number.slice(-4)}`,
      ),
      h("svg:title", {}, name),
    ],
  );
  g.setAttribute("tabindex", "0");
  g.setAttribute("role", "button");
  const open = (event) => {
    event.stopPropagation();
    map.onSelectIncident(i.id);
  };
  g.addEventListener("click", open);
  g.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(event);
    }
  });
  return g;
}

/** Several incidents too close to tell apart at this zoom: a count; opening it zooms in. */
export function clusterMarker(map, members) {
  const x = members.reduce((sum, m) => sum + m.x, 0) / members.length;
  const y = members.reduce((sum, m) => sum + m.y, 0) / members.length;
  const top = members.map((m) => m.incident.priority).sort()[0];
  const name = t("map_cluster", { n: members.length, priority: top });
  const g = h(
    "svg:g",
    {
      class: `marker scaled cluster prio-${top}`,
      dataset: { x, y },
      tabindex: 0,
      role: "button",
      "aria-label": name,
    },
    h("svg:circle", { r: 12 }),
    h("svg:text", { class: "marker-glyph", y: 4, "aria-hidden": "true" }, String(members.length)),
    h("svg:title", {}, name),
  );
  const open = (event) => {
    event.stopPropagation();
    map.zoom(0.4, x, y);
  };
  g.addEventListener("click", open);
  g.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      open(event);
    }
  });
  return g;
}

/** A unit: its agency's shape, its status as a glyph, and both in words for the title. */
export function unitMarker(map, u) {
  const shape = AGENCY_SHAPES[u.agency] || AGENCY_SHAPES.police;
  const busy = u.status !== "available";
  const name = `${u.callsign} · ${t(`unit_${u.status}`)}`;
  const g = map.marker(
    u.location.lat,
    u.location.lon,
    `unit ${u.agency} ${busy ? "busy" : ""} unit-status-${u.status}`,
    [
      h("svg:path", { d: shape.path }),
      h(
        "svg:text",
        { class: "unit-status-glyph", x: 9, y: -3, "aria-hidden": "true" },
        STATUS_GLYPHS[u.status] || "?",
      ),
      h("svg:title", {}, name),
    ],
  );
  g.setAttribute("tabindex", "0");
  g.setAttribute("role", "img");
  return g;
}
