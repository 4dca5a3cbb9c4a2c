// welcome.js: onboarding (#/welcome). Who is this for → (clinic code) → anonymous, time zone
// and language → the account is made → the recovery code, shown once → home.

import { html, useId, useState } from './html.js';
import { LANGUAGES, detectedTimeZone, t, timeZones } from '../i18n.js';
import { createAccount } from '../api.js';
import { ErrorMessage, RecoveryCode, Title, errorText } from './parts.js';

function Choice({ title, hint, onChoose, testid }) {
  return html`
    <li>
      <button type="button" class="choice" onClick=${onChoose} data-testid=${testid}>
        <span class="choice__title">${title}</span>
        <span class="choice__hint">${hint}</span>
      </button>
    </li>`;
}

function Start({ go, moved }) {
  return html`
    <${Title} focusOnMount=${moved}>${t('welcome.title')}<//>
    <p class="lead">${t('welcome.intro')}</p>
    <h2 class="subtitle">${t('welcome.choose_heading')}</h2>
    <ul class="choices">
      <${Choice} testid="choose-self" title=${t('welcome.choice_self')} hint=${t('welcome.choice_self_hint')}
        onChoose=${() => go('details', { role: 'self', referralCode: '' })} />
      <${Choice} testid="choose-relative" title=${t('welcome.choice_relative')}
        hint=${t('welcome.choice_relative_hint')}
        onChoose=${() => go('details', { role: 'relative', referralCode: '' })} />
      <${Choice} testid="choose-code" title=${t('welcome.choice_code')} hint=${t('welcome.choice_code_hint')}
        onChoose=${() => go('code')} />
    </ul>
    <p class="aside-link"><a href="#/recover">${t('welcome.have_account')}</a></p>`;
}

function ClinicCode({ draft, go, back, moved }) {
  const [code, setCode] = useState(draft.referralCode ?? '');
  const [error, setError] = useState('');
  const id = useId();

  function submit(event) {
    event.preventDefault();
    const value = code.trim();
    if (!value) {
      setError(t('welcome.code_missing'));
      return;
    }
    go('role', { referralCode: value });
  }

  return html`
    <${Title} focusOnMount=${moved}>${t('welcome.code_title')}<//>
    <form class="form" onSubmit=${submit} novalidate>
      <div class="field">
        <label for=${`${id}-code`}>${t('welcome.code_label')}</label>
        <p class="hint" id=${`${id}-hint`}>${t('welcome.code_help')}</p>
        <input id=${`${id}-code`} name="referral_code" type="text" autocomplete="off"
          autocapitalize="characters" spellcheck="false" required
          aria-describedby=${error ? `${id}-hint ${id}-error` : `${id}-hint`}
          aria-invalid=${error ? 'true' : undefined}
          value=${code} onInput=${(e) => setCode(e.currentTarget.value)} />
        <${ErrorMessage} id=${`${id}-error`} message=${error} />
      </div>
      <div class="actions">
        <button type="submit" class="button">${t('common.continue')}</button>
        <button type="button" class="button button--secondary" onClick=${back}>${t('common.back')}</button>
      </div>
    </form>`;
}

function Role({ go, back, moved }) {
  return html`
    <${Title} focusOnMount=${moved}>${t('welcome.role_title')}<//>
    <ul class="choices">
      <${Choice} testid="choose-self" title=${t('welcome.choice_self')} hint=${t('welcome.choice_self_hint')}
        onChoose=${() => go('details', { role: 'self' })} />
      <${Choice} testid="choose-relative" title=${t('welcome.choice_relative')}
        hint=${t('welcome.choice_relative_hint')}
        onChoose=${() => go('details', { role: 'relative' })} />
    </ul>
    <div class="actions">
      <button type="button" class="button button--secondary" onClick=${back}>${t('common.back')}</button>
    </div>`;
}

