import { z } from 'zod';
import { isoDate, readDateInput } from '@/lib/platform/date-input';
import type { Db } from '@/lib/platform/db';
import { formatNhsNumber, isValidNhsNumber, nhsNumberDigits } from '@/lib/platform/nhs-number';

/** Finding a registered citizen: by NHS number, or by name and date of birth. */

export const nhsNumberSchema = z.object({
  nhsNumber: z
    .string({ error: 'Enter an NHS number' })
    .transform((text) => text.trim())
    .pipe(
      z
        .string()
        .min(1, 'Enter an NHS number')
        .refine((text) => /^[\d\s-]*$/.test(text), 'NHS number must only include numbers')
        .refine((text) => nhsNumberDigits(text).length === 10, 'NHS number must be 10 digits')
        .refine(isValidNhsNumber, 'Enter a valid NHS number, like 485 777 3456'),
    )
    .transform(nhsNumberDigits),
});

type Problem = { field: string; message: string };

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

const NAME_MAX = 100;

/** Date of birth in the GOV.UK date input, then in the past and not before 1890. */
function checkDateOfBirth(values: Record<string, unknown>, today: Date, problems: Problem[]): string | undefined {
  const read = readDateInput(values, 'dateOfBirth', { label: 'Date of birth', enter: 'Enter their date of birth' });
  if (!read.ok) return void problems.push(read.problem);
  const { year, month, day } = read.date;
  if (Date.UTC(year, month - 1, day) > today.getTime()) return void problems.push({ field: 'dateOfBirth-day', message: 'Date of birth must be in the past' });
  if (year < 1890) return void problems.push({ field: 'dateOfBirth-year', message: 'Date of birth must be after 1890' });
  return isoDate(read.date);
}

export function nameAndDateSchema(clock: () => Date = () => new Date()) {
  return z.record(z.string(), z.unknown()).transform((values, ctx) => {
    const problems: Problem[] = [];
    const givenName = text(values.givenName);
    const familyName = text(values.familyName);
    if (!givenName) problems.push({ field: 'givenName', message: 'Enter their first name' });
    else if (givenName.length > NAME_MAX) problems.push({ field: 'givenName', message: `First name must be ${NAME_MAX} characters or fewer` });
    if (!familyName) problems.push({ field: 'familyName', message: 'Enter their last name' });
    else if (familyName.length > NAME_MAX) problems.push({ field: 'familyName', message: `Last name must be ${NAME_MAX} characters or fewer` });
    const birthDate = checkDateOfBirth(values, clock(), problems);
    if (problems.length || !birthDate) {
      for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
      return z.NEVER;
    }
    return { givenName, familyName, birthDate };
  });
}

export type FoundCitizen = { id: string; name: string; birthDate: string; nhsNumber: string | null };

const select = { id: true, givenName: true, familyName: true, birthDate: true, nhsNumber: true } as const;

function found(user: { id: string; givenName: string; familyName: string; birthDate: string; nhsNumber: string | null }): FoundCitizen {
  return { id: user.id, name: `${user.givenName} ${user.familyName}`, birthDate: user.birthDate, nhsNumber: user.nhsNumber && formatNhsNumber(user.nhsNumber) };
}

/** Registered citizens only: an account still in registration is not findable. */
export async function findByNhsNumber(db: Db, digits: string): Promise<FoundCitizen[]> {
  const users = await db.user.findMany({
    where: { registeredAt: { not: null }, nhsNumber: { in: [digits, formatNhsNumber(digits)] } },
    select,
    take: 20,
  });
  return users.map(found);
}

function sameName(a: string, b: string): boolean {
  const normal = (name: string) => name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim();
  return normal(a) === normal(b);
}

export async function findByNameAndBirthDate(db: Db, person: { givenName: string; familyName: string; birthDate: string }): Promise<FoundCitizen[]> {
  // Names are compared here (case and accents differ between systems; SQLite has no case-insensitive mode).
  const candidates = await db.user.findMany({ where: { registeredAt: { not: null }, birthDate: person.birthDate }, select, take: 500 });
  return candidates
    .filter((user) => sameName(user.familyName, person.familyName) && sameName(user.givenName.split(/\s+/)[0] ?? '', person.givenName.split(/\s+/)[0] ?? ''))
    .slice(0, 20)
    .map(found);
}
