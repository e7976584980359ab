// The answer to a saved report: number, score advice, place, recommended agencies, stations and
// units with ETA, duplicates; ONE action (Enter) routes the agencies and dispatches one unit each.
import { $, busy, fill, h } from "./dom.js";
import { agencyLabel, getTaxonomy, t } from "./i18n.js";
import { firstUnits, placeParagraph, stationNote, unitChoice } from "./advice.js";
import { duplicateList } from "./duplicates.js";
import { scoreBlock } from "./score.js";
import { callerHistoryPanel } from "./callers.js";

export class ResultPanel {
  constructor({ api, store, onRouted, notify }) {
    this.api = api;
    this.store = store;
    this.onRouted = onRouted;
    this.notify = notify;
    this.root = $("#result-body");
    this.answer = null;
    this.chosen = [];
    this.outcome = "";
    window.addEventListener("langchange", () => (this.answer ? this.render() : this.clear()));
    store.subscribe(() => {
      const fresh = this.answer && store.incidents.get(this.incident.id);
      if (fresh && fresh.version > this.incident.version) {
        this.answer = { ...this.answer, incident: fresh };
        this.render();
      }
    });
  }

  clear() {
    this.answer = null;
    this.history = null;
    fill(
      this.root,
      h("p", { class: "muted" }, t("result_empty")),
      h("p", { class: "muted shortcuts" }, t("shortcuts")),
    );
  }

  show(answer) {
    this.answer = answer;
    this.chosen = [...(answer.recommendation?.agencies || [])];
    this.outcome = "";
    this.history = callerHistoryPanel(this.api, answer.incident, { id: "result-history" });
    this.render();
    // A suggested duplicate first: Enter merges it rather than sending another engine.
    const merge = $(".merge-button", this.root);
    const button = $("#route-button", this.root);
    if (merge) merge.focus();
    else if (button && !button.disabled) button.focus();
  }

  get incident() {
    return this.answer.incident;
  }

  /** Re-render, keeping the focus on the control that had it (live updates never steal it). */
  render() {
    const focused = this.root.contains(document.activeElement) ? document.activeElement : null;
    const key = focused?.id || (focused?.value && `input[value="${focused.value}"]`);
    this.draw();
    if (focused && key)
      (this.root.querySelector(focused.id ? `#${key}` : key) || this.root).focus();
  }

  draw() {
    const { incident } = this;
    const rec = this.answer.recommendation;
    fill(
      this.root,
      h(
        "div",
        { class: "result-grid" },
        h(
          "div",
          { class: "r-main" },
          h(
            "p",
            { class: "r-number" },
            h("strong", { id: "result-number" }, incident.number),
            " ",
            h(
              "span",
              { class: `chip status-${incident.status}`, id: "result-status" },
              t(`status_${incident.status}`),
            ),
            " ",
            h("span", { class: `chip prio prio-${incident.priority}` }, incident.priority),
            this.answer.created === false
              ? h("span", { class: "muted" }, ` · ${t("result_retried")}`)
              : null,
          ),
          placeParagraph(incident),
          incident.verification?.pending
            ? h("p", { class: "verify-note" }, `☎ ${t("goes_to_verification")}`)
            : null,
          scoreBlock(incident),
          this.history,
        ),
        h("div", { class: "r-route" }, h("h3", {}, t("agencies")), this.agencyList(rec)),
        h("div", { class: "r-actions" }, this.duplicates(rec), this.actions()),
      ),
    );
  }

  agencyList(rec) {
    if (!rec) return h("p", { class: "muted" }, t("no_recommendation"), this.agencyChoices([]));
    const stations = new Map((rec.stations || []).map((s) => [s.agency, s]));
    return h(
      "ul",
      { class: "agency-list" },
      rec.agencies.map((agency) => {
        return h(
          "li",
          {},
          this.agencyCheck(agency),
          this.ackMark(agency),
          stationNote(stations.get(agency)),
          unitChoice(agency, rec.units || [], rec.unit_notes || []),
        );
      }),
      h("li", { class: "other-agencies" }, this.agencyChoices(rec.agencies)),
    );
  }

  ackMark(agency) {
    const routed = this.incident.agencies.find((a) => a.agency === agency);
    if (!routed) return null;
    return routed.acknowledged_at
      ? h("span", { class: "ok-text" }, ` ✓ ${t("acknowledged")}`)
      : h("span", { class: "warn-text" }, ` … ${t("not_acknowledged")}`);
  }

