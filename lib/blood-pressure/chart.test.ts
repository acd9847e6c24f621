import { describe, expect, it } from 'vitest';
import {
  MAX_POINTS,
  bloodPressureChartData,
  bloodPressureChartSvg,
  bloodPressureChartTable,
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

describe('the blood pressure chart', () => {
  it('has a title and a description it is labelled by', () => {
    const svg = svgFor([reading(2, 142, 91), reading(1, 128, 82)]);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="blood-pressure-chart-title blood-pressure-chart-desc"/);
    expect(svg).toContain('<title id="blood-pressure-chart-title">Blood pressure, last 30 days</title>');
    expect(svg).toMatch(/<desc id="blood-pressure-chart-desc">Line chart of 2 readings from 21 Nov 2026 to 22 Nov 2026\. Each point is one reading\./);
    expect(svg).toContain('Systolic (top number) went from 128 to 142.');
    expect(svg).toContain('The latest is 128/82 (22 Nov 2026, 8:00am).');
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
    expect(bloodPressureChartTable(data).rows).toEqual([[{ text: '23 Nov 2026, 8:00am' }, { text: '130' }, { text: '85' }]]);
  });

  it('says there are no readings when there are none', () => {
    const data = bloodPressureChartData([reading(40, 130, 85)], '30-days', now);
    expect(data.points).toEqual([]);
    const svg = bloodPressureChartSvg(data);
    expect(svg).toContain('<desc id="blood-pressure-chart-desc">There are no readings for the last 30 days.</desc>');
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
