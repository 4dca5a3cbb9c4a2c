// The supporters' card on home, for someone who supports a person: their shared progress and the
// encouragement buttons. Everyone else finds supporters under Settings; encouragements a person
// receives arrive as a push and wait on the supporters screen.

import { html, useEffect, useState } from '../html.js';
import * as api from '../../api.js';
import { t } from '../../i18n.js';

function SupportersCard({ actions }) {
  const [people, setPeople] = useState([]);
  const [Person, setPerson] = useState(null);
  useEffect(() => {
    api.getSupporting()
      .then((data) => setPeople(data.people.filter((p) => !p.ended)))
      .catch(() => setPeople([]));
  }, []);
  useEffect(() => {
    // The buttons come from the supporters screen's module, loaded only when there is someone.
    if (people.length) import('../supporters.js').then((m) => setPerson(() => m.PersonSupported));
  }, [people.length]);
  if (!people.length || !Person) return null;
  return html`
    <section class="card" aria-labelledby="card-supporters-title">
      <h2 id="card-supporters-title" class="card__title">${t('supporters.card_title')}</h2>
      <ul class="supported-list">${people.map((p) => html`
        <${Person} key=${p.id} person=${p} actions=${actions} onChanged=${() => {}} compact />`)}</ul>
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
