import { describe, expect, it } from 'vitest';
import { pagination } from './pagination';

const href = (n: number) => `/list?page=${n}`;
// The items as text: page numbers, [current] and … for a gap.
const shape = (page: number, pageCount: number) =>
  pagination(page, pageCount, href)!
    .items.map((item) => ('ellipsis' in item ? '…' : item.current ? `[${item.number}]` : String(item.number)))
    .join(' ');

describe('GOV.UK pagination', () => {
  it('is nothing when there is one page', () => {
    expect(pagination(1, 1, href)).toBeNull();
    expect(pagination(1, 0, href)).toBeNull();
  });

  it('links every page, and previous and next where there is one', () => {
    expect(pagination(1, 2, href)).toEqual({
      items: [
        { number: 1, href: '/list?page=1', current: true },
        { number: 2, href: '/list?page=2', current: false },
      ],
      next: { href: '/list?page=2' },
    });
    expect(pagination(2, 2, href)).toEqual({
      items: [
        { number: 1, href: '/list?page=1', current: false },
        { number: 2, href: '/list?page=2', current: true },
      ],
      previous: { href: '/list?page=1' },
    });
  });

  it('shows the first, the last and the pages next to the current one, with an ellipsis for each gap', () => {
    expect(shape(1, 3)).toBe('[1] 2 3');
    expect(shape(1, 10)).toBe('[1] 2 … 10');
    expect(shape(4, 10)).toBe('1 … 3 [4] 5 … 10');
    expect(shape(3, 10)).toBe('1 2 [3] 4 … 10');
    expect(shape(10, 10)).toBe('1 … 9 [10]');
    expect(shape(500_000, 999_999)).toBe('1 … 499999 [500000] 500001 … 999999');
  });

  it('uses the link builder for every link', () => {
    const result = pagination(2, 3, (n) => (n === 1 ? '/list' : `/list?page=${n}`))!;
    expect(result.previous).toEqual({ href: '/list' });
    expect(result.items[0]).toEqual({ number: 1, href: '/list', current: false });
  });
});
