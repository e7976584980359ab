// The duplicates the server suggests for a new report, each with its reason and a merge button;
// the server sends only the best few, and says how many matched ("and 12 more").
import { h } from "./dom.js";
import { getLang, t } from "./i18n.js";

/** total: how many incidents matched (found holds the best of them); onMerge(duplicate,
 *  button) links the new report to the suggested incident. */
export function duplicateList(found, total, onMerge) {
  const more = Math.max(0, (total ?? found.length) - found.length);
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
    more ? h("p", { class: "muted duplicates-more" }, t("duplicates_more", { n: more })) : null,
  );
}