  /** Checkboxes for the agencies not recommended (the operator may add one). */
  agencyChoices(except) {
    const others = getTaxonomy().agencies.filter((a) => !except.includes(a.code));
    return h(
      "span",
      { class: "agency-choices" },
      others.map((a) => this.agencyCheck(a.code, true)),
    );
  }

  agencyCheck(agency, small = false) {
    const routed = (this.incident.agencies || []).some((a) => a.agency === agency);
    return h(
      "label",
      { class: `check ${small ? "small" : ""}` },
      h("input", {
        type: "checkbox",
        value: agency,
        checked: this.chosen.includes(agency) || routed,
        disabled: routed,
        onchange: (event) => {
          this.chosen = event.target.checked
            ? [...this.chosen, agency]
            : this.chosen.filter((a) => a !== agency);
          this.render();
        },
      }),
      ` ${agencyLabel(agency)}`,
    );
  }

  duplicates(rec) {
    const found = rec?.duplicates || [];
    if (!found.length || this.incident.primary) {
      return this.incident.primary
        ? h("p", { class: "ok-text" }, `⇄ ${t("merged", { number: this.incident.primary.number })}`)
        : null;
    }
    return duplicateList(found, rec.duplicates_total, (d, button) => this.merge(d, button));
  }

  actions() {
    const incident = this.incident;
    const merged = Boolean(incident.primary);
    const closed = incident.status === "closed";
    const pending = this.chosen.filter((a) => !incident.agencies.some((r) => r.agency === a));
    const units = firstUnits(this.answer.recommendation, pending);
    const allRouted = !merged && pending.length === 0 && incident.agencies.length > 0;
    let label = units.length ? t("route_dispatch") : t("route_only");
    if (merged) label = `${t("close_incident")} (${t("disp_duplicate")})`;
    else if (allRouted) label = `✓ ${t("routed_done")}`;
    return h(
      "div",
      { class: "route-action" },
      h(
        "button",
        {
          type: "button",
          id: "route-button",
          class: "primary big",
          disabled: closed || (!merged && pending.length === 0),
          onclick: (e) =>
            merged ? this.closeDuplicate(e.currentTarget) : this.route(e.currentTarget),
        },
        label,
        " ",
        h("kbd", {}, "⏎"),
      ),
      !merged && pending.length === 0 && !incident.agencies.length
        ? h("p", { class: "muted" }, t("choose_agency"))
        : null,
      h("p", { class: "outcome", id: "route-outcome", role: "status" }, this.outcome),
    );
  }

  async route(button) {
    const incident = this.incident;
    const agencies = this.chosen.filter((a) => !incident.agencies.some((r) => r.agency === a));
    const units = firstUnits(this.answer.recommendation, agencies);
    await this.act(
      button,
      `/api/incidents/${incident.id}/route`,
      {
        agencies,
        unit_ids: units.map((u) => u.unit_id),
        expected_version: incident.version,
      },
      (updated) => {
        const names = agencies.map(agencyLabel).join(", ");
        const sent = units.map((u) => u.callsign).join(", ");
        this.outcome = `✓ ${t("routed", { agencies: names })}${sent ? ` · ${t("dispatched_units", { units: sent })}` : ""}`;
        this.onRouted(updated);
      },
    );
  }

  async merge(duplicate, button) {
    await this.act(
      button,
      `/api/incidents/${this.incident.id}/link`,
      {
        primary_id: duplicate.incident_id,
        expected_version: this.incident.version,
      },
      () => {
        this.outcome = `⇄ ${t("merged", { number: duplicate.number })}`;
      },
    );
    $("#route-button", this.root)?.focus();
  }

  async closeDuplicate(button) {
    await this.act(
      button,
      `/api/incidents/${this.incident.id}/close`,
      {
        disposition: "duplicate",
        reason: t("merged", { number: this.incident.primary.number }),
        expected_version: this.incident.version,
      },
      (updated) => this.onRouted(updated),
    );
  }

  async act(button, path, body, done) {
    try {
      const updated = await busy(button, () => this.api.post(path, body));
      this.answer = { ...this.answer, incident: updated };
      this.store.applyIncident(updated);
      done(updated);
    } catch (error) {
      if (error.isConflict && error.current) {
        this.answer = { ...this.answer, incident: error.current };
      }
      this.outcome = `⚠ ${error.describe ? error.describe() : error}`;
      this.notify?.(this.outcome, "error");
    }
    this.render();
    const next = $("#route-button", this.root);
    (next && !next.disabled ? next : this.root).focus();
  }
}
