// questionnaire.js: one instrument, one question per screen: progress, back, next, then send.
// The answers leave the device only at the end, in one POST with its own idempotency key.

import { html, useEffect, useRef, useState } from '../html.js';
import { currentLanguage, t } from '../../i18n.js';
import { ErrorMessage } from '../parts.js';

// A scale item with more steps than this is typed (days 0–30) rather than tapped.
const MAX_TAPPED_STEPS = 11;

function initialAnswers(instrument) {
  const answers = {};
  for (const item of instrument.items) {
    if (item.prefill !== null && item.prefill !== undefined) answers[item.key] = item.prefill;
  }
  return answers;
}

function Options({ item, value, onChange, name }) {
  return html`
    <div class="scale-options">
      ${item.options.map((option) => html`
        <label key=${option.score} class="scale-option">
          <input type="radio" name=${name} value=${option.score}
                 checked=${value === option.score} onChange=${() => onChange(option.score)} />
          <span>${option.label}</span>
        </label>`)}
    </div>`;
}

function Steps({ item, value, onChange, name }) {
  const steps = [];
  for (let n = item.min; n <= item.max; n += 1) steps.push(n);
  return html`
    <div class="scale-steps">
      ${steps.map((n) => html`
        <label key=${n} class="scale-step">
          <input type="radio" name=${name} value=${n} checked=${value === n}
                 onChange=${() => onChange(n)}
                 aria-label=${n === item.min && item.min_label ? `${n}: ${item.min_label}`
                   : n === item.max && item.max_label ? `${n}: ${item.max_label}` : String(n)} />
          <span aria-hidden="true">${n}</span>
        </label>`)}
    </div>
    <p class="scale-ends" aria-hidden="true">
      <span>${item.min} = ${item.min_label}</span><span>${item.max} = ${item.max_label}</span>
    </p>`;
}

function Count({ item, value, onChange, name }) {
  const id = `${name}-input`;
  return html`
    <div class="field">
      <label for=${id}>${t('scales.count_label', { min: item.min, max: item.max })}</label>
      <input id=${id} class="scale-count" type="number" inputmode="numeric"
             min=${item.min} max=${item.max} step="1"
             value=${value ?? ''}
             onInput=${(event) => {
               const text = event.currentTarget.value;
               const number = Number(text);
               onChange(text === '' || !Number.isInteger(number) ? undefined : number);
             }} />
      ${item.prefill !== null && item.prefill !== undefined && item.hint
        && html`<p class="hint">${item.hint}</p>`}
    </div>`;
}

function valid(item, value) {
  if (value === undefined || value === null) return false;
  if (item.options) return item.options.some((o) => o.score === value);
  return Number.isInteger(value) && value >= item.min && value <= item.max;
}

export function Questionnaire({ instrument, onSubmit, onCancel, sending, error }) {
  const [index, setIndex] = useState(0);
  const [answers, setAnswers] = useState(() => initialAnswers(instrument));
  const [touched, setTouched] = useState(false);
  const heading = useRef(null);
  const item = instrument.items[index];
  const total = instrument.items.length;
  const last = index === total - 1;
  const name = `q-${instrument.id}-${item.key}`;
  const value = answers[item.key];

  // A new question is a new screen: move focus to it so it is read out.
  useEffect(() => { heading.current?.focus(); }, [index]);

  function choose(score) {
    setAnswers({ ...answers, [item.key]: score });
    setTouched(false);
  }

  function next(event) {
    event.preventDefault();
    if (!valid(item, value)) {
      setTouched(true);
      return;
    }
    if (last) onSubmit(answers);
    else setIndex(index + 1);
  }

  function back() {
    setTouched(false);
    if (index === 0) onCancel();
    else setIndex(index - 1);
  }

  const input = item.options ? Options
    : item.max - item.min + 1 <= MAX_TAPPED_STEPS ? Steps : Count;
  return html`
    <form class="questionnaire" onSubmit=${next} noValidate>
      <p class="questionnaire__progress">
        <span id="q-progress">${t('scales.progress', { n: index + 1, total })}</span>
        <progress max=${total} value=${index + 1} aria-labelledby="q-progress"></progress>
      </p>
      ${instrument.language !== currentLanguage() && index === 0 && html`
        <p class="hint" data-testid="translation-note">${instrument.translation_note
          || t('scales.shown_in_english')}</p>`}
      ${instrument.instructions && html`
        <p class="questionnaire__intro" lang=${instrument.language}>${instrument.instructions}</p>`}
      <fieldset class="questionnaire__question" lang=${instrument.language}>
        <legend id=${`${name}-legend`}>
          <span class="questionnaire__text" tabindex="-1" ref=${heading}>${item.text}</span>
        </legend>
        <${input} item=${item} value=${value} onChange=${choose} name=${name} />
        ${item.options && item.hint && html`<p class="hint questionnaire__footnote">${item.hint}</p>`}
      </fieldset>
      <${ErrorMessage} id="q-error"
        message=${touched ? t('scales.choose_an_answer') : error} />
      ${instrument.translation && html`
        <p class="hint questionnaire__source" lang=${instrument.language}
           data-testid="translation-credit">${instrument.translation.credit}</p>`}
      <div class="actions">
        <button type="submit" class="button" disabled=${sending}>
          ${last ? t('scales.see_result') : t('scales.next')}
        </button>
        <button type="button" class="button button--secondary" onClick=${back}>
          ${index === 0 ? t('common.cancel') : t('common.back')}
        </button>
      </div>
    </form>`;
}

// The same rules as the server's, so help is offered at once even when the answers must wait.
export function needsHelp(instrument, answers) {
  return (instrument.safety ?? []).some((rule) => (answers[rule.item] ?? -1) >= rule.min);
}
