// api.js: the only module that talks to the network. Every call to the Fotfeste API goes
// through `request`, which adds the bearer token and turns error answers into ApiError.

const API_CACHE_PREFIX = 'fotfeste-api';

let token = null;
let onUnauthorized = () => {};

// An error answer: `status` is the HTTP status (0 when the network could not be reached),
// `detail` and `extra` come from the server's {"status_code", "detail", "extra"} body.
export class ApiError extends Error {
  constructor(status, detail = '', extra = null, retryAfter = null) {
    super(detail || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.extra = extra;
    this.retryAfter = retryAfter; // seconds, from a Retry-After header, when the server sent one
  }

  get offline() {
    return this.status === 0;
  }
}

export function setToken(value) {
  token = value || null;
}

// `handler` runs when the server rejects the stored token (it was revoked, or the account is
// gone). The app then forgets the token and starts onboarding again.
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

async function request(method, path, { body, auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  const sentToken = auth ? token : null;
  if (sentToken) headers.Authorization = `Bearer ${sentToken}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0);
  }

  if (response.ok) {
    if (response.status === 204) return null;
    return response.json();
  }

  const error = await toApiError(response);
  // Only a token we sent can be "wrong"; a 401 for a recovery code is an ordinary answer.
  if (response.status === 401 && sentToken && sentToken === token) onUnauthorized(error);
  throw error;
}

async function toApiError(response) {
  let detail = '';
  let extra = null;
  try {
    const data = await response.json();
    detail = typeof data.detail === 'string' ? data.detail : '';
    extra = data.extra ?? null;
  } catch {
    // Not JSON (a proxy's error page, say): the status alone will do.
  }
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return new ApiError(response.status, detail, extra, Number.isFinite(retryAfter) ? retryAfter : null);
}

// --- accounts ---------------------------------------------------------------------------

/** POST /api/accounts → {account_id, token, recovery_code} */
export function createAccount({ role, locale, timezone, referralCode }) {
  const body = { role, locale, timezone };
  if (referralCode) body.referral_code = referralCode;
  return request('POST', '/api/accounts', { body, auth: false });
}

/** POST /api/accounts/recover → {account_id, token}; 401 wrong code, 429 too many tries */
export function recoverAccount(recoveryCode) {
  return request('POST', '/api/accounts/recover', {
    body: { recovery_code: recoveryCode },
    auth: false,
  });
}

/** GET /api/me → {account_id, role, locale, timezone, discreet, created_at, referral_code} */
export function getMe() {
  return request('GET', '/api/me');
}

/** PATCH /api/me with any of {locale, timezone, discreet} → the new profile */
export function updateMe(changes) {
  return request('PATCH', '/api/me', { body: changes });
}

/** POST /api/me/recovery-code → {recovery_code}; the previous code stops working */
export function renewRecoveryCode() {
  return request('POST', '/api/me/recovery-code');
}

/** GET /api/me/export → everything stored about the account, as a JSON Blob */
export async function exportData() {
  const data = await request('GET', '/api/me/export');
  return new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
}

/** DELETE /api/me → 204; the token is dead afterwards */
export function deleteAccount() {
  return request('DELETE', '/api/me');
}

// --- drug-free days ---------------------------------------------------------------------

/** GET /api/progress → streaks, totals, next milestone and the last 30 days */
export function getProgress() {
  return request('GET', '/api/progress');
}

/** PUT /api/sobriety {start_date} → the progress */
export function setSobrietyDate(startDate) {
  return request('PUT', '/api/sobriety', { body: { start_date: startDate } });
}

/** PUT /api/checkins/{date} {used, craving?, mood?, substances?, note?} → the check-in */
export function putCheckin(date, checkin) {
  return request('PUT', `/api/checkins/${date}`, { body: checkin });
}

/** GET /api/checkins?from=&to= → {checkins: [...]} */
export function getCheckins(from, to) {
  return request('GET', `/api/checkins?from=${from}&to=${to}`);
}

// --- the outbox -------------------------------------------------------------------------

/** Sends an outbox entry {method, path, body} as it was meant to go. */
export function replay(entry) {
  return request(entry.method, entry.path, { body: entry.body ?? undefined });
}

// --- the app's own files ----------------------------------------------------------------

export async function fetchTranslations(lang) {
  const response = await fetch(`/i18n/${lang}.json`);
  if (!response.ok) throw new ApiError(response.status);
  return response.json();
}

// --- caches -----------------------------------------------------------------------------

// Drop every API answer the service worker kept for offline use (after deleting the account,
// or when the token has been lost), so nothing of the old account stays on the phone.
export async function clearApiCache() {
  if (!('caches' in self)) return;
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(API_CACHE_PREFIX)).map((n) => caches.delete(n)));
}

// --- articles (public) ------------------------------------------------------------------

/** GET /api/articles/{locale}?section= → {locale, articles: [{slug, title, summary, reading_minutes, …}]} */
export function getArticles(locale, section) {
  const query = section ? `?section=${encodeURIComponent(section)}` : '';
  return request('GET', `/api/articles/${encodeURIComponent(locale)}${query}`, { auth: false });
}

/** GET /api/articles/{locale}/{slug} → {slug, title, summary, reading_minutes, body_html, …} */
export function getArticle(locale, slug) {
  return request('GET', `/api/articles/${encodeURIComponent(locale)}/${encodeURIComponent(slug)}`, {
    auth: false,
  });
}

// --- my plan and treatment status -------------------------------------------------------

/** GET /api/plan → {warning_signs, high_risk_situations, coping_actions, reasons, people, updated_at} */
export function getPlan() {
  return request('GET', '/api/plan');
}

/** GET /api/treatment → {status: none|waiting|in_treatment|after, since, waiting_mode} */
export function getTreatment() {
  return request('GET', '/api/treatment');
}

/** PUT /api/treatment {status} → the new status (and the programme it switched to, if any) */
export function setTreatment(status) {
  return request('PUT', '/api/treatment', { body: { status } });
}

// --- help ---------------------------------------------------------------------------------

/** GET /api/help/resources → {country, resources: [{name, description, phone, url, hours, source}]} */
export function getHelpResources() {
  return request('GET', '/api/help/resources');
}

