import { NHS_NUMBER_SYSTEM } from '@/lib/platform/nhs-number';
import { patientIdOf, type FhirContext } from './context';
import { refuse } from './outcome';
import { checkOwnPatient } from './search';

/**
 * The subject of a resource an app sends must be the caller's own Patient, by reference or by
 * their NHS number, or be left out (it is then theirs). Anything else is refused (403) the same
 * way whether or not that patient exists.
 */
export async function checkSubject(context: FhirContext, subject: unknown): Promise<void> {
  if (subject === undefined) return;
  const refused = refuse.forbidden(`subject must be your own patient, Patient/${patientIdOf(context)}, or left out`);
  if (typeof subject !== 'object' || subject === null) throw refused;
  const { reference, identifier } = subject as { reference?: unknown; identifier?: { system?: unknown; value?: unknown } };
  if (reference !== undefined) {
    if (typeof reference !== 'string') throw refused;
    return checkOwnPatient('subject', reference, patientIdOf(context), context.request.baseUrl);
  }
  const user = await context.db.user.findUnique({ where: { id: context.caller.userId }, select: { nhsNumber: true } });
  const nhsNumber = identifier?.system === NHS_NUMBER_SYSTEM ? identifier.value : undefined;
  if (!user?.nhsNumber || nhsNumber !== user.nhsNumber) throw refused;
}
