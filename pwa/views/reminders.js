// reminders.js: notifications on this phone and the reminders the server sends (#/reminders).
// Permission is asked only when the person taps "Turn on", after the explanation; on iPhone it
// first says that push needs the app on the home screen; when blocked, it says how to unblock.

import { html, useEffect, useId, useState } from './html.js';
import { currentLanguage, t } from '../i18n.js';
import { getReminders, sendTestPush, setQuietHours, setReminder } from '../api.js';
import { currentSubscription, disablePush, enablePush, permission, pushSupport } from '../push.js';
import { ErrorMessage, Title, errorText } from './parts.js';

const KINDS = ['checkin', 'followup', 'meeting', 'milestone'];
const LEADS = [15, 30, 60, 120];
const WEEK = [1, 2, 3, 4, 5, 6, 0]; // Monday first, as in the Nordic countries; 0 = Sunday

function weekdayName(day, style = 'long') {
  // 22 March 2026 was a Sunday: day 0.
  const date = new Date(Date.UTC(2026, 2, 22 + day));
  return new Intl.DateTimeFormat(currentLanguage(), { weekday: style, timeZone: 'UTC' }).format(date);
}

function Section({ id, title, children }) {
  return html`
    <section class="panel" aria-labelledby=${id}>
      <h2 id=${id} class="subtitle">${title}</h2>
      ${children}
    </section>`;
}

// Where this phone stands: can it get push, may it, is it subscribed.
function usePushState() {
  const [status, setStatus] = useState({ support: pushSupport(), permission: permission(), subscribed: null });
  async function refresh() {
    const support = pushSupport();
    const subscribed = support === 'supported'
      ? Boolean(await currentSubscription().catch(() => null)) : false;
    setStatus({ support, permission: permission(), subscribed });
  }
  useEffect(() => { refresh(); }, []);
  return [status, refresh];
}

function Notifications({ actions, id }) {
  const [status, refresh] = usePushState();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function run(work) {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (failure) {
      setError(failure?.status !== undefined ? errorText(failure) : t('reminders.push_failed'));
    }
    await refresh();
    setBusy(false);
  }

  const turnOn = () => run(async () => {
    const answer = await enablePush();
    if (answer === 'granted') actions.announce(t('reminders.push_on'));
  });
  const turnOff = () => run(async () => {
    await disablePush();
    actions.announce(t('reminders.push_off'));
  });
  const test = () => run(async () => {
    await sendTestPush();
    actions.announce(t('reminders.test_sent'));
  });

  let body;
  if (status.support === 'ios-home-screen') {
    body = html`<p data-testid="push-ios">${t('reminders.ios_home_screen')}</p>`;
  } else if (status.support === 'unsupported') {
    body = html`<p data-testid="push-unsupported">${t('reminders.unsupported')}</p>`;
  } else if (status.permission === 'denied') {
    body = html`
      <p data-testid="push-blocked"><strong>${t('reminders.blocked')}</strong></p>
      <p>${t('reminders.blocked_fix')}</p>`;
  } else if (status.permission === 'granted' && status.subscribed) {
    body = html`
      <p data-testid="push-on">${t('reminders.on_text')}</p>
      <div class="actions">
        <button type="button" class="button" onClick=${test} disabled=${busy}>
          ${t('reminders.test_button')}</button>
        <button type="button" class="button button--secondary" onClick=${turnOff} disabled=${busy}>
          ${t('reminders.off_button')}</button>
      </div>`;
  } else if (status.subscribed !== null) {
    body = html`
      <p>${t('reminders.explain')}</p>
      <p class="hint">${t('reminders.explain_permission')}</p>
      <button type="button" class="button" onClick=${turnOn} disabled=${busy}
        aria-busy=${busy ? 'true' : undefined} data-testid="push-enable">
        ${t('reminders.on_button')}</button>`;
  }
  return html`
    <${Section} id=${`${id}-push`} title=${t('reminders.push_heading')}>
      ${body}
      <${ErrorMessage} message=${error} />
    <//>`;
}

// Save only a new, complete value: a `change` that repeats what is saved (a field committed
// twice) would send another PUT and announce "Saved." over whatever was said since.
function changed(event, saved) {
  const value = event.currentTarget.value;
  return Boolean(value) && value !== saved;
}

