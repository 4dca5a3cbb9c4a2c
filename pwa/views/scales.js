// scales.js: follow-up (#/scales, and #/checkup to start the check-up at once): the follow-ups
// due, the questionnaires, history with trends, and "compare with my start".

import { html, useEffect, useState } from './html.js';
import * as api from '../api.js';
import * as outbox from '../outbox.js';
import { formatDate, t } from '../i18n.js';
import { ErrorMessage, errorText, Title } from './parts.js';
import { Questionnaire, needsHelp } from './scales/questionnaire.js';
import { Result } from './scales/result.js';
import { History } from './scales/history.js';
import { Compare } from './scales/compare.js';
import { CRISIS_KINDS, linesOf, loadHelpLines } from './help-lines.js';

function newClientId() {
  return crypto.randomUUID();
}

async function loadAll() {
  const [instruments, followups, responses, programmes, enrolment] = await Promise.all([
    api.getInstruments(), api.getFollowups(), api.getResponses(),
    api.getProgrammes(), api.getProgramme(),
  ]);
  return {
    instruments: instruments.instruments,
    cutoffSet: instruments.cutoff_set,
    followups: followups.followups,
    responses: responses.responses,
    programmes: programmes.programmes,
    enrolment,
  };
}

function Status({ status }) {
  return html`<span class=${`badge badge--${status}`}>${t(`scales.status.${status}`)}</span>`;
}

function Followups({ data, onStart }) {
  const names = Object.fromEntries(data.instruments.map((i) => [i.id, i.name]));
  return html`
    <section class="panel" aria-labelledby="followups-title">
      <h2 id="followups-title" class="subtitle">${t('scales.followups_title')}</h2>
      <p class="hint">${t('scales.programme_line', { name: data.enrolment.name,
        date: formatDate(data.enrolment.start_date) })}</p>
      <ol class="followups">
        ${data.followups.map((f) => html`
          <li key=${f.id} class=${`followups__item followups__item--${f.status}`}>
            <span class="followups__label">${f.label}</span>
            <span class="followups__date">${formatDate(f.due_date)}</span>
            <${Status} status=${f.status} />
            ${f.status === 'due' && html`
              <div class="followups__actions">
                <button type="button" class="button" onClick=${() => onStart('checkup')}>
                  ${t('scales.start_checkup')}
                </button>
                ${f.offered.length > 0 && html`
                  <p class="hint">${t('scales.also_offered', {
                    names: f.offered.map((id) => names[id] ?? id).join(', '),
                  })}</p>`}
              </div>`}
          </li>`)}
      </ol>
    </section>`;
}

function Instruments({ data, onStart, onHistory }) {
  const answered = new Set(data.responses.map((r) => r.instrument));
  return html`
    <section class="panel" aria-labelledby="instruments-title">
      <h2 id="instruments-title" class="subtitle">${t('scales.instruments_title')}</h2>
      <p class="hint">${t('scales.instruments_hint')}</p>
      <ul class="instruments">
        ${data.instruments.map((i) => html`
          <li key=${i.id} class="instruments__item">
            <span class="instruments__name">${i.name}</span>
            <span class="card__actions">
              <button type="button" class="button button--secondary" data-instrument=${i.id}
                      onClick=${() => onStart(i.id)}
                      aria-label=${t('scales.answer_named', { name: i.name })}>
                ${t('scales.answer')}
              </button>
              ${answered.has(i.id) && html`
                <button type="button" class="button button--secondary"
                        onClick=${() => onHistory(i.id)}
                        aria-label=${t('scales.history_named', { name: i.name })}>
                  ${t('scales.history_button')}
                </button>`}
            </span>
          </li>`)}
      </ul>
    </section>`;
}

