// The intake form in call-script order (what, where, who is hurt, details); Ctrl+Enter saves.
import { ApiError } from "./api.js";
import { Combobox } from "./combobox.js";
import { $, $$, busy, coordText, distance, uuid4 } from "./dom.js";
import { getTaxonomy, label, t } from "./i18n.js";
import { normalisePhone, parseLocation } from "./location.js";
import { normalise } from "./geo.js";

// Which form control shows an error about which request field.
const FIELD_ALIASES = { aml: "location", kelurahan: "location", sim_present: "sim_present" };

export class IntakeForm {
  constructor({ api, map, onSaved, onError }) {
    this.api = api;
    this.map = map;
    this.onSaved = onSaved;
    this.onError = onError;
    this.form = $("#intake-form");
    this.category = $("#f-category");
    this.location = $("#f-location");
    this.preview = $("#location-preview");
    this.error = $("#intake-error");
    this.picked = false; // the coordinates came from a map click
    this.reportId = uuid4();
    this.categoryCode = null;
    this.categories = new Combobox(this.category, $("#category-list"), {
      options: (text) => this.categoryOptions(text),
      onChoose: (option) => this.setCategory(option.value),
    });
    this.kelurahan = new Combobox(this.location, $("#kelurahan-list"), {
      options: (text) => this.kelurahanOptions(text),
      onChoose: (option) => {
        this.location.value = option.value;
        this.showLocation();
      },
    });
    this.location.addEventListener("input", () => {
      this.picked = false;
      this.showLocation();
    });
    this.category.addEventListener("blur", () => this.settleCategory());
    $("#f-caller").addEventListener("input", () => this.showPhone());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.form.addEventListener("input", (event) => this.clearError(event.target));
    window.addEventListener("langchange", () => {
      if (this.categoryCode) this.setCategory(this.categoryCode);
      this.showLocation();
      this.showPhone();
    });
  }

  /** F2: a fresh form (a new report id), focus on the first question. */
  reset() {
    this.form.reset();
    this.reportId = uuid4();
    this.categoryCode = null;
    this.picked = false;
    this.clearErrors();
    this.showLocation();
    this.showPhone();
    this.category.focus();
  }

  categoryOptions(text) {
    const query = normalise(text);
    return getTaxonomy()
      .categories.filter((c) => {
        const keys = [c.label_id, c.label_en, c.code.replace(/_/g, " ")].map(normalise);
        return (
          !query ||
          keys.some((k) => k.includes(query) || k.split(" ").some((w) => w.startsWith(query)))
        );
      })
      .map((c) => ({ value: c.code, label: label(c), hint: c.code === "lainnya" ? "" : null }));
  }

  setCategory(code) {
    const found = getTaxonomy().categories.find((c) => c.code === code);
    this.categoryCode = found ? code : null;
    this.category.value = found ? label(found) : "";
  }

  /** Leaving the field with text that names no category takes the closest one, or clears it. */
  settleCategory() {
    const text = this.category.value.trim();
    if (!text) {
      this.categoryCode = null;
      return;
    }
    const current = getTaxonomy().categories.find((c) => c.code === this.categoryCode);
    if (current && label(current) === text) return;
    const [first] = this.categoryOptions(text);
    this.setCategory(first ? first.value : null);
  }

  kelurahanOptions(text) {
    const parsed = parseLocation(text);
    if (parsed.kind !== "kelurahan") return [];
    return this.map.kelurahan.search(parsed.name).map(({ area }) => ({
      value: area.name,
      label: area.name,
      hint: `Kec. ${area.kecamatan}`,
    }));
  }

  /** A map click: the point goes into the location field, and the field gets the focus. */
  pick(lat, lon) {
    this.location.value = coordText({ lat, lon });
    this.picked = true;
    this.clearError(this.location);
    this.showLocation();
    this.location.focus();
  }

