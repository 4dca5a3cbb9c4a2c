// clinic.js: a clinic's referral code (#/join/<CODE>): what the clinic is and exactly what is
// shared, accept or decline; leaving in settings; the clinic's contacts in help.

import { html, useEffect, useId, useRef, useState } from './html.js';
import { formatDate, formatNumber, t } from '../i18n.js';
import { answerClinicLink, getReferral, leaveClinic } from '../api.js';
import { WAITING_CODE, useClinicLink } from './cards/clinic.js';
import { ErrorMessage, Title, errorText } from './parts.js';
import * as store from '../store.js';


function Contacts({ contacts, headingId, heading }) {
  const rows = [
    ['phone', contacts.phone],
    ['hours', contacts.hours],
    ['address', contacts.address],
  ].filter(([, value]) => value);
  if (!rows.length) return null;
  return html`
    <h2 id=${headingId} class="subtitle">${heading}</h2>
    ${rows.map(([name, value]) => html`
      <p key=${name}><strong>${t(`clinic.${name}`)}:</strong> ${name === 'phone'
        ? html`<a href=${`tel:${value.replace(/[^\d+]/g, '')}`}>${value}</a>` : value}</p>`)}`;
}

function WhatIsShared({ referral, id }) {
  return html`
    <section class="panel" aria-labelledby=${`${id}-shared`}>
      <h2 id=${`${id}-shared`} class="subtitle">${t('clinic.shared_heading', { clinic: referral.clinic })}</h2>
      <ul data-testid="shared">
        ${referral.shared.map((key) => html`<li key=${key}>${t(`clinic.shared.${key}`)}</li>`)}
      </ul>
      <p>${t('clinic.min_group', { n: formatNumber(referral.min_group) })}</p>
      <h2 id=${`${id}-never`} class="subtitle">${t('clinic.never_heading')}</h2>
      <ul data-testid="never-shared">
        ${referral.never_shared.map((key) => html`<li key=${key}>${t(`clinic.never.${key}`)}</li>`)}
      </ul>
      <p>${t('clinic.leave_any_time')}</p>
    </section>`;
}

// Forget the code kept for after onboarding, if it is this one.
async function forgetWaiting(code) {
  try {
    if (await store.get(WAITING_CODE) === code) await store.remove(WAITING_CODE);
  } catch {
    // Storage unavailable: the home card shows the code again, and this screen says it again.
  }
}

// The code from the address (#/join/<CODE>).
export function codeFromHash(hash = location.hash) {
  const match = /^#\/join\/([^/?#]+)/.exec(hash);
  return match ? decodeURIComponent(match[1]) : '';
}

// #/join/<CODE>
export function Join({ state, actions }) {
  const code = codeFromHash();
  const [referral, setReferral] = useState(null);
  const [failure, setFailure] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const id = useId();

  useEffect(() => {
    let live = true;
    setReferral(null);
    setFailure(null);
    getReferral(code)
      .then((answer) => live && setReferral(answer))
      .catch(async (problem) => {
        // A kept code that is no longer in use would be offered on home for ever: forget it.
        if (problem?.status === 404) await forgetWaiting(code);
        if (live) setFailure(problem);
      });
    return () => { live = false; };
  }, [code]);

  async function answer(accept) {
    setBusy(true);
    setError('');
    try {
      await answerClinicLink(code, accept);
      await store.remove(WAITING_CODE);
      actions.navigate('home');
      actions.announce(accept ? t('clinic.accepted', { clinic: referral.clinic }) : t('clinic.declined'));
    } catch (problem) {
      if (problem?.status === 404) {
        // Revoked while this screen was open: say so, as on opening it, not "try again".
        await forgetWaiting(code);
        setFailure(problem);
        return;
      }
      setError(errorText(problem));
      setBusy(false);
    }
  }

  async function startFirst() {
    await store.set(WAITING_CODE, code);
    actions.navigate('welcome');
  }

  if (failure) {
    return html`
      <div class="screen screen--join">
        <${Title}>${t('clinic.join_title')}<//>
        <p class="error" role="alert">${failure.status === 404 ? t('clinic.not_found') : errorText(failure)}</p>
      </div>`;
  }
  if (!referral) {
    return html`
      <div class="screen screen--join">
        <${Title}>${t('clinic.join_title')}<//>
        <p aria-busy="true">${t('clinic.loading')}</p>
      </div>`;
  }
  return html`
    <div class="screen screen--join">
      <${Title}>${t('clinic.join_heading', { clinic: referral.clinic })}<//>
      <p class="lead">${t('clinic.join_lead', {
        clinic: referral.clinic, programme: t(`clinic.programme.${referral.programme}`),
      })}</p>
      <p>${t('clinic.code_label')} <strong translate="no">${referral.code}</strong></p>
      <${WhatIsShared} referral=${referral} id=${id} />
      <section class="panel" aria-labelledby=${`${id}-contacts`}>
        <${Contacts} contacts=${referral.contacts} headingId=${`${id}-contacts`}
          heading=${t('clinic.contacts_heading', { clinic: referral.clinic })} />
      </section>
      <${ErrorMessage} id=${`${id}-error`} message=${error} />
      ${state.token ? html`
        <div class="actions">
          <button type="button" class="button" onClick=${() => answer(true)} disabled=${busy}
            aria-busy=${busy ? 'true' : undefined}>${t('clinic.accept')}</button>
          <button type="button" class="button button--secondary" onClick=${() => answer(false)}
            disabled=${busy}>${t('clinic.decline')}</button>
        </div>` : html`
        <p>${t('clinic.signed_out')}</p>
        <div class="actions">
          <button type="button" class="button" onClick=${startFirst}>${t('clinic.get_started')}</button>
        </div>`}
    </div>`;
}

