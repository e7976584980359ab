// A list of elements keyed by id: an item is rebuilt only when its version changes, the order
// is fixed up in place, and the focused control survives both (live updates never steal focus).
import { h } from "./dom.js";

export class KeyedList {
  /** root: the container; render(item) -> children of the item's element; tag: "li" or "tr". */
  constructor(root, render, tag = "li") {
    this.root = root;
    this.render = render;
    this.tag = tag;
    this.items = new Map(); // id -> {el, version}
  }

  update(records, force = false) {
    const focusKey = focusedKey(this.root);
    const seen = new Set();
    const ordered = records.map((record) => {
      seen.add(record.id);
      let item = this.items.get(record.id);
      if (!item) {
        item = { el: h(this.tag, { dataset: { id: record.id } }), version: -1 };
        this.items.set(record.id, item);
      }
      if (force || item.version !== record.version) {
        item.el.replaceChildren(...[this.render(record)].flat().filter(Boolean));
        item.version = record.version;
      }
      return item.el;
    });
    for (const [id, item] of this.items) {
      if (!seen.has(id)) {
        item.el.remove();
        this.items.delete(id);
      }
    }
    const current = [...this.root.children];
    if (current.length !== ordered.length || ordered.some((el, i) => current[i] !== el)) {
      this.root.replaceChildren(...ordered);
    }
    if (focusKey && !this.root.contains(document.activeElement)) {
      this.root.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
    }
  }
}

/** Controls that should keep focus across re-renders carry data-key="<stable id>". */
function focusedKey(root) {
  const el = document.activeElement;
  return el && root.contains(el) ? el.closest("[data-key]")?.dataset.key : null;
}
