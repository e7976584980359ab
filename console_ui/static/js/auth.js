// Sign-in with a token. A token the tab kept (a reload) is checked first behind a polite
// "checking the session" status: the sign-in form shows, and takes the keyboard, only when there
// is no token or the server refused it. An unreachable server keeps the token and retries.
import { Api, ApiError, session } from "./api.js";
import { $, setTimeZone } from "./dom.js";
import { agencyLabel, applyStatic, setTaxonomy, t } from "./i18n.js";

const RETRY_MS = 5000;
const ENDED_KEY = "siaga112.session-ended"; // why the last reload signed out: "refused"

function signOut() {
  session.token = null;
  window.location.reload();
}

/** The server refused the token (401) in the middle of a shift: say so after the reload. */
function sessionRefused() {
  sessionStorage.setItem(ENDED_KEY, "refused");
  signOut();
}

/** The session, or why it was refused (a 401/403, or `refuse(me)`'s objection). */
async function verify(token, refuse) {
  const probe = new Api(token);
  const me = await probe.get("/api/me");
  const taxonomy = await probe.get("/api/taxonomy");
  setTaxonomy(taxonomy);
  setTimeZone(taxonomy.timezone);
  const objection = refuse(me);
  if (objection) throw new Error(objection);
  return me;
}

/** Refused (sign in again), as opposed to not answered (keep the token, try again). */
function refusal(failure) {
  if (!(failure instanceof ApiError)) return failure.message;
  if (failure.status === 401) return t("session_expired");
  if (failure.status === 403) return failure.describe();
  return null;
}

function unreachable(failure) {
  return failure.status === 0
    ? t("session_unreachable")
    : t("session_server_error", { status: failure.status });
}

/** Resolve with {api, me} once a token is accepted (and `refuse(me)` has no objection). */
export function signIn({ refuse = () => null } = {}) {
  applyStatic(document);
  const check = $("#session-check");
  const status = $("#session-status");
  const retry = $("#session-retry");
  const form = $("#login-form");
  const input = $("#login-token");
  const error = $("#login-error");
  const showForm = (message) => {
    check.hidden = true;
    form.hidden = false;
    error.textContent = message;
    error.hidden = !message;
    input.focus();
  };
  return new Promise((resolve) => {
    let timer = null;
    const enter = (token, me) => {
      clearTimeout(timer);
      session.token = token;
      $("#login").hidden = true;
      $("#app").hidden = false;
      $("#logout").addEventListener("click", signOut);
      resolve({ api: new Api(token, { onUnauthenticated: sessionRefused }), me });
    };
    const resume = async () => {
      clearTimeout(timer);
      const token = session.token;
      retry.hidden = true;
      status.textContent = t("session_checking");
      try {
        enter(token, await verify(token, refuse));
      } catch (failure) {
        const refused = refusal(failure);
        if (refused !== null) {
          session.token = null;
          showForm(refused);
          return;
        }
        status.textContent = unreachable(failure);
        retry.hidden = false;
        retry.focus();
        timer = setTimeout(resume, RETRY_MS);
      }
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = $("#login-submit");
      const token = input.value.trim();
      button.disabled = true;
      try {
        enter(token, await verify(token, refuse));
      } catch (failure) {
        session.token = null;
        const refused = refusal(failure);
        if (failure.status === 401) showForm(t("login_failed"));
        else if (refused !== null) showForm(refused);
        else showForm(failure.status === 0 ? t("login_unreachable") : failure.describe());
      }
      button.disabled = false;
    });
    retry.addEventListener("click", resume);
    const ended = sessionStorage.getItem(ENDED_KEY);
    sessionStorage.removeItem(ENDED_KEY);
    if (session.token) resume();
    else showForm(ended ? t("session_expired") : "");
  });
}

/** "operator: Rina" in the current language. */
export function roleText(me) {
  const role = me.agency
    ? t("role_agency", { agency: agencyLabel(me.agency) })
    : t(`role_${me.role}`);
  return `${role}: ${me.name}`;
}
