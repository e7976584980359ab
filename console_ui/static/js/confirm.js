// A question before an action that cannot be taken back: a modal dialog, Enter confirms, Esc
// cancels, Tab stays inside, and the focus goes back where it was.
import { $, $$, fill, focusLeftWith, h } from "./dom.js";
import { t } from "./i18n.js";

/** The operator said no: shown on the form that asked, nothing was sent. */
export class Cancelled extends Error {
  describe() {
    return t("confirm_cancelled");
  }
}

/** Resolves true when confirmed, false when cancelled (Esc, the cancel button). Ask before the
 * asking button is busy: the answer gives the focus back to it, and a disabled one cannot take
 * it. */
export function confirmAction({ title, lines, confirmLabel }) {
  const dialog = $("#confirm");
  const returnTo = document.activeElement;
  return new Promise((resolve) => {
    const listening = new AbortController(); // this question's listeners on the dialog
    const settle = (confirmed) => {
      listening.abort();
      resolve(confirmed);
    };
    const refocus = () => returnTo?.isConnected && returnTo.focus();
    // Every answer closes here and puts the focus back in this task: the dialog's close event
    // comes in a later one, and until then the focus was on the page's body (a key typed
    // meanwhile went nowhere).
    const answer = (confirmed) => {
      dialog.close();
      refocus();
      settle(confirmed);
    };
    const yes = h(
      "button",
      { type: "button", class: "primary danger", id: "confirm-yes", onclick: () => answer(true) },
      confirmLabel,
      " ",
      h("kbd", {}, "⏎"),
    );
    const no = h(
      "button",
      { type: "button", class: "ghost", id: "confirm-no", onclick: () => answer(false) },
      t("confirm_no"),
      " ",
      h("kbd", {}, "Esc"),
    );
    fill(
      dialog,
      h("h2", { id: "confirm-title" }, `⚠ ${title}`),
      h(
        "ul",
        { id: "confirm-text", class: "confirm-lines" },
        lines.map((line) => h("li", {}, line)),
      ),
      h("div", { class: "confirm-actions" }, yes, no),
    );
    const { signal } = listening;
    dialog.addEventListener("keydown", (event) => keyed(event, dialog, answer), { signal });
    // Closed some other way: the focus comes back unless something already took it.
    dialog.addEventListener(
      "close",
      () => {
        if (focusLeftWith(dialog)) refocus();
        settle(false);
      },
      { signal },
    );
    dialog.showModal();
    yes.focus();
  });
}

/** Esc answers no; Tab stays inside the dialog. */
function keyed(event, dialog, answer) {
  if (event.defaultPrevented) return;
  if (event.key === "Escape") {
    event.preventDefault();
    answer(false);
  } else if (event.key === "Tab") {
    const stops = $$("button", dialog);
    const at = stops.indexOf(document.activeElement);
    const next = (at + (event.shiftKey ? -1 : 1) + stops.length) % stops.length;
    stops[next].focus();
    event.preventDefault();
  }
}

/** Why closing this incident now needs a second thought (empty: nothing, close at once). */
export function closeRisks(incident, unitStatus = () => undefined, agencyName = (a) => a) {
  const risks = [];
  const busy = incident.units.filter(
    (u) => !["available", "out_of_service"].includes(unitStatus(u.unit_id) ?? "dispatched"),
  );
  if (busy.length) {
    const units = busy.map((u) => u.callsign || u.unit_id).join(", ");
    risks.push(t("confirm_units_out", { units }));
  }
  const unacked = incident.agencies.filter((a) => !a.acknowledged_at);
  if (unacked.length) {
    risks.push(
      t("confirm_not_acked", { agencies: unacked.map((a) => agencyName(a.agency)).join(", ") }),
    );
  }
  return risks;
}
