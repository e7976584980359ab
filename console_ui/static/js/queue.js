// The triage-first queue: one section per thing the floor must do next (sectioning rule in
// triage.js), counts per section, oldest first; the call-back section keeps its verify actions.
import { $, clock, h } from "./dom.js";
import { agencyLabel, categoryLabel, reasonText, t } from "./i18n.js";
import { KeyedList } from "./keyed.js";
import { NEEDS_ACTION, SECTIONS, needsActionCount, triage } from "./triage.js";
import { processingBadge, secondsSince } from "./timers.js";

const ICONS = {
  unrouted: "⊕",
  callback: "☎",
  escalated: "▲",
  no_unit: "∅",
  in_progress: "◷",
  closure: "✓",
};

/** Call-back first, then the longest waiting. */
export function verificationOrder(a, b) {
  return (
    b.verification.callback_first - a.verification.callback_first ||
    Date.parse(a.verification.flagged_at || a.received_at) -
      Date.parse(b.verification.flagged_at || b.received_at)
  );
}

function placeShort(incident) {
  const p = incident.place;
  if (!p) return incident.address_text || t("place_unknown");
  return p.kelurahan ? `${p.kelurahan} (${p.kecamatan})` : `Kec. ${p.kecamatan}`;
}

export class Queues {
  constructor({ store, onOpen, onVerify, onCounts = () => {} }) {
    this.store = store;
    this.onOpen = onOpen;
    this.onVerify = onVerify;
    this.onCounts = onCounts;
    this.root = $("#queue");
    this.sections = new Map(SECTIONS.map((name) => [name, this.section(name)]));
    this.root.replaceChildren(...[...this.sections.values()].map((s) => s.el));
    store.subscribe(() => this.update());
    window.addEventListener("langchange", () => this.update(true));
    setInterval(() => this.tick(), 1000);
    this.root.addEventListener("keydown", (event) => moveWithArrows(this.root, event));
  }

  section(name) {
    const list = h("ol", {
      class: "queue",
      id: name === "callback" ? "verify-queue" : `queue-${name}`,
      "aria-labelledby": `sec-${name}-head`,
    });
    const count = h("span", { class: "count", id: name === "callback" ? "verify-count" : null });
    const title = h("span", {});
    const head = h(
      "h3",
      { class: "q-section-head", id: `sec-${name}-head` },
      h("span", { "aria-hidden": "true" }, ICONS[name]),
      " ",
      title,
      " ",
      count,
      name === "callback" ? h("kbd", {}, "F9") : null,
    );
    const el = h(
      "section",
      {
        class: `q-section sec-${name} ${NEEDS_ACTION.has(name) ? "needs-action" : ""}`,
        dataset: { section: name },
      },
      head,
      list,
    );
    // A flagged call keeps its call-back actions in whichever section it sits (escalated too).
    const render = (i) => (i.verification?.pending ? this.verifyItem(i) : this.queueItem(i));
    return { el, title, count, list: new KeyedList(list, render) };
  }

  update(force = false) {
    const focusKey = document.activeElement?.closest?.("#queue [data-key]")?.dataset.key;
    const unitStatus = (id) => this.store.units.get(id)?.status;
    const groups = triage(this.store.incidents.values(), unitStatus);
    groups.callback.sort(verificationOrder);
    for (const [name, section] of this.sections) {
      section.list.update(groups[name], force);
      section.title.textContent = t(`sec_${name}`);
      section.count.textContent = `(${groups[name].length})`;
      section.el.classList.toggle("is-empty", groups[name].length === 0);
    }
    if (focusKey && !this.root.contains(document.activeElement)) {
      this.root.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
    }
    const open = this.store.incidents.size;
    const needed = needsActionCount(groups);
    $("#queue-count").textContent = `(${open})`;
    $("#needs-action").textContent = needed ? t("needs_action", { n: needed }) : "";
    this.onCounts({ needsAction: needed, groups });
  }

  /** Timers move every second without re-rendering whole items. */
  tick() {
    for (const section of this.sections.values()) {
      for (const [id, item] of section.list.items) {
        const incident = this.store.incidents.get(id);
        if (!incident) continue;
        if (incident.verification?.pending) {
          const waiting = item.el.querySelector(".waiting");
          if (waiting) waiting.textContent = waitingText(incident);
        } else {
          item.el.querySelector(".timer")?.replaceWith(processingBadge(incident));
        }
      }
    }
  }

