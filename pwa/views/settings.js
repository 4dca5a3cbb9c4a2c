// settings.js: language, time zone, discreet mode, recovery code, export, devices, signing out
// on this phone and deletion (#/settings).

import { html, useEffect, useId, useRef, useState } from './html.js';
import { LANGUAGES, formatDate, formatRelative, t, timeZones } from '../i18n.js';
import {
  deleteAccount, exportData, getHelpSettings, putHelpSettings, renewRecoveryCode,
} from '../api.js';
import { ErrorMessage, RecoveryCode, Title, errorText } from './parts.js';
import { ClinicSettings } from './clinic.js';
import { REGIONS, loadHelpLines } from './help-lines.js';
import { DeviceList, SignOut } from './devices.js';
import { todayIn } from '../dates.js';

function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Section({ id, title, children }) {
  return html`
    <section class="panel" aria-labelledby=${id}>
      <h2 id=${id} class="subtitle">${title}</h2>
      ${children}
    </section>`;
}

// Denmark only: the region decides which out-of-hours medical line the help screens show.
function Region({ state, actions, id }) {
  const [region, setRegion] = useState(undefined);
  const danish = state.me?.country === 'DK';
  useEffect(() => {
    if (danish) getHelpSettings().then((body) => setRegion(body.region ?? '')).catch(() => {});
  }, [danish]);
  if (!danish || region === undefined) return null;

  async function change(event) {
    const value = event.currentTarget.value;
    try {
      await putHelpSettings({ region: value || null });
      setRegion(value);
      await loadHelpLines().catch(() => {}); // keep the device's copy in step, for offline
      actions.announce(t('settings.saved'));
    } catch (error) {
      actions.announce(errorText(error));
    }
  }

  return html`
    <${Section} id=${`${id}-region`} title=${t('help.lines.region_heading')}>
      <p class="hint" id=${`${id}-region-hint`}>${t('help.lines.region_text')}</p>
      <div class="field">
        <label for=${`${id}-region-select`}>${t('help.lines.region_label')}</label>
        <select id=${`${id}-region-select`} value=${region} onChange=${change}
          aria-describedby=${`${id}-region-hint`}>
          <option value="">${t('help.lines.region_all')}</option>
          ${Object.entries(REGIONS).map(([key, name]) => html`<option key=${key} value=${key}>${name}</option>`)}
        </select>
      </div>
    <//>`;
}

function LanguageAndZone({ state, actions, id }) {
  const me = state.me ?? {};

  async function changeLanguage(event) {
    try {
      await actions.setLanguage(event.currentTarget.value);
      actions.announce(t('settings.saved'));
    } catch (error) {
      actions.announce(errorText(error));
    }
  }

  async function changeZone(event) {
    try {
      await actions.updateProfile({ timezone: event.currentTarget.value });
      actions.announce(t('settings.saved'));
    } catch (error) {
      actions.announce(errorText(error));
    }
  }

  return html`
    <${Section} id=${`${id}-language`} title=${t('settings.language_heading')}>
      <div class="field">
        <label for=${`${id}-lang`}>${t('settings.language_label')}</label>
        <select id=${`${id}-lang`} name="locale" value=${state.lang} onChange=${changeLanguage}>
          ${LANGUAGES.map((code) => html`
            <option key=${code} value=${code} lang=${code}>${t(`common.language_names.${code}`)}</option>`)}
        </select>
      </div>
    <//>
    <${Section} id=${`${id}-zone`} title=${t('settings.timezone_heading')}>
      <div class="field">
        <label for=${`${id}-tz`}>${t('settings.timezone_label')}</label>
        <p class="hint" id=${`${id}-tz-hint`}>${t('settings.timezone_help')}</p>
        <select id=${`${id}-tz`} name="timezone" aria-describedby=${`${id}-tz-hint`}
          value=${me.timezone} onChange=${changeZone}>
          ${timeZones(me.timezone).map((zone) => html`<option key=${zone} value=${zone}>${zone}</option>`)}
        </select>
      </div>
    <//>`;
}

function Discreet({ state, actions, id }) {
  const discreet = Boolean(state.me?.discreet);

  async function toggle(event) {
    const input = event.currentTarget;
    const wanted = input.checked;
    try {
      await actions.updateProfile({ discreet: wanted });
      actions.announce(t(wanted ? 'settings.discreet_on' : 'settings.discreet_off'));
    } catch (error) {
      input.checked = !wanted;
      actions.announce(errorText(error));
    }
  }

  return html`
    <${Section} id=${`${id}-discreet`} title=${t('settings.discreet_heading')}>
      <div class="field field--check">
        <input id=${`${id}-discreet-input`} type="checkbox" class="switch" name="discreet"
          role="switch" checked=${discreet} aria-describedby=${`${id}-discreet-hint`}
          onChange=${toggle} />
        <label for=${`${id}-discreet-input`}>${t('settings.discreet_label')}</label>
      </div>
      <p class="hint" id=${`${id}-discreet-hint`}>${t('settings.discreet_help')}</p>
    <//>`;
}