  showLocation() {
    const parsed = parseLocation(this.location.value);
    let text = t("loc_none");
    let point = null;
    let outside = false;
    if (parsed.kind === "coords" || parsed.kind === "aml") {
      point = { lat: parsed.lat, lon: parsed.lon };
      text =
        parsed.kind === "aml"
          ? t("loc_aml", { coords: coordText(point), acc: parsed.accuracy ?? "?" })
          : t("loc_coords", { coords: coordText(point) });
      if (parsed.swapped) text += ` · ${t("loc_swapped")}`;
      if (this.picked) text += ` · ${t("loc_map_pick")}`;
      const place = this.map.locate(parsed.lat, parsed.lon);
      outside = place ? !place.inside : false;
      text += placeText(place);
    } else if (parsed.kind === "aml-invalid") {
      text = t("loc_aml_bad");
    } else if (parsed.kind === "kelurahan") {
      const [best] = this.map.kelurahan.search(parsed.name, 1);
      if (best) {
        point = (([lat, lon]) => ({ lat, lon }))(this.map.kelurahan.representative(best.area));
        text = `${t("loc_kelurahan", { name: best.area.name })} · Kec. ${best.area.kecamatan}`;
      } else {
        text = t("loc_kelurahan_unknown", { name: parsed.name });
      }
    }
    this.preview.textContent = text;
    this.preview.classList.toggle("outside", outside);
    this.map.setPick(point);
  }

  showPhone() {
    const raw = $("#f-caller").value.trim();
    const number = normalisePhone(raw);
    $("#caller-preview").textContent =
      number && number !== raw ? t("phone_normalised", { number }) : "";
  }

  /**
   * The POST /api/reports body: what the call-taker saw, every field of the form. `silent` is
   * always said (unticked = the caller spoke): the API reads an absent flag as "unknown". The
   * console measures no call duration or time to first speech, so it sends neither (never
   * `first_speech_s: null`, which says the telephony heard nobody speak).
   */
  body() {
    const value = (id) => $(id).value.trim();
    const count = (id) => (value(id) === "" ? null : Number(value(id)));
    const body = {
      report_id: this.reportId,
      channel: "voice",
      category: this.categoryCode || "lainnya",
      description: value("#f-description"),
      persons_involved: count("#f-persons"),
      injuries: count("#f-injuries"),
      caller_number: normalisePhone(value("#f-caller")),
      address_text: value("#f-address") || null,
      silent: $("#f-silent").checked,
      sim_present: $("#f-nosim").checked ? false : null,
      hoax_observed: $("#f-hoax").checked, // what the call-taker concluded, never inferred
    };
    const parsed = parseLocation(this.location.value);
    if (parsed.kind === "coords") {
      body.location = {
        lat: parsed.lat,
        lon: parsed.lon,
        source: this.picked ? "operator_map" : "typed",
      };
    } else if (parsed.kind === "aml" || parsed.kind === "aml-invalid") {
      body.aml = parsed.raw;
    } else if (parsed.kind === "kelurahan") {
      body.kelurahan = parsed.name;
    }
    return body;
  }

  async submit() {
    this.settleCategory();
    this.clearErrors();
    const button = $("#f-submit");
    const label = button.querySelector("[data-i18n]");
    label.textContent = t("saving");
    try {
      const answer = await busy(button, () => this.api.post("/api/reports", this.body()));
      this.onSaved(answer);
    } catch (error) {
      this.showError(error);
    } finally {
      label.textContent = t("submit");
    }
  }

  showError(error) {
    const message = error instanceof ApiError ? error.describe() : String(error);
    this.error.textContent = message;
    this.error.hidden = false;
    for (const { field } of error.fields || []) {
      const name = FIELD_ALIASES[field] || field;
      const control = this.form.querySelector(`[data-field="${name}"]`);
      if (control) control.setAttribute("aria-invalid", "true");
    }
    const first = this.form.querySelector('[aria-invalid="true"]');
    if (first) first.focus();
    if (this.onError) this.onError(error);
  }

  clearError(control) {
    if (control?.removeAttribute) control.removeAttribute("aria-invalid");
  }

  clearErrors() {
    this.error.hidden = true;
    for (const control of $$("[aria-invalid]", this.form)) control.removeAttribute("aria-invalid");
  }
}

function placeText(place) {
  if (!place) return "";
  if (!place.inside) {
    return ` → ${t("loc_outside", { distance: distance(place.distance_m), kecamatan: place.kecamatan })}`;
  }
  return ` → ${t("loc_in", { kelurahan: place.kelurahan ?? "?", kecamatan: place.kecamatan })}`;
}
