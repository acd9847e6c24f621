/**
 * Dates from the care record in GOV.UK style, in UK time. Records hold dates at different
 * precisions (a year, a month, a day, an instant): each is shown only as precisely as it is known.
 */

import { formatDate as formatUkDate, formatWhen } from '@/lib/platform/uk-time';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "17 March 1984", "March 2024" or "2016"; undefined when there is no date or it cannot be read. */
export function formatDate(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const year = /^(\d{4})$/.exec(value);
  if (year) return year[1];
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month) return MONTHS[Number(month[2]) - 1] ? `${MONTHS[Number(month[2]) - 1]} ${month[1]}` : undefined;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) return MONTHS[Number(day[2]) - 1] ? `${Number(day[3])} ${MONTHS[Number(day[2]) - 1]} ${day[1]}` : undefined;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  return formatUkDate(instant);
}

/** "Friday 18 December 2026 at 10:45am" (UK time); a date-only value gets no time. */
export function formatDateTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!value.includes('T')) return formatDate(value);
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long' }).format(instant);
  return `${weekday} ${formatWhen(instant)}`;
}

/** "2 KB" for a download link, as GOV.UK describes attachments. */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
