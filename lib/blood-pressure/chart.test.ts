import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatShortDate } from '@/lib/platform/uk-time';
import {
  MAX_POINTS,
  TEXT_ASCENT,
  TEXT_DESCENT,
  bloodPressureChartData,
  bloodPressureChartDescription,
  bloodPressureChartSvg,
  bloodPressureChartTable,
  chartBreakpoints,
  chartVariants,
  tenths,
  textWidth,
  type ChartReading,
} from './chart';

const now = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number, hour = 8) => new Date(now.getTime() - days * 86_400_000 + (hour - 12) * 3_600_000);
const reading = (days: number, systolic: number, diastolic: number, hour = 8): ChartReading => ({ systolic, diastolic, measuredAt: daysAgo(days, hour) });

/** Twice-daily readings going back `days` days. */
const twiceDaily = (days: number) =>
  Array.from({ length: days }, (_, index) => {
    const day = index + 1;
    return [reading(day, 120 + (day % 20), 75 + (day % 10)), reading(day, 130, 80, 20)];
  }).flat();

function svgFor(readings: ChartReading[], range: '30-days' | '90-days' | 'all' = '30-days') {
  return bloodPressureChartSvg(bloodPressureChartData(readings, range, now));
}

type Svg = { variant: string; width: number; height: number; markup: string };

/** The SVGs in the chart's HTML, one a variant. */
function svgsOf(html: string): Svg[] {
  return [...html.matchAll(/<svg [^>]*>[\s\S]*?<\/svg>/g)].map(([markup]) => {
    const [, variant] = /class="app-chart__([a-z]+)"/.exec(markup)!;
    const [, width, height] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(markup)!;
    return { variant: variant!, width: Number(width), height: Number(height), markup };
  });
}

const unescapeXml = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!);

type Text = { words: string; x: number; y: number; fontSize: number; anchor: string };
type Box = { left: number; right: number; top: number; bottom: number };

function textsOf(svg: Svg): Text[] {
  return [...svg.markup.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attributes, words]) => {
    const attribute = (name: string) => new RegExp(`(?:^| )${name}="([^"]*)"`).exec(attributes!)?.[1];
    expect(attribute('transform'), 'no text is rotated: its box would be another shape').toBeUndefined();
    return {
      words: unescapeXml(words!),
      x: Number(attribute('x')),
      y: Number(attribute('y')),
      fontSize: Number(attribute('font-size')),
      anchor: attribute('text-anchor') ?? 'start',
    };
  });
}

/** Where a text may be drawn, erring large: as wide as textWidth says, as tall as Arial's or DejaVu Sans's ascent and descent. */
function boxOf(text: Text): Box {
  const width = textWidth(text.words, text.fontSize);
  const left = text.anchor === 'middle' ? text.x - width / 2 : text.anchor === 'end' ? text.x - width : text.x;
  return { left, right: left + width, top: text.y - text.fontSize * TEXT_ASCENT, bottom: text.y + text.fontSize * TEXT_DESCENT };
}

const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

const axisDate = /^(\d{1,2} )?[A-Z][a-z]{2,3} \d{4}$/;

