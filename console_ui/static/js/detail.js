// One incident in full: state, timeline (who, when, what), notes, units and every command.
// Commands carry expected_version; a 409 says "changed by someone else" and reloads.
import { $, coordText, fill, focusLeftWith, h, timeOfDay } from "./dom.js";
import { commandForms } from "./commands.js";
import { agencyLabel, categoryLabel, t } from "./i18n.js";
import { placeLine } from "./advice.js";
import { scoreBlock } from "./score.js";
import { stackedCallItems } from "./stacked.js";
import { timelineItems } from "./timeline.js";
import { callerHistoryPanel } from "./callers.js";
import { statusLinkPanel } from "./status_link.js";
import { processingBadge } from "./timers.js";

export class IncidentDetail {
  constructor({ api, store, me = null, fallbackFocus = () => {} }) {
    this.api = api;
    this.me = me; // who is signed in: the status link is for call-center roles
    this.store = store;
    this.fallbackFocus = fallbackFocus;
    this.dialog = $("#detail");
    this.incident = null;
    this.events = [];
    store.subscribe(() => {
      const fresh = this.dialog.open && this.incident && store.incidents.get(this.incident.id);
      if (fresh && fresh.version > this.incident.version) {
        this.incident = fresh;
        this.refresh();
      }
    });
    // Esc closes here, with the focus put back in the same task: the browser's own close
    // fires the close event in a later task, and until then the focus was on the page's body
    // (a key typed meanwhile went nowhere).
    this.dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.dialog.open && !event.defaultPrevented) {
        event.preventDefault();
        this.close();
      }
    });
    this.dialog.addEventListener("close", () => {
      this.incident = null;
      if (focusLeftWith(this.dialog)) this.restoreFocus();
    });
    window.addEventListener("langchange", () => this.dialog.open && this.render());
  }

  close() {
    this.dialog.close();
    this.restoreFocus();
  }

  restoreFocus() {
    // The control that opened the dialog may have been re-rendered meanwhile: find it by key.
    const back = this.returnFocus?.isConnected
      ? this.returnFocus
      : this.returnKey && document.querySelector(`[data-key="${CSS.escape(this.returnKey)}"]`);
    // A closed incident left the queue with its button: focus the next thing to do instead.
    if (back) back.focus();
    else this.fallbackFocus();
  }

  async open(id) {
    this.returnFocus = document.activeElement;
    this.returnKey = document.activeElement?.closest?.("[data-key]")?.dataset.key;
    fill(this.dialog, h("p", { class: "muted pad" }, t("loading")));
    if (!this.dialog.open) this.dialog.showModal();
    try {
      this.incident = await this.api.get(`/api/incidents/${id}`);
      this.history = callerHistoryPanel(this.api, this.incident, { id: "detail-history" });
      this.statusLink = statusLinkPanel(this.api, this.incident, this.me);
      await this.loadEvents();
      this.render();
    } catch (error) {
      fill(
        this.dialog,
        this.header(null),
        h(
          "p",
          { class: "error pad", role: "alert" },
          error.describe ? error.describe() : String(error),
        ),
      );
    }
  }

  async loadEvents() {
    this.events = (await this.api.get(`/api/incidents/${this.incident.id}/events`)).events;
  }

  async refresh() {
    await this.loadEvents().catch(() => {});
    fill($("#detail-state", this.dialog), this.state());
    fill($("#detail-timeline", this.dialog), timelineItems(this.events));
    fill($("#detail-head", this.dialog), this.headline());
  }

  /** Send a command for the open incident; on 409 show the conflict and load the latest. */
  async command(path, body) {
    const id = this.incident.id;
    try {
      const updated = await this.api.post(`/api/incidents/${id}/${path}`, {
        ...body,
        expected_version: this.incident.version,
      });
      const before = this.actionsShape();
      this.incident = updated;
      this.store.applyIncident(updated);
      this.banner("");
      await this.refresh();
      if (this.actionsShape() !== before) this.redrawActions(path);
      return updated;
    } catch (error) {
      if (error.isConflict) {
        this.banner(t("conflict"));
        this.incident = error.current || (await this.api.get(`/api/incidents/${id}`));
        await this.refresh();
      }
      throw error;
    }
  }

  forms() {
    const command = (path, body) => this.command(path, body);
    return commandForms({
      incident: this.incident,
      units: this.store.units.values(),
      command,
      current: () => this.incident,
      unitStatus: (id) => this.store.units.get(id)?.status,
    });
  }

  /** What the action forms depend on: closed or not, pending verification, routed agencies. */
  actionsShape() {
    const i = this.incident;
    return JSON.stringify([
      i.status === "closed",
      i.verification?.pending,
      i.agencies.map((a) => a.agency),
    ]);
  }

  redrawActions(path) {
    const column = $(".detail-col.actions", this.dialog);
    fill(column, h("h3", {}, t("actions")), this.forms());
    const form =
      column.querySelector(`form[data-command="${path}"]`) || column.querySelector("form");
    form?.querySelector("select, input")?.focus();
    const status = form?.querySelector(".form-status");
    if (status && form.dataset.command === path) status.textContent = "✓";
  }

  banner(text) {
    const el = $("#detail-banner", this.dialog);
    el.textContent = text ? `⚠ ${text}` : "";
    el.hidden = !text;
  }

  header() {
    return h(
      "header",
      { class: "detail-header" },
      h(
        "h2",
        { id: "detail-title" },
        h("span", { id: "detail-head" }, this.incident ? this.headline() : ""),
      ),
      h(
        "button",
        { type: "button", class: "ghost", onclick: () => this.close() },
        t("close_dialog"),
        " ",
        h("kbd", {}, "Esc"),
      ),
    );
  }

  headline() {
    const i = this.incident;
    return [
      t("detail_title", { number: i.number }),
      " ",
      h("span", { class: `chip prio prio-${i.priority}` }, i.priority),
      " ",
      h("span", { class: `chip status-${i.status}` }, t(`status_${i.status}`)),
      " ",
      h("span", { class: "muted" }, categoryLabel(i.category.code)),
    ];
  }

  render() {
    fill(
      this.dialog,
      this.header(),
      h("p", { id: "detail-banner", class: "banner error", role: "alert", hidden: true }),
      h(
        "div",
        { class: "detail-grid" },
        h(
          "section",
          { class: "detail-col" },
          h("h3", {}, t("state")),
          h("div", { id: "detail-state" }, this.state()),
          this.history,
          this.statusLink,
        ),
        h("section", { class: "detail-col actions" }, h("h3", {}, t("actions")), this.forms()),
        h(
          "section",
          { class: "detail-col" },
          h("h3", {}, t("timeline")),
          h("ol", { id: "detail-timeline", class: "timeline" }, timelineItems(this.events)),
        ),
      ),
    );
    this.dialog.querySelector(".actions select, .actions input")?.focus();
  }

  state() {
    const i = this.incident;
    const units = new Map([...this.store.units.values()].map((u) => [u.id, u]));
    const row = (name, ...value) =>
      h("div", { class: "kv" }, h("dt", {}, name), h("dd", {}, ...value));
    return h(
      "dl",
      { class: "state" },
      row(t("place"), placeLine(i.place), i.address_text ? ` · ${i.address_text}` : ""),
      i.location
        ? row(
            "GPS",
            coordText(i.location),
            i.location.accuracy_m ? ` ±${Math.round(i.location.accuracy_m)} m` : "",
            ` (${t(`src_${i.location.source}`)})`,
          )
        : null,
      row(t("received"), timeOfDay(i.received_at), " ", processingBadge(i)),
      row(
        t("caller"),
        i.caller_number || "–",
        i.silent ? ` · ${t("silent_call")}` : "",
        i.sim_present === false ? ` · ${t("no_sim_call")}` : "",
      ),
      i.description ? row(t("description"), i.description) : null,
      i.stacked_calls?.length
        ? row(t("stacked_calls"), stackedCallItems(i.stacked_calls, { callerNumber: true }))
        : null,
      row("", scoreBlock(i)),
      row(
        t("agencies"),
        i.agencies.length
          ? i.agencies.map((a) =>
              h(
                "div",
                {},
                `${agencyLabel(a.agency)}: `,
                a.acknowledged_at
                  ? `✓ ${t("acknowledged")} ${timeOfDay(a.acknowledged_at)}`
                  : h("span", { class: "warn-text" }, `… ${t("not_acknowledged")}`),
              ),
            )
          : "–",
      ),
      row(
        t("units"),
        i.units.length
          ? i.units.map((u) =>
              h(
                "div",
                {},
                `${u.callsign || u.unit_id} · ${t(`unit_${units.get(u.unit_id)?.status || "dispatched"}`)}`,
              ),
            )
          : t("no_units_assigned"),
      ),
      i.escalations.length
        ? row(
            t("escalated"),
            h(
              "span",
              { class: "escalation" },
              `▲ ${i.escalations.map((e) => t(`esc_${e}`)).join(", ")}`,
            ),
          )
        : null,
      i.primary ? row("⇄", t("merged", { number: i.primary.number })) : null,
      i.disposition ? row(t("disposition"), t(`disp_${i.disposition}`)) : null,
      row(
        t("notes"),
        i.notes.length
          ? i.notes.map((n) =>
              h(
                "div",
                { class: "note" },
                h("span", { class: "muted" }, `${timeOfDay(n.at)} ${n.actor}: `),
                n.text,
              ),
            )
          : t("no_notes"),
      ),
    );
  }
}
