import { formatNhsNumber } from '@/lib/platform/nhs-number';
import { formatCalendarDay, formatDate } from '@/lib/platform/uk-time';
import { ageOn, OWN_ACCOUNT_AGE } from '@/lib/platform/age';
import { accessIsActive, childHasTurned16 } from './active';
import { BASIS_TEXT, parsePermissions } from './permissions';
import { ASKED_PERMISSION_TEXT, EVIDENCE_TEXT, parseRequestDetail, RELATIONSHIP_OPTIONS, type CompleteRequest, type RequestDetail } from './request';

/** What the request pages show, worked out from the rows (no database, no rendering). */

/** One answer on a summary list: a line of text, or several; with its change link on check answers. */
export type AnswerRow = { key: string; lines: string[]; change?: { href: string; hidden: string } };

const permissionLabels = (stored: string) => parsePermissions(stored).map((permission) => ASKED_PERMISSION_TEXT[permission].label);

/** The day someone turns 16 (YYYY-MM-DD): a 29 February birthday is 1 March in a year without one. */
export function sixteenthBirthday(birthDate: string): string {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year + OWN_ACCOUNT_AGE, month - 1, day)).toISOString().slice(0, 10);
}

/** What the service has been told, as check answers and the staff review show it. */
export function detailRows(detail: RequestDetail, changeLinks?: { relationship: string; person: string; evidence: string }): AnswerRow[] {
  const change = (href: string | undefined, hidden: string) => (href ? { change: { href, hidden } } : {});
  return [
    { key: 'Relationship', lines: [RELATIONSHIP_OPTIONS[detail.relationship].text], ...change(changeLinks?.relationship, 'your relationship to them') },
    { key: 'Name', lines: [`${detail.givenName} ${detail.familyName}`], ...change(changeLinks?.person, 'their name') },
    { key: 'Date of birth', lines: [formatCalendarDay(detail.birthDate)], ...change(changeLinks?.person, 'their date of birth') },
    { key: 'NHS number', lines: [formatNhsNumber(detail.nhsNumber)], ...change(changeLinks?.person, 'their NHS number') },
    { key: 'What you can show', lines: [EVIDENCE_TEXT[detail.evidence]], ...change(changeLinks?.evidence, 'what you can show') },
    ...(detail.reference ? [{ key: 'Reference number', lines: [detail.reference], ...change(changeLinks?.evidence, 'the reference number') }] : []),
    { key: 'Their GP', lines: [detail.gpPractice], ...change(changeLinks?.evidence, 'their GP') },
  ];
}

/** Check answers: every answer, each with its change link. */
export function checkAnswerRows(request: CompleteRequest, links: { relationship: string; person: string; evidence: string; permissions: string }): AnswerRow[] {
  const detail: RequestDetail = {
    relationship: request.relationship,
    ...request.person,
    evidence: request.evidence.kind,
    reference: request.evidence.reference ?? null,
    gpPractice: request.evidence.gpPractice,
  };
  return [
    ...detailRows(detail, links),
    {
      key: 'What you are asking to do',
      lines: request.permissions.map((permission) => ASKED_PERMISSION_TEXT[permission].label),
      change: { href: links.permissions, hidden: 'what you are asking to do' },
    },
  ];
}

type Tag = { text: string; classes: string };

const TAGS = {
  waiting: { text: 'Waiting for a check', classes: 'govuk-tag--blue' },
  granted: { text: 'Granted', classes: 'govuk-tag--green' },
  refused: { text: 'Refused', classes: 'govuk-tag--red' },
  ended: { text: 'Ended', classes: 'govuk-tag--grey' },
} satisfies Record<string, Tag>;

/** A request as the person who asked reads it in their list. */
export type ListedRequest = { id: string; name: string; tag: Tag; rows: AnswerRow[] };

type RequestRow = {
  id: string;
  basis: string;
  status: string;
  permissions: string;
  createdAt: Date;
  endsAt: Date | null;
  endedAt: Date | null;
  endedReason: string | null;
  decidedAt: Date | null;
  decidedByOrganisation: string | null;
  decisionReason: string | null;
  requestDetail: string | null;
  person: { givenName: string; familyName: string; birthDate: string };
};

/** Why an access ended, in the words of the person who had it. */
function endedWords(row: RequestRow, givenName: string, now: Date): string {
  const { birthDate } = row.person;
  const when = row.endedAt ? ` on ${formatDate(row.endedAt)}` : '';
  if (row.endedReason === 'turned-16' || (row.status === 'active' && childHasTurned16(row, row.person, now))) {
    return `${givenName} turned 16 on ${formatCalendarDay(sixteenthBirthday(birthDate))}. They can now have their own account, and can ask you to act for them again.`;
  }
  if (row.endedReason === 'by-person') return `${givenName} ended it${when}.`;
  if (row.endedReason === 'by-proxy') return `You ended it${when}.`;
  if (row.endedReason === 'account-closed') return `The account was closed${when}.`;
  if (row.status === 'active' && row.endsAt) return `It ended on ${formatDate(row.endsAt)}.`;
  return `It ended${when}.`;
}

/** Each request the person made: where it is now, what they may do, or why it was refused or ended. */
export function listedRequest(row: RequestRow, now: Date): ListedRequest {
  const detail = parseRequestDetail(row.requestDetail);
  // The name they gave, never the one on a record the service found: asking must not tell them how
  // someone's name is written on their account.
  const named = detail ?? row.person;
  const decided = row.decidedAt ? `${formatDate(row.decidedAt)}${row.decidedByOrganisation ? ` by ${row.decidedByOrganisation}` : ''}` : '';
  let tag: Tag;
  let rows: AnswerRow[];
  if (row.status === 'requested') {
    tag = TAGS.waiting;
    rows = detail
      ? [
          {
            key: 'What happens next',
            lines: [
              `Show ${EVIDENCE_TEXT[detail.evidence].replace(/^./, (first) => first.toLowerCase())} at ${detail.gpPractice}. A member of staff will check it.`,
            ],
          },
        ]
      : [];
    rows.push({ key: 'You asked to', lines: permissionLabels(row.permissions) });
  } else if (row.status === 'active' && accessIsActive(row, row.person, now)) {
    tag = TAGS.granted;
    rows = [
      { key: 'Granted', lines: [decided] },
      { key: 'You can', lines: permissionLabels(row.permissions) },
    ];
  } else if (row.status === 'refused') {
    tag = TAGS.refused;
    rows = [
      { key: 'Refused', lines: [decided] },
      { key: 'Reason', lines: [row.decisionReason ?? ''] },
    ];
  } else {
    tag = TAGS.ended;
    rows = [{ key: 'Ended', lines: [endedWords(row, named.givenName, now)] }];
  }
  return {
    id: row.id,
    name: `${named.givenName} ${named.familyName}`,
    tag,
    rows: [{ key: 'Relationship', lines: [BASIS_TEXT[row.basis] ?? row.basis] }, { key: 'Asked on', lines: [formatDate(row.createdAt)] }, ...rows],
  };
}

/** How old someone is today, for the member of staff ("14 years old"). */
export function ageWords(birthDate: string, now: Date): string {
  const age = ageOn(birthDate, now);
  return `${age} ${age === 1 ? 'year' : 'years'} old`;
}
