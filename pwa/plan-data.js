// plan-data.js: my relapse-prevention plan on this device and on the server. The plan is read
// and saved whole, so a save made offline and replayed later is simply the newest plan.

import { getPlan } from './api.js';
import { readThrough, writeThrough } from './offline.js';

export const SECTIONS = ['warning_signs', 'high_risk_situations', 'coping_actions', 'reasons'];
const KEY = 'plan';

export function emptyPlan() {
  return {
    warning_signs: [], high_risk_situations: [], coping_actions: [], reasons: [], people: [],
    updated_at: null,
  };
}

// What a tel: link may carry: the digits, and a leading + if the person typed one. After a
// country code, a "(0)" ("+46 (0)70-…", as Swedes often write it) is not dialled.
export function dialString(phone) {
  const text = String(phone ?? '');
  const international = text.trim().startsWith('+');
  const digits = (international ? text.replace(/\(\s*0\s*\)/g, '') : text).replace(/\D/g, '');
  return international ? `+${digits}` : digits;
}

export function phoneLooksValid(phone) {
  const text = String(phone ?? '').trim();
  const digits = text.replace(/\D/g, '').length;
  return /^\+?[0-9(][0-9 ()./-]*$/.test(text) && digits >= 3 && digits <= 15;
}

// Answers {plan, fresh}; an empty plan when there is nothing anywhere yet.
export async function loadPlan() {
  try {
    const { value, fresh } = await readThrough(KEY, getPlan, { waiting: 'plan' });
    return { plan: { ...emptyPlan(), ...value }, fresh };
  } catch (error) {
    if (error?.status === 401) throw error;
    return { plan: emptyPlan(), fresh: false };
  }
}

// Drops empty lines and sends the rest. Answers {plan, queued}.
export async function savePlan(plan) {
  const body = {};
  for (const section of SECTIONS) {
    body[section] = plan[section]
      .map((entry) => ({ id: entry.id, text: entry.text.trim() }))
      .filter((entry) => entry.text);
  }
  body.people = plan.people
    .map((p) => ({ id: p.id, name: p.name.trim(), phone: p.phone.trim() }))
    .filter((p) => p.name || p.phone);
  const kept = {
    ...body,
    people: body.people.map((p) => ({ ...p, dial: dialString(p.phone) })),
    updated_at: new Date().toISOString(),
  };
  const { answer, queued } = await writeThrough({
    key: KEY, value: kept, id: 'plan', method: 'PUT', path: '/api/plan', body,
  });
  return { plan: answer ?? kept, queued };
}