function KindEditor({ reminder, save, id }) {
  const kind = reminder.kind;
  const base = `${id}-${kind}`;
  const hint = reminder.available ? t(`reminders.${kind}_help`) : t('reminders.not_available');
  const days = new Set(reminder.days);

  function toggleDay(day, on) {
    const next = new Set(days);
    if (on) next.add(day); else next.delete(day);
    if (next.size) save(kind, { enabled: reminder.enabled, days: [...next].sort() });
  }

  return html`
    <div class="reminder" data-kind=${kind}>
      <div class="field field--check">
        <input id=${`${base}-on`} type="checkbox" class="switch" role="switch"
          checked=${reminder.enabled} disabled=${!reminder.available}
          aria-describedby=${`${base}-hint`}
          onChange=${(e) => save(kind, { enabled: e.currentTarget.checked })} />
        <label for=${`${base}-on`}>${t(`reminders.${kind}_label`)}</label>
      </div>
      <p class="hint" id=${`${base}-hint`}>${hint}</p>
      ${reminder.enabled && kind !== 'meeting' && html`
        <div class="field">
          <label for=${`${base}-time`}>${t('reminders.time_label')}</label>
          <input id=${`${base}-time`} type="time" value=${reminder.time} required
            onChange=${(e) => changed(e, reminder.time)
              && save(kind, { enabled: true, time: e.currentTarget.value })} />
        </div>`}
      ${reminder.enabled && kind === 'checkin' && html`
        <fieldset class="field days">
          <legend>${t('reminders.days_label')}</legend>
          ${WEEK.map((day) => html`
            <span key=${day} class="days__day">
              <input id=${`${base}-day${day}`} type="checkbox" checked=${days.has(day)}
                onChange=${(e) => toggleDay(day, e.currentTarget.checked)} />
              <label for=${`${base}-day${day}`}>${weekdayName(day)}</label>
            </span>`)}
        </fieldset>`}
      ${reminder.enabled && kind === 'meeting' && html`
        <div class="field">
          <label for=${`${base}-lead`}>${t('reminders.lead_label')}</label>
          <select id=${`${base}-lead`} value=${String(reminder.minutes_before)}
            onChange=${(e) => save(kind, { enabled: true, minutes_before: Number(e.currentTarget.value) })}>
            ${LEADS.map((m) => html`<option key=${m} value=${String(m)}>${t('reminders.lead_minutes', { count: m })}</option>`)}
          </select>
        </div>`}
    </div>`;
}

function QuietHours({ quiet, saveQuiet, id }) {
  const on = Boolean(quiet);
  const start = quiet?.start ?? '22:00';
  const end = quiet?.end ?? '07:00';
  return html`
    <div class="field field--check">
      <input id=${`${id}-quiet`} type="checkbox" class="switch" role="switch" checked=${on}
        aria-describedby=${`${id}-quiet-hint`}
        onChange=${(e) => saveQuiet(e.currentTarget.checked ? { enabled: true, start, end } : { enabled: false })} />
      <label for=${`${id}-quiet`}>${t('reminders.quiet_label')}</label>
    </div>
    <p class="hint" id=${`${id}-quiet-hint`}>${t('reminders.quiet_help')}</p>
    ${on && html`
      <div class="field">
        <label for=${`${id}-quiet-start`}>${t('reminders.quiet_start')}</label>
        <input id=${`${id}-quiet-start`} type="time" value=${start} required
          onChange=${(e) => changed(e, start) && saveQuiet({ enabled: true, start: e.currentTarget.value, end })} />
      </div>
      <div class="field">
        <label for=${`${id}-quiet-end`}>${t('reminders.quiet_end')}</label>
        <input id=${`${id}-quiet-end`} type="time" value=${end} required
          onChange=${(e) => changed(e, end) && saveQuiet({ enabled: true, start, end: e.currentTarget.value })} />
      </div>`}`;
}

export function Reminders({ state, actions }) {
  const id = useId();
  const [data, setData] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    getReminders().then(setData).catch((failure) => setError(errorText(failure)));
  }, [state.lang, state.me?.timezone]);

  async function save(kind, changes) {
    setError('');
    try {
      await setReminder(kind, changes);
      setData(await getReminders());
      actions.announce(t('reminders.saved'));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  async function saveQuiet(changes) {
    setError('');
    try {
      setData(await setQuietHours(changes));
      actions.announce(t('reminders.saved'));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  const reminders = data ? KINDS.map((kind) => data.reminders.find((r) => r.kind === kind)).filter(Boolean) : [];
  return html`
    <div class="screen screen--reminders">
      <${Title}>${t('reminders.title')}<//>
      <p class="lead">${t('reminders.lead')}</p>
      <${Notifications} actions=${actions} id=${id} />
      <${Section} id=${`${id}-kinds`} title=${t('reminders.kinds_heading')}>
        ${data && html`<p class="hint">${t('reminders.zone_note', { zone: data.timezone })}</p>`}
        ${reminders.map((r) => html`<${KindEditor} key=${r.kind} reminder=${r} save=${save} id=${id} />`)}
        <${ErrorMessage} message=${error} />
      <//>
      <${Section} id=${`${id}-quiet-section`} title=${t('reminders.quiet_heading')}>
        ${data && html`<${QuietHours} quiet=${data.quiet_hours} saveQuiet=${saveQuiet} id=${id} />`}
      <//>
      <${Section} id=${`${id}-discreet`} title=${t('reminders.discreet_heading')}>
        <p>${t(state.me?.discreet ? 'reminders.discreet_on' : 'reminders.discreet_off')}</p>
        <a class="button button--secondary" href="#/settings">${t('reminders.discreet_link')}</a>
      <//>
    </div>`;
}
