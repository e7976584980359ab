// An agency's record on its board: its last 12 weeks against the targets (acknowledgement and
// on-scene, 90 % within target passes), the incidents it never acknowledged and those
// escalated, each opening its events; and the same figures as a CSV export.
// Source: GET /api/agencies/{agency}/record (JSON, or ?format=csv).
import { $, busy, clock, fill, h, timeOfDay } from "./dom.js";
import { t } from "./i18n.js";
import { timelineItems } from "./timeline.js";

const WEEKS = 12;

/** Wire the record panel of the board of `agency`; it loads when first opened. */
export function mountRecord(api, agency, toast) {
  const details = $("#record-details");
  let last = null;

  async function load() {
    fill($("#record-body"), h("p", { class: "muted", role: "status" }, t("rec_loading")));
    try {
      last = await api.get(`/api/agencies/${agency}/record?weeks=${WEEKS}`);
      render(last);
    } catch (error) {
      fill($("#record-body"), h("p", { class: "error", role: "alert" }, t("rec_failed")));
      toast(t("rec_failed"), "error");
    }
  }

  function render(record) {
    fill(
      $("#record-body"),
      h(
        "p",
        { class: "small-text" },
        t("rec_period", { from: day(record.period.from), to: lastDay(record.period.to) }),
      ),
      weeksTable(record),
      incidentList("rec_unacknowledged", record.unacknowledged, openEvents),
      incidentList("rec_escalated", record.escalated, openEvents),
      h("div", { id: "record-events" }),
    );
  }

  async function openEvents(item) {
    const found = await api.get(item.events);
    fill(
      $("#record-events"),
      h("h3", {}, t("rec_events_of", { number: item.number })),
      h("ol", { class: "timeline" }, ...timelineItems(found.events)),
    );
    $("#record-events").scrollIntoView({ block: "nearest" });
  }

  async function downloadCsv() {
    const response = await fetch(`/api/agencies/${agency}/record?weeks=${WEEKS}&format=csv`, {
      headers: { Authorization: `Bearer ${api.token}` },
      cache: "no-store",
    });
    if (!response.ok) throw new Error(String(response.status));
    const link = h("a", {
      href: URL.createObjectURL(await response.blob()),
      download: `rekam-${agency}-${WEEKS}-minggu.csv`,
    });
    document.body.append(link);
    link.click();
    link.remove();
  }

  details.addEventListener("toggle", () => {
    if (details.open && last === null) load();
  });
  $("#record-refresh").addEventListener("click", (event) => busy(event.currentTarget, load));
  $("#record-csv").addEventListener("click", (event) =>
    busy(event.currentTarget, () => downloadCsv().catch(() => toast(t("rec_failed"), "error"))),
  );
  window.addEventListener("langchange", () => last && render(last));
}

function day(iso) {
  return iso.slice(0, 10); // the local (WITA) date: the server writes the period in its zone
}

/** The last day of a period whose end is exclusive (the next week's Monday, 00:00 WITA). */
function lastDay(iso) {
  const [y, m, d] = day(iso).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}

function weeksTable(record) {
  const header = ["rec_week", "rec_routed", "rec_ack", "rec_on_scene", "rec_escalated_count"];
  return h(
    "table",
    { class: "board-table record-table" },
    h("caption", {}, t("rec_targets", {
      ack: clock(record.targets.acknowledgement_s_by_priority.P1),
      scene: clock(record.targets.on_scene_s),
      share: record.targets.pass_share_percent,
    })),
    h("thead", {}, h("tr", {}, ...header.map((key) => h("th", { scope: "col" }, t(key))))),
    h(
      "tbody",
      {},
      // this week first
      ...[...record.weeks].reverse().map((week) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, week.week),
          h("td", {}, String(week.routed)),
          h("td", {}, measure(week.acknowledgement)),
          h("td", {}, measure(week.on_scene)),
          h("td", {}, String(week.escalated)),
        ),
      ),
    ),
  );
}

/** One measure of one week: the verdict in words (never colour alone), then the figures. */
function measure(m) {
  if (m.status === "no_data") return h("span", { class: "verdict no-data" }, t("rec_no_data"));
  const figures = t("rec_within", {
    percent: m.percent_within_target,
    within: m.within_target,
    count: m.count,
    p90: m.p90_s === null ? "–" : clock(m.p90_s),
    missed: m.missed,
  });
  return h(
    "span",
    {},
    h("span", { class: `verdict ${m.status}` }, t(m.status === "pass" ? "rec_pass" : "rec_fail")),
    " ",
    figures,
  );
}

function incidentList(key, items, open) {
  return h(
    "section",
    { class: "record-list" },
    h("h3", {}, t(key, { n: items.length })),
    items.length === 0
      ? h("p", { class: "muted" }, t("rec_none"))
      : h(
          "ul",
          {},
          ...items.map((item) =>
            h(
              "li",
              {},
              h("button", { type: "button", class: "link", onclick: () => open(item) }, item.number),
              ` · ${item.priority} · ${timeOfDay(item.received_at)}`,
              item.reasons?.length ? ` · ${item.reasons.map((r) => t(`esc_${r}`)).join(", ")}` : "",
              item.closed ? ` · ${t("rec_closed")}` : "",
            ),
          ),
        ),
  );
}
