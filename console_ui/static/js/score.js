// The false-call score shown as advice: a band in words with its reasons, never a verdict.
import { h } from "./dom.js";
import { bandLabel, reasonText, t } from "./i18n.js";

const BAND_ICONS = { low: "✓", medium: "◐", high: "☎" };

/** "Kemungkinan laporan palsu: RENDAH (saran, bukan keputusan)" + reasons + safety rule. */
export function scoreBlock(incident, { compact = false } = {}) {
  const score = incident.score || {};
  const band = incident.band || score.band || null;
  const reasons = (score.reasons || []).slice(0, 4);
  const overridden = score.band && band && score.band !== band;
  return h(
    "div",
    { class: `score band-${band || "none"}` },
    h(
      "p",
      { class: "band-line" },
      h("span", { class: "band-icon", "aria-hidden": "true" }, BAND_ICONS[band] || "·"),
      ` ${t("band_label")}: `,
      h("strong", { class: "band-word" }, bandLabel(band).toUpperCase()),
      overridden ? h("span", { class: "muted" }, ` (model: ${bandLabel(score.band)})`) : null,
      h("span", { class: "muted" }, ` · ${t("band_advice")}`),
    ),
    score.safety_rule
      ? h("p", { class: "safety" }, `⚕ ${t("safety_rule")}: ${ruleText(score.safety_rule)}`)
      : null,
    score.callback_first ? h("p", { class: "callback" }, `☎ ${t("callback_first")}`) : null,
    compact || !reasons.length ? null : reasonsLine(reasons),
  );
}

export function ruleText(rule) {
  const key = `rule_${rule}`;
  const text = t(key);
  return text === key ? rule : text;
}

function reasonsLine(reasons) {
  const text = reasons.map((r) => reasonText(r)).join(" · ");
  return h("p", { class: "reasons", title: text }, `${t("reasons")}: ${text}`);
}