function Choices({ data, onSaved, announce }) {
  const [programme, setProgramme] = useState(data.enrolment.programme);
  const [start, setStart] = useState(data.enrolment.start_date);
  const [error, setError] = useState('');

  async function saveProgramme(event) {
    event.preventDefault();
    setError('');
    try {
      await api.putProgramme({ programme, start_date: start || undefined });
      announce(t('scales.saved'));
      onSaved();
    } catch (failure) {
      setError(failure.status === 400 ? t('scales.programme_date_error') : errorText(failure));
    }
  }

  async function saveCutoff(value) {
    try {
      await api.putScaleSettings({ cutoff_set: value });
      announce(t('scales.saved'));
      onSaved();
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  return html`
    <details class="panel">
      <summary>${t('scales.choices_title')}</summary>
      <form onSubmit=${saveProgramme}>
        <div class="field">
          <label for="programme">${t('scales.programme_label')}</label>
          <select id="programme" value=${programme}
                  onChange=${(e) => setProgramme(e.currentTarget.value)}>
            ${data.programmes.map((p) => html`<option key=${p.id} value=${p.id}>${p.name}</option>`)}
          </select>
          <p class="hint">${data.programmes.find((p) => p.id === programme)?.description}</p>
        </div>
        <div class="field">
          <label for="programme-start">${t('scales.programme_start')}</label>
          <input id="programme-start" type="date" value=${start}
                 onInput=${(e) => setStart(e.currentTarget.value)} />
        </div>
        <${ErrorMessage} id="choices-error" message=${error} />
        <button type="submit" class="button">${t('scales.save_programme')}</button>
      </form>
      <fieldset class="cutoffs">
        <legend>${t('scales.cutoff_title')}</legend>
        <p class="hint">${t('scales.cutoff_hint')}</p>
        ${[['none', null], ['men', 'men'], ['women', 'women']].map(([key, value]) => html`
          <div key=${key} class="field--check">
            <input type="radio" class="switch" id=${`cutoff-${key}`} name="cutoff"
                   checked=${data.cutoffSet === value} onChange=${() => saveCutoff(value)} />
            <label for=${`cutoff-${key}`}>${t(`scales.cutoff_${key}`)}</label>
          </div>`)}
      </fieldset>
    </details>`;
}

export function Scales({ state, actions, start = null }) {
  const [data, setData] = useState(null);
  const [loadError, setLoadError] = useState('');
  const [mode, setMode] = useState(start ? { view: 'answer', id: start } : { view: 'overview' });
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState('');
  const [history, setHistory] = useState(null);

  async function refresh() {
    try {
      setData(await loadAll());
      setLoadError('');
    } catch (error) {
      setLoadError(errorText(error));
    }
  }

  useEffect(() => { refresh(); }, [state.lang]);
  // Keep the help lines on the device, so a safety answer shows them even offline.
  useEffect(() => { loadHelpLines().catch(() => {}); }, [state.lang]);

  const instrumentOf = (id) => data?.instruments.find((i) => i.id === id);
  const checkups = (data?.responses ?? []).filter((r) => r.instrument === 'checkup');

  async function submit(instrument, answers) {
    setSending(true);
    setSendError('');
    const body = { instrument: instrument.id, answers, client_id: newClientId() };
    try {
      const response = await api.createResponse(body);
      setMode({ view: 'result', id: instrument.id, response });
      refresh();
    } catch (error) {
      if (!outbox.mayWait(error)) {
        setSendError(errorText(error));
        return;
      }
      // Offline (or the server busy): keep the answers for later, and still show help at once if they ask for it.
      await outbox.add({ method: 'POST', path: '/api/responses', body, id: body.client_id });
      const safety = needsHelp(instrument, answers);
      const resources = safety
        ? linesOf(await loadHelpLines().catch(() => []), CRISIS_KINDS) : [];
      setMode({ view: 'result', id: instrument.id, offline: true,
        response: { safety, resources, score: null, measures: null } });
    } finally {
      setSending(false);
    }
  }

  async function showHistory(id) {
    setHistory(null);
    setMode({ view: 'history', id });
    try {
      setHistory((await api.getResponses(id)).responses);
    } catch (error) {
      setLoadError(errorText(error));
    }
  }

  // From #/checkup, "done" leads on to the follow-up screen, so a reload never restarts it.
  const back = () => {
    setSendError('');
    if (start) actions.navigate('scales');
    else setMode({ view: 'overview' });
  };
  let body;
  if (!data) {
    body = loadError ? html`<${ErrorMessage} id="scales-error" message=${loadError} />`
      : html`<p class="hint">${t('scales.loading')}</p>`;
  } else if (mode.view === 'answer' && instrumentOf(mode.id)) {
    const instrument = instrumentOf(mode.id);
    body = html`
      <h2 class="subtitle">${instrument.name}</h2>
      <${Questionnaire} key=${instrument.id} instrument=${instrument} sending=${sending}
        error=${sendError} onSubmit=${(answers) => submit(instrument, answers)} onCancel=${back} />`;
  } else if (mode.view === 'result') {
    body = html`<${Result} response=${mode.response} instrument=${instrumentOf(mode.id)}
      start=${checkups.length > 1 ? checkups[0].measures : null} offline=${mode.offline}
      onDone=${back} onHistory=${() => showHistory(mode.id)} />`;
  } else if (mode.view === 'history' && instrumentOf(mode.id)) {
    body = history ? html`<${History} instrument=${instrumentOf(mode.id)} responses=${history}
      onBack=${back} />` : html`<p class="hint">${t('scales.loading')}</p>`;
  } else {
    body = html`
      <p class="lead">${t(`scales.lead_${state.me?.role === 'relative' ? 'relative' : 'self'}`)}</p>
      <${Followups} data=${data} onStart=${(id) => setMode({ view: 'answer', id })} />
      <section class="panel" aria-labelledby="compare-title">
        <h2 id="compare-title" class="subtitle">${t('scales.compare.title')}</h2>
        <${Compare} checkups=${checkups} />
        ${checkups.length > 0 && html`
          <button type="button" class="button button--secondary"
                  onClick=${() => showHistory('checkup')}>${t('scales.see_history')}</button>`}
      </section>
      <${Instruments} data=${data} onStart=${(id) => setMode({ view: 'answer', id })}
        onHistory=${showHistory} />
      <section class="panel" aria-labelledby="summary-link-title">
        <h2 id="summary-link-title" class="subtitle">${t('summary.title')}</h2>
        <p class="hint">${t('summary.link_hint')}</p>
        <a class="button button--secondary" href="#/summary">${t('summary.open')}</a>
      </section>
      <${Choices} data=${data} onSaved=${refresh} announce=${actions.announce} />`;
  }
  return html`
    <div class="screen screen--scales">
      <${Title}>${t('scales.title')}<//>
      ${body}
    </div>`;
}

// #/checkup: straight into the check-up (from the home card or a reminder).
export function Checkup(props) {
  return html`<${Scales} ...${props} start="checkup" />`;
}
