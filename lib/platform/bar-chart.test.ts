import { describe, expect, it } from 'vitest';
import { barChartSvg, progressBarSvg, scaleTop } from './bar-chart';

describe('bar charts drawn on the server', () => {
  it('scales to 1, 2 or 5 times a power of ten, at least 5', () => {
    expect([0, 3, 5, 6, 11, 19, 21, 51, 1150, 7500].map(scaleTop)).toEqual([5, 5, 5, 10, 20, 20, 50, 100, 2000, 10000]);
  });

  it('is an image with its title and description, a bar for each value shown, and none for a value kept back', () => {
    const svg = barChartSvg({
      id: 'letters',
      title: 'Letters <& more>',
      description: 'Delivered and posted',
      categories: ['Jan 27', 'Feb 27'],
      series: [
        { name: 'Delivered', colour: '#1d70b8', values: [10, null] },
        { name: 'Posted', colour: '#00703c', values: [0, 20] },
      ],
    });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="letters-title" aria-describedby="letters-desc"/);
    expect(svg).toContain('<title id="letters-title">Letters &lt;&amp; more&gt;</title>');
    expect(svg).toContain('<desc id="letters-desc">Delivered and posted</desc>');
    // Two bars (10 and 20) and the two legend keys: no bar for 0 or for a value kept back.
    expect(svg.match(/<rect /g)).toHaveLength(4);
    expect(svg).toContain('>Jan 27</text>');
    expect(svg).toContain('>20</text>');
  });

  it('fills a progress bar to the value, with a line for each mark', () => {
    const svg = progressBarSvg({
      id: 'progress',
      title: 'Progress',
      description: 'Half way',
      value: 3750,
      marks: [
        { value: 1150, label: 'Break-even' },
        { value: 7500, label: 'Target' },
      ],
    });
    expect(svg).toMatch(/role="img" aria-labelledby="progress-title" aria-describedby="progress-desc"/);
    expect(svg.match(/<line /g)).toHaveLength(2);
    expect(svg).toContain('width="348"');
  });
});
