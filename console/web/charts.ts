/**
 * Time-series charts on uPlot (what Grafana draws with): small, fast on a week of points, and
 * plain canvas. Every colour is a CSS custom property of the theme (style.css), read when a
 * chart is drawn, so light and dark follow the system setting and nothing is hard-coded here.
 */
import uPlot from 'uplot';
import { h } from './dom.js';

export interface SeriesSpec {
  label: string;
  /** CSS custom property holding the colour, e.g. "--chart-1". */
  colour: string;
  dash?: number[];
  /** Fill the area between the line and zero (the underwater drawdown). */
  fill?: boolean;
  width?: number;
}

export type Columns = Array<ArrayLike<number | null>>;

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** The colour with an alpha, for fills: works for #rrggbb and rgb() theme values. */
function translucent(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return colour.replace(/^rgb\(([^)]+)\)$/, `rgba($1, ${alpha})`);
}

export class Chart {
  readonly element: HTMLElement;
  private readonly plotArea: HTMLElement;
  private readonly empty: HTMLElement;
  private plot?: uPlot;
  private data?: uPlot.AlignedData;
  private series: SeriesSpec[];

  constructor(
    readonly title: string,
    series: SeriesSpec[],
    private readonly format: (v: number) => string,
    private readonly height = 200,
  ) {
    this.series = series;
    this.plotArea = h('div', { class: 'plot' });
    this.empty = h('p', { class: 'empty' }, 'No data in this range yet.');
    const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    this.element = h('figure', { class: 'chart', 'data-chart': slug }, h('figcaption', {}, title), this.plotArea, this.empty);
    new ResizeObserver(() => this.resize()).observe(this.plotArea);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.redraw());
  }

  /** New data: times in seconds, one column per series (same order as the specs). */
  update(times: number[], columns: Columns, series?: SeriesSpec[]): void {
    const specs = series ?? this.series;
    // Limit lines (dashed, constant) alone are not data: the chart says "no data" instead.
    const hasData = columns.some((c, i) => !specs[i]?.dash && Array.from(c).some((v) => v !== null && Number.isFinite(v)));
    this.empty.hidden = hasData;
    this.plotArea.hidden = !hasData;
    const data = [times, ...columns.map((c) => Array.from(c, (v) => (v === null || !Number.isFinite(v) ? null : v)))] as uPlot.AlignedData;
    this.data = data;
    // What is drawn, for tests and for anyone reading the page without the canvas.
    const first = data[1] ?? [];
    let lastIndex = first.length - 1;
    while (lastIndex >= 0 && first[lastIndex] === null) lastIndex--;
    this.element.dataset.points = String(Array.from(first as ArrayLike<number | null>).filter((v) => v !== null).length);
    this.element.dataset.last = lastIndex >= 0 ? String(first[lastIndex]) : '';
    this.element.dataset.lastTime = lastIndex >= 0 ? String(times[lastIndex]) : '';
    if (series && series.map((s) => s.label).join('|') !== this.series.map((s) => s.label).join('|')) {
      this.series = series;
      this.redraw();
      return;
    }
    if (!hasData) return;
    if (!this.plot) this.redraw();
    else this.plot.setData(data);
  }

  private width(): number {
    return Math.max(200, Math.floor(this.plotArea.clientWidth || this.element.clientWidth || 300));
  }

  private resize(): void {
    if (this.plot && !this.plotArea.hidden) this.plot.setSize({ width: this.width(), height: this.height });
  }

  /** Builds the plot again with the theme's current colours. */
  private redraw(): void {
    this.plot?.destroy();
    this.plot = undefined;
    if (!this.data || this.plotArea.hidden) return;
    const text = cssVar('--muted') || 'currentColor';
    const grid = cssVar('--grid') || cssVar('--border');
    const axis: uPlot.Axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const format = this.format;
    this.plot = new uPlot(
      {
        width: this.width(),
        height: this.height,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [
          axis,
          {
            ...axis,
            values: (_u, splits) => splits.map((v) => format(v)),
            // Wide enough for the longest label ("$100,250.00"), about 7 px a character.
            size: (_u, values) => (values ? Math.max(40, ...values.map((v) => String(v).length * 7 + 18)) : 40),
          },
        ],
        series: [
          {},
          ...this.series.map((s) => {
            const colour = cssVar(s.colour) || text;
            return {
              label: s.label,
              stroke: colour,
              width: s.width ?? 2,
              dash: s.dash,
              fill: s.fill ? translucent(colour, 0.25) : undefined,
              spanGaps: false,
              points: { show: false },
              value: (_u: uPlot, v: number | null) => (v === null ? '—' : format(v)),
            };
          }),
        ],
      },
      this.data,
      this.plotArea,
    );
  }
}
