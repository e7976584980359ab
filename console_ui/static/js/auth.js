// Sign-in with a token: nothing but the login shows until GET /api/me accepts it.
import { Api, session } from "./api.js";
import { $, setTimeZone } from "./dom.js";
import { agencyLabel, applyStatic, setTaxonomy, t } from "./i18n.js";

function signOut() {
  session.token = null;
  window.location.reload();
}

/** Resolve with {api, me} once a token is accepted (and `refuse(me)` has no objection). */
export function signIn({ refuse = () => null } = {}) {
  applyStatic(document);
  const form = $("#login-form");
  const input = $("#login-token");
  const error = $("#login-error");
  const showError = (text) => {
    error.textContent = text;
    error.hidden = !text;
  };
  return new Promise((resolve) => {
    const attempt = async (token, quiet) => {
      const api = new Api(token, { onUnauthenticated: signOut });
      const probe = new Api(token);
      try {
        const me = await probe.get("/api/me");
        const taxonomy = await probe.get("/api/taxonomy");
        setTaxonomy(taxonomy);
        setTimeZone(taxonomy.timezone);
        const objection = refuse(me);
        if (objection) throw new Error(objection);
        session.token = token;
        $("#login").hidden = true;
        $("#app").hidden = false;
        $("#logout").addEventListener("click", signOut);
        resolve({ api, me });
      } catch (failure) {
        session.token = null;
        if (!quiet) {
          showError(
            failure.status === 401 ? t("login_failed") : failure.describe?.() || failure.message,
          );
        }
        input.focus();
      }
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = $("#login-submit");
      button.disabled = true;
      await attempt(input.value.trim(), false);
      button.disabled = false;
    });
    if (session.token) attempt(session.token, true);
    else input.focus();
  });
}

/** "operator: Rina" in the current language. */
export function roleText(me) {
  const role = me.agency
    ? t("role_agency", { agency: agencyLabel(me.agency) })
    : t(`role_${me.role}`);
  return `${role}: ${me.name}`;
}
