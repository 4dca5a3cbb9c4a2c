// treatment-data.js: what the person says about treatment (none, waiting, in treatment, after),
// which turns waiting-list mode on and off.

import { getTreatment } from './api.js';
import { readThrough, writeThrough } from './offline.js';

const KEY = 'treatment';
export const STATUSES = ['none', 'waiting', 'in_treatment', 'after'];

export async function loadTreatment() {
  try {
    return (await readThrough(KEY, getTreatment, { waiting: 'treatment' })).value;
  } catch {
    return { status: 'none', since: null, waiting_mode: false };
  }
}

export async function saveTreatment(status) {
  const value = { status, since: null, waiting_mode: status === 'waiting' };
  const { answer, queued } = await writeThrough({
    key: KEY, value, id: 'treatment', method: 'PUT', path: '/api/treatment', body: { status },
  });
  return { value: answer ?? value, queued };
}
