// The routing advice in words: place, station, the unit that would go and the alternatives.
import { distance, h, minutes } from "./dom.js";
import { t } from "./i18n.js";
import { AGENCY_SHAPES } from "./map.js";

export function placeLine(place) {
  if (!place) return t("loc_none");
  if (!place.inside_jurisdiction) {
    return t("loc_outside", {
      distance: distance(place.distance_outside_m),
      kecamatan: place.kecamatan,
    });
  }
  return t("loc_in", { kelurahan: place.kelurahan ?? "?", kecamatan: place.kecamatan });
}

/** The first recommended unit of each chosen agency (the ones dispatched by the one action). */
export function firstUnits(recommendation, agencies) {
  const units = recommendation?.units || [];
  return agencies.map((a) => units.find((u) => u.agency === a)).filter(Boolean);
}

/** " · Posko III 1.2 km" (the explanation on hover). */
export function stationNote(station) {
  if (!station) return null;
  const text = ` · ${station.name} ${distance(station.distance_m)}`;
  return h("span", { class: "station", title: station.explanation_id }, text);
}

/** The first recommended unit of an agency (the one dispatched) with its ETA, then the others. */
export function unitChoice(agency, units) {
  const [first, ...others] = units.filter((u) => u.agency === agency);
  if (!first) return h("div", { class: "unit-choice warn-text" }, `⚠ ${t("no_units")}`);
  const eta = (u) => t("eta", { eta: minutes(u.eta_s) });
  const glyph = AGENCY_SHAPES[agency]?.glyph || "•";
  return h(
    "div",
    { class: "unit-choice" },
    h("span", { class: `glyph ${agency}`, "aria-hidden": "true" }, glyph),
    h("strong", {}, ` ${first.callsign}`),
    ` ${eta(first)} · ${distance(first.distance_m)}`,
    others.length
      ? h(
          "span",
          { class: "muted" },
          ` · ${others.map((u) => `${u.callsign} ${eta(u)}`).join(", ")}`,
        )
      : null,
  );
}
