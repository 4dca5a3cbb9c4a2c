// plan.js: "My plan" (#/plan): warning signs, high-risk situations, what helps, people to
// contact and reasons for change, written by the person. Works offline; saved whole.

import { html, useEffect, useRef, useState } from './html.js';
import { t } from '../i18n.js';
import { SECTIONS, emptyPlan, loadPlan, phoneLooksValid, savePlan } from '../plan-data.js';
import { ErrorMessage, Title, errorText } from './parts.js';

const MAX_LINES = 30;
const MAX_PEOPLE = 10;

function newId() {
  return crypto.randomUUID();
}

function Lines({ section, lines, onChange }) {
  const headingId = `plan-${section}`;

  function update(id, text) {
    onChange(lines.map((line) => (line.id === id ? { ...line, text } : line)));
  }

  return html`
    <section class="panel plan-section" aria-labelledby=${headingId}>
      <h2 id=${headingId} class="subtitle">${t(`plan.${section}.title`)}</h2>
      <p class="hint">${t(`plan.${section}.hint`)}</p>
      <ul class="plan-lines">
        ${lines.map((line, index) => html`
          <li key=${line.id} class="plan-line">
            <input type="text" maxlength="300" value=${line.text}
              id=${`line-${line.id}`}
              aria-label=${t(`plan.${section}.line_label`, { number: index + 1 })}
              onInput=${(e) => update(line.id, e.currentTarget.value)} />
            <button type="button" class="button button--secondary"
              aria-label=${t('plan.remove_line', { number: index + 1, section: t(`plan.${section}.title`) })}
              onClick=${() => onChange(lines.filter((l) => l.id !== line.id))}>
              ${t('plan.remove')}
            </button>
          </li>`)}
      </ul>
      ${lines.length < MAX_LINES && html`
        <button type="button" class="button button--secondary"
          onClick=${() => onChange([...lines, { id: newId(), text: '' }], true)}>
          ${t(`plan.${section}.add`)}
        </button>`}
    </section>`;
}

function People({ people, onChange, invalid }) {
  function update(id, field, value) {
    onChange(people.map((p) => (p.id === id ? { ...p, [field]: value } : p)));
  }

  return html`
    <section class="panel plan-section" aria-labelledby="plan-people">
      <h2 id="plan-people" class="subtitle">${t('plan.people.title')}</h2>
      <p class="hint">${t('plan.people.hint')}</p>
      <ul class="plan-people">
        ${people.map((person, index) => html`
          <li key=${person.id} class="plan-person">
            <div class="field">
              <label for=${`name-${person.id}`}>${t('plan.people.name_label', { number: index + 1 })}</label>
              <input type="text" id=${`name-${person.id}`} maxlength="60" autocomplete="off"
                value=${person.name} onInput=${(e) => update(person.id, 'name', e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for=${`phone-${person.id}`}>${t('plan.people.phone_label', { number: index + 1 })}</label>
              <input type="tel" id=${`phone-${person.id}`} maxlength="32" autocomplete="off"
                inputmode="tel" value=${person.phone}
                aria-invalid=${invalid.includes(person.id) ? 'true' : undefined}
                aria-describedby=${invalid.includes(person.id) ? `phone-error-${person.id}` : undefined}
                onInput=${(e) => update(person.id, 'phone', e.currentTarget.value)} />
              ${invalid.includes(person.id) && html`
                <p class="error" id=${`phone-error-${person.id}`}>${t('plan.people.phone_invalid')}</p>`}
            </div>
            <button type="button" class="button button--secondary"
              aria-label=${t('plan.people.remove_label', { number: index + 1 })}
              onClick=${() => onChange(people.filter((p) => p.id !== person.id))}>
              ${t('plan.remove')}
            </button>
          </li>`)}
      </ul>
      ${people.length < MAX_PEOPLE && html`
        <button type="button" class="button button--secondary"
          onClick=${() => onChange([...people, { id: newId(), name: '', phone: '' }], true)}>
          ${t('plan.people.add')}
        </button>`}
      <p class="hint">${t('plan.people.privacy')}</p>
    </section>`;
}

export function Plan({ actions }) {
  const [plan, setPlan] = useState(null);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [invalid, setInvalid] = useState([]);
  const [focusId, setFocusId] = useState(null);
  const root = useRef(null);

  useEffect(() => {
    loadPlan().then(({ plan: loaded }) => setPlan(loaded)).catch(() => setPlan(emptyPlan()));
  }, []);

  // A line just added gets focus, so typing can start at once.
  useEffect(() => {
    if (focusId) root.current?.querySelector(`[id$="${focusId}"]`)?.focus();
  }, [focusId]);

  function change(field) {
    return (value, added = false) => {
      setPlan({ ...plan, [field]: value });
      setDirty(true);
      if (added) setFocusId(value[value.length - 1].id);
    };
  }

  async function save(event) {
    event.preventDefault();
    const wrong = plan.people.filter((p) => (p.name.trim() || p.phone.trim()) && !phoneLooksValid(p.phone))
      .map((p) => p.id);
    setInvalid(wrong);
    if (wrong.length) {
      setError(t('plan.fix_phone'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      const { plan: saved, queued } = await savePlan(plan);
      setPlan({ ...emptyPlan(), ...saved });
      setDirty(false);
      actions.announce(t(queued ? 'plan.saved_offline' : 'plan.saved'));
    } catch (failure) {
      setError(failure?.detail || errorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <div class="screen screen--plan" ref=${root}>
      <${Title}>${t('plan.title')}<//>
      <p class="lead">${t('plan.lead')}</p>
      ${plan === null ? html`<p>${t('plan.loading')}</p>` : html`
        <form onSubmit=${save} noValidate>
          ${SECTIONS.slice(0, 3).map((section) => html`
            <${Lines} key=${section} section=${section} lines=${plan[section]}
              onChange=${change(section)} />`)}
          <${People} people=${plan.people} onChange=${change('people')} invalid=${invalid} />
          <${Lines} section="reasons" lines=${plan.reasons} onChange=${change('reasons')} />
          <${ErrorMessage} id="plan-error" message=${error} />
          <div class="actions actions--sticky">
            <button type="submit" class="button" disabled=${busy}>
              ${t(dirty ? 'plan.save' : 'plan.save_again')}
            </button>
          </div>
        </form>`}
    </div>`;
}
