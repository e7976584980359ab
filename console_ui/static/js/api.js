// The HTTP API with the session's bearer token, and its errors in words an operator can act on.
import { t } from "./i18n.js";

const TOKEN_KEY = "siaga112.token";
let serverOffsetMs = 0;

/** Milliseconds since the epoch on the server's clock (ages must not depend on a PC's clock). */
export function serverNow() {
  return Date.now() + serverOffsetMs;
}

/** Learn the server's clock from a timestamp it sent; a coarse one only corrects big drifts. */
export function noteServerTime(iso, toleranceMs = 0) {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return;
  const offset = at - Date.now();
  if (Math.abs(offset - serverOffsetMs) > toleranceMs) serverOffsetMs = offset;
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** An API answer that was not 2xx (or no answer at all: status 0). */
export class ApiError extends Error {
  constructor(status, body) {
    super(typeof body?.detail === "string" ? body.detail : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.fields = invalidFields(status, this.body);
  }

  /** The incident as it is now, sent with a 409 version conflict. */
  get current() {
    return this.body.current || null;
  }

  get isConflict() {
    return this.status === 409 && this.body.error === "version_conflict";
  }

  /** One sentence for the operator. */
  describe() {
    const detail = typeof this.body.detail === "string" ? this.body.detail : "";
    if (this.status === 0) return t("err_network");
    if (this.status === 401) return t("err_unauthenticated");
    if (this.status === 403) return t("err_forbidden", { detail });
    if (this.status === 404) return t("err_not_found", { detail });
    if (this.isConflict) return t("conflict");
    if (this.status === 409) return t("err_domain", { detail });
    if (this.status === 422) {
      const fields = this.fields.map((f) => `${t(`field_${f.field}`)} — ${f.msg}`).join("; ");
      return t("err_invalid", { fields: fields || detail });
    }
    if (this.status === 503) return t("err_unavailable");
    return t("err_other", { status: this.status, detail });
  }
}

// Pydantic's error types that have plain words in the dictionary.
const FRIENDLY = {
  string_pattern_mismatch: "err_pattern",
  string_too_short: "err_required",
  missing: "err_required",
};

function invalidFields(status, body) {
  if (status !== 422) return [];
  if (!Array.isArray(body.detail)) return [];
  return body.detail.map((d) => {
    const loc = (d.loc || []).filter((p) => p !== "body");
    const msg = FRIENDLY[d.type] ? t(FRIENDLY[d.type]) : d.msg || "";
    return { field: String(loc[0] ?? "request"), path: loc.join("."), msg };
  });
}

export class Api {
  constructor(token, { onUnauthenticated } = {}) {
    this.token = token;
    this.onUnauthenticated = onUnauthenticated;
  }

  async request(method, path, body) {
    const headers = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, {});
    }
    const date = response.headers.get("Date");
    if (date) noteServerTime(new Date(date).toISOString(), 2000); // HTTP dates are whole seconds
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new ApiError(response.status, data);
      if (response.status === 401 && this.onUnauthenticated) this.onUnauthenticated(error);
      throw error;
    }
    return data;
  }

  get(path) {
    return this.request("GET", path);
  }

  post(path, body = {}) {
    return this.request("POST", path, body);
  }
}
