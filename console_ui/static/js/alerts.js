// Alarms a noisy floor cannot miss: a short tone made in the page (Web Audio, no audio files)
// for a new P1, an escalation and a call-back waiting too long; a visible mute (kept for the
// session); the count needing action in the tab title; browser notifications if asked for.
import { $, h } from "./dom.js";
import { t } from "./i18n.js";
import { secondsSince } from "./timers.js";

export const CALLBACK_LIMIT_S = 120;
const MUTE_KEY = "siaga112.muted";
const NOTIFY_KEY = "siaga112.notify";
const TITLE = "SIAGA 112 · Konsol";
// Tones, most urgent first: [frequency Hz, seconds] beeps, 0.08 s apart.
const TONES = {
  escalation: [
    [988, 0.14],
    [740, 0.14],
    [988, 0.14],
  ],
  new_p1: [
    [880, 0.12],
    [880, 0.12],
  ],
  callback_waiting: [[660, 0.2]],
};

/** What changed between the incident held before (or undefined) and now, as alarm kinds. */
export function alertsFor(before, after) {
  const kinds = [];
  if (after.priority === "P1" && (!before || before.priority !== "P1")) kinds.push("new_p1");
  if (after.escalations.some((e) => !(before?.escalations || []).includes(e))) {
    kinds.push("escalation");
  }
  return kinds;
}

/** A call-back that has waited past the limit (flagged, still pending). */
export function callbackOverdue(incident, limitS = CALLBACK_LIMIT_S) {
  if (!incident.verification?.pending) return false;
  return secondsSince(incident.verification.flagged_at || incident.received_at) >= limitS;
}

export class Alerts {
  constructor({ store, notify }) {
    this.store = store;
    this.notify = notify;
    this.held = null; // id -> incident as last seen; null until the first picture arrived
    this.own = new Set(); // incidents this console just took: the call-taker knows already
    this.overdue = new Set();
    this.audio = null;
    this.muted = sessionStorage.getItem(MUTE_KEY) === "1";
    this.notifying = sessionStorage.getItem(NOTIFY_KEY) === "1";
    this.muteButton = $("#mute");
    this.notifyButton = $("#notify-toggle");
    this.muteButton.addEventListener("click", () => this.setMuted(!this.muted));
    this.notifyButton.addEventListener("click", () => this.toggleNotifications());
    store.subscribe(() => this.changed());
    window.addEventListener("langchange", () => this.drawButtons());
    setInterval(() => this.tick(), 1000);
    this.drawButtons();
  }

  /** The console saved this incident itself: no alarm for it. */
  taken(id) {
    this.own.add(id);
  }

  changed() {
    const now = new Map(this.store.incidents);
    if (this.held === null) {
      this.held = now;
      return;
    }
    const fired = [];
    for (const [id, incident] of now) {
      const before = this.held.get(id);
      if (before && before.version === incident.version) continue;
      const kinds = alertsFor(before, incident).filter(
        (k) => !(k === "new_p1" && this.own.has(id)),
      );
      for (const kind of kinds) fired.push({ kind, incident });
    }
    this.held = now;
    this.raise(fired);
  }

  tick() {
    const fired = [];
    for (const incident of this.store.incidents.values()) {
      if (callbackOverdue(incident) && !this.overdue.has(incident.id)) {
        this.overdue.add(incident.id);
        fired.push({ kind: "callback_waiting", incident });
      }
    }
    this.raise(fired);
  }

  raise(fired) {
    if (!fired.length) return;
    const order = Object.keys(TONES);
    fired.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    const minutes = CALLBACK_LIMIT_S / 60;
    const text = fired
      .map(({ kind, incident }) => t(`alert_${kind}`, { number: incident.number, min: minutes }))
      .join(" · ");
    this.notify?.(`▲ ${text}`, "error");
    this.tone(fired[0].kind); // one tone per change, the most urgent one
    this.browserNotification(text);
  }

  tone(kind) {
    if (this.muted) return;
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    this.audio ||= new Context();
    this.audio.resume?.().catch(() => {});
    let at = this.audio.currentTime + 0.02;
    for (const [frequency, seconds] of TONES[kind]) {
      const oscillator = this.audio.createOscillator();
      const gain = this.audio.createGain();
      oscillator.type = "square";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + seconds);
      oscillator.connect(gain).connect(this.audio.destination);
      oscillator.start(at);
      oscillator.stop(at + seconds + 0.02);
      at += seconds + 0.08;
    }
  }

  setMuted(muted) {
    this.muted = muted;
    sessionStorage.setItem(MUTE_KEY, muted ? "1" : "0");
    this.drawButtons();
  }

  /** Ask for permission only here, on the operator's click. */
  async toggleNotifications() {
    if (this.notifying) {
      this.notifying = false;
    } else if ("Notification" in window) {
      const permission =
        Notification.permission === "granted"
          ? "granted"
          : await Notification.requestPermission();
      this.notifying = permission === "granted";
      if (!this.notifying) this.notify?.(t("notify_refused"), "error");
    }
    sessionStorage.setItem(NOTIFY_KEY, this.notifying ? "1" : "0");
    this.drawButtons();
  }

  browserNotification(text) {
    if (!this.notifying || document.visibilityState === "visible") return;
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    new Notification("SIAGA 112", { body: text, tag: "siaga112-alert" });
  }

  drawButtons() {
    this.muteButton.setAttribute("aria-pressed", String(this.muted));
    this.muteButton.replaceChildren(
      h("span", { "aria-hidden": "true" }, this.muted ? "✕ " : "♪ "),
      t(this.muted ? "sound_muted" : "sound_on"),
    );
    this.muteButton.title = t("sound_title");
    this.notifyButton.hidden = !("Notification" in window);
    this.notifyButton.setAttribute("aria-pressed", String(this.notifying));
    this.notifyButton.textContent = t(this.notifying ? "notify_on" : "notify_off");
  }
}

/** "(3) SIAGA 112 · Konsol": what needs a person, readable from another tab. */
export function showNeedsAction(count) {
  document.title = count ? `(${count}) ${TITLE}` : TITLE;
}
