// parts.js: small pieces that several screens share.

import { html, useEffect, useRef, useState } from './html.js';
import { t } from '../i18n.js';

// A screen's one h1. It can take focus (tabindex -1) so route changes can move focus to it.
// `focusOnMount` is for a new step inside one screen (onboarding), where the route stays the same.
export function Title({ children, focusOnMount = false }) {
  const ref = useRef(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, []);
  return html`<h1 class="title" tabindex="-1" ref=${ref}>${children}</h1>`;
}

// The words for an error from api.js, for people rather than programs.
export function errorText(error) {
  if (error?.offline) return t('errors.network');
  if (error?.status === 429) return t('errors.too_many');
  return t('errors.generic');
}

// An error next to a form: role="alert" so it is read out as soon as it appears.
export function ErrorMessage({ id, message }) {
  if (!message) return null;
  return html`<p class="error" id=${id} role="alert">${message}</p>`;
}

// Shows a recovery code once, with a copy button. The code is grouped for reading aloud
// and copying, but copied exactly as the server gave it.
export function RecoveryCode({ code, announce }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      announce(t('common.copied'));
    } catch {
      announce(t('errors.clipboard'));
    }
  }

  return html`
    <div class="recovery-code">
      <p class="recovery-code__value" translate="no" data-testid="recovery-code">${code}</p>
      <button type="button" class="button button--secondary" onClick=${copy}>
        ${copied ? t('common.copied') : t('common.copy')}
      </button>
    </div>`;
}