function Recovery({ actions, id }) {
  const [code, setCode] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function renew() {
    setBusy(true);
    setError('');
    try {
      const answer = await renewRecoveryCode();
      setCode(answer.recovery_code);
      actions.announce(t('settings.recovery_renewed'));
    } catch (failure) {
      setError(errorText(failure));
    }
    setBusy(false);
  }

  return html`
    <${Section} id=${`${id}-recovery`} title=${t('settings.recovery_heading')}>
      <p>${t('settings.recovery_text')}</p>
      ${code ? html`
        <div class="panel__result">
          <h3 class="panel__result-title">${t('settings.recovery_new_title')}</h3>
          <p>${t('welcome.recovery_text')}</p>
          <${RecoveryCode} code=${code} announce=${actions.announce} />
        </div>` : html`
        <button type="button" class="button button--secondary" onClick=${renew} disabled=${busy}
          aria-busy=${busy ? 'true' : undefined}>${t('settings.recovery_button')}</button>`}
      <${ErrorMessage} message=${error} />
    <//>`;
}

function Export({ state, actions, id }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function run() {
    setBusy(true);
    setError('');
    try {
      const blob = await exportData();
      download(blob, `fotfeste-export-${todayIn(state.me?.timezone)}.json`);
      actions.announce(t('settings.export_done'));
    } catch (failure) {
      setError(errorText(failure));
    }
    setBusy(false);
  }

  return html`
    <${Section} id=${`${id}-export`} title=${t('settings.export_heading')}>
      <p>${t('settings.export_text')}</p>
      <button type="button" class="button button--secondary" onClick=${run} disabled=${busy}
        aria-busy=${busy ? 'true' : undefined}>${t('settings.export_button')}</button>
      <${ErrorMessage} message=${error} />
    <//>`;
}

function ConfirmDelete({ open, busy, error, onCancel, onConfirm, id }) {
  const ref = useRef(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // Start on "Cancel", never on the destructive button.
      dialog.querySelector('[data-autofocus]')?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return html`
    <dialog ref=${ref} class="dialog" aria-labelledby=${`${id}-confirm-title`}
      aria-describedby=${`${id}-confirm-text`} onClose=${onCancel}>
      <h2 id=${`${id}-confirm-title`} class="subtitle">${t('settings.delete_confirm_title')}</h2>
      <p id=${`${id}-confirm-text`}>${t('settings.delete_confirm_text')}</p>
      <${ErrorMessage} message=${error} />
      <div class="actions">
        <button type="button" class="button button--danger" onClick=${onConfirm} disabled=${busy}
          aria-busy=${busy ? 'true' : undefined}>${t('settings.delete_confirm_button')}</button>
        <button type="button" class="button button--secondary" onClick=${onCancel}
          data-autofocus>
          ${t('common.cancel')}
        </button>
      </div>
    </dialog>`;
}

function Delete({ actions, id }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function confirm() {
    setBusy(true);
    setError('');
    try {
      await deleteAccount();
      await actions.forgetAccount('settings.delete_done');
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  }

  return html`
    <${Section} id=${`${id}-delete`} title=${t('settings.delete_heading')}>
      <p>${t('settings.delete_text')}</p>
      <button type="button" class="button button--danger" onClick=${() => setOpen(true)}>
        ${t('settings.delete_button')}
      </button>
      <${ConfirmDelete} id=${id} open=${open} busy=${busy} error=${error}
        onCancel=${() => { if (!busy) { setOpen(false); setError(''); } }} onConfirm=${confirm} />
    <//>`;
}

function About({ state, id }) {
  const me = state.me;
  if (!me?.created_at) return null;
  return html`
    <${Section} id=${`${id}-about`} title=${t('settings.about_heading')}>
      <p>${t(`settings.about_role_${me.role === 'relative' ? 'relative' : 'self'}`)}</p>
      <p>${t('settings.about_created', {
        date: formatDate(me.created_at, { dateStyle: 'long' }, me.timezone),
        relative: formatRelative(me.created_at, { smallest: 'day' }),
      })}</p>
    <//>`;
}

// A supporter, and the money not spent: both reached from here as well as from home.
function SupportersLink({ id }) {
  return html`
    <section class="panel" aria-labelledby=${`${id}-supporters`}>
      <h2 id=${`${id}-supporters`} class="subtitle">${t('supporters.card_title')}</h2>
      <p>${t('supporters.card_text')}</p>
      <p class="actions">
        <a class="button button--secondary" href="#/supporters">${t('supporters.card_open')}</a>
        <a class="button button--secondary" href="#/money">${t('motivation.money.link')}</a>
      </p>
    </section>`;
}

export function Settings({ state, actions }) {
  const id = useId();
  const props = { state, actions, id };
  return html`
    <div class="screen screen--settings">
      <${Title}>${t('settings.title')}<//>
      <${LanguageAndZone} ...${props} />
      <${Discreet} ...${props} />
      <${Region} ...${props} />
      <${ClinicSettings} ...${props} />
      <${SupportersLink} ...${props} />
      <${Recovery} ...${props} />
      <${Export} ...${props} />
      <${DeviceList} ...${props} />
      <${About} ...${props} />
      <${SignOut} ...${props} />
      <${Delete} ...${props} />
    </div>`;
}
