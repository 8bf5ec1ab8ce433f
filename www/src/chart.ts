/**
 * A forecast chart as plain SVG: the history, the point forecast and the
 * shaded 80% and 95% bands (any levels the forecast has), with a y axis of
 * round numbers and period labels. Drawn by hand: it is one chart type,
 * about a hundred lines, where a charting library would add tens of KB
 * and, often, inline styles that a strict CSP forbids.
 *
 * Elements carry classes (`history`, `point`, `band band-80`, `band band-95`,
 * `grid`, `axis`, `now`) and presentation attributes as defaults, so a page
 * can restyle them from CSS. Numbers and labels go in as text nodes.
 */
import type { Forecast } from "../pkg/pocketrec_forecast.js";

const SVG = "http://www.w3.org/2000/svg";

export interface ChartOptions {
  /** Label of period `i` (0 = first history value). Default: `i + 1`. */
  label?: (i: number) => string;
  /** What the values are, for the accessible description. Default "values". */
  what?: string;
  width?: number;
  height?: number;
}

/** Round tick values covering [lo, hi] (the first ≤ lo, the last ≥ hi): steps of 1, 2 or 5 × 10^k. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  // From the step at or below lo to the first step at or above hi, so the data fit inside.
  const out: number[] = [];
  const first = Math.floor(lo / step + 1e-9);
  for (let k = first; out.length === 0 || (out.at(-1) as number) < hi - step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

function node<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

const compact = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, notation: "compact" });

/** The chart of `history` followed by `forecast`. */
export function forecastChart(history: readonly number[], forecast: Forecast, options: ChartOptions = {}): SVGSVGElement {
  const width = options.width ?? 720;
  const height = options.height ?? 300;
  const label = options.label ?? ((i: number) => String(i + 1));
  const margin = { left: 52, right: 16, top: 16, bottom: 40 };
  const n = history.length;
  const total = n + forecast.point.length;
  const bounds = forecast.intervals.flatMap((b) => [...b.lower, ...b.upper]);
  const all = [...history, ...forecast.point, ...bounds].filter(Number.isFinite);
  const yTicks = ticks(Math.min(0, ...all), Math.max(1, ...all));
  const yMin = yTicks[0] ?? 0;
  const yMax = yTicks.at(-1) ?? 1;
  const x = (i: number) => margin.left + (i / Math.max(1, total - 1)) * (width - margin.left - margin.right);
  const y = (v: number) => margin.top + (1 - (v - yMin) / (yMax - yMin || 1)) * (height - margin.top - margin.bottom);
  const line = (points: [number, number][]) => points.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");

  const id = `chart-${Math.random().toString(36).slice(2)}`;
  const svg = node("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-t ${id}-d`, class: "forecast-chart" });
  const narrowest = [...forecast.intervals].sort((a, b) => a.level - b.level);
  svg.append(
    node("title", { id: `${id}-t` }, `${options.what ?? "values"}: ${n} periods of history and a ${forecast.point.length}-period forecast (${forecast.model})`),
    node("desc", { id: `${id}-d` }, `Shaded bands: ${narrowest.map((b) => `${b.level}%`).join(" and ")} prediction intervals. Forecast for ${label(n)}: ${compact.format(forecast.point[0] ?? 0)}.`),
  );
  for (const v of yTicks) {
    svg.append(node("line", { class: "grid", x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v), stroke: "#e3e6eb" }));
    svg.append(node("text", { class: "axis", x: margin.left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11, fill: "#5d6677" }, compact.format(v)));
  }
  const every = Math.max(1, Math.ceil(total / 8));
  for (let i = 0; i < total; i += every) {
    svg.append(node("text", { class: "axis", x: x(i), y: height - margin.bottom + 16, "text-anchor": "middle", "font-size": 11, fill: "#5d6677" }, label(i)));
  }
  // Widest band first, so narrower ones sit on top.
  for (const band of [...narrowest].reverse()) {
    const upper: [number, number][] = band.upper.map((v, h) => [n + h, v]);
    const lower: [number, number][] = band.lower.map((v, h) => [n + h, v]);
    svg.append(node("polygon", { class: `band band-${band.level}`, points: line([...upper, ...lower.reverse()]), fill: "#2457c5", "fill-opacity": band.level >= 90 ? 0.15 : 0.3 }));
  }
  svg.append(node("line", { class: "now", x1: x(n - 0.5), x2: x(n - 0.5), y1: margin.top, y2: height - margin.bottom, stroke: "#9aa3b2", "stroke-dasharray": "4 4" }));
  svg.append(node("polyline", { class: "history", points: line(history.map((v, i) => [i, v])), fill: "none", stroke: "#1d2330", "stroke-width": 1.6 }));
  const joined: [number, number][] = n ? [[n - 1, history[n - 1] as number]] : [];
  svg.append(node("polyline", { class: "point", points: line([...joined, ...forecast.point.map((v, h): [number, number] => [n + h, v])]), fill: "none", stroke: "#2457c5", "stroke-width": 2 }));
  return svg;
}
