// my-plan-lists.js: pieces of my plan shown where they help in the moment (craving, "I used"):
// my reasons, what helps me, and the people I can call.

import { html } from './html.js';
import { t } from '../i18n.js';
import { dialString } from '../plan-data.js';

function EmptyHint({ text }) {
  return html`<p class="hint">${text} <a href="#/plan">${t('help.write_in_plan')}</a></p>`;
}

export function Reasons({ plan }) {
  return html`
    <section class="panel" aria-labelledby="mine-reasons">
      <h2 id="mine-reasons" class="subtitle">${t('help.my_reasons')}</h2>
      ${plan.reasons.length
        ? html`<ul class="plain-list">${plan.reasons.map((r) => html`<li key=${r.id}>${r.text}</li>`)}</ul>`
        : html`<${EmptyHint} text=${t('help.no_reasons')} />`}
    </section>`;
}

export function Coping({ plan }) {
  return html`
    <section class="panel" aria-labelledby="mine-coping">
      <h2 id="mine-coping" class="subtitle">${t('help.my_coping')}</h2>
      ${plan.coping_actions.length
        ? html`<ul class="plain-list">${plan.coping_actions.map((c) => html`<li key=${c.id}>${c.text}</li>`)}</ul>`
        : html`<${EmptyHint} text=${t('help.no_coping')} />`}
    </section>`;
}

// tel: links carry only digits and a leading +, built on the device from what the person typed.
export function CallMyPerson({ plan }) {
  return html`
    <section class="panel" aria-labelledby="mine-people">
      <h2 id="mine-people" class="subtitle">${t('help.call_my_person')}</h2>
      ${plan.people.length
        ? html`
          <ul class="call-list">
            ${plan.people.map((p) => html`
              <li key=${p.id}>
                <a class="button" href=${`tel:${dialString(p.phone)}`}>${t('help.call_name', { name: p.name })}</a>
                <span class="hint" translate="no">${p.phone}</span>
              </li>`)}
          </ul>`
        : html`<${EmptyHint} text=${t('help.no_people')} />`}
    </section>`;
}
