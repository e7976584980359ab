// The commands an operator can give on one incident, as forms in the detail dialog.
import { h } from "./dom.js";
import { actionForm, field, input, select } from "./forms.js";
import { agencyLabel, getTaxonomy, label, t } from "./i18n.js";
import { Cancelled, closeRisks, confirmAction } from "./confirm.js";

export const DISPOSITIONS = [
  "genuine",
  "prank",
  "silent",
  "accidental",
  "non_emergency",
  "duplicate",
  "test",
];

/** The forms for this incident; command(path, body) sends one (with expected_version).
 * current() is the incident as it is now (the forms outlive live updates); unitStatus(id)
 * a unit's status, for the question asked before closing. */
export function commandForms({
  incident: i,
  units,
  command,
  current = () => i,
  unitStatus = () => undefined,
}) {
  const tax = getTaxonomy();
  if (i.status === "closed") {
    return tagged(
      "reopen",
      actionForm(
        t("reopen"),
        [field(t("reason"), input("reason", { required: true }))],
        t("reopen"),
        (v) => command("reopen", v),
      ),
    );
  }
  const forms = [];
  if (i.verification?.pending) {
    forms.push(
      tagged(
        "verify",
        actionForm(
          t("verify_title"),
          [
            select(
              "outcome",
              [
                ["genuine", t("outcome_genuine")],
                ["false", t("outcome_false")],
              ],
              "genuine",
            ),
            select(
              "disposition",
              [
                ["", "–"],
                ...DISPOSITIONS.filter((d) => d !== "genuine").map((d) => [d, t(`disp_${d}`)]),
              ],
              "",
            ),
            input("reason", {
              placeholder: t("verify_reason"),
              "aria-label": t("verify_reason"),
            }),
          ],
          t("apply"),
          (v) =>
            command("verify", {
              outcome: v.outcome,
              reason: v.reason,
              disposition: v.disposition || null,
            }),
        ),
      ),
    );
  }
  const routed = new Set(i.agencies.map((a) => a.agency));
  const available = [...units]
    .filter((u) => u.status === "available" && routed.has(u.agency))
    .sort((a, b) => a.agency.localeCompare(b.agency) || a.callsign.localeCompare(b.callsign));
  return [
    ...forms,
    tagged(
      "route",
      actionForm(
        t("route"),
        tax.agencies.map((a) =>
          h(
            "label",
            { class: "check small" },
            h("input", {
              type: "checkbox",
              name: "agencies",
              value: a.code,
              checked: routed.has(a.code),
              disabled: routed.has(a.code),
            }),
            ` ${label(a)}`,
          ),
        ),
        t("route"),
        (v) => command("route", { agencies: v.agencies || [] }),
      ),
    ),
    tagged(
      "units",
      actionForm(
        t("assign_unit"),
        [
          select(
            "unit_id",
            [
              ["", t("pick_unit")],
              ...available.map((u) => [u.id, `${u.callsign} (${agencyLabel(u.agency)})`]),
            ],
            "",
          ),
        ],
        t("assign_unit"),
        (v) => command("units", { unit_id: v.unit_id }),
      ),
    ),
    tagged(
      "triage",
      actionForm(
        t("triage"),
        [
          select(
            "priority",
            tax.priorities.map((p) => [p.code, p.code]),
            i.priority,
          ),
          select(
            "category",
            tax.categories.map((c) => [c.code, label(c)]),
            i.category.code,
          ),
          input("reason", { placeholder: t("reason"), "aria-label": t("reason") }),
        ],
        t("apply"),
        (v) => command("triage", v),
      ),
    ),
    tagged(
      "notes",
      actionForm(
        t("add_note"),
        [input("text", { "aria-label": t("add_note"), class: "wide" })],
        t("add_note"),
        (v, form) => command("notes", { text: v.text }).then(() => form.reset()),
      ),
    ),
    tagged(
      "score-override",
      actionForm(
        t("override"),
        [
          select(
            "band",
            ["low", "medium", "high"].map((b) => [b, t(`band_${b}`)]),
            i.band || "low",
          ),
          input("reason", {
            placeholder: t("reason"),
            "aria-label": t("reason"),
            title: t("override_hint"),
          }),
        ],
        t("apply"),
        (v) => command("score-override", v),
      ),
    ),
    tagged(
      "close",
      actionForm(
        t("close_incident"),
        [
          select(
            "disposition",
            DISPOSITIONS.map((d) => [d, t(`disp_${d}`)]),
            "genuine",
          ),
          input("reason", { placeholder: t("reason"), "aria-label": t("reason") }),
        ],
        t("close_incident"),
        (v) => command("close", v),
        { className: "danger-zone", ask: () => confirmClose(current(), unitStatus) },
      ),
    ),
  ];
}

/** Units still out or an agency that never acknowledged: ask before closing (and releasing). */
async function confirmClose(incident, unitStatus) {
  const risks = closeRisks(incident, unitStatus, agencyLabel);
  if (!risks.length) return;
  const confirmed = await confirmAction({
    title: t("confirm_close_title", { number: incident.number }),
    lines: [...risks, t("confirm_close_release")],
    confirmLabel: t("close_incident"),
  });
  if (!confirmed) throw new Cancelled();
}

function tagged(command, form) {
  form.dataset.command = command;
  return form;
}
