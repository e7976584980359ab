// Time against targets: the 60 s processing target (NFPA 1225) and acknowledgement deadlines.
import { serverNow } from "./api.js";
import { clock, h } from "./dom.js";
import { t } from "./i18n.js";

export const PROCESSING_TARGET_S = 60;
export const WARN_AFTER_S = 45;

export function secondsSince(iso) {
  return iso ? (serverNow() - Date.parse(iso)) / 1000 : 0;
}

/** Answer → first unit dispatched: running, or stopped with the time it took. */
export function processing(incident) {
  const started = Date.parse(incident.received_at);
  const done = incident.first_unit_at ? Date.parse(incident.first_unit_at) : null;
  const seconds = ((done ?? serverNow()) - started) / 1000;
  let level = "ok";
  if (seconds >= PROCESSING_TARGET_S) level = "late";
  else if (seconds >= WARN_AFTER_S) level = "warn";
  return { seconds, level, done: done !== null };
}

const ICONS = { ok: "◷", warn: "⚠", late: "‼", done: "✓" };

/** A timer badge: icon + mm:ss + words (colour is never the only signal). */
export function processingBadge(incident) {
  const { seconds, level, done } = processing(incident);
  const words = done
    ? t("timer_done", { time: clock(seconds) })
    : t(level === "ok" ? "timer_ok" : level === "warn" ? "timer_warn" : "timer_late");
  return h(
    "span",
    { class: `timer timer-${level} ${done ? "timer-done" : ""}`, title: words },
    h("span", { "aria-hidden": "true" }, done ? ICONS.done : ICONS[level]),
    ` ${clock(seconds)}`,
    h("span", { class: level === "ok" || done ? "sr-only" : "timer-words" }, ` ${words}`),
  );
}
