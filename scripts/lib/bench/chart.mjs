// The bench's chart as a hand-written SVG: throughput achieved against offered load, and p99 request
// → completion against offered load (log scale), for ours and for the raw-Temporal baseline.

const WIDTH = 960;
const HEIGHT = 400;
const PANEL = { width: 400, height: 270, top: 70, left: [70, 550] };
const COLOURS = { ours: '#1f6feb', baseline: '#8b949e' };

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text) {
  return String(text).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]);
}

/** Round numbers for an axis from 0 to at least `max`: about five steps of 1, 2 or 5 × 10^n. */
export function niceTicks(max) {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough);
  const ticks = [];
  for (let value = 0; value < max + step; value += step) ticks.push(Math.round(value * 1e6) / 1e6);
  return ticks;
}

/**
 * @typedef {{ offered: number, achieved: number, endToEndMs: { p99: number | null } }} ChartStage
 * @param {object} data
 * @param {string} data.title
 * @param {string} data.subtitle e.g. the machine and the date
 * @param {{ ours: ChartStage[], baseline: ChartStage[] }} data.series
 * @returns {string} a standalone SVG document
 */
export function benchChart({ title, subtitle, series }) {
  const all = [...series.ours, ...series.baseline];
  const maxOffered = Math.max(10, ...all.map((stage) => stage.offered));
  const maxAchieved = Math.max(10, ...all.map((stage) => stage.achieved));
  const xTicks = niceTicks(maxOffered);
  const yTicks = niceTicks(Math.max(maxAchieved, maxOffered));
  const latencies = all.map((stage) => stage.endToEndMs.p99).filter((value) => value > 0);
  const decades = [Math.floor(Math.log10(Math.min(10, ...latencies))), Math.ceil(Math.log10(Math.max(1000, ...latencies)))];

  const x = (panel, value) => PANEL.left[panel] + (value / xTicks.at(-1)) * PANEL.width;
  const yThroughput = (value) => PANEL.top + PANEL.height - (value / yTicks.at(-1)) * PANEL.height;
  const yLatency = (ms) => PANEL.top + PANEL.height - ((Math.log10(ms) - decades[0]) / (decades[1] - decades[0])) * PANEL.height;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${WIDTH / 2}" y="44" text-anchor="middle" fill="#57606a">${escapeXml(subtitle)}</text>`,
  ];

  // Left: throughput achieved against offered, with the line where achieved equals offered.
  parts.push(...axes(0, xTicks, yTicks.map((tick) => [yThroughput(tick), String(tick)]), 'offered (handoffs/s)', 'achieved (handoffs/s)', x));
  parts.push(
    `<line x1="${x(0, 0)}" y1="${yThroughput(0)}" x2="${x(0, Math.min(xTicks.at(-1), yTicks.at(-1)))}" y2="${yThroughput(Math.min(xTicks.at(-1), yTicks.at(-1)))}" stroke="#d0d7de" stroke-dasharray="4 4"/>`,
  );
  for (const [name, stages] of Object.entries(series)) {
    parts.push(...line(name, stages.map((stage) => [x(0, stage.offered), yThroughput(stage.achieved)])));
  }

  // Right: p99 request → completion against offered, on a log scale.
  const latencyTicks = [];
  for (let decade = decades[0]; decade <= decades[1]; decade++) latencyTicks.push([yLatency(10 ** decade), msLabel(10 ** decade)]);
  parts.push(...axes(1, xTicks, latencyTicks, 'offered (handoffs/s)', 'p99 request → completion', x));
  for (const [name, stages] of Object.entries(series)) {
    const points = stages.filter((stage) => stage.endToEndMs.p99 > 0).map((stage) => [x(1, stage.offered), yLatency(stage.endToEndMs.p99)]);
    parts.push(...line(name, points));
  }

  // Legend.
  Object.keys(series).forEach((name, index) => {
    const legendX = WIDTH / 2 - 110 + index * 150;
    parts.push(
      `<line x1="${legendX}" y1="${HEIGHT - 18}" x2="${legendX + 24}" y2="${HEIGHT - 18}" stroke="${COLOURS[name]}" stroke-width="2.5"/>`,
      `<text x="${legendX + 30}" y="${HEIGHT - 14}">${escapeXml(name === 'ours' ? 'ours (HTTP API, services)' : 'raw-Temporal baseline')}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function axes(panel, xTicks, yTicks, xLabel, yLabel, x) {
  const left = PANEL.left[panel];
  const bottom = PANEL.top + PANEL.height;
  const out = [
    `<g class="axes">`,
    `<rect x="${left}" y="${PANEL.top}" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#8c959f"/>`,
  ];
  for (const tick of xTicks) {
    out.push(`<text x="${x(panel, tick)}" y="${bottom + 16}" text-anchor="middle">${tick}</text>`);
  }
  for (const [y, label] of yTicks) {
    out.push(`<line x1="${left}" y1="${y}" x2="${left + PANEL.width}" y2="${y}" stroke="#eaeef2"/>`);
    out.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end">${escapeXml(label)}</text>`);
  }
  out.push(`<text x="${left + PANEL.width / 2}" y="${bottom + 34}" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  out.push(`<text x="${left - 50}" y="${PANEL.top + PANEL.height / 2}" text-anchor="middle" transform="rotate(-90 ${left - 50} ${PANEL.top + PANEL.height / 2})">${escapeXml(yLabel)}</text>`);
  out.push('</g>');
  return out;
}

function line(name, points) {
  if (points.length === 0) return [];
  const colour = COLOURS[name];
  const path = points.map(([px, py], index) => `${index ? 'L' : 'M'}${px.toFixed(1)} ${py.toFixed(1)}`).join(' ');
  return [
    `<g class="series" data-series="${escapeXml(name)}">`,
    `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
    ...points.map(([px, py]) => `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3.5" fill="${colour}"/>`),
    '</g>',
  ];
}

function msLabel(ms) {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}
