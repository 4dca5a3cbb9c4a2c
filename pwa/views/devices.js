// devices.js: on the settings screen, the devices signed in to the account (sign one out) and
// "sign out on this phone", which leaves nothing of the account on the phone.

import { html, useEffect, useRef, useState } from './html.js';
import { formatDate, formatRelative, t } from '../i18n.js';
import { listDevices, revokeDevice } from '../api.js';
import { ErrorMessage, errorText } from './parts.js';

function Section({ id, title, children }) {
  return html`
    <section class="panel" aria-labelledby=${id}>
      <h2 id=${id} class="subtitle">${title}</h2>
      ${children}
    </section>`;
}

export function DeviceList({ state, actions, id }) {
  const [devices, setDevices] = useState(null);
  const [error, setError] = useState('');
  const timeZone = state.me?.timezone;

  async function load() {
    try {
      setDevices((await listDevices()).devices);
      setError('');
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  useEffect(() => { load(); }, []);

  async function signOut(device) {
    try {
      await revokeDevice(device.id);
      actions.announce(t('settings.devices_signed_out'));
      await load();
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return html`
    <${Section} id=${`${id}-devices`} title=${t('settings.devices_heading')}>
      <p>${t('settings.devices_text')}</p>
      <${ErrorMessage} message=${error} />
      ${devices && html`
        <ul class="devices">
          ${devices.map((device) => html`
            <li key=${device.id} class="devices__item">
              <p id=${`${id}-device-${device.id}`}>
                <strong>${t(device.current ? 'settings.devices_this' : 'settings.devices_other')}</strong>
                <br />
                ${t('settings.devices_since', {
                  date: formatDate(device.created_at, { dateStyle: 'medium' }, timeZone),
                  relative: formatRelative(device.last_used_at, { smallest: 'minute' }),
                })}
              </p>
              ${!device.current && html`
                <button type="button" class="button button--secondary"
                  aria-describedby=${`${id}-device-${device.id}`} onClick=${() => signOut(device)}>
                  ${t('settings.devices_sign_out')}
                </button>`}
            </li>`)}
        </ul>`}
    <//>`;
}

function Confirm({ open, busy, onCancel, onConfirm, id }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector('[data-autofocus]')?.focus(); // start on "Cancel"
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return html`
    <dialog ref=${ref} class="dialog" aria-labelledby=${`${id}-sign-out-title`}
      aria-describedby=${`${id}-sign-out-text`} onClose=${onCancel}>
      <h2 id=${`${id}-sign-out-title`} class="subtitle">${t('settings.sign_out_confirm_title')}</h2>
      <p id=${`${id}-sign-out-text`}>${t('settings.sign_out_confirm_text')}</p>
      <div class="actions">
        <button type="button" class="button button--danger" onClick=${onConfirm} disabled=${busy}
          aria-busy=${busy ? 'true' : undefined}>${t('settings.sign_out_confirm_button')}</button>
        <button type="button" class="button button--secondary" onClick=${onCancel} data-autofocus>
          ${t('common.cancel')}
        </button>
      </div>
    </dialog>`;
}

// Signs out here: notifications to this phone stop, the server forgets this phone's token when
// it can be reached, and the token, IndexedDB and the cached API answers go (app.js's
// forgetAccount). Offline it still clears the phone; the token then waits to be signed out
// from the device list on another phone.
export function SignOut({ actions, id }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    try {
      const push = await import('../push.js');
      await push.disablePush();
    } catch {
      // no subscription, or offline
    }
    try {
      const current = (await listDevices()).devices.find((device) => device.current);
      if (current) await revokeDevice(current.id);
    } catch {
      // offline: the phone is cleared all the same
    }
    await actions.forgetAccount('settings.sign_out_done');
  }

  return html`
    <${Section} id=${`${id}-sign-out`} title=${t('settings.sign_out_heading')}>
      <p>${t('settings.sign_out_text')}</p>
      <button type="button" class="button button--secondary" onClick=${() => setOpen(true)}>
        ${t('settings.sign_out_button')}
      </button>
      <${Confirm} id=${id} open=${open} busy=${busy}
        onCancel=${() => { if (!busy) setOpen(false); }} onConfirm=${confirm} />
    <//>`;
}
