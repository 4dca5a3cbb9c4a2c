// craving.js: "I have a craving" (#/craving): an urge-surfing timer of fifteen minutes with calm
// guidance, then my reasons, what helps me and the people I can call. Works offline.

import { html, useEffect, useState } from './html.js';
import { t } from '../i18n.js';
import { emptyPlan, loadPlan } from '../plan-data.js';
import { CallMyPerson, Coping, Reasons } from './my-plan-lists.js';
import { Title } from './parts.js';

export const SURF_SECONDS = 15 * 60;
// Guidance changes as the wave goes on: [from second, key].
const STEPS = [
  [0, 'notice'],
  [60, 'breathe'],
  [180, 'body'],
  [360, 'wave'],
  [540, 'changing'],
  [720, 'nearly'],
];
// Where a running timer is remembered, so leaving the screen does not lose it.
const STARTED_KEY = 'fotfeste.urge_started_at';

function stepAt(elapsed) {
  let current = STEPS[0][1];
  for (const [from, key] of STEPS) if (elapsed >= from) current = key;
  return current;
}

function clock(seconds) {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

function rememberedStart() {
  const value = Number(sessionStorage.getItem(STARTED_KEY));
  return value && Date.now() - value < SURF_SECONDS * 1000 ? value : null;
}

function UrgeTimer() {
  const [startedAt, setStartedAt] = useState(rememberedStart);
  const [now, setNow] = useState(Date.now());
  const [finished, setFinished] = useState(false);

  useEffect(() => {
    if (!startedAt) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);

  const elapsed = startedAt ? Math.min(SURF_SECONDS, Math.floor((now - startedAt) / 1000)) : 0;
  useEffect(() => {
    if (startedAt && elapsed >= SURF_SECONDS) {
      sessionStorage.removeItem(STARTED_KEY);
      setStartedAt(null);
      setFinished(true);
    }
  }, [elapsed, startedAt]);

  function start() {
    const at = Date.now();
    sessionStorage.setItem(STARTED_KEY, String(at));
    setFinished(false);
    setNow(at);
    setStartedAt(at);
  }

  function stop() {
    sessionStorage.removeItem(STARTED_KEY);
    setStartedAt(null);
  }

  const step = finished ? 'done' : startedAt ? stepAt(elapsed) : 'ready';
  return html`
    <section class="panel urge" aria-labelledby="urge-title">
      <h2 id="urge-title" class="subtitle">${t('help.surf.title')}</h2>
      ${startedAt && html`
        <p class="urge__time" role="timer" aria-label=${t('help.surf.time_left')} data-testid="urge-time">
          ${clock(SURF_SECONDS - elapsed)}
        </p>
        <progress class="urge__progress" max=${SURF_SECONDS} value=${elapsed}
          aria-label=${t('help.surf.progress')}></progress>`}
      <p class="urge__guidance" aria-live="polite" data-testid="urge-guidance">${t(`help.surf.${step}`)}</p>
      <div class="actions">
        ${startedAt
          ? html`<button type="button" class="button button--secondary" onClick=${stop}>${t('help.surf.stop')}</button>`
          : html`<button type="button" class="button" onClick=${start}>
              ${t(finished ? 'help.surf.again' : 'help.surf.start')}
            </button>`}
      </div>
    </section>`;
}

export function Craving() {
  const [plan, setPlan] = useState(emptyPlan());

  useEffect(() => {
    loadPlan().then(({ plan: loaded }) => setPlan(loaded)).catch(() => {});
  }, []);

  return html`
    <div class="screen screen--craving">
      <${Title}>${t('help.craving.title')}<//>
      <p class="lead">${t('help.craving.lead')}</p>
      <${UrgeTimer} />
      <${Reasons} plan=${plan} />
      <${Coping} plan=${plan} />
      <${CallMyPerson} plan=${plan} />
      <p class="aside-link"><a href="#/crisis">${t('help.craving.more_help')}</a></p>
    </div>`;
}
