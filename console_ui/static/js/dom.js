// Small DOM and formatting helpers shared by the console and the boards.

/** Create an element: h("button", {class: "x", onclick}, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const svg = tag.startsWith("svg:");
  const el = svg
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** mm:ss (or h:mm:ss) for a number of seconds. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function distance(m) {
  if (m === null || m === undefined) return "–";
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}

export function minutes(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  return `±${Math.max(1, Math.round(seconds / 60))}`;
}

/** Coordinates as shown: 5 decimals (about 1 m), latitude first. */
export function coordText(location) {
  if (!location) return "";
  return `${Number(location.lat).toFixed(5)}, ${Number(location.lon).toFixed(5)}`;
}

// The center's zone (from GET /api/taxonomy): every time on screen is the center's clock.
let timeZone;
export function setTimeZone(zone) {
  timeZone = zone || undefined;
}

export function timeOfDay(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  return d.toLocaleTimeString("id-ID", {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZone,
  });
}

/** A random UUID v4 (crypto.randomUUID needs a secure context; a LAN http:// is not one). */
export function uuid4() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Run an async action with the button busy (disabled, aria-busy, "…" label). */
export async function busy(button, action) {
  if (!button) return action();
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await action();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/** Whether closing `dialog` left the focus nowhere useful (on the body, or still inside it):
 * its close event comes a task after it closed, when something else may already have it. */
export function focusLeftWith(dialog) {
  const at = document.activeElement;
  return !at || at === document.body || dialog.contains(at);
}
