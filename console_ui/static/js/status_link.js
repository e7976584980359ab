// The caller's status link on an incident's detail: the call-taker creates it (and may send it
// by SMS to the caller's number), reads it out or copies it. The page behind it shows progress
// only (received, on the way with ETA, arrived, closed). Call-center roles only, as the server.
import { busy, h } from "./dom.js";
import { t } from "./i18n.js";

const MAY_ISSUE = new Set(["operator", "supervisor"]); // dispatch/permissions.py: CALL_CENTER

export function mayIssueStatusLink(me) {
  return MAY_ISSUE.has(me?.role) && !me.agency;
}

/** The panel for one incident (null when the role may not issue a link or it is closed). */
export function statusLinkPanel(api, incident, me) {
  if (!mayIssueStatusLink(me) || incident.status === "closed") return null;
  const url = h("input", {
    id: "status-link-url",
    type: "text",
    readonly: true,
    hidden: true,
    "aria-label": t("status_link_url"),
  });
  const outcome = h("p", { class: "small-text", id: "status-link-outcome", role: "status" });
  const copy = h(
    "button",
    { type: "button", class: "small", id: "status-link-copy", hidden: true },
    t("status_link_copy"),
  );
  const issue = async (button, sendSms) => {
    try {
      const link = await busy(button, () =>
        api.post(`/api/incidents/${incident.id}/status-link`, { send_sms: sendSms }),
      );
      url.value = link.url;
      url.hidden = copy.hidden = false;
      outcome.textContent = link.sent_to ? t("status_link_sent", { number: link.sent_to }) : "";
      url.focus();
      url.select();
    } catch (error) {
      outcome.textContent = `⚠ ${error.describe ? error.describe() : error}`;
    }
  };
  copy.addEventListener("click", async () => {
    url.select();
    try {
      await navigator.clipboard.writeText(url.value);
      outcome.textContent = t("status_link_copied");
    } catch {
      // No clipboard outside a secure context (a LAN http:// console): the text stays selected.
      url.focus();
      url.select();
      outcome.textContent = t("status_link_copy_by_hand");
    }
  });
  return h(
    "section",
    { class: "status-link", id: "detail-status-link" },
    h("h3", {}, `↗ ${t("status_link_title")}`),
    h("p", { class: "small-text muted" }, t("status_link_hint")),
    h(
      "p",
      { class: "status-link-actions" },
      h(
        "button",
        {
          type: "button",
          class: "small",
          id: "status-link-create",
          onclick: (e) => issue(e.currentTarget, false),
        },
        t("status_link_create"),
      ),
      " ",
      incident.caller_number
        ? h(
            "button",
            {
              type: "button",
              class: "small",
              id: "status-link-sms",
              onclick: (e) => issue(e.currentTarget, true),
            },
            t("status_link_sms", { number: incident.caller_number }),
          )
        : null,
    ),
    h("p", { class: "status-link-url" }, url, " ", copy),
    outcome,
  );
}
