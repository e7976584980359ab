// A text field with a filtered list under it: type to filter, arrows to move, Enter or Tab to
// take the highlighted option, Esc to close. Works without a mouse; a click works too.
import { fill, h } from "./dom.js";

export class Combobox {
  /**
   * input, list: the elements; options(text) -> [{value, label, hint}];
   * onChoose(option) when an option is taken.
   */
  constructor(input, list, { options, onChoose }) {
    this.input = input;
    this.list = list;
    this.options = options;
    this.onChoose = onChoose;
    this.shown = [];
    this.active = -1;
    input.addEventListener("input", () => this.update());
    input.addEventListener("keydown", (event) => this.key(event));
    input.addEventListener("blur", () => this.close()); // options take clicks on mousedown
  }

  get isOpen() {
    return !this.list.hidden;
  }

  update() {
    this.shown = this.options(this.input.value);
    // Nothing is highlighted until something is typed: tabbing through takes nothing.
    this.active = this.shown.length && this.input.value.trim() ? 0 : -1;
    this.render();
  }

  render() {
    const id = this.list.id;
    fill(
      this.list,
      this.shown.map((option, index) =>
        h(
          "li",
          {
            id: `${id}-${index}`,
            role: "option",
            "aria-selected": index === this.active ? "true" : "false",
            class: index === this.active ? "active" : "",
            onmousedown: (event) => {
              event.preventDefault();
              this.choose(index);
            },
          },
          option.label,
          option.hint ? h("span", { class: "hint" }, option.hint) : null,
        ),
      ),
    );
    const open = this.shown.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", String(open));
    if (this.active >= 0) this.input.setAttribute("aria-activedescendant", `${id}-${this.active}`);
    else this.input.removeAttribute("aria-activedescendant");
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  choose(index) {
    const option = this.shown[index];
    this.close();
    if (option) this.onChoose(option);
  }

  key(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!this.isOpen) this.update();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.shown.length) % Math.max(1, this.shown.length);
      this.render();
      event.preventDefault();
    } else if (event.key === "Enter" && this.isOpen && this.active >= 0 && !event.ctrlKey) {
      event.preventDefault();
      this.choose(this.active);
    } else if (event.key === "Tab" && !event.shiftKey && this.isOpen && this.active >= 0) {
      this.choose(this.active); // Tab takes the highlighted option and moves on
    } else if (event.key === "Escape" && this.isOpen) {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    }
  }
}
