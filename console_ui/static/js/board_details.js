// What a responding agency needs from a report beyond where and when: the caller's words,
// who is hurt, hazards, a number to call back and what further callers said; and how long
// each unit has been in its status. Shown on the agency's own (signed-in) board only. The
// call-back number is the reporting caller's; further callers' numbers stay with the center.
import { clock, h } from "./dom.js";
import { t } from "./i18n.js";
import { stackedCallItems } from "./stacked.js";
import { secondsSince } from "./timers.js";

/** The report's details for the incident cell (nothing for what the report left unknown). */
export function reportDetails(incident) {
  const people = [
    incident.injuries ? t("bd_injuries", { n: incident.injuries }) : "",
    incident.persons_involved ? t("bd_persons", { n: incident.persons_involved }) : "",
  ].filter(Boolean);
  const hazards = incident.hazards || [];
  return h(
    "div",
    { class: "bd-details" },
    incident.description ? h("p", { class: "bd-description" }, `“${incident.description}”`) : null,
    people.length ? h("div", { class: "bd-people" }, `✚ ${people.join(" · ")}`) : null,
    hazards.length
      ? h("div", { class: "bd-hazards" }, `⚠ ${t("bd_hazards")}: ${hazards.join(", ")}`)
      : null,
    incident.caller_number
      ? h(
          "div",
          { class: "bd-callback" },
          `☎ ${t("bd_callback")}: `,
          h("a", { href: `tel:${incident.caller_number}` }, incident.caller_number),
        )
      : null,
    incident.stacked_calls?.length
      ? h(
          "div",
          { class: "stacked-calls small-text" },
          h("strong", {}, `↻ ${t("ev_StackedCallAdded")}`),
          stackedCallItems(incident.stacked_calls),
        )
      : null,
  );
}

/** "◷ 03:12 in status" for a unit, from its status_at (ticks with the board's timer). */
export function timeInStatus(unit) {
  const since = unit.status_at ? secondsSince(unit.status_at) : null;
  return h(
    "div",
    { class: "bd-in-status small-text" },
    since === null ? "" : `◷ ${t("bd_in_status", { time: clock(since) })}`,
  );
}
