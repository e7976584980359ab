// Call-back outcomes from the verification queue: genuine (then route as recommended) or false
// with a disposition and a reason. A silent call is never dismissed without a reason.
import { $, busy, fill, focusLeftWith, h } from "./dom.js";
import { t } from "./i18n.js";
import { actionForm, field, input, select } from "./forms.js";
import { firstUnits } from "./advice.js";

const FALSE_DISPOSITIONS = ["prank", "silent", "accidental", "non_emergency", "duplicate", "test"];

export class Verification {
  constructor({ api, store, notify, openDetail, fallbackFocus = () => {} }) {
    this.fallbackFocus = fallbackFocus;
    this.api = api;
    this.store = store;
    this.notify = notify;
    this.openDetail = openDetail;
    this.dialog = $("#dismiss");
  }

  async decide(incident, outcome, button) {
    if (outcome === "genuine") return this.genuine(incident, button);
    return this.askDismiss(incident, button);
  }

  /** Genuine: record it, then route the recommended agencies with their first units. */
  async genuine(incident, button) {
    try {
      await busy(button, async () => {
        const verified = await this.api.post(`/api/incidents/${incident.id}/verify`, {
          outcome: "genuine",
          reason: t("verify_genuine_default"),
          expected_version: incident.version,
        });
        this.store.applyIncident(verified);
        const { recommendation } = await this.api.get(
          `/api/incidents/${incident.id}/recommendation`,
        );
        if (!recommendation?.agencies?.length) {
          this.openDetail(incident.id); // no advice: the operator routes by hand
          return;
        }
        const routed = await this.api.post(`/api/incidents/${incident.id}/route`, {
          agencies: recommendation.agencies,
          unit_ids: firstUnits(recommendation, recommendation.agencies).map((u) => u.unit_id),
          expected_version: verified.version,
        });
        this.store.applyIncident(routed);
        this.notify(`✓ ${routed.number}: ${t(`status_${routed.status}`)}`);
      });
    } catch (error) {
      this.notify(`⚠ ${incident.number}: ${error.describe ? error.describe() : error}`, "error");
    }
  }

  askDismiss(incident) {
    const returnTo = document.activeElement;
    const listening = new AbortController(); // this call's listeners on the dialog
    // Dismissed: its queue item (and the button that opened this) is gone; focus what is next.
    const refocus = () => (returnTo?.isConnected ? returnTo.focus() : this.fallbackFocus());
    // Every way out (applied, Esc, the close button) closes here and puts the focus back in
    // this task: the dialog's close event comes in a later one, and until then the focus was
    // on the page's body (a key typed meanwhile went nowhere).
    const close = () => {
      listening.abort();
      this.dialog.close();
      refocus();
    };
    const form = actionForm(
      `${t("outcome_false")} — ${incident.number}`,
      [
        field(
          t("disposition"),
          select(
            "disposition",
            FALSE_DISPOSITIONS.map((d) => [d, t(`disp_${d}`)]),
            "prank",
          ),
        ),
        field(t("verify_reason"), input("reason", { required: true, class: "wide" })),
      ],
      t("apply"),
      async (values) => {
        const updated = await this.api.post(`/api/incidents/${incident.id}/verify`, {
          outcome: "false",
          reason: values.reason,
          disposition: values.disposition,
          expected_version: incident.version,
        });
        this.store.applyIncident(updated);
        close();
        this.notify(`✓ ${updated.number}: ${t(`disp_${values.disposition}`)}`);
      },
    );
    fill(
      this.dialog,
      h("h2", { id: "dismiss-title" }, incident.number),
      form,
      h(
        "button",
        { type: "button", class: "ghost", onclick: close },
        t("close_dialog"),
        " ",
        h("kbd", {}, "Esc"),
      ),
    );
    const { signal } = listening;
    this.dialog.addEventListener(
      "keydown",
      (event) => {
        if (event.key === "Escape" && !event.defaultPrevented) {
          event.preventDefault();
          close();
        }
      },
      { signal },
    );
    // Closed some other way: the focus comes back unless something already took it.
    this.dialog.addEventListener(
      "close",
      () => {
        listening.abort();
        if (focusLeftWith(this.dialog)) refocus();
      },
      { signal },
    );
    this.dialog.showModal();
    form.querySelector("select").focus();
  }
}
