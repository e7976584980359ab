// Small form builders and the one way every incident command is sent: with the version the
// operator saw, busy while it runs, errors shown on the form (422 fields highlighted).
import { $$, busy, h } from "./dom.js";
import { t } from "./i18n.js";

export function field(labelText, control) {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, labelText), control);
}

export function select(name, options, value) {
  return h(
    "select",
    { name, "data-field": name },
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)),
  );
}

export function input(name, attrs = {}) {
  return h("input", { name, "data-field": name, autocomplete: "off", ...attrs });
}

/** A form whose submit runs send(values, form); a status line under it shows the outcome.
 * ask(), when given, comes first, before the button is busy (a question in a dialog gives the
 * focus back to it); it throws to send nothing. */
export function actionForm(title, controls, buttonText, send, { className = "", ask } = {}) {
  const status = h("p", { class: "form-status", role: "status" });
  const button = h("button", { type: "submit", class: "small primary" }, buttonText);
  const form = h(
    "form",
    { class: `action-form ${className}`, novalidate: true },
    h("h4", {}, title),
    h("div", { class: "form-row" }, controls, button),
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const el of $$("[aria-invalid]", form)) el.removeAttribute("aria-invalid");
    status.textContent = t("loading");
    status.className = "form-status";
    try {
      await ask?.();
      await busy(button, () => send(values(form), form));
      status.textContent = "✓";
    } catch (error) {
      showFormError(form, status, error);
    }
  });
  return form;
}

export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    if (el.type === "checkbox") {
      if (el.checked) (out[el.name] ||= []).push(el.value);
    } else {
      out[el.name] = el.value.trim();
    }
  }
  return out;
}

export function showFormError(form, status, error) {
  status.textContent = `⚠ ${error.describe ? error.describe() : String(error)}`;
  status.className = "form-status error";
  for (const { field: name } of error.fields || []) {
    form.querySelector(`[data-field="${name}"]`)?.setAttribute("aria-invalid", "true");
  }
  form.querySelector('[aria-invalid="true"]')?.focus();
}
