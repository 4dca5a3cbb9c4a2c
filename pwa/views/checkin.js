// checkin.js: a check-in for one day (#/checkin): did you use, and if you like, craving, mood,
// what you used and a note. Today by default; a day from the strip or calendar when picked there.

import { html, useEffect, useId, useState } from './html.js';
import { formatDate, t } from '../i18n.js';
import * as recovery from '../recovery.js';
import { todayIn } from '../dates.js';
import { ErrorMessage, Title, errorText } from './parts.js';
import { RelapseMessage } from './recovery-parts.js';

const MOODS = [1, 2, 3, 4, 5];

function Craving({ id, value, onChange }) {
  return html`
    <div class="field">
      <label for=${`${id}-craving`}>${t('recovery.checkin.craving')}</label>
      <p class="hint" id=${`${id}-craving-hint`}>${t('recovery.checkin.craving_hint')}</p>
      <div class="range">
        <input id=${`${id}-craving`} type="range" name="craving" min="0" max="10" step="1"
          value=${value ?? 0} aria-describedby=${`${id}-craving-hint`}
          aria-valuetext=${value == null ? t('recovery.checkin.not_given') : String(value)}
          onInput=${(e) => onChange(Number(e.currentTarget.value))} />
        <output for=${`${id}-craving`} class="range__value">
          ${value == null ? t('recovery.checkin.not_given') : value}</output>
      </div>
    </div>`;
}

function Mood({ id, value, onChange }) {
  return html`
    <fieldset class="field mood">
      <legend>${t('recovery.checkin.mood')}</legend>
      <div class="mood__options">
        ${MOODS.map((mood) => html`
          <label key=${mood} class="mood__option">
            <input type="radio" name=${`${id}-mood`} value=${mood} checked=${value === mood}
              onChange=${() => onChange(mood)} />
            <span>${t(`recovery.checkin.mood_${mood}`)}</span>
          </label>`)}
      </div>
    </fieldset>`;
}

function Substances({ value, onChange }) {
  function toggle(name, on) {
    onChange(on ? [...value, name] : value.filter((s) => s !== name));
  }
  return html`
    <fieldset class="field substances">
      <legend>${t('recovery.checkin.substances')}</legend>
      <p class="hint">${t('recovery.checkin.substances_hint')}</p>
      <div class="substances__options">
        ${recovery.SUBSTANCES.map((name) => html`
          <label key=${name} class="field--check">
            <input type="checkbox" class="switch" name="substances" value=${name}
              checked=${value.includes(name)} onChange=${(e) => toggle(name, e.currentTarget.checked)} />
            <span>${t(`recovery.substance.${name}`)}</span>
          </label>`)}
      </div>
    </fieldset>`;
}

export function Checkin({ state, actions }) {
  const id = useId();
  const today = todayIn(state.me?.timezone);
  const [day] = useState(() => {
    const chosen = recovery.snapshot().chosenDate;
    return chosen && chosen <= today ? chosen : today;
  });
  const [used, setUsed] = useState(null);
  const [craving, setCraving] = useState(null);
  const [mood, setMood] = useState(null);
  const [substances, setSubstances] = useState([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [relapse, setRelapse] = useState(null);

  // What this day already holds (from the server or the outbox), so a second visit edits it.
  useEffect(() => {
    const waiting = recovery.snapshot().waiting.find((w) => w.date === day);
    const fill = (c) => {
      if (!c) return;
      setUsed(c.used);
      setCraving(c.craving ?? null);
      setMood(c.mood ?? null);
      setSubstances(c.substances ?? []);
      setNote(c.note ?? '');
    };
    if (waiting) fill(waiting);
    else recovery.checkinsBetween(day, day).then((list) => fill(list[0])).catch(() => {});
  }, [day]);

  const question = day === today
    ? t('recovery.checkin.question_today')
    : t('recovery.checkin.question_day', { date: formatDate(day, { weekday: 'long', day: 'numeric', month: 'long' }) });

  async function save(event) {
    event.preventDefault();
    if (used === null) {
      setError(t('recovery.checkin.choose'));
      return;
    }
    setBusy(true);
    setError('');
    const body = { used };
    if (craving !== null) body.craving = craving;
    if (mood !== null) body.mood = mood;
    if (used && substances.length) body.substances = substances;
    if (note.trim()) body.note = note.trim();
    try {
      const { sent, progress } = await recovery.checkIn(day, body);
      actions.announce(t(sent ? 'recovery.checkin.saved' : 'recovery.checkin.saved_offline'));
      if (used) setRelapse(progress ?? {});
      else actions.navigate('home');
    } catch (failure) {
      setError(failure.status === 400 ? t('recovery.checkin.invalid') : errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  if (relapse) {
    return html`
      <div class="screen screen--checkin">
        <${Title}>${t('recovery.checkin.title')}<//>
        <${RelapseMessage} progress=${relapse} onDone=${() => actions.navigate('home')} />
      </div>`;
  }

  return html`
    <div class="screen screen--checkin">
      <${Title}>${t('recovery.checkin.title')}<//>
      <form onSubmit=${save} noValidate>
        <fieldset class="field used">
          <legend class="today-checkin__question">${question}</legend>
          <div class="choices choices--row">
            <label class="choice choice--radio">
              <input type="radio" name="used" value="no" checked=${used === false}
                onChange=${() => setUsed(false)} />
              <span class="choice__title">${t('recovery.checkin.no')}</span>
            </label>
            <label class="choice choice--radio">
              <input type="radio" name="used" value="yes" checked=${used === true}
                onChange=${() => setUsed(true)} />
              <span class="choice__title">${t('recovery.checkin.yes')}</span>
            </label>
          </div>
        </fieldset>
        <p class="hint">${t('recovery.checkin.optional')}</p>
        <${Craving} id=${id} value=${craving} onChange=${setCraving} />
        <${Mood} id=${id} value=${mood} onChange=${setMood} />
        ${used && html`<${Substances} value=${substances} onChange=${setSubstances} />`}
        <div class="field">
          <label for=${`${id}-note`}>${t('recovery.checkin.note')}</label>
          <textarea id=${`${id}-note`} name="note" rows="4" maxlength="2000" value=${note}
            onInput=${(e) => setNote(e.currentTarget.value)}></textarea>
        </div>
        <${ErrorMessage} id=${`${id}-error`} message=${error} />
        <div class="actions">
          <button type="submit" class="button" disabled=${busy}>${t('recovery.checkin.save')}</button>
          <a class="button button--secondary" href="#/home">${t('common.cancel')}</a>
        </div>
      </form>
    </div>`;
}
