// The board's selected incident row: the first until the dispatcher moves with ↑/↓ (or Tab,
// or a click on the map); A acknowledges it. Keys typed into a control or the map are theirs.

export class RowSelection {
  /** tbody: the incidents' rows (tr[data-id]); onSelect(id) and onAcknowledge(id, button). */
  constructor(tbody, { onSelect, onAcknowledge }) {
    this.tbody = tbody;
    this.id = null;
    this.onSelect = onSelect;
    this.onAcknowledge = onAcknowledge;
    tbody.addEventListener("focusin", (event) => {
      const row = event.target.closest("tr");
      if (row && row.dataset.id !== this.id) this.select(row.dataset.id, false);
    });
    document.addEventListener("keydown", (event) => this.key(event));
  }

  rows() {
    return [...this.tbody.children];
  }

  /** After a render: keep the selection if its row is still there, else take the first. */
  refresh() {
    const rows = this.rows();
    if (!rows.some((r) => r.dataset.id === this.id)) this.id = rows[0]?.dataset.id ?? null;
    rows.forEach((row) => this.mark(row));
    return this.id;
  }

  mark(row) {
    const on = row.dataset.id === this.id;
    row.tabIndex = on ? 0 : -1;
    row.classList.toggle("selected", on);
    if (on) row.setAttribute("aria-current", "true");
    else row.removeAttribute("aria-current");
  }

  select(id, focus = true) {
    this.id = id;
    const rows = this.rows();
    rows.forEach((row) => this.mark(row));
    if (focus) rows.find((r) => r.dataset.id === id)?.focus();
    this.onSelect(id);
  }

  key(event) {
    const own = event.target.closest?.("input, select, textarea, svg");
    if (own || event.ctrlKey || event.metaKey || event.altKey) return;
    const rows = this.rows();
    const at = rows.findIndex((r) => r.dataset.id === this.id);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const next = rows[at + (event.key === "ArrowDown" ? 1 : -1)];
      if (!next) return;
      event.preventDefault();
      this.select(next.dataset.id);
    } else if ((event.key === "a" || event.key === "A") && at >= 0) {
      const button = rows[at].querySelector(".ack button");
      if (!button) return;
      event.preventDefault();
      this.onAcknowledge(this.id, button);
    }
  }
}