  queueItem(incident) {
    const escalated = incident.escalations.length > 0;
    const what = `${categoryLabel(incident.category.code)} · ${placeShort(incident)}`;
    const units = incident.units.map((u) => u.callsign).join(", ");
    return h(
      "button",
      {
        type: "button",
        class: `q-item prio-${incident.priority} ${escalated ? "escalated" : ""}`,
        dataset: { key: `open-${incident.id}` },
        onclick: () => this.onOpen(incident.id),
      },
      h(
        "span",
        { class: "q-line" },
        h("span", { class: `chip prio prio-${incident.priority}` }, incident.priority),
        h("span", { class: "q-number" }, incident.number),
        processingBadge(incident),
      ),
      h(
        "span",
        { class: "q-line q-sub q-one", title: what },
        h("span", { class: `chip status-${incident.status}` }, t(`status_${incident.status}`)),
        " ",
        escalated
          ? h(
              "span",
              { class: "escalation" },
              `▲ ${t("escalated")}: ${escalationText(incident)} · `,
            )
          : null,
        what,
      ),
      incident.agencies.length
        ? h(
            "span",
            { class: "q-line q-sub q-one", title: units },
            incident.agencies.map((a) =>
              h(
                "span",
                {
                  class: `ack-mark ${a.acknowledged_at ? "acked" : "waiting-ack"}`,
                  title: a.acknowledged_at ? t("acknowledged") : t("not_acknowledged"),
                },
                `${agencyLabel(a.agency).split(" ")[0]} ${a.acknowledged_at ? "✓" : "…"} `,
              ),
            ),
            units ? h("span", { class: "q-units" }, ` ${units}`) : null,
          )
        : null,
    );
  }

  verifyItem(incident) {
    const first = incident.verification.callback_first;
    const flags = [
      incident.silent ? t("silent_call") : null,
      incident.sim_present === false ? t("no_sim_call") : null,
      categoryLabel(incident.category.code),
    ].filter(Boolean);
    const reason = (incident.score?.reasons || [])[0];
    return h(
      "div",
      { class: `v-item ${first ? "callback-first" : ""}` },
      h(
        "button",
        {
          type: "button",
          class: "q-item",
          dataset: { key: `open-${incident.id}` },
          onclick: () => this.onOpen(incident.id),
        },
        h(
          "span",
          { class: "q-line" },
          h("span", { class: "chip verify-chip", "aria-hidden": "true" }, first ? "☎!" : "?"),
          h("span", { class: `chip prio prio-${incident.priority}` }, incident.priority),
          h("span", { class: "q-number" }, incident.number),
        ),
        h(
          "span",
          { class: "q-line q-sub" },
          h("span", { class: "waiting" }, waitingText(incident)),
          first ? h("span", { class: "callback" }, `☎ ${t("callback_first")}`) : null,
        ),
        incident.escalations.length
          ? h(
              "span",
              { class: "q-line escalation" },
              `▲ ${t("escalated")}: ${escalationText(incident)}`,
            )
          : null,
        h(
          "span",
          { class: "q-line q-sub" },
          [...flags, reason ? reasonText(reason) : null].filter(Boolean).join(" · "),
        ),
      ),
      h(
        "span",
        { class: "v-actions" },
        h(
          "button",
          {
            type: "button",
            class: "small ok",
            dataset: { key: `genuine-${incident.id}` },
            onclick: (e) => this.onVerify(incident, "genuine", e.currentTarget),
          },
          `✓ ${t("confirm_genuine")}`,
        ),
        h(
          "button",
          {
            type: "button",
            class: "small",
            dataset: { key: `false-${incident.id}` },
            onclick: (e) => this.onVerify(incident, "false", e.currentTarget),
          },
          t("dismiss"),
        ),
      ),
    );
  }

  focusQueue(which) {
    const list = which === "verify" ? $("#verify-queue") : this.root;
    list.querySelector("button")?.focus();
  }

  /** Something useful to focus when a dialog closed and its opener is gone. */
  focusFirst() {
    const button = this.root.querySelector("button.q-item");
    if (button) button.focus();
    return Boolean(button);
  }
}

function escalationText(incident) {
  return incident.escalations.map((e) => t(`esc_${e}`)).join(", ");
}

function waitingText(incident) {
  return `◔ ${t("waiting", { time: clock(secondsSince(incident.verification.flagged_at || incident.received_at)) })}`;
}

function moveWithArrows(root, event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const buttons = [...root.querySelectorAll("button.q-item")];
  const at = buttons.indexOf(document.activeElement.closest("button.q-item"));
  const next = buttons[at + (event.key === "ArrowDown" ? 1 : -1)];
  if (next) {
    next.focus();
    event.preventDefault();
  }
}