// In settings: the link, and leaving it.
export function ClinicSettings({ state, actions }) {
  const [link, setLink] = useClinicLink(state);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const ref = useRef(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (confirming && !dialog.open) {
      dialog.showModal();
      dialog.querySelector('[data-autofocus]')?.focus();
    }
    if (!confirming && dialog.open) dialog.close();
  }, [confirming]);

  async function leave() {
    setBusy(true);
    try {
      await leaveClinic();
      actions.announce(t('clinic.left', { clinic: link.clinic }));
      setLink({ linked: false });
    } catch (problem) {
      actions.announce(errorText(problem));
    }
    setBusy(false);
    setConfirming(false);
  }

  return html`
    <section class="panel" aria-labelledby=${`${id}-clinic`} data-testid="clinic-settings">
      <h2 id=${`${id}-clinic`} class="subtitle">${t('clinic.settings_heading')}</h2>
      ${!link ? null : link.linked ? html`
        <p>${t('clinic.settings_linked', {
          clinic: link.clinic,
          programme: t(`clinic.programme.${link.programme}`),
          date: formatDate(link.linked_at),
        })}</p>
        <p class="hint">${t('clinic.leave_hint')}</p>
        <button type="button" class="button button--secondary" onClick=${() => setConfirming(true)}>
          ${t('clinic.leave', { clinic: link.clinic })}</button>
        <dialog ref=${ref} class="dialog" aria-labelledby=${`${id}-confirm`}
          aria-describedby=${`${id}-confirm-text`} onClose=${() => setConfirming(false)}>
          <h2 id=${`${id}-confirm`} class="subtitle">${t('clinic.leave', { clinic: link.clinic })}</h2>
          <p id=${`${id}-confirm-text`}>${t('clinic.leave_confirm', { clinic: link.clinic })}</p>
          <div class="actions">
            <button type="button" class="button button--danger" onClick=${leave} disabled=${busy}
              aria-busy=${busy ? 'true' : undefined}>${t('clinic.leave_button')}</button>
            <button type="button" class="button button--secondary" data-autofocus
              onClick=${() => setConfirming(false)}>${t('clinic.cancel')}</button>
          </div>
        </dialog>` : html`<p>${t('clinic.settings_none')}</p>`}
    </section>`;
}

// In help: the linked clinic's contacts.
export function ClinicContacts({ state }) {
  const [link] = useClinicLink(state);
  const id = useId();
  if (!link?.linked) return null;
  return html`
    <section class="panel" aria-labelledby=${`${id}-help`} data-testid="clinic-contacts">
      <${Contacts} contacts=${link.contacts} headingId=${`${id}-help`}
        heading=${t('clinic.help_heading', { clinic: link.clinic })} />
    </section>`;
}
