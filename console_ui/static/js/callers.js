// "Have you called before?": the caller number's earlier incidents and repeat counts, from
// GET /api/callers/{number}/history, on the result panel and in the incident detail.
import { h, timeOfDay } from "./dom.js";
import { categoryLabel, t } from "./i18n.js";

const SHOWN = 5;

/** A panel that fills itself once the history arrived; nothing for a call without a number. */
export function callerHistoryPanel(api, incident, { id = null } = {}) {
  if (!incident.caller_number) return null;
  const panel = h(
    "div",
    { class: "caller-history", id, "aria-live": "polite" },
    h("h3", {}, `☎ ${t("caller_history")}`),
    h("p", { class: "muted" }, t("loading")),
  );
  const path = `/api/callers/${encodeURIComponent(incident.caller_number)}/history`;
  api
    .get(path)
    .then((history) => panel.replaceChildren(...historyItems(history, incident.id)))
    .catch((error) =>
      panel.replaceChildren(
        h("h3", {}, `☎ ${t("caller_history")}`),
        h("p", { class: "warn-text" }, `⚠ ${error.describe ? error.describe() : error}`),
      ),
    );
  return panel;
}

/** The counts line and one line per earlier incident (this one left out), newest first. */
export function historyItems(history, currentId) {
  const earlier = history.incidents.filter((i) => i.incident_id !== currentId);
  const counts = t("caller_counts", { hour: history.calls_1h, day: history.calls_24h });
  return [
    h("h3", {}, `☎ ${t("caller_history")}`),
    h(
      "p",
      { class: `caller-counts ${history.calls_1h > 1 ? "warn-text" : ""}` },
      counts,
    ),
    earlier.length
      ? h(
          "ul",
          { class: "caller-calls" },
          earlier.slice(0, SHOWN).map((call) =>
            h(
              "li",
              { dataset: { incident: call.incident_id } },
              h("span", { class: "num" }, call.number),
              ` ${dayAndTime(call.received_at)} · ${categoryLabel(call.category)} · `,
              h(
                "span",
                { class: call.disposition && call.disposition !== "genuine" ? "warn-text" : "" },
                call.disposition ? t(`disp_${call.disposition}`) : t(`status_${call.status}`),
              ),
            ),
          ),
          earlier.length > SHOWN
            ? h("li", { class: "muted" }, t("caller_more", { n: earlier.length - SHOWN }))
            : null,
        )
      : h("p", { class: "muted" }, t("caller_first_call")),
  ];
}

function dayAndTime(iso) {
  const d = new Date(iso);
  const day = d.toLocaleDateString("id-ID", { day: "2-digit", month: "2-digit" });
  return `${day} ${timeOfDay(iso)}`;
}