describe('the blood pressure chart', () => {
  it('comes as a narrow and a wide SVG, each with a title and a description it is labelled by', () => {
    const html = svgFor([reading(2, 142, 91), reading(1, 128, 82)]);
    expect(svgsOf(html).map((svg) => svg.variant)).toEqual(['narrow', 'wide']);
    for (const { variant, markup } of svgsOf(html)) {
      const id = `blood-pressure-chart-${variant}`;
      expect(markup).toMatch(new RegExp(`^<svg [^>]*role="img" aria-labelledby="${id}-title ${id}-desc"`));
      expect(markup).toContain(`<title id="${id}-title">Blood pressure, last 30 days</title>`);
      expect(markup).toMatch(
        new RegExp(`<desc id="${id}-desc">Line chart of 2 readings from 21 November 2026 to 22 November 2026\\. Each point is one reading\\.`),
      );
      expect(markup).toContain('Systolic (top number) went down from 142 to 128 over the period.');
      expect(markup).toContain('The latest reading was 128/82 on 22 November 2026 at 8am.');
    }
  });

  it('has no scripts, styles, links or external references', () => {
    const html = svgFor(twiceDaily(30));
    expect(html).not.toMatch(/<script|<style|<a[\s>]|<image|<foreignObject|href=|on[a-z]+=/i);
    // The only references are each SVG's lines to its own markers.
    for (const { markup } of svgsOf(html)) {
      const ids = [...markup.matchAll(/<marker id="([^"]+)"/g)].map((match) => match[1]);
      expect(ids).toHaveLength(2);
      expect([...markup.matchAll(/url\(([^)]*)\)/g)].map((match) => match[1]!.slice(1)).filter((ref) => !ids.includes(ref))).toEqual([]);
    }
    expect(html.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg', 'http://www.w3.org/2000/svg']);
    // Nothing between the SVGs, and nothing else: only what chart.ts draws.
    expect(html.replace(/<svg [^>]*>[\s\S]*?<\/svg>/g, '').trim()).toBe('');
    expect(
      html.match(/<(\w+)/g)?.filter((tag) => !['<svg', '<title', '<desc', '<line', '<text', '<circle', '<rect', '<polyline', '<defs', '<marker'].includes(tag)),
    ).toEqual([]);
  });

  it('tells the lines apart without colour, and labels the 135 and 85 lines and axes', () => {
    const [narrow, wide] = svgsOf(svgFor([reading(2, 142, 91), reading(1, 128, 82)]));
    for (const { markup } of [narrow!, wide!]) {
      expect(markup.match(/<polyline [^>]*>/g)).toHaveLength(2);
      expect(markup).toMatch(/<polyline [^>]*stroke="#0b0c0c"[^>]*stroke-dasharray="6 4"/);
      expect(markup).not.toMatch(/<polyline [^>]*stroke="#1d70b8"[^>]*stroke-dasharray/);
      // Each line's points are marked, systolic with circles and diastolic with squares (the key shows which).
      const [systolic, diastolic] = markup.match(/<polyline [^>]*>/g)!;
      for (const [polyline, shape] of [
        [systolic!, '<circle r="4" fill="#1d70b8"/>'],
        [diastolic!, '<rect x="-3.5" y="-3.5" width="7" height="7" fill="#0b0c0c"/>'],
      ] as const) {
        const marker = /marker-start="url\(#([^)]+)\)" marker-mid="url\(#\1\)" marker-end="url\(#\1\)"/.exec(polyline)?.[1];
        expect(markup).toContain(
          `<marker id="${marker}" viewBox="-5 -5 10 10" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse">${shape}</marker>`,
        );
      }
      expect(markup.match(/<circle /g)?.length).toBe(2);
      expect(markup.match(/<rect /g)?.length).toBe(2);
      expect(markup.match(/<line [^>]*stroke-dasharray="2 4"/g)).toHaveLength(2);
      expect(markup).toContain('>Systolic (top number)</text>');
      expect(markup).toContain('>Diastolic (bottom number)</text>');
      expect(markup).toContain('>mmHg</text>');
      expect(markup).toContain('>Date</text>');
    }
    // The narrow chart has room for the numbers only; its description and the page say what they are.
    expect(wide!.markup).toContain('>135 systolic</text>');
    expect(wide!.markup).toContain('>85 diastolic</text>');
    expect(narrow!.markup).toMatch(/>135<\/text>[\s\S]*>85<\/text>/);
  });

  it('draws a single reading as a point in the middle, its date under it', () => {
    const data = bloodPressureChartData([reading(0, 130, 85)], 'all', now);
    for (const svg of svgsOf(bloodPressureChartSvg(data))) {
      expect(svg.markup).not.toContain('<polyline');
      const [, left, right] = /<line x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)" y2="[\d.]+" stroke="#b1b4b6"/.exec(svg.markup)!;
      const middle = (Number(left) + Number(right)) / 2;
      expect(svg.markup).toContain(`<circle cx="${middle}" `);
      expect(textsOf(svg).filter((text) => axisDate.test(text.words))).toEqual([
        expect.objectContaining({ words: '23 Nov 2026', x: middle, anchor: 'middle' }),
      ]);
    }
    expect(bloodPressureChartTable(data).rows).toEqual([[{ text: '23 Nov 2026, 8am' }, { text: '130' }, { text: '85' }]]);
  });

  it('says there are no readings when there are none', () => {
    const data = bloodPressureChartData([reading(40, 130, 85)], '30-days', now);
    expect(data.points).toEqual([]);
    const html = bloodPressureChartSvg(data);
    expect(html).toContain('<desc id="blood-pressure-chart-narrow-desc">You have no readings in the last 30 days.</desc>');
    expect(html).toContain('<desc id="blood-pressure-chart-wide-desc">You have no readings in the last 30 days.</desc>');
    expect(html.match(/>No readings<\/text>/g)).toHaveLength(2);
    expect(html).not.toMatch(/<circle [^>]*cy="[\d.]+" r="4" fill="#1d70b8"\/>\n<rect/);
    expect(bloodPressureChartTable(data).rows).toEqual([]);
  });

  it('shows only the chosen range, oldest first', () => {
    const readings = [reading(1, 120, 80), reading(100, 150, 95), reading(60, 140, 90), reading(-1, 200, 100)];
    expect(bloodPressureChartData(readings, '30-days', now).points.map((p) => p.systolic)).toEqual([120]);
    expect(bloodPressureChartData(readings, '90-days', now).points.map((p) => p.systolic)).toEqual([140, 120]);
    expect(bloodPressureChartData(readings, 'all', now).points.map((p) => p.systolic)).toEqual([150, 140, 120]);
  });

  it('has a table with the same numbers as the chart', () => {
    const data = bloodPressureChartData([reading(3, 142, 91), reading(2, 128, 82), reading(1, 135, 85)], '30-days', now);
    const table = bloodPressureChartTable(data);
    expect(table.head.map((cell) => cell.text)).toEqual(['Date and time', 'Systolic (top number)', 'Diastolic (bottom number)']);
    expect(table.rows.map((row) => row.slice(1).map((cell) => Number(cell.text)))).toEqual(data.points.map((p) => [p.systolic, p.diastolic]));
    // A marked point on each line for each row.
    for (const svg of svgsOf(bloodPressureChartSvg(data))) {
      for (const polyline of svg.markup.match(/<polyline [^>]*>/g)!) expect(/points="([^"]*)"/.exec(polyline)![1]!.split(' ')).toHaveLength(table.rows.length);
    }
  });

  it('averages each day when there are too many readings to draw one by one', () => {
    const data = bloodPressureChartData(twiceDaily(90), '90-days', now);
    expect(data.grouping).toBe('day');
    expect(data.points.length).toBeLessThanOrEqual(MAX_POINTS);
    const table = bloodPressureChartTable(data);
    expect(table.head.at(-1)).toEqual({ text: 'Number of readings' });
    expect(table.caption).toBe('Blood pressure, last 90 days: average for each day');
    expect(table.rows.at(-1)).toEqual([{ text: '22 Nov 2026' }, { text: '126' }, { text: '78' }, { text: '2' }]);
  });

  // How fast: scripts/bench/blood-pressure.ts (numbers belong in benchmarks, not in tests).
  it('draws 5000 readings (7 years, twice a day) as a point a month', () => {
    const readings = twiceDaily(2500);
    const data = bloodPressureChartData(readings, 'all', now);
    const html = bloodPressureChartSvg(data);
    const table = bloodPressureChartTable(data);
    expect(data.grouping).toBe('month');
    expect(data.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(data.points.reduce((sum, p) => sum + p.readingCount, 0)).toBe(5000);
    expect(table.rows).toHaveLength(data.points.length);
    for (const svg of svgsOf(html)) expect(svg.markup.length).toBeLessThan(50_000);
    expect(html).toContain('Line chart of 5000 readings');
  });

  it('groups by week when days would be too many but weeks are not', () => {
    expect(bloodPressureChartData(twiceDaily(365), 'all', now).grouping).toBe('week');
  });

  it('escapes the id it is given', () => {
    const html = bloodPressureChartSvg(bloodPressureChartData([], 'all', now), 'chart"><script>');
    expect(html).toContain('aria-labelledby="chartscript-narrow-title chartscript-narrow-desc"');
    expect(html).toContain('aria-labelledby="chartscript-wide-title chartscript-wide-desc"');
    expect(html).not.toContain('<script');
  });
});

