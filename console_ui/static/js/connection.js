// The connection indicator: a shape and a word per state, never colour alone.
import { t } from "./i18n.js";

const ICONS = { connecting: "◌", live: "●", reconnecting: "◐", offline: "✕", polling: "◍" };

export function showConnection(el, state, position) {
  el.textContent = `${ICONS[state] || "?"} ${t(`conn_${state}`)}`;
  el.className = `conn conn-${state}`;
  el.dataset.state = state;
  el.dataset.position = position ?? ""; // the log position the screen shows (checks compare it)
  el.title = t("conn_title", { position: position ?? "–" });
}
