// The live queue (priority, then age; escalations first) and the verification (call-back) queue.
import { $, clock, h } from "./dom.js";
import { agencyLabel, categoryLabel, reasonText, t } from "./i18n.js";
import { KeyedList } from "./keyed.js";
import { processingBadge, secondsSince } from "./timers.js";

const PRIORITY_RANK = { P1: 1, P2: 2, P3: 3, P4: 4 };

export function queueOrder(a, b) {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    (b.escalations.length > 0) - (a.escalations.length > 0) ||
    Date.parse(a.received_at) - Date.parse(b.received_at)
  );
}

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
  constructor({ store, onOpen, onVerify }) {
    this.store = store;
    this.onOpen = onOpen;
    this.onVerify = onVerify;
    this.queue = new KeyedList($("#queue"), (i) => this.queueItem(i));
    this.verify = new KeyedList($("#verify-queue"), (i) => this.verifyItem(i));
    store.subscribe(() => this.update());
    window.addEventListener("langchange", () => this.update(true));
    setInterval(() => this.tick(), 1000);
    for (const list of [$("#queue"), $("#verify-queue")]) {
      list.addEventListener("keydown", (event) => moveWithArrows(list, event));
    }
  }

  update(force = false) {
    const all = [...this.store.incidents.values()];
    const waiting = all.filter((i) => i.verification?.pending).sort(verificationOrder);
    const open = all.filter((i) => !i.verification?.pending).sort(queueOrder);
    this.queue.update(open, force);
    this.verify.update(waiting, force);
    $("#queue-count").textContent = `(${open.length})`;
    $("#verify-count").textContent = `(${waiting.length})`;
    if (!open.length && !$("#queue").children.length) {
      $("#queue").append(h("li", { class: "muted empty" }, t("queue_empty")));
    }
    if (!waiting.length && !$("#verify-queue").children.length) {
      $("#verify-queue").append(h("li", { class: "muted empty" }, t("verify_empty")));
    }
  }

  /** Timers move every second without re-rendering whole items. */
  tick() {
    for (const [id, item] of this.queue.items) {
      const incident = this.store.incidents.get(id);
      const timer = item.el.querySelector(".timer");
      if (incident && timer) timer.replaceWith(processingBadge(incident));
    }
    for (const [id, item] of this.verify.items) {
      const incident = this.store.incidents.get(id);
      const waiting = item.el.querySelector(".waiting");
      if (incident && waiting) waiting.textContent = waitingText(incident);
    }
  }

  queueItem(incident) {
    const escalated = incident.escalations.length > 0;
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
        { class: "q-line q-sub" },
        `${categoryLabel(incident.category.code)} · ${placeShort(incident)}`,
      ),
      h(
        "span",
        { class: "q-line q-sub" },
        h("span", { class: `chip status-${incident.status}` }, t(`status_${incident.status}`)),
        incident.agencies.map((a) =>
          h(
            "span",
            {
              class: `ack-mark ${a.acknowledged_at ? "acked" : "waiting-ack"}`,
              title: a.acknowledged_at ? t("acknowledged") : t("not_acknowledged"),
            },
            `${agencyLabel(a.agency).split(" ")[0]} ${a.acknowledged_at ? "✓" : "…"}`,
          ),
        ),
      ),
      incident.units.length
        ? h("span", { class: "q-line q-sub" }, incident.units.map((u) => u.callsign).join(", "))
        : null,
      escalated
        ? h(
            "span",
            { class: "q-line escalation" },
            `▲ ${t("escalated")}: ${incident.escalations.map((e) => t(`esc_${e}`)).join(", ")}`,
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
          h("span", { class: "q-number" }, incident.number),
          h("span", { class: "waiting" }, waitingText(incident)),
        ),
        first ? h("span", { class: "q-line callback" }, `☎ ${t("callback_first")}`) : null,
        h("span", { class: "q-line q-sub" }, flags.join(" · ")),
        reason ? h("span", { class: "q-line q-sub muted" }, reasonText(reason)) : null,
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
    const list = which === "verify" ? $("#verify-queue") : $("#queue");
    list.querySelector("button")?.focus();
  }
}

function waitingText(incident) {
  return `◔ ${t("waiting", { time: clock(secondsSince(incident.verification.flagged_at || incident.received_at)) })}`;
}

function moveWithArrows(list, event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const buttons = [...list.querySelectorAll("button.q-item")];
  const at = buttons.indexOf(document.activeElement.closest("button.q-item"));
  const next = buttons[at + (event.key === "ArrowDown" ? 1 : -1)];
  if (next) {
    next.focus();
    event.preventDefault();
  }
}
