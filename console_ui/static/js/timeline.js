// An incident's history as the operator reads it: when, what, who, and the words that matter.
import { h, timeOfDay } from "./dom.js";
import { agencyLabel, categoryLabel, t } from "./i18n.js";

/** Newest first. */
export function timelineItems(events) {
  return [...events]
    .reverse()
    .map((e) =>
      h(
        "li",
        {},
        h("span", { class: "tl-time" }, timeOfDay(e.at || e.recorded_at)),
        " ",
        h("strong", {}, eventName(e.type)),
        " ",
        h("span", { class: "tl-actor" }, e.actor || ""),
        h("div", { class: "tl-data" }, summary(e)),
      ),
    );
}

function eventName(type) {
  const key = `ev_${type}`;
  const text = t(key);
  return text === key ? type : text;
}

/** The words that matter in an event's data. */
function summary(event) {
  const d = event.data || {};
  switch (event.type) {
    case "Reported":
      return `${d.number} · ${categoryLabel(d.category)} · ${d.priority}${d.description ? ` · “${d.description}”` : ""}`;
    case "Scored":
      return `${t(`band_${d.band}`)} (p=${Number(d.p_false).toFixed(2)}, ${String(d.model_version).slice(0, 19)})`;
    case "ScoreOverridden":
      return `${t(`band_${d.band}`)} · ${d.reason}`;
    case "Routed":
      return (d.agencies || []).map(agencyLabel).join(", ");
    case "Acknowledged":
      return agencyLabel(d.agency);
    case "UnitAssigned":
      return `${d.callsign} (${agencyLabel(d.agency)})`;
    case "Escalated":
      return `${t(`esc_${d.reason}`)}${d.agency ? ` · ${agencyLabel(d.agency)}` : ""}`;
    case "NoteAdded":
      return d.text;
    case "Closed":
      return `${t(`disp_${d.disposition}`)}${d.reason ? ` · ${d.reason}` : ""}`;
    case "Verified":
      return `${d.genuine ? "✓" : "✗"} ${d.reason}`;
    case "Triaged":
      return `${d.priority} · ${categoryLabel(d.category)} · ${d.reason}`;
    case "LinkedAsDuplicate":
      return `→ ${d.primary_number}`;
    case "DuplicateLinked":
      return `← ${d.duplicate_number}`;
    case "StackedCallAdded":
      return `← ${d.duplicate_number} · “${d.description}”${d.injuries ? ` · ${t("stacked_injuries", { n: d.injuries })}` : ""}`;
    default:
      return reasonWords(d.reason);
  }
}

/** A reason the system wrote (a code, or a unit status) in words; people's own words as typed. */
export function reasonWords(reason) {
  if (!reason) return "";
  for (const key of [`why_${reason.replace(/\W+/g, "_")}`, `unit_${reason}`]) {
    const text = t(key);
    if (text !== key) return text;
  }
  return reason;
}
