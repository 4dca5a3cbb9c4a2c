// html.js: the tagged template every view uses (htm bound to Preact's h), plus the hooks.

import { h } from '../vendor/preact.js';
import htm from '../vendor/htm.js';

export { useEffect, useId, useRef, useState } from '../vendor/hooks.js';
export const html = htm.bind(h);
