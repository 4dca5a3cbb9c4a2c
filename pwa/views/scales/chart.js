// chart.js: a small trend chart drawn by the app as inline SVG, with a table beside it so the
// same numbers can be read without seeing the chart.

import { html } from '../html.js';
import { formatDate, formatNumber } from '../../i18n.js';

const WIDTH = 320;
const HEIGHT = 160;
const PAD = { left: 34, right: 12, top: 12, bottom: 28 };

// points: [{date: 'YYYY-MM-DD', value: number}] oldest first; the y axis runs min…max.
export function TrendChart({ points, min = 0, max, label, summary }) {
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i) => PAD.left + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v) => PAD.top + innerH - ((v - min) / Math.max(1, max - min)) * innerH;
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const short = { day: 'numeric', month: 'short' };
  return html`
    <figure class="trend">
      <svg class="trend__chart" viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} role="img"
           aria-label=${`${label}. ${summary}`} preserveAspectRatio="xMidYMid meet">
        <line class="trend__axis" x1=${PAD.left} y1=${y(min)} x2=${WIDTH - PAD.right} y2=${y(min)} />
        <line class="trend__grid" x1=${PAD.left} y1=${y(max)} x2=${WIDTH - PAD.right} y2=${y(max)} />
        <text class="trend__label" x=${PAD.left - 6} y=${y(max) + 4} text-anchor="end">${formatNumber(max)}</text>
        <text class="trend__label" x=${PAD.left - 6} y=${y(min) + 4} text-anchor="end">${formatNumber(min)}</text>
        ${points.length > 1 && html`<polyline class="trend__line" points=${line} />`}
        ${points.map((p, i) => html`
          <circle key=${i} class="trend__dot" cx=${x(i)} cy=${y(p.value)} r="4" />`)}
        <text class="trend__label" x=${x(0)} y=${HEIGHT - 8}
              text-anchor=${points.length === 1 ? 'middle' : 'start'}>
          ${formatDate(points[0].date, short)}
        </text>
        ${points.length > 1 && html`
          <text class="trend__label" x=${x(points.length - 1)} y=${HEIGHT - 8} text-anchor="end">
            ${formatDate(points[points.length - 1].date, short)}
          </text>`}
      </svg>
      <figcaption class="trend__caption">${label}</figcaption>
    </figure>`;
}
