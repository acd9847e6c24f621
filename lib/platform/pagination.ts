/**
 * The govukPagination macro's parameters for numbered pages: the first and last page, the
 * pages next to the current one, and an ellipsis for each gap (GOV.UK pagination pattern).
 */

export type PaginationItem = { number: number; href: string; current: boolean } | { ellipsis: true };

export type Pagination = { items: PaginationItem[]; previous?: { href: string }; next?: { href: string } };

/** `href` makes each page's link. Null when there is only one page: then there is nothing to show. */
export function pagination(page: number, pageCount: number, href: (page: number) => string): Pagination | null {
  if (pageCount <= 1) return null;
  // Only the pages shown are worked out, so a long list costs nothing.
  const shown = [...new Set([1, page - 1, page, page + 1, pageCount])].filter((n) => n >= 1 && n <= pageCount).sort((a, b) => a - b);
  const items: PaginationItem[] = [];
  shown.forEach((n, index) => {
    if (index > 0 && n - shown[index - 1]! > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page });
  });
  return {
    items,
    ...(page > 1 ? { previous: { href: href(page - 1) } } : {}),
    ...(page < pageCount ? { next: { href: href(page + 1) } } : {}),
  };
}