function Details({ state, actions, draft, go, back, moved }) {
  const [timezone, setTimezone] = useState(draft.timezone ?? detectedTimeZone());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const account = await createAccount({
        role: draft.role, locale: state.lang, timezone, referralCode: draft.referralCode,
      });
      // The account exists now: whatever happens next, the person must see its recovery code.
      await actions.signIn(account.token).catch(() => {});
      go('saved', { recoveryCode: account.recovery_code, timezone });
    } catch (failure) {
      const codeRejected = draft.referralCode && [400, 404, 422].includes(failure.status)
        && JSON.stringify(failure.extra ?? failure.detail ?? '').includes('referral');
      if (codeRejected) setError(t('welcome.code_rejected'));
      else if (failure.offline || failure.status === 429) setError(errorText(failure));
      else setError(t('welcome.error_create'));
      setBusy(false);
    }
  }

  return html`
    <${Title} focusOnMount=${moved}>${t('welcome.details_title')}<//>
    <section class="panel" aria-labelledby=${`${id}-anon`}>
      <h2 id=${`${id}-anon`} class="subtitle">${t('welcome.anonymous_heading')}</h2>
      <p>${t('welcome.anonymous_text')}</p>
    </section>
    <form class="form" onSubmit=${submit}>
      <div class="field">
        <label for=${`${id}-lang`}>${t('welcome.language_label')}</label>
        <select id=${`${id}-lang`} name="locale" value=${state.lang}
          onChange=${(e) => actions.setLanguage(e.currentTarget.value)}>
          ${LANGUAGES.map((code) => html`
            <option key=${code} value=${code} lang=${code}>${t(`common.language_names.${code}`)}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for=${`${id}-tz`}>${t('welcome.timezone_label')}</label>
        <p class="hint" id=${`${id}-tz-hint`}>${t('welcome.timezone_help')}</p>
        <select id=${`${id}-tz`} name="timezone" aria-describedby=${`${id}-tz-hint`}
          value=${timezone} onChange=${(e) => setTimezone(e.currentTarget.value)}>
          ${timeZones(timezone).map((zone) => html`<option key=${zone} value=${zone}>${zone}</option>`)}
        </select>
      </div>
      <${ErrorMessage} message=${error} />
      <div class="actions">
        <button type="submit" class="button" disabled=${busy} aria-busy=${busy ? 'true' : undefined}>
          ${busy ? t('welcome.creating') : t('welcome.create')}
        </button>
        <button type="button" class="button button--secondary" onClick=${back} disabled=${busy}>
          ${t('common.back')}
        </button>
      </div>
    </form>`;
}

function Saved({ actions, draft, moved }) {
  return html`
    <${Title} focusOnMount=${moved}>${t('welcome.recovery_title')}<//>
    <p class="lead">${t('welcome.recovery_text')}</p>
    <${RecoveryCode} code=${draft.recoveryCode} announce=${actions.announce} />
    <p class="hint">${t('welcome.recovery_tip')}</p>
    <div class="actions">
      <button type="button" class="button" onClick=${() => actions.navigate('home')}>
        ${t('welcome.recovery_done')}
      </button>
    </div>`;
}

const STEPS = { start: Start, code: ClinicCode, role: Role, details: Details, saved: Saved };

export function Welcome({ state, actions }) {
  const [history, setHistory] = useState(['start']);
  const [draft, setDraft] = useState({ role: null, referralCode: '' });
  // After the first step, each new step's heading takes focus (the route itself stays put).
  const [moved, setMoved] = useState(false);
  const step = history[history.length - 1];

  function go(next, changes = {}) {
    setDraft((current) => ({ ...current, ...changes }));
    setMoved(true);
    // Once the account exists there is no way back into the forms.
    setHistory((current) => (next === 'saved' ? ['saved'] : [...current, next]));
  }

  function back() {
    setMoved(true);
    setHistory((current) => (current.length > 1 ? current.slice(0, -1) : current));
  }

  const Step = STEPS[step];
  return html`
    <div class="screen screen--welcome" data-step=${step}>
      <${Step} key=${step} state=${state} actions=${actions} draft=${draft} go=${go} back=${back}
        moved=${moved} />
    </div>`;
}
