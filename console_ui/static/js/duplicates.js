// The duplicates the server suggests for a new report, each with its reason and a merge button.
import { h } from "./dom.js";
import { getLang, t } from "./i18n.js";

/** onMerge(duplicate, button) links the new report to the suggested incident. */
export function duplicateList(found, onMerge) {
  return h(
    "div",
    { class: "duplicates" },
    h("h3", {}, `⇄ ${t("duplicates")}`),
    h(
      "ul",
      {},
      found.map((d) =>
        h(
          "li",
          { class: d.same_caller ? "same-caller" : "" },
          h("span", { class: "num" }, d.number),
          " · ",
          getLang() === "en" ? d.explanation_en : d.explanation_id,
          " ",
          h(
            "button",
            {
              type: "button",
              class: "small merge-button",
              id: `merge-${d.incident_id}`,
              onclick: (e) => onMerge(d, e.currentTarget),
            },
            t("merge"),
            " ",
            h("kbd", {}, "⏎"),
          ),
        ),
      ),
    ),
  );
}
