// recover.js: move an existing account to this phone with its recovery code (#/recover).
// The server then issues a new recovery code (the used one is dead), shown here once.

import { html, useId, useState } from './html.js';
import { t } from '../i18n.js';
import { recoverAccount } from '../api.js';
import { ErrorMessage, RecoveryCode, Title, errorText } from './parts.js';

function failureText(error) {
  // 400: not shaped like a recovery code; 401: no account has it. Both: check and retype.
  if ([400, 401, 422].includes(error.status)) return t('recover.wrong_code');
  if (error.status === 429) {
    const minutes = error.retryAfter ? Math.max(1, Math.ceil(error.retryAfter / 60)) : null;
    return minutes ? `${t('recover.too_many')} ${t('recover.wait_minutes', { count: minutes })}`
      : t('recover.too_many');
  }
  return errorText(error);
}

function CodeForm({ onRecovered }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();

  async function submit(event) {
    event.preventDefault();
    const value = code.trim();
    if (!value) {
      setError(t('recover.code_missing'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await onRecovered(await recoverAccount(value));
    } catch (failure) {
      setError(failureText(failure));
      setBusy(false);
    }
  }

  return html`
    <${Title}>${t('recover.title')}<//>
    <p class="lead">${t('recover.intro')}</p>
    <form class="form" onSubmit=${submit} novalidate>
      <div class="field">
        <label for=${`${id}-code`}>${t('recover.code_label')}</label>
        <input id=${`${id}-code`} name="recovery_code" type="text" autocomplete="off"
          autocapitalize="characters" spellcheck="false" required translate="no"
          aria-describedby=${error ? `${id}-error` : undefined}
          aria-invalid=${error ? 'true' : undefined}
          value=${code} onInput=${(e) => setCode(e.currentTarget.value)} />
        <${ErrorMessage} id=${`${id}-error`} message=${error} />
      </div>
      <div class="actions">
        <button type="submit" class="button" disabled=${busy} aria-busy=${busy ? 'true' : undefined}>
          ${busy ? t('recover.checking') : t('recover.submit')}
        </button>
      </div>
    </form>
    <p class="aside-link"><a href="#/welcome">${t('recover.back')}</a></p>`;
}

function NewCode({ code, actions }) {
  return html`
    <${Title} focusOnMount>${t('recover.saved_title')}<//>
    <p class="lead">${t('recover.saved_text')}</p>
    <${RecoveryCode} code=${code} announce=${actions.announce} />
    <p class="hint">${t('welcome.recovery_tip')}</p>
    <p>${t('recover.signed_out')}</p>
    <div class="actions">
      <button type="button" class="button" onClick=${() => actions.navigate('home')}>
        ${t('welcome.recovery_done')}
      </button>
    </div>`;
}

export function Recover({ actions }) {
  const [newCode, setNewCode] = useState(null);

  async function recovered(account) {
    await actions.signIn(account.token);
    setNewCode(account.recovery_code);
    actions.announce(t('recover.done'));
  }

  return html`
    <div class="screen screen--recover">
      ${newCode ? html`<${NewCode} code=${newCode} actions=${actions} />`
        : html`<${CodeForm} onRecovered=${recovered} />`}
    </div>`;
}
