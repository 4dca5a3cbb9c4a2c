// The supporters' card on home: for someone who supports a person, their shared progress and
// the encouragement buttons; for a person, the newest encouragement; for everyone, the way in.

import { html, useEffect, useState } from '../html.js';
import * as api from '../../api.js';
import { t } from '../../i18n.js';
import * as recovery from '../../recovery.js';

const RECENT_MS = 7 * 24 * 3600 * 1000;

// "Now" as the server counts days (the progress's today), so a phone with a wrong clock still
// shows this week's encouragements.
function now() {
  const today = recovery.snapshot().progress?.today;
  return today ? Date.parse(`${today}T23:59:59Z`) : Date.now();
}

function SupportersCard({ actions }) {
  const [data, setData] = useState(null);
  const [Person, setPerson] = useState(null);
  useEffect(() => {
    Promise.all([api.getSupporting(), api.getEncouragements()])
      .then(([people, received]) => setData({
        people: people.people.filter((p) => !p.ended),
        recent: received.encouragements.filter((e) => now() - Date.parse(e.at) < RECENT_MS),
      }))
      .catch(() => setData(null));
  }, []);
  useEffect(() => {
    // The buttons come from the supporters screen's module, loaded only when there is someone.
    if (data?.people.length) {
      import('../supporters.js').then((m) => setPerson(() => m.PersonSupported));
    }
  }, [data?.people.length]);
  return html`
    <section class="card" aria-labelledby="card-supporters-title">
      <h2 id="card-supporters-title" class="card__title">${t('supporters.card_title')}</h2>
      ${data?.recent.length > 0 && html`<p class="supporters__latest">
        ${t('supporters.card_received', { text: t(`supporters.kind.${data.recent[0].kind}`) })}</p>`}
      ${Person && html`<ul class="supported-list">${data.people.map((p) => html`
        <${Person} key=${p.id} person=${p} actions=${actions} onChanged=${() => {}} compact />`)}</ul>`}
      ${!data?.people.length && !data?.recent.length && html`<p>${t('supporters.card_text')}</p>`}
      <div class="card__actions">
        <a class="button button--secondary" href="#/supporters">${t('supporters.card_open')}</a>
      </div>
    </section>`;
}

export default {
  id: 'supporters',
  render(context) {
    return html`<${SupportersCard} actions=${context.actions} />`;
  },
};
