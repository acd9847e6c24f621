import { describe, expect, it } from 'vitest';
import { MAX_POINTS, bloodPressureChartData, bloodPressureChartDescription, bloodPressureChartSvg, bloodPressureChartTable, type ChartReading } from './chart';

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

describe('the blood pressure chart', () => {
  it('has a title and a description it is labelled by', () => {
    const svg = svgFor([reading(2, 142, 91), reading(1, 128, 82)]);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="blood-pressure-chart-title blood-pressure-chart-desc"/);
    expect(svg).toContain('<title id="blood-pressure-chart-title">Blood pressure, last 30 days</title>');
    expect(svg).toMatch(
      /<desc id="blood-pressure-chart-desc">Line chart of 2 readings from 21 November 2026 to 22 November 2026\. Each point is one reading\./,
    );
    expect(svg).toContain('Systolic (top number) went down from 142 to 128 over the period.');
    expect(svg).toContain('The latest reading was 128/82 on 22 November 2026 at 8am.');
  });

  it('has no scripts, styles, links or external references', () => {
    const svg = svgFor(twiceDaily(30));
    expect(svg).not.toMatch(/<script|<style|<a[\s>]|<image|<foreignObject|href=|url\(|on[a-z]+=/i);
    expect(svg.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('tells the lines apart without colour, and labels the 135 and 85 lines and axes', () => {
    const svg = svgFor([reading(2, 142, 91), reading(1, 128, 82)]);
    expect(svg.match(/<polyline [^>]*>/g)).toHaveLength(2);
    expect(svg).toMatch(/<polyline [^>]*stroke-dasharray="6 4"/);
    expect(svg.match(/<circle /g)?.length).toBe(3);
    expect(svg.match(/<rect /g)?.length).toBe(3);
    expect(svg).toContain('>135 systolic</text>');
    expect(svg).toContain('>85 diastolic</text>');
    expect(svg).toContain('>mmHg</text>');
    expect(svg).toContain('>Date</text>');
  });

  it('draws a single reading as a point in the middle', () => {
    const data = bloodPressureChartData([reading(0, 130, 85)], 'all', now);
    const svg = bloodPressureChartSvg(data);
    expect(svg).not.toContain('<polyline');
    expect(svg).toContain('<circle cx="340" ');
    expect(bloodPressureChartTable(data).rows).toEqual([[{ text: '23 Nov 2026, 8am' }, { text: '130' }, { text: '85' }]]);
  });

  it('says there are no readings when there are none', () => {
    const data = bloodPressureChartData([reading(40, 130, 85)], '30-days', now);
    expect(data.points).toEqual([]);
    const svg = bloodPressureChartSvg(data);
    expect(svg).toContain('<desc id="blood-pressure-chart-desc">You have no readings in the last 30 days.</desc>');
    expect(svg).toContain('>No readings</text>');
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
    expect(bloodPressureChartSvg(data).match(/<circle /g)?.length).toBe(table.rows.length + 1);
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
    const svg = bloodPressureChartSvg(data);
    const table = bloodPressureChartTable(data);
    expect(data.grouping).toBe('month');
    expect(data.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(data.points.reduce((sum, p) => sum + p.readingCount, 0)).toBe(5000);
    expect(table.rows).toHaveLength(data.points.length);
    expect(svg.length).toBeLessThan(100_000);
    expect(svg).toContain('Line chart of 5000 readings');
  });

  it('groups by week when days would be too many but weeks are not', () => {
    expect(bloodPressureChartData(twiceDaily(365), 'all', now).grouping).toBe('week');
  });

  it('escapes the id it is given', () => {
    const svg = bloodPressureChartSvg(bloodPressureChartData([], 'all', now), 'chart"><script>');
    expect(svg).toContain('aria-labelledby="chartscript-title chartscript-desc"');
    expect(svg).not.toContain('<script');
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
