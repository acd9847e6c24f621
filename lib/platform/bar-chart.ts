/**
 * Bar charts drawn on the server as SVG, for staff reports: no JavaScript, and each one an image
 * with a title and a description (role="img"). A chart is never the only way to the numbers:
 * the page shows the same figures in a table beside it.
 */

/** A value of null is one the page does not give (a small number kept back): no bar is drawn. */
export type BarSeries = { name: string; colour: string; values: readonly (number | null)[] };

export type BarChart = {
  /** Unique on the page: the title's and description's ids are made from it. */
  id: string;
  title: string;
  description: string;
  /** The groups along the bottom, in order (months, say), each with one bar per series. */
  categories: readonly string[];
  series: readonly BarSeries[];
};

/** GOV.UK colours that stay apart from one another and pass 3:1 against white. */
export const CHART_COLOURS = ['#1d70b8', '#00703c', '#d53880', '#4c2c92', '#505a5f', '#b58840'] as const;

const WIDTH = 720;
const PLOT_TOP = 16;
const PLOT_LEFT = 56;
const PLOT_RIGHT = 12;
const PLOT_HEIGHT = 200;
const LABEL_ROWS = 28;
const LEGEND_ROW = 22;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The top of the scale: 1, 2 or 5 times a power of ten, at or above the largest value (5 at least). */
export function scaleTop(largest: number): number {
  const target = Math.max(largest, 5);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 5, 10]) if (step * power >= target) return step * power;
  return 10 * power;
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const number = new Intl.NumberFormat('en-GB');

export function barChartSvg(chart: BarChart): string {
  const values = chart.series.flatMap((series) => series.values.filter((value): value is number => value !== null));
  const top = scaleTop(Math.max(0, ...values));
  const plotWidth = WIDTH - PLOT_LEFT - PLOT_RIGHT;
  const groupWidth = plotWidth / Math.max(chart.categories.length, 1);
  const barWidth = (groupWidth * 0.8) / Math.max(chart.series.length, 1);
  const baseline = PLOT_TOP + PLOT_HEIGHT;
  const legendTop = baseline + LABEL_ROWS;
  const height = legendTop + LEGEND_ROW * chart.series.length + 4;
  const y = (value: number) => baseline - (value / top) * PLOT_HEIGHT;
  const parts: string[] = [];

  for (const tick of [0, top / 2, top]) {
    parts.push(`<line x1="${PLOT_LEFT}" x2="${WIDTH - PLOT_RIGHT}" y1="${round1(y(tick))}" y2="${round1(y(tick))}" stroke="#b1b4b6" stroke-width="1"/>`);
    parts.push(`<text x="${PLOT_LEFT - 6}" y="${round1(y(tick) + 5)}" text-anchor="end" font-size="14">${number.format(tick)}</text>`);
  }
  chart.categories.forEach((category, index) => {
    const groupLeft = PLOT_LEFT + index * groupWidth + groupWidth * 0.1;
    chart.series.forEach((series, seriesIndex) => {
      const value = series.values[index];
      if (value === null || value === undefined || value <= 0) return;
      const x = groupLeft + seriesIndex * barWidth;
      parts.push(
        `<rect x="${round1(x)}" y="${round1(y(value))}" width="${round1(Math.max(barWidth - 1, 1))}" height="${round1(baseline - y(value))}" fill="${series.colour}"/>`,
      );
    });
    parts.push(
      `<text x="${round1(PLOT_LEFT + (index + 0.5) * groupWidth)}" y="${baseline + 18}" text-anchor="middle" font-size="13">${escapeXml(category)}</text>`,
    );
  });
  chart.series.forEach((series, index) => {
    // One key a line: names can be long (an organisation's), and never run into each other.
    const x = PLOT_LEFT;
    const rowTop = legendTop + index * LEGEND_ROW;
    parts.push(`<rect x="${round1(x)}" y="${rowTop}" width="14" height="14" fill="${series.colour}"/>`);
    parts.push(`<text x="${round1(x + 20)}" y="${rowTop + 12}" font-size="14">${escapeXml(series.name)}</text>`);
  });
  return svg(chart.id, chart.title, chart.description, height, parts);
}

export type ProgressBar = {
  id: string;
  title: string;
  description: string;
  value: number;
  /** Lines across the bar, such as break-even and the target; the bar's end is the largest. */
  marks: readonly { value: number; label: string }[];
};

/** One horizontal bar filled to `value`, with a marked line for each of `marks`. */
export function progressBarSvg(bar: ProgressBar): string {
  const end = Math.max(bar.value, ...bar.marks.map((mark) => mark.value), 1);
  const left = 8;
  const width = WIDTH - left - 16;
  const x = (value: number) => left + (Math.min(value, end) / end) * width;
  const parts = [
    `<rect x="${left}" y="28" width="${width}" height="28" fill="#f3f2f1" stroke="#505a5f" stroke-width="1"/>`,
    `<rect x="${left}" y="28" width="${round1(x(bar.value) - left)}" height="28" fill="#1d70b8"/>`,
  ];
  for (const mark of bar.marks) {
    const at = round1(x(mark.value));
    const anchor = at > WIDTH - 120 ? 'end' : 'middle';
    parts.push(`<line x1="${at}" x2="${at}" y1="20" y2="64" stroke="#0b0c0c" stroke-width="2"/>`);
    parts.push(`<text x="${at}" y="16" text-anchor="${anchor}" font-size="14">${escapeXml(mark.label)}</text>`);
  }
  return svg(bar.id, bar.title, bar.description, 72, parts);
}

function svg(id: string, title: string, description: string, height: number, parts: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${id}-title" aria-describedby="${id}-desc" font-family="Arial, sans-serif" fill="#0b0c0c">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    ...parts,
    '</svg>',
  ].join('');
}
