// api-more.js: the API calls of screens that are not on the first screen (the summary for the
// clinic, money not spent, my patterns, supporters), kept out of the first load. They go through
// api.js's one request function, so tokens, errors and offline answers work the same.

import { query, request } from './api.js';

/** GET /api/me/export/fhir → a FHIR R4 Bundle of the person's answers (and, if asked, the
 * days with use in the last 30 days) for a clinic's records, as a Blob */
export async function exportFhir({ daysWithUse = false } = {}) {
  const data = await request('GET', `/api/me/export/fhir${daysWithUse ? '?days_with_use=true' : ''}`);
  return new Blob([JSON.stringify(data, null, 2)], { type: 'application/fhir+json' });
}

/** GET /api/me/attendance?from=&to= → {attendance: [{date, meeting_id, meeting_name, ...}]} */
export function getAttendance(from, to) {
  return request('GET', `/api/me/attendance${query({ from, to })}`);
}

/** GET /api/me/spending → {amount, per, currency}; 404 until set */
export function getSpending() {
  return request('GET', '/api/me/spending');
}

/** PUT /api/me/spending {amount, per, currency?} → the setting */
export function putSpending(body) {
  return request('PUT', '/api/me/spending', { body });
}

/** DELETE /api/me/spending → 204 */
export function deleteSpending() {
  return request('DELETE', '/api/me/spending');
}

/** GET /api/insights → the person's own patterns from their check-ins */
export function getInsights() {
  return request('GET', '/api/insights');
}

/** POST /api/supporters/invitations {shares} → 201 {code, expires_at, shares} */
export function inviteSupporter(shares) {
  return request('POST', '/api/supporters/invitations', { body: { shares } });
}

/** GET /api/supporters → {supporters: [{id, shares, since, ended}]} */
export function getSupporters() {
  return request('GET', '/api/supporters');
}

/** DELETE /api/supporters/{id} → 204: the person ends a supporter's link */
export function endSupporter(id) {
  return request('DELETE', `/api/supporters/${encodeURIComponent(id)}`);
}

/** POST /api/supporting {code} → 201 {id, shares}; 404 unknown or expired */
export function acceptSupporterCode(code) {
  return request('POST', '/api/supporting', { body: { code } });
}

/** DELETE /api/supporting/{id} → 204: the supporter ends the link */
export function endSupporting(id) {
  return request('DELETE', `/api/supporting/${encodeURIComponent(id)}`);
}

/** POST /api/supporting/{id}/encouragements {kind} → 202 */
export function sendEncouragement(id, kind) {
  return request('POST', `/api/supporting/${encodeURIComponent(id)}/encouragements`, {
    body: { kind },
  });
}

/** GET /api/me/encouragements → {encouragements: [{kind, at}]} newest first */
export function getEncouragements() {
  return request('GET', '/api/me/encouragements');
}
