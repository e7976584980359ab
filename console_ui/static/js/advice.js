// The routing advice in words: place, station, the unit that would go and the alternatives.
import { coordText, distance, h, minutes } from "./dom.js";
import { getLang, t } from "./i18n.js";
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

/** "◎ Kel. Sidodadi (Kec. Samarinda Ulu) · -0.48099, 117.14424": the place and its GPS point. */
export function placeParagraph(incident) {
  const outside = incident.place && !incident.place.inside_jurisdiction;
  return h(
    "p",
    { class: `place ${outside ? "outside" : ""}` },
    `◎ ${placeLine(incident.place)}`,
    incident.location
      ? h("span", { class: "muted coords" }, ` · ${coordText(incident.location)}`)
      : null,
  );
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

/** The first recommended unit of an agency (the one dispatched) with its ETA, then the others;
 * an ETA from a station or an old position is marked less certain, with the position's age. */
export function unitChoice(agency, units, notes = []) {
  const [first, ...others] = units.filter((u) => u.agency === agency);
  const note = notes.find((n) => n.agency === agency);
  const noteText = note && (getLang() === "en" ? note.explanation_en : note.explanation_id);
  if (!first) {
    return h("div", { class: "unit-choice warn-text" }, `⚠ ${noteText || t("no_units")}`);
  }
  const eta = (u) => t("eta", { eta: minutes(u.eta_s) }) + (u.eta_certain === false ? "?" : "");
  const glyph = AGENCY_SHAPES[agency]?.glyph || "•";
  return h(
    "div",
    { class: "unit-choice", title: getLang() === "en" ? first.explanation_en : first.explanation_id },
    h("span", { class: `glyph ${agency}`, "aria-hidden": "true" }, glyph),
    h("strong", {}, ` ${first.callsign}`),
    ` ${eta(first)} · ${distance(first.distance_m)}`,
    first.via_bridge ? ` · ${t("via_bridge", { bridge: first.via_bridge })}` : null,
    first.eta_certain === false
      ? h("span", { class: "warn-text eta-uncertain" }, ` · ${positionNote(first)}`)
      : null,
    others.length
      ? h(
          "span",
          { class: "muted" },
          ` · ${others.map((u) => `${u.callsign} ${eta(u)}`).join(", ")}`,
        )
      : null,
    noteText ? h("div", { class: "warn-text" }, `⚠ ${noteText}`) : null,
  );
}

/** "dari pos induk, posisi 2 jam 5 mnt lalu · ETA kurang pasti". */
function positionNote(unit) {
  const where = unit.position_source === "station" ? t("pos_station") : t("pos_last_known");
  const age =
    unit.position_age_s === null || unit.position_age_s === undefined
      ? t("pos_never")
      : t("pos_age", { age: ageText(unit.position_age_s) });
  return `${where}, ${age} · ${t("eta_uncertain")}`;
}

function ageText(seconds) {
  const total = Math.max(0, Math.round(seconds / 60));
  if (total < 60) return t("age_min", { m: total });
  return t("age_hours", { h: Math.floor(total / 60), m: total % 60 });
}
