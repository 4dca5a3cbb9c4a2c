// money.js: "Money not spent" (#/money): what I used to spend on alcohol or drugs, so the
// progress card can show what the drug-free days did not cost. Optional, and only for me.

import { html, useEffect, useState } from './html.js';
import * as more from '../api-more.js';
import { formatNumber, t } from '../i18n.js';
import * as recovery from '../recovery.js';
import { ErrorMessage, errorText, Title } from './parts.js';

const CURRENCIES = ['SEK', 'NOK', 'DKK', 'EUR'];
const BY_COUNTRY = { SE: 'SEK', NO: 'NOK', DK: 'DKK' };

// An amount as people write it, whatever the language: "1 400", "1.400" (Danish) and "1,400"
// (English) are fourteen hundred; "12,50", "12.50" and "1.400,50" have decimals. NaN otherwise.
function parseAmount(text) {
  const compact = text.replace(/\s/g, '');
  if (/^\d{1,3}([.,])\d{3}(\1\d{3})*$/.test(compact)) return Number(compact.replace(/[.,]/g, ''));
  const match = /^(\d{1,3}(?:([.,])\d{3}(?:\2\d{3})*)?|\d+)(?:([.,])(\d+))?$/.exec(compact);
  if (!match || (match[2] && match[2] === match[3])) return NaN;
  return Number(`${match[1].replace(/[.,]/g, '')}.${match[4] ?? '0'}`);
}

export function Money({ state, actions }) {
  const [form, setForm] = useState(null);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(null);

  useEffect(() => {
    const fallback = BY_COUNTRY[state.me?.country] ?? 'EUR';
    more.getSpending()
      .then((s) => {
        setForm({ amount: formatNumber(s.amount, { useGrouping: false }), per: s.per, currency: s.currency });
        setSaved(s);
      })
      .catch((failure) => {
        if (failure.status === 404) setForm({ amount: '', per: 'week', currency: fallback });
        else setError(errorText(failure));
      });
  }, []);

  async function save(event) {
    event.preventDefault();
    setError('');
    const amount = parseAmount(form.amount);
    if (!Number.isFinite(amount) || amount < 0) {
      setError(t('motivation.money.invalid'));
      return;
    }
    try {
      setSaved(await more.putSpending({ amount, per: form.per, currency: form.currency }));
      await recovery.refresh();
      actions.announce(t('motivation.money.saved_note'));
      actions.navigate('home');
    } catch (failure) {
      setError(failure.status === 400 ? t('motivation.money.invalid') : errorText(failure));
    }
  }

  async function remove() {
    setError('');
    try {
      await more.deleteSpending();
      setSaved(null);
      setForm({ ...form, amount: '' });
      await recovery.refresh();
      actions.announce(t('motivation.money.removed'));
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  return html`
    <div class="screen screen--money">
      <${Title}>${t('motivation.money.title')}<//>
      <p class="lead">${t('motivation.money.lead')}</p>
      ${form && html`
        <form class="panel" onSubmit=${save}>
          <div class="field">
            <label for="money-amount">${t('motivation.money.amount')}</label>
            <input id="money-amount" type="text" inputmode="decimal" autocomplete="off"
                   value=${form.amount} onInput=${set('amount')} required
                   aria-invalid=${error ? 'true' : undefined}
                   aria-describedby=${error ? 'money-error' : undefined} />
          </div>
          <div class="field">
            <label for="money-per">${t('motivation.money.per')}</label>
            <select id="money-per" value=${form.per} onChange=${set('per')}>
              ${['day', 'week', 'month'].map((p) => html`
                <option key=${p} value=${p}>${t(`motivation.money.per_${p}`)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="money-currency">${t('motivation.money.currency')}</label>
            <select id="money-currency" value=${form.currency} onChange=${set('currency')}>
              ${[...new Set([...CURRENCIES, form.currency])].map((c) => html`
                <option key=${c} value=${c}>${c}</option>`)}
            </select>
          </div>
          <${ErrorMessage} id="money-error" message=${error} />
          <div class="actions">
            <button type="submit" class="button">${t('motivation.money.save')}</button>
            ${saved && html`<button type="button" class="button button--secondary" onClick=${remove}>
              ${t('motivation.money.remove')}</button>`}
          </div>
          <p class="hint">${t('motivation.money.private')}</p>
        </form>`}
      ${!form && error && html`<${ErrorMessage} id="money-error" message=${error} />`}
    </div>`;
}
