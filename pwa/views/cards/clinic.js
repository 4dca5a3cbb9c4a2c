// The clinic card: a clinic's code waiting for an answer (typed at onboarding, or opened
// from a discharge card before the account existed). Shows nothing otherwise. The link's hook
// lives here, on the first screen, and the clinic screens (views/clinic.js) use it too, so the
// home screen does not load those screens.

import { html, useEffect, useState } from '../html.js';
import { t } from '../../i18n.js';
import { getClinicLink } from '../../api.js';
import * as store from '../../store.js';

// A code seen before the person had an account: offered again on home once they have one.
export const WAITING_CODE = 'clinic_code';

// The account's link, loaded once per mount; null while loading or when it cannot be had.
export function useClinicLink(state) {
  const [link, setLink] = useState(null);
  useEffect(() => {
    if (!state.token) return undefined;
    let live = true;
    getClinicLink().then((answer) => live && setLink(answer)).catch(() => {});
    return () => { live = false; };
  }, [state.token]);
  return [link, setLink];
}

// On home: a code waiting for an answer (typed at onboarding, or opened before the account).
function WaitingCode({ state }) {
  const [link] = useClinicLink(state);
  const [saved, setSaved] = useState(null);
  useEffect(() => { store.get(WAITING_CODE).then(setSaved).catch(() => {}); }, []);
  if (!link || link.linked) return null;
  const code = link.pending_code ?? saved;
  if (!code) return null;
  return html`
    <section class="card" aria-labelledby="card-clinic-title" data-testid="clinic-card">
      <h2 id="card-clinic-title" class="card__title">${t('clinic.card_title')}</h2>
      <p>${t('clinic.card_text', { code })}</p>
      <div class="card__actions">
        <a class="button" href=${`#/join/${encodeURIComponent(code)}`}>${t('clinic.card_action')}</a>
      </div>
    </section>`;
}

export default {
  id: 'clinic',
  render(context) {
    return html`<${WaitingCode} state=${context.state} />`;
  },
};
