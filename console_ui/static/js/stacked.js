// What further callers said about an incident: reports merged into it as duplicates.
import { h, timeOfDay } from "./dom.js";
import { t } from "./i18n.js";

/** One line per further caller, oldest first; the caller number only where asked. */
export function stackedCallItems(calls = [], { callerNumber = false } = {}) {
  return calls.map((c) => {
    const place = c.place?.kelurahan || c.kelurahan;
    const details = [
      c.injuries ? t("stacked_injuries", { n: c.injuries }) : "",
      c.persons_involved ? t("stacked_persons", { n: c.persons_involved }) : "",
      [place, c.address_text].filter(Boolean).join(", "),
      callerNumber && c.caller_number ? c.caller_number : "",
    ].filter(Boolean);
    return h(
      "div",
      { class: "stacked-call" },
      h(
        "span",
        { class: "muted" },
        `← ${t("stacked_call_line", { number: c.duplicate_number, time: timeOfDay(c.received_at) })}: `,
      ),
      `“${c.description}”`,
      details.length ? h("span", { class: "muted" }, ` · ${details.join(" · ")}`) : null,
    );
  });
}
