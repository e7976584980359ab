// The bottom strip: per agency, how many units are available, and every unit that is busy.
import { $, fill, h } from "./dom.js";
import { agencyLabel, t } from "./i18n.js";
import { AGENCY_SHAPES } from "./map.js";

export function renderUnitsBar(store) {
  const units = [...store.units.values()];
  const agencies = [...new Set(units.map((u) => u.agency))].sort();
  const busy = units
    .filter((u) => u.status !== "available")
    .sort((a, b) => a.agency.localeCompare(b.agency) || a.callsign.localeCompare(b.callsign));
  fill(
    $("#units-bar"),
    h("strong", {}, `${t("units")}: `),
    agencies.map((agency) => {
      const own = units.filter((u) => u.agency === agency);
      const available = own.filter((u) => u.status === "available").length;
      return h(
        "span",
        { class: `ub-agency ${available === 0 ? "none-left" : ""}` },
        h(
          "span",
          { class: `glyph ${agency}`, "aria-hidden": "true" },
          AGENCY_SHAPES[agency]?.glyph || "•",
        ),
        ` ${agencyLabel(agency)} ${t("units_summary", { available, total: own.length })}`,
      );
    }),
    busy.map((u) =>
      h(
        "span",
        { class: `ub-unit status-${u.status}` },
        h(
          "span",
          { class: `glyph ${u.agency}`, "aria-hidden": "true" },
          AGENCY_SHAPES[u.agency]?.glyph || "•",
        ),
        ` ${u.callsign} ${t(`unit_${u.status}`)}`,
      ),
    ),
  );
}
