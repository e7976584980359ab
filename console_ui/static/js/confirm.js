// A question before an action that cannot be taken back: a modal dialog, Enter confirms, Esc
// cancels, Tab stays inside, and the focus goes back where it was.
import { $, $$, fill, h } from "./dom.js";
import { t } from "./i18n.js";

/** The operator said no: shown on the form that asked, nothing was sent. */
export class Cancelled extends Error {
  describe() {
    return t("confirm_cancelled");
  }
}

/** Resolves true when confirmed, false when cancelled (Esc, the cancel button). */
export function confirmAction({ title, lines, confirmLabel }) {
  const dialog = $("#confirm");
  const returnTo = document.activeElement;
  return new Promise((resolve) => {
    let answer = false;
    const yes = h(
      "button",
      { type: "button", class: "primary danger", id: "confirm-yes" },
      confirmLabel,
      " ",
      h("kbd", {}, "⏎"),
    );
    const no = h(
      "button",
      { type: "button", class: "ghost", id: "confirm-no" },
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
    yes.addEventListener("click", () => {
      answer = true;
      dialog.close();
    });
    no.addEventListener("click", () => dialog.close());
    const trap = (event) => {
      if (event.key !== "Tab") return;
      const stops = $$("button", dialog);
      const at = stops.indexOf(document.activeElement);
      const next = (at + (event.shiftKey ? -1 : 1) + stops.length) % stops.length;
      stops[next].focus();
      event.preventDefault();
    };
    dialog.addEventListener("keydown", trap);
    dialog.addEventListener(
      "close",
      () => {
        dialog.removeEventListener("keydown", trap);
        resolve(answer);
        // After the asking form has settled (its busy button is enabled again).
        setTimeout(() => returnTo?.isConnected && returnTo.focus(), 0);
      },
      { once: true },
    );
    dialog.showModal();
    yes.focus();
  });
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
