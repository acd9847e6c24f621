import { formatCalendarDay, formatDate } from '@/lib/platform/uk-time';
import type { AccessState } from './accesses';
import { lastDayOf, type HowLong } from './invite-answers';
import { BASIS_TEXT, PERMISSION_TEXT, PROXY_PERMISSIONS, type ProxyPermission } from './permissions';

/** What the proxy pages' views share: permissions, states and dates in words. */

/** What each permission lets them do, as a list to read. */
export const permissionLabels = (permissions: readonly ProxyPermission[]) => permissions.map((permission) => PERMISSION_TEXT[permission].label);

/** The permissions as checkboxes, each with its hint. */
export const permissionItems = () =>
  PROXY_PERMISSIONS.map((permission) => ({ value: permission, text: PERMISSION_TEXT[permission].label, hint: PERMISSION_TEXT[permission].hint }));

export const STATE_TAGS: Record<AccessState, { text: string; classes: string }> = {
  active: { text: 'Can act for you', classes: 'govuk-tag--green' },
  waiting: { text: 'Invitation sent', classes: 'govuk-tag--blue' },
  requested: { text: 'Waiting for a check', classes: 'govuk-tag--blue' },
  expired: { text: 'Invitation expired', classes: 'govuk-tag--grey' },
  declined: { text: 'Declined', classes: 'govuk-tag--grey' },
  withdrawn: { text: 'Invitation withdrawn', classes: 'govuk-tag--grey' },
  refused: { text: 'Not approved', classes: 'govuk-tag--red' },
  ended: { text: 'Ended', classes: 'govuk-tag--grey' },
};

/** "Until you stop it" or "Until 31 December 2027" (the last whole day). */
export function howLongText(endsAt: Date | null): string {
  return endsAt ? `Until ${formatCalendarDay(lastDayOf(endsAt))}` : 'Until you stop it';
}

/** How long, as the person acting reads it: "until they stop it" or "until 31 December 2027". */
export function untilForProxy(endsAt: Date | null): string {
  return endsAt ? `until ${formatCalendarDay(lastDayOf(endsAt))}` : 'until they stop it';
}

/** The same, for the answer to "How long can they act for you?". */
export function howLongAnswerText(howLong: HowLong): string {
  return howLong.until === 'date' ? `Until ${formatCalendarDay(howLong.lastDay)}` : 'Until you stop it';
}

export const basisText = (basis: string) => BASIS_TEXT[basis] ?? basis;

export const dateText = (at: Date | null) => (at ? formatDate(at) : '');
