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

export async function request(method, path, { body, auth = true } = {}) {
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

/** GET /api/me/devices → {devices: [{id, created_at, last_used_at, current}]} */
export function listDevices() {
  return request('GET', '/api/me/devices');
}

/** DELETE /api/me/devices/{id}: that device's token stops working. */
export function revokeDevice(id) {
  return request('DELETE', `/api/me/devices/${encodeURIComponent(id)}`);
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

// --- clinics ----------------------------------------------------------------------------

/** GET /api/referrals/{code} → {code, clinic, programme, contacts, home_area, shared, never_shared, min_group} */
export function getReferral(code) {
  return request('GET', `/api/referrals/${encodeURIComponent(code)}`, { auth: false });
}

/** GET /api/me/clinic-link → {linked, clinic?, programme?, contacts?, linked_at?, pending_code?} */
export function getClinicLink() {
  return request('GET', '/api/me/clinic-link');
}

/** POST /api/me/clinic-link {code, accept} → the link after the answer */
export function answerClinicLink(code, accept) {
  return request('POST', '/api/me/clinic-link', { body: { code, accept } });
}

/** DELETE /api/me/clinic-link → 204; the clinic no longer counts the account */
export function leaveClinic() {
  return request('DELETE', '/api/me/clinic-link');
}

// --- follow-up scales -------------------------------------------------------------------

/** GET /api/instruments → {instruments: [...], cutoff_set} in the account's language */
export function getInstruments() {
  return request('GET', '/api/instruments');
}

/** POST /api/responses {instrument, answers, client_id} → the scored response (safety first) */
export function createResponse(body) {
  return request('POST', '/api/responses', { body });
}

/** GET /api/responses[?instrument=] → {responses: [...]}, oldest first */
export function getResponses(instrument) {
  const query = instrument ? `?instrument=${encodeURIComponent(instrument)}` : '';
  return request('GET', `/api/responses${query}`);
}

/** GET /api/followups → {programme, start_date, followups: [...]} */
export function getFollowups() {
  return request('GET', '/api/followups');
}

/** GET /api/programmes → {programmes: [{id, name, description}]} */
export function getProgrammes() {
  return request('GET', '/api/programmes');
}

/** GET /api/me/programme → {programme, name, description, start_date, chosen} */
export function getProgramme() {
  return request('GET', '/api/me/programme');
}

/** PUT /api/me/programme {programme, start_date?} → the enrolment */
export function putProgramme(body) {
  return request('PUT', '/api/me/programme', { body });
}

/** PUT /api/scales/settings {cutoff_set: "men"|"women"|null} */
export function putScaleSettings(body) {
  return request('PUT', '/api/scales/settings', { body });
}

/** GET /api/help/resources → {country, resources: [...]} for the account's country */
export function getHelpResources() {
  return request('GET', '/api/help/resources');
}

/** GET /api/help/settings → {region}: the Danish region whose out-of-hours line is shown */
export function getHelpSettings() {
  return request('GET', '/api/help/settings');
}

/** PUT /api/help/settings {region}: a Danish region, or null for every region's line */
export function putHelpSettings(body) {
  return request('PUT', '/api/help/settings', { body });
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

/** GET /api/checkins?from=&to= → {checkins: [...]} */
export function getCheckins(from, to) {
  return request('GET', `/api/checkins?from=${from}&to=${to}`);
}

// --- motivation: the home card's one call; the rest is in api-more.js --------------------
/** GET /api/supporting → {people: [...]}: only what each person shares */
export function getSupporting() {
  return request('GET', '/api/supporting');
}

// --- meetings ---------------------------------------------------------------------------

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** GET /api/meetings/nearby?lat&lon&radius_km&day&fellowship&type&limit → {meetings} nearest first */
export function nearbyMeetings(params) {
  return request('GET', `/api/meetings/nearby${query(params)}`, { auth: false });
}

/** GET /api/meetings/online?day&fellowship&language&limit → {meetings} soonest first */
export function onlineMeetings(params) {
  return request('GET', `/api/meetings/online${query(params)}`, { auth: false });
}

/** GET /api/meetings/{id} → one meeting; 404 when it is no longer listed */
export function getMeeting(id) {
  return request('GET', `/api/meetings/${encodeURIComponent(id)}`, { auth: false });
}

/** The address of a meeting's iCalendar file (a weekly event), for a download link. */
export function meetingCalendarUrl(id) {
  return `/api/meetings/${encodeURIComponent(id)}/calendar.ics`;
}

/** GET /api/meetings/types?locale= → {locale, types: {code: name}} */
export function meetingTypes(locale) {
  return request('GET', `/api/meetings/types${query({ locale })}`, { auth: false });
}

/** GET /api/me/favourites → {meetings} soonest first */
export function listFavourites() {
  return request('GET', '/api/me/favourites');
}

// Favourites and "I went" are writes that may wait in the outbox (outbox.js); these give the
// entry that `replay` sends. Both are idempotent: a favourite is keyed by the meeting, an
// attendance by (date, meeting). A favourite's outbox id is its meeting's, so only the latest
// add or remove of a meeting waits.

/** PUT (add) or DELETE (remove) /api/me/favourites/{id} */
export function favouriteEntry(method, id) {
  return {
    id: `favourite:${id}`, method, path: `/api/me/favourites/${encodeURIComponent(id)}`, body: null,
  };
}

/** POST /api/me/attendance {meeting_id?, date} ("I went") → 201 the entry */
export function attendanceEntry(body) {
  return { method: 'POST', path: '/api/me/attendance', body };
}

/** GET /api/me/attendance/summary → {today, last_30_days, days_last_30, total, ...} */
export function attendanceSummary() {
  return request('GET', '/api/me/attendance/summary');
}

/** The bundled list of Nordic places for the offline place search (GeoNames, CC BY 4.0). */
export async function fetchPlaces() {
  let response;
  try {
    response = await fetch('/data/places.json');
  } catch {
    throw new ApiError(0);
  }
  if (!response.ok) throw new ApiError(response.status);
  return response.json();
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

// --- push and reminders -----------------------------------------------------------------

/** GET /api/push/key → {public_key}: the VAPID applicationServerKey, base64url */
export function getPushKey() {
  return request('GET', '/api/push/key', { auth: false });
}

/** POST /api/push/subscriptions with PushSubscription.toJSON() → {id}; sent at every start */
export function savePushSubscription(subscription) {
  const { endpoint, keys } = subscription;
  return request('POST', '/api/push/subscriptions', { body: { endpoint, keys } });
}

/** DELETE /api/push/subscriptions/{id} → 204 */
export function deletePushSubscription(id) {
  return request('DELETE', `/api/push/subscriptions/${encodeURIComponent(id)}`);
}

/** POST /api/push/test → {queued}: a test notification to every subscribed browser */
export function sendTestPush() {
  return request('POST', '/api/push/test');
}

/** GET /api/reminders → {reminders: [{kind, enabled, available, time, days, …}], quiet_hours} */
export function getReminders() {
  return request('GET', '/api/reminders');
}

/** PUT /api/reminders/{kind} with {enabled, time?, days?, minutes_before?} → the reminder */
export function setReminder(kind, changes) {
  return request('PUT', `/api/reminders/${encodeURIComponent(kind)}`, { body: changes });
}

/** PUT /api/reminders/quiet-hours with {enabled, start?, end?} → all reminders */
export function setQuietHours(changes) {
  return request('PUT', '/api/reminders/quiet-hours', { body: changes });
}