describe('the blood pressure chart on every screen', () => {
  const dataSets = {
    '1 reading': bloodPressureChartData([reading(0, 130, 85)], 'all', now),
    '2 readings on the same day': bloodPressureChartData([reading(1, 142, 91), reading(1, 128, 82, 20)], 'all', now),
    '2 readings on the same day, of 30 days': bloodPressureChartData([reading(1, 142, 91), reading(1, 128, 82, 20)], '30-days', now),
    '2 readings a night apart': bloodPressureChartData([reading(2, 142, 91, 22), reading(1, 128, 82, 6)], 'all', now),
    '30 days, twice a day': bloodPressureChartData(twiceDaily(30), '30-days', now),
    '90 days, twice a day': bloodPressureChartData(twiceDaily(90), '90-days', now),
    'a year, by week': bloodPressureChartData(twiceDaily(365), 'all', now),
    '3 years, by month': bloodPressureChartData(twiceDaily(3 * 365), 'all', now),
    'the lowest and highest readings allowed': bloodPressureChartData([reading(3, 70, 40), reading(2, 250, 140), reading(1, 250, 150, 20)], '30-days', now),
    'no readings': bloodPressureChartData([], '30-days', now),
  };
  const cases = Object.entries(dataSets).flatMap(([name, data]) => chartVariants.map((variant) => [name, variant.name, data] as const));

  it('has the data sets it says', () => {
    expect(dataSets['3 years, by month'].grouping).toBe('month');
    expect(dataSets['a year, by week'].grouping).toBe('week');
    expect(dataSets['90 days, twice a day'].grouping).toBe('day');
  });

  it.each(cases)('%s, %s: every text is at least 14 CSS px where it is shown, inside the viewBox, and clear of every other', (_, name, data) => {
    const variant = chartVariants.find((v) => v.name === name)!;
    const svg = svgsOf(bloodPressureChartSvg(data)).find((s) => s.variant === name)!;
    expect(svg.width).toBe(variant.width);
    const texts = textsOf(svg);
    expect(texts.length).toBeGreaterThan(5);
    // The least font-size, in viewBox units, that is 14 CSS px in the narrowest box this variant is shown in.
    const least = (14 * variant.width) / variant.narrowestContainer;
    for (const text of texts) {
      expect(text.fontSize, text.words).toBeGreaterThanOrEqual(least);
      expect((text.fontSize * variant.narrowestContainer) / variant.width).toBeGreaterThanOrEqual(14);
      const box = boxOf(text);
      expect(box.left, text.words).toBeGreaterThanOrEqual(0);
      expect(box.right, text.words).toBeLessThanOrEqual(svg.width);
      expect(box.top, text.words).toBeGreaterThanOrEqual(0);
      expect(box.bottom, text.words).toBeLessThanOrEqual(svg.height);
    }
    for (const [index, a] of texts.entries()) {
      for (const b of texts.slice(index + 1)) expect(overlap(boxOf(a), boxOf(b)), `"${a.words}" and "${b.words}"`).toBe(false);
    }
  });

  it.each(cases)('%s, %s: dates along the x axis, oldest first, at least an em apart', (_, name, data) => {
    const svg = svgsOf(bloodPressureChartSvg(data)).find((s) => s.variant === name)!;
    const dates = textsOf(svg).filter((text) => axisDate.test(text.words));
    if (data.points.length === 0) return expect(dates).toEqual([]);
    expect(new Set(dates.map((date) => date.y)).size).toBe(1);
    expect(dates.length).toBeGreaterThanOrEqual(data.to.getTime() - data.from.getTime() > 86_400_000 ? 2 : 1);
    for (const [index, date] of dates.entries()) {
      if (index === 0) continue;
      const before = boxOf(dates[index - 1]!);
      expect(boxOf(date).left - before.right, `${dates[index - 1]!.words} and ${date.words}`).toBeGreaterThanOrEqual(date.fontSize);
    }
    // The first and last name the range's ends.
    if (data.range !== 'all' && dates.length > 1) {
      expect(dates[0]!.words).toBe(formatShortDate(data.from));
      expect(dates.at(-1)!.words).toBe(formatShortDate(data.to));
    }
  });

  it.each(cases)('%s, %s: y axis labels in order, and a key on one or two lines', (_, name, data) => {
    const svg = svgsOf(bloodPressureChartSvg(data)).find((s) => s.variant === name)!;
    const texts = textsOf(svg);
    const numbers = texts.filter((text) => /^\d+$/.test(text.words) && text.anchor === 'end').map((text) => Number(text.words));
    expect(numbers.length).toBeGreaterThanOrEqual(3);
    expect(numbers).toEqual(numbers.toSorted((a, b) => a - b));
    const values = data.points.flatMap((p) => [p.systolic, p.diastolic]);
    expect(numbers[0]).toBeLessThanOrEqual(Math.min(85, ...values));
    expect(numbers.at(-1)).toBeGreaterThanOrEqual(Math.max(135, ...values));
    const key = texts.filter((text) => text.words.startsWith('Systolic (') || text.words.startsWith('Diastolic ('));
    expect(key).toHaveLength(2);
    expect(new Set(key.map((text) => text.y)).size).toBe(name === 'narrow' ? 2 : 1);
  });

  it('ids are unique across the page, each SVG labelled by its own', () => {
    for (const data of Object.values(dataSets)) {
      const html = bloodPressureChartSvg(data) + bloodPressureChartSvg(data, 'professional-blood-pressure-chart');
      const ids = [...html.matchAll(/ id="([^"]+)"/g)].map(([, id]) => id);
      // A title and a description in each of the four SVGs, and two markers in each once there is a line.
      expect(ids).toHaveLength(data.points.length > 1 ? 16 : 8);
      expect(new Set(ids).size).toBe(ids.length);
      for (const svg of svgsOf(html)) {
        const [, labelledBy] = /aria-labelledby="([^"]+)"/.exec(svg.markup)!;
        for (const id of labelledBy!.split(' ')) expect(svg.markup).toContain(` id="${id}"`);
      }
    }
  });

  it('estimates text widths no narrower than Arial or DejaVu Sans draws them', () => {
    // Advance widths in ems, measured from Liberation Sans (Arial's metrics) and DejaVu Sans.
    const measured: [string, number, number][] = [
      ['26 Nov 2026', 5.671, 6.405],
      ['28 Sept 2026', 5.95, 6.73],
      ['Sept 2026', 4.56, 5.14],
      ['260', 1.668, 1.909],
      ['135 systolic', 5.225, 5.97],
      ['85 diastolic', 5.003, 5.746],
      ['Systolic (top number)', 9.448, 10.814],
      ['Diastolic (bottom number)', 11.448, 13.227],
      ['mmHg', 2.944, 3.335],
      ['No readings', 5.392, 6.019],
    ];
    for (const [text, arial, dejaVu] of measured) expect(textWidth(text, 10), text).toBeGreaterThanOrEqual(10 * Math.max(arial, dejaVu));
    expect(textWidth('é', 10)).toBe(12);
  });

  /** The main column's width at a viewport width (govuk-frontend's layout), less a desktop browser's scrollbar. */
  const column = (viewport: number, scrollbar: number) =>
    viewport < 641 ? viewport - scrollbar - 30 : ((Math.min(viewport - scrollbar, 1020) - 30) * 2) / 3 - 30;

  it('shows, at every viewport width from 320 px, a variant whose text is 14 to 25 CSS px there', () => {
    for (let viewport = 320; viewport <= 1600; viewport++) {
      const shown = chartBreakpoints.findLast((breakpoint) => breakpoint.from <= viewport)!.variant;
      const variant = chartVariants.find((v) => v.name === shown)!;
      for (const scrollbar of [0, 17]) {
        const box = column(viewport, scrollbar);
        expect(box, `${viewport} px`).toBeGreaterThanOrEqual(variant.narrowestContainer);
        expect((variant.fontSize * box) / variant.width, `${viewport} px`).toBeGreaterThanOrEqual(14);
        expect((variant.fontSize * box) / variant.width, `${viewport} px`).toBeLessThanOrEqual(25);
      }
    }
  });

  it('has the breakpoints the stylesheet has', () => {
    const scss = readFileSync(new URL('../../frontend/_chart.scss', import.meta.url), 'utf8');
    const named: Record<string, number> = { tablet: 641, desktop: 769 };
    const queries = [...scss.matchAll(/govuk-media-query\(\$from: (\w+)\) \{([^@]*)\}/g)].map(([, from, rules]) => ({
      from: named[from!] ?? Number(from!.replace(/px$/, '')),
      variant: /\.app-chart__(\w+) \{\s*display: block;/.exec(rules!)?.[1],
    }));
    expect(/\.app-chart__wide \{\s*display: none;/.test(scss.slice(0, scss.indexOf('@include')))).toBe(true);
    expect([{ from: 0, variant: 'narrow' }, ...queries]).toEqual(chartBreakpoints);
  });
});

