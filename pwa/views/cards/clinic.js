// The clinic card: a clinic's code waiting for an answer (typed at onboarding, or opened
// from a discharge card before the account existed). Shows nothing otherwise.

import { html } from '../html.js';
import { WaitingCode } from '../clinic.js';

export default {
  id: 'clinic',
  render(context) {
    return html`<${WaitingCode} state=${context.state} />`;
  },
};
