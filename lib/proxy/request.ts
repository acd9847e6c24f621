import { z } from 'zod';
import { ageOn, OWN_ACCOUNT_AGE } from '@/lib/platform/age';
import { isoDate, readDateInput } from '@/lib/platform/date-input';
import { optionalText, requiredText } from '@/lib/platform/form-fields';
import { isValidNhsNumber, nhsNumberDigits } from '@/lib/platform/nhs-number';
import { formatCalendarDay } from '@/lib/platform/uk-time';
import { PROXY_PERMISSIONS, type ProxyPermission } from './permissions';

/**
 * A parent's or attorney's request to act for someone (the relationships that need a check by a
 * member of staff): the questions, their rules and GOV.UK messages, and the answers kept between
 * the pages until check answers. No database here.
 *
 * The NHS number is asked for every request, a child's too: it is on the child's red book and
 * on NHS letters, the GP practice can tell a parent it, and it is what lets the record we hold
 * for a child become theirs when they first sign in with NHS login at 16 (one person, one record).
 */

export const RELATIONSHIPS = ['parent', 'attorney'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

/** The question's answers, as the person asking reads them. */
export const RELATIONSHIP_OPTIONS: Record<Relationship, { text: string; hint: string }> = {
  parent: { text: 'Parent or guardian of a child under 16', hint: 'You have parental responsibility for them.' },
  attorney: {
    text: 'Attorney or deputy for an adult who cannot make decisions about their health and care',
    hint: 'You have a lasting power of attorney for health and welfare, or the Court of Protection made you their deputy.',
  },
};

export const EVIDENCE_KINDS = ['birth-certificate', 'parental-responsibility', 'lasting-power-of-attorney', 'deputy-order'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** What each relationship can be shown with. */
export const EVIDENCE_OPTIONS: Record<Relationship, readonly { value: EvidenceKind; text: string; hint?: string }[]> = {
  parent: [
    { value: 'birth-certificate', text: 'Their birth certificate, naming you as a parent' },
    {
      value: 'parental-responsibility',
      text: 'A court order or agreement that gives you parental responsibility',
      hint: 'For example a parental responsibility order or agreement, a child arrangements order, a special guardianship order or an adoption order.',
    },
  ],
  attorney: [
    {
      value: 'lasting-power-of-attorney',
      text: 'A lasting power of attorney for health and welfare',
      hint: 'It must be registered with the Office of the Public Guardian.',
    },
    { value: 'deputy-order', text: 'A Court of Protection order that makes you their deputy for personal welfare' },
  ],
};

export const EVIDENCE_TEXT: Record<EvidenceKind, string> = Object.fromEntries(
  Object.values(EVIDENCE_OPTIONS)
    .flat()
    .map((option) => [option.value, option.text]),
) as Record<EvidenceKind, string>;

/** The permissions as the person asking (and the member of staff checking) reads them: about the other person. */
export const ASKED_PERMISSION_TEXT: Record<ProxyPermission, { label: string; hint: string }> = {
  'care-record': { label: 'See their care record', hint: 'Their GP record: medicines, allergies, test results, appointments and letters.' },
  'blood-pressure': {
    label: 'See and add their blood pressure readings',
    hint: 'Add, change and delete readings. Their care team will see who added each one.',
  },
  'about-me': { label: 'Change their top 3 things, conditions and communication needs', hint: 'What their care team should know about them.' },
  'contact-details': { label: 'Change their contact details and address', hint: 'Their email address, mobile number, address and how they are contacted.' },
  sharing: { label: 'Manage who they share their information with', hint: 'Choose what their care team can see, and see who has looked at their record.' },
};

const NAME_MAX = 100;
const GP_PRACTICE_MAX = 100;
const REFERENCE_MAX = 30;
/** Letters, numbers, spaces, hyphens and slashes: an Office of the Public Guardian reference or a court case number. */
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9 /-]*$/;

export type Person = { givenName: string; familyName: string; birthDate: string; nhsNumber: string };
export type Evidence = { kind: EvidenceKind; reference?: string; gpPractice: string };

/** The answers kept between the pages (lib/platform/drafts.ts), checked again whenever read. */
export const requestDraftSchema = z.object({
  relationship: z.enum(RELATIONSHIPS).optional(),
  person: z.object({ givenName: z.string(), familyName: z.string(), birthDate: z.string(), nhsNumber: z.string() }).optional(),
  evidence: z.object({ kind: z.enum(EVIDENCE_KINDS), reference: z.string().optional(), gpPractice: z.string() }).optional(),
  permissions: z.array(z.enum(PROXY_PERMISSIONS)).optional(),
});
export type RequestDraft = z.infer<typeof requestDraftSchema>;
export type CompleteRequest = Required<RequestDraft>;

/** What is kept on the ProxyAccess row (requestDetail): what they told us, never anything about health. */
export type RequestDetail = Person & { relationship: Relationship; evidence: EvidenceKind; reference: string | null; gpPractice: string };

type Problem = { field: string; message: string };

/** A schema that reads the whole form and reports every problem at once, in the order of the page. */
function wholeForm<T>(check: (values: Record<string, unknown>, problems: Problem[]) => T | undefined) {
  return z.record(z.string(), z.unknown()).transform((values, ctx) => {
    const problems: Problem[] = [];
    const data = check(values, problems);
    if (problems.length || data === undefined) {
      for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
      return z.NEVER;
    }
    return data;
  });
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export const relationshipSchema = z.object({
  relationship: z.enum(RELATIONSHIPS, { error: 'Select whether you are their parent or guardian, or their attorney or deputy' }),
});

/** The day (YYYY-MM-DD) 16 years before `today`: someone born after it is under 16 today. */
export function sixteenYearsBefore(today: Date): string {
  return new Date(Date.UTC(today.getUTCFullYear() - OWN_ACCOUNT_AGE, today.getUTCMonth(), today.getUTCDate())).toISOString().slice(0, 10);
}

/** Whether someone born then can be asked for with this relationship today: a child under 16, or someone 16 or over. */
export function ageFits(relationship: Relationship, birthDate: string, today: Date): boolean {
  const under16 = ageOn(birthDate, today) < OWN_ACCOUNT_AGE;
  return relationship === 'parent' ? under16 : !under16;
}

function checkBirthDate(values: Record<string, unknown>, relationship: Relationship, today: Date, problems: Problem[]): string | undefined {
  const read = readDateInput(values, 'dateOfBirth', { label: 'Date of birth', enter: 'Enter their date of birth' });
  if (!read.ok) return void problems.push(read.problem);
  const { year, month, day } = read.date;
  if (Date.UTC(year, month - 1, day) > today.getTime()) return void problems.push({ field: 'dateOfBirth-day', message: 'Date of birth must be in the past' });
  if (year < 1890) return void problems.push({ field: 'dateOfBirth-year', message: 'Date of birth must be after 1890' });
  const birthDate = isoDate(read.date);
  if (!ageFits(relationship, birthDate, today)) {
    const cutoff = formatCalendarDay(sixteenYearsBefore(today));
    const message =
      relationship === 'parent'
        ? `Date of birth must be after ${cutoff}, as a child must be under 16. Someone aged 16 or over can have their own account`
        : `Date of birth must be the same as or before ${cutoff}, as they must be 16 or over. For a child, go back and choose parent or guardian`;
    return void problems.push({ field: 'dateOfBirth-day', message });
  }
  return birthDate;
}

function checkNhsNumber(value: unknown, problems: Problem[]): string | undefined {
  const typed = text(value);
  if (!typed) return void problems.push({ field: 'nhsNumber', message: 'Enter their NHS number' });
  if (!/^[\d\s-]*$/.test(typed)) return void problems.push({ field: 'nhsNumber', message: 'NHS number must only include numbers' });
  if (nhsNumberDigits(typed).length !== 10) return void problems.push({ field: 'nhsNumber', message: 'NHS number must be 10 digits' });
  if (!isValidNhsNumber(typed)) return void problems.push({ field: 'nhsNumber', message: 'Enter a valid NHS number, like 485 777 3456' });
  return nhsNumberDigits(typed);
}

function checkName(value: unknown, field: string, words: string, problems: Problem[]): string | undefined {
  const name = text(value).replace(/\s+/g, ' ');
  if (!name) return void problems.push({ field, message: `Enter their ${words}` });
  if (name.length > NAME_MAX)
    return void problems.push({ field, message: `${words[0]!.toUpperCase()}${words.slice(1)} must be ${NAME_MAX} characters or fewer` });
  return name;
}

/** Their name, date of birth (a child under 16, or someone 16 or over for an attorney or deputy) and NHS number. */
export function theirDetailsSchema(relationship: Relationship, today: Date) {
  return wholeForm<Person>((values, problems) => {
    const givenName = checkName(values.givenName, 'givenName', 'first name', problems);
    const familyName = checkName(values.familyName, 'familyName', 'last name', problems);
    const birthDate = checkBirthDate(values, relationship, today, problems);
    const nhsNumber = checkNhsNumber(values.nhsNumber, problems);
    return givenName && familyName && birthDate && nhsNumber ? { givenName, familyName, birthDate, nhsNumber } : undefined;
  });
}

/** What they can show (one of the relationship's kinds), its reference (a lasting power of attorney's is needed), and their GP practice. */
export function evidenceSchema(relationship: Relationship) {
  const kinds = EVIDENCE_OPTIONS[relationship].map((option) => option.value);
  const referenceField = optionalText({ tooLong: `Reference number must be ${REFERENCE_MAX} characters or fewer` }, REFERENCE_MAX);
  const practiceField = requiredText(
    { required: 'Enter the name of their GP practice', tooLong: `GP practice must be ${GP_PRACTICE_MAX} characters or fewer` },
    GP_PRACTICE_MAX,
  );
  return wholeForm<Evidence>((values, problems) => {
    const kind = kinds.find((known) => known === values.evidence);
    if (!kind) problems.push({ field: 'evidence', message: 'Select what you can show to prove you can act for them' });
    const reference = referenceField.safeParse(values.reference);
    if (!reference.success) problems.push({ field: 'reference', message: reference.error.issues[0]!.message });
    else if (reference.data && !REFERENCE.test(reference.data)) {
      problems.push({ field: 'reference', message: 'Reference number must only include letters, numbers, spaces, hyphens and slashes' });
    } else if (!reference.data && kind === 'lasting-power-of-attorney') {
      problems.push({ field: 'reference', message: 'Enter the reference number of the lasting power of attorney' });
    }
    const practice = practiceField.safeParse(values.gpPractice);
    if (!practice.success) problems.push({ field: 'gpPractice', message: practice.error.issues[0]!.message });
    if (!kind || !reference.success || !practice.success) return undefined;
    return { kind, ...(reference.data ? { reference: reference.data } : {}), gpPractice: practice.data.replace(/\s+/g, ' ') };
  });
}

const PERMISSIONS_MESSAGE = 'Select what you need to do for them';

/** At least one of the permissions, each one we know. */
export const permissionsSchema = z
  .object({
    permissions: z
      .union([z.string(), z.array(z.string())], { error: PERMISSIONS_MESSAGE })
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .pipe(z.array(z.enum(PROXY_PERMISSIONS, { error: PERMISSIONS_MESSAGE })).min(1, PERMISSIONS_MESSAGE))
      .transform((chosen) => PROXY_PERMISSIONS.filter((permission) => chosen.includes(permission))),
  })
  .transform((answers) => answers.permissions);

export const REQUEST_STEPS = ['relationship', 'their-details', 'evidence', 'permissions', 'check-answers'] as const;
export type RequestStep = (typeof REQUEST_STEPS)[number];

/** Whether the evidence kept still fits the relationship (it may have been changed since). */
function evidenceFits(relationship: Relationship, evidence: RequestDraft['evidence']): boolean {
  if (!evidence || !EVIDENCE_OPTIONS[relationship].some((option) => option.value === evidence.kind)) return false;
  return evidence.kind !== 'lasting-power-of-attorney' || Boolean(evidence.reference);
}

/** The first question still to answer (or to answer again, when a changed relationship no longer fits an answer), else check answers. */
export function nextStep(draft: RequestDraft | null, today: Date): RequestStep {
  if (!draft?.relationship) return 'relationship';
  if (!draft.person || !ageFits(draft.relationship, draft.person.birthDate, today)) return 'their-details';
  if (!evidenceFits(draft.relationship, draft.evidence)) return 'evidence';
  if (!draft.permissions?.length) return 'permissions';
  return 'check-answers';
}

/** Every answer, when the request is ready to send. */
export function completeRequest(draft: RequestDraft | null, today: Date): CompleteRequest | null {
  return draft && nextStep(draft, today) === 'check-answers' ? (draft as CompleteRequest) : null;
}

/** The detail kept with the request, for the member of staff who checks it. */
export function requestDetailOf(request: CompleteRequest): RequestDetail {
  return {
    relationship: request.relationship,
    ...request.person,
    evidence: request.evidence.kind,
    reference: request.evidence.reference ?? null,
    gpPractice: request.evidence.gpPractice,
  };
}

const requestDetailSchema = z.object({
  relationship: z.enum(RELATIONSHIPS),
  givenName: z.string(),
  familyName: z.string(),
  birthDate: z.string(),
  nhsNumber: z.string(),
  evidence: z.enum(EVIDENCE_KINDS),
  reference: z.string().nullable(),
  gpPractice: z.string(),
});

/** The detail kept on a request, read back; null when there is none or it is not one we wrote. */
export function parseRequestDetail(stored: string | null): RequestDetail | null {
  if (!stored) return null;
  try {
    const parsed = requestDetailSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export const REASON_MAX = 500;

/** The member of staff's decision: grant what was asked (or less), or refuse with a reason the person asking will read. */
export type Decision = { decision: 'grant'; permissions: ProxyPermission[] } | { decision: 'refuse'; reason: string };

export function decisionSchema(asked: readonly ProxyPermission[]) {
  const reasonField = requiredText(
    { required: 'Enter why you are refusing the request', tooLong: `Reason must be ${REASON_MAX} characters or fewer` },
    REASON_MAX,
  );
  return wholeForm<Decision>((values, problems) => {
    const decision = values.decision === 'grant' || values.decision === 'refuse' ? values.decision : undefined;
    if (!decision) return void problems.push({ field: 'decision', message: 'Select whether you grant or refuse the request' });
    if (decision === 'refuse') {
      const reason = reasonField.safeParse(values.reason);
      if (!reason.success) return void problems.push({ field: 'reason', message: reason.error.issues[0]!.message });
      return { decision, reason: reason.data };
    }
    const ticked = [values.permissions ?? []].flat();
    const permissions = asked.filter((permission) => ticked.includes(permission));
    if (ticked.length === 0) return void problems.push({ field: 'permissions', message: 'Select what they can do for them' });
    if (permissions.length !== ticked.length) return void problems.push({ field: 'permissions', message: 'Select only what they asked to do' });
    return { decision, permissions };
  });
}