describe('the blood pressure chart in words', () => {
  const describeChart = (readings: ChartReading[], range: '30-days' | '90-days' | 'all' = '30-days') =>
    bloodPressureChartDescription(bloodPressureChartData(readings, range, now));

  it('says readings went down when the latest is lower than the first, not "from lowest to highest"', () => {
    expect(describeChart([reading(3, 170, 100), reading(2, 155, 92), reading(1, 140, 85, 20)])).toBe(
      'Line chart of 3 readings from 20 November 2026 to 22 November 2026. Each point is one reading. ' +
        'The first reading was 170/100 on 20 November 2026 at 8am. The latest reading was 140/85 on 22 November 2026 at 8pm. ' +
        'Systolic (top number) went down from 170 to 140 over the period. Diastolic (bottom number) went down from 100 to 85 over the period. ' +
        'The highest systolic was 170, on 20 November 2026 at 8am. The lowest was 140, on 22 November 2026 at 8pm. ' +
        'The highest diastolic was 100, on 20 November 2026 at 8am. The lowest was 85, on 22 November 2026 at 8pm. ' +
        'Dotted lines mark 135 for systolic and 85 for diastolic.',
    );
  });

  it('says readings went up when the latest is higher than the first', () => {
    const text = describeChart([reading(3, 128, 80), reading(2, 150, 92, 12), reading(1, 141, 86)]);
    expect(text).toContain('The first reading was 128/80 on 20 November 2026 at 8am. The latest reading was 141/86 on 22 November 2026 at 8am.');
    expect(text).toContain('Systolic (top number) went up from 128 to 141 over the period. Diastolic (bottom number) went up from 80 to 86 over the period.');
    expect(text).toContain('The highest systolic was 150, on 21 November 2026 at midday. The lowest was 128, on 20 November 2026 at 8am.');
    expect(text).toContain('The highest diastolic was 92, on 21 November 2026 at midday.');
  });

  it('says readings stayed about the same when the first and latest are less than 5 apart, whatever happened between', () => {
    const text = describeChart([reading(3, 130, 82), reading(2, 175, 95), reading(1, 134, 82, 20)]);
    expect(text).toContain('Systolic (top number) stayed about the same over the period: 130 at the start and 134 at the end.');
    expect(text).toContain('Diastolic (bottom number) stayed the same over the period, at 82.');
    expect(text).toContain('The highest systolic was 175, on 21 November 2026 at 8am.');
    // Two readings share the lowest diastolic, so it says how many rather than one of their dates.
    expect(text).toContain('The highest diastolic was 95, on 21 November 2026 at 8am. The lowest was 82 (2 times).');
    expect(describeChart([reading(3, 130, 82), reading(1, 135, 87)])).toContain('Systolic (top number) went up from 130 to 135 over the period.');
  });

  it('describes a single reading without a direction', () => {
    expect(describeChart([reading(0, 130, 85, 0)], 'all')).toBe(
      'Line chart of 1 reading on 23 November 2026. Each point is one reading. The reading was 130/85 on 23 November 2026 at midnight. ' +
        'Dotted lines mark 135 for systolic and 85 for diastolic.',
    );
  });

  it('describes averages by the day, week or month they are for', () => {
    const text = describeChart(twiceDaily(2500), 'all');
    expect(text).toMatch(
      /^Line chart of 5000 readings from [A-Z][a-z]+ 2020 to November 2026\. Each point is the average for a month\. The first average was \d+\/\d+ in [A-Z][a-z]+ 2020\./,
    );
    expect(text).toContain('The latest average was 129/80 in November 2026.');
    expect(describeChart(twiceDaily(365), 'all')).toMatch(
      /^Line chart of 730 readings from the week starting \d+ November 2025 to the week starting 16 November 2026\./,
    );
  });

  it.each([
    ['30-days', 'You have no readings in the last 30 days.'],
    ['90-days', 'You have no readings in the last 90 days.'],
    ['all', 'You have no readings yet.'],
  ] as const)('says plainly when there are no readings (%s)', (range, expected) => {
    expect(describeChart([], range)).toBe(expected);
  });
});

describe('tenths', () => {
  it('writes a number rounded to tenths as String() writes it', () => {
    const round1 = (n: number) => Math.round(n * 10) / 10;
    const values = [0, -0, 0.04, -0.04, 0.05, -0.05, -0.35, 0.3, 7, -7, 12.3, 99.95, 135.5, -3.5, 1e6 + 0.1, 2 ** 40 + 0.5];
    let seed = 3;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i += 1) values.push((random() - 0.5) * 10 ** Math.floor(random() * 9));
    const differing = values.filter((value) => tenths(round1(value)) !== String(round1(value)) || tenths(value) !== String(round1(value)));
    expect(differing).toEqual([]);
  });
});
