// What the floor must do next with an incident: the one rule that puts it in a queue section.
// Pure: the incident as the API sends it and the units' statuses in, a section name out.

/** Sections in the order the queue shows them; the first four need a person now. Escalated
 * first, P1 first within it: however many calls wait to be routed or called back, and however
 * many lesser escalations are older, an escalated P1 is never below the fold. */
export const SECTIONS = ["escalated", "unrouted", "callback", "no_unit", "in_progress", "closure"];
export const NEEDS_ACTION = new Set(["unrouted", "callback", "escalated", "no_unit"]);

// Priorities for which a unit is expected at all (adapters/routing/rules.toml: P4 is information).
const UNIT_EXPECTED = new Set(["P1", "P2", "P3"]);
// Unit statuses that mean the unit is no longer working the incident.
const DONE = new Set(["available", "out_of_service"]);

/**
 * The section of an open incident.
 * unitStatus(unitId) -> the unit's status ("en_route", …) or undefined when unknown.
 */
export function sectionOf(incident, unitStatus = () => undefined) {
  // A flagged call whose deadline passed is escalated too: the call-back is overdue.
  if (stillEscalated(incident)) return "escalated";
  if (incident.verification?.pending) return "callback";
  if (!incident.agencies.length) return "unrouted";
  if (!incident.units.length && !incident.first_unit_at && UNIT_EXPECTED.has(incident.priority)) {
    return "no_unit";
  }
  const working = incident.units.some((u) => !DONE.has(unitStatus(u.unit_id) ?? "dispatched"));
  const acknowledged = incident.agencies.every((a) => a.acknowledged_at);
  const served = incident.first_unit_at || !UNIT_EXPECTED.has(incident.priority);
  if (acknowledged && !working && served) return "closure";
  return "in_progress";
}

/** An escalation counts while its cause still holds (acknowledged since: no longer). */
function stillEscalated(incident) {
  return incident.escalations.some((reason) => {
    if (reason === "not_acknowledged") return incident.agencies.some((a) => !a.acknowledged_at);
    if (reason === "no_unit_dispatched" || reason === "no_unit_available") {
      return !incident.units.length && !incident.first_unit_at;
    }
    return true;
  });
}

/** Oldest first within a section (the one waiting longest is served first). */
export function oldestFirst(a, b) {
  return Date.parse(a.received_at) - Date.parse(b.received_at) || a.number.localeCompare(b.number);
}

/** Escalations: the highest priority first (P1 before P2), then the oldest. */
export function priorityFirst(a, b) {
  return a.priority.localeCompare(b.priority) || oldestFirst(a, b);
}

/** Group open incidents by section, each oldest first (escalations by priority first). */
export function triage(incidents, unitStatus) {
  const groups = Object.fromEntries(SECTIONS.map((s) => [s, []]));
  for (const incident of incidents) groups[sectionOf(incident, unitStatus)].push(incident);
  for (const [name, list] of Object.entries(groups)) {
    list.sort(name === "escalated" ? priorityFirst : oldestFirst);
  }
  return groups;
}

/** How many incidents need a person now. */
export function needsActionCount(groups) {
  return [...NEEDS_ACTION].reduce((n, s) => n + groups[s].length, 0);
}
