/**
 * The blood pressure diary's rules, with no I/O: the add-a-reading form, the FHIR Observation it
 * sends, the readings it shows from a search Bundle, and the person-readable messages it takes
 * from an OperationOutcome. The app is a third party's, so it keeps its own small copies of what
 * the service has in lib/ (UK times, for one) rather than importing them.
 */
import type { Bundle, Observation, OperationOutcome } from '@medplum/fhirtypes';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const BLOOD_PRESSURE = '85354-9';
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';
const TIME_ZONE = 'Europe/London';
const BODY_POSITION = 'http://hl7.org/fhir/StructureDefinition/observation-bodyPosition';

/** Which arm (bodySite) and how the person was placed (the body position extension): the PHR needs both. */
export const ARMS = {
  left: { label: 'Left arm', code: '368208006', display: 'Left upper arm structure' },
  right: { label: 'Right arm', code: '368209003', display: 'Right upper arm structure' },
} as const;
export const POSITIONS = {
  sitting: { label: 'Sitting', code: '33586001', display: 'Sitting position' },
  standing: { label: 'Standing', code: '10904000', display: 'Orthostatic body position' },
  lying: { label: 'Lying down', code: '102538003', display: 'Recumbent body position' },
} as const;
export type Arm = keyof typeof ARMS;
export type Position = keyof typeof POSITIONS;

/**
 * A reading this high needs advice there and then (the NICE threshold for same-day assessment
 * the PHR uses, which marks such a reading with interpretation HH when it keeps it).
 */
export const VERY_HIGH = { systolic: 180, diastolic: 120 } as const;

/**
 * The search for the patient's readings, a page at a time. The PHR answers newest first and
 * refuses search parameters it does not support (_sort among them), so the app asks for no order.
 */
export const READINGS_SEARCH = `Observation?code=${encodeURIComponent(`${LOINC}|${BLOOD_PRESSURE}`)}&_count=10`;

export type ReadingForm = { systolic: string; diastolic: string; date: string; time: string; arm: string; position: string };
export type ReadingField = keyof ReadingForm;
/** An error to show: its text, and the field the error summary links to. */
export type FormError = { field: ReadingField; text: string };
export type Pressure = { systolic: number; diastolic: number };
export type NewReading = Pressure & { takenAt: Date; arm: Arm; position: Position };
export type Reading = Pressure & { id?: string; takenAt: Date };

export const EMPTY_FORM: ReadingForm = { systolic: '', diastolic: '', date: '', time: '', arm: '', position: '' };

export function readingForm(body: URLSearchParams): ReadingForm {
  const value = (name: ReadingField) => (body.get(name) ?? '').trim().slice(0, 40);
  return {
    systolic: value('systolic'),
    diastolic: value('diastolic'),
    date: value('date'),
    time: value('time'),
    arm: value('arm'),
    position: value('position'),
  };
}

/** Readings a home monitor can show; the Person Held Record applies its own rules on top. */
const LIMITS = {
  systolic: { min: 50, max: 300, name: 'top number (systolic)', example: 120 },
  diastolic: { min: 30, max: 200, name: 'bottom number (diastolic)', example: 80 },
} as const;
/** A reading's clock may run a little ahead of ours. */
const FUTURE_LEEWAY_MS = 5 * 60_000;

export function validateReading(form: ReadingForm, now: Date): { reading: NewReading } | { errors: FormError[] } {
  const errors: FormError[] = [];
  const number = (field: 'systolic' | 'diastolic'): number | undefined => {
    const { min, max, name, example } = LIMITS[field];
    const text = form[field];
    if (!text) errors.push({ field, text: `Enter the ${name}` });
    else if (!/^\d{1,3}$/.test(text)) errors.push({ field, text: `The ${name} must be a whole number, like ${example}` });
    else if (Number(text) < min || Number(text) > max) errors.push({ field, text: `The ${name} must be between ${min} and ${max}` });
    else return Number(text);
    return undefined;
  };
  const systolic = number('systolic');
  const diastolic = number('diastolic');
  if (systolic !== undefined && diastolic !== undefined && diastolic >= systolic) {
    errors.push({ field: 'diastolic', text: 'The bottom number (diastolic) must be lower than the top number (systolic)' });
  }
  const takenAt = readingTime(form, now, errors);
  const arm = form.arm in ARMS ? (form.arm as Arm) : undefined;
  if (!arm) errors.push({ field: 'arm', text: 'Select which arm you used' });
  const position = form.position in POSITIONS ? (form.position as Position) : undefined;
  if (!position) errors.push({ field: 'position', text: 'Select whether you were sitting, standing or lying down' });
  if (errors.length || systolic === undefined || diastolic === undefined || !takenAt || !arm || !position) return { errors };
  return { reading: { systolic, diastolic, takenAt, arm, position } };
}

/** Whether the reading the PHR kept is very high: its interpretation says so, or its numbers do. */
export function isVeryHigh(reading: Pressure, kept?: Observation): boolean {
  const flagged = kept?.interpretation?.some((concept) => concept.coding?.some((coding) => coding.code === 'HH')) ?? false;
  return flagged || reading.systolic >= VERY_HIGH.systolic || reading.diastolic >= VERY_HIGH.diastolic;
}

/** When the reading was taken: now when both date and time are left empty. */
function readingTime(form: ReadingForm, now: Date, errors: FormError[]): Date | undefined {
  if (!form.date && !form.time) return now;
  if (!form.date) errors.push({ field: 'date', text: 'Enter the date you took the reading, or leave the time empty to use now' });
  if (!form.time) errors.push({ field: 'time', text: 'Enter the time you took the reading, or leave the date empty to use now' });
  if (!form.date || !form.time) return undefined;
  // <input type="date"> sends 2026-12-02; without it people type 2/12/2026.
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(form.date);
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(form.date);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]].map(Number) : uk ? [uk[3], uk[2], uk[1]].map(Number) : [];
  const clock = /^(\d{1,2})[:.](\d{2})$/.exec(form.time);
  const [hour, minute] = clock ? [Number(clock[1]), Number(clock[2])] : [];
  const realDate = year !== undefined && month !== undefined && day !== undefined && isRealDate(year, month, day);
  if (!realDate) errors.push({ field: 'date', text: 'Enter a real date, like 2/12/2026' });
  if (hour === undefined || minute === undefined || hour > 23 || minute > 59)
    errors.push({ field: 'time', text: 'Enter a real time on the 24-hour clock, like 17:30' });
  else if (realDate) {
    const takenAt = fromLondonClock(year!, month!, day!, hour, minute);
    if (takenAt.getTime() > now.getTime() + FUTURE_LEEWAY_MS) errors.push({ field: 'date', text: 'The date and time must not be in the future' });
    else return takenAt;
  }
  return undefined;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** The instant a UK clock showed this time (GMT or BST: UK clocks are UTC or an hour ahead). */
export function fromLondonClock(year: number, month: number, day: number, hour: number, minute: number): Date {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const shown = [asUtc - 3_600_000, asUtc].find((instant) => {
    const parts = Object.fromEntries(londonParts.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
    return parts.day === day && parts.hour === hour && parts.minute === minute;
  });
  // In the hour the clocks go forward the time never happened: take it as UTC (an hour later).
  return new Date(shown ?? asUtc);
}

const takenAtFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});

/** "2 December 2026 at 5:30pm", on UK clocks. */
export function formatTakenAt(instant: Date): string {
  const part = Object.fromEntries(takenAtFormat.formatToParts(instant).map(({ type, value }) => [type, value]));
  return `${part.day} ${part.month} ${part.year} at ${part.hour}:${part.minute}${(part.dayPeriod ?? '').toLowerCase()}`;
}

const coding = (code: string, display: string, system = LOINC) => ({ coding: [{ system, code, display }] });
const mmHg = (value: number) => ({ value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });

/** The FHIR blood pressure Observation for a new reading, about the patient the PHR named. */
export function bloodPressureObservation(patientId: string, reading: NewReading): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
    code: { ...coding(BLOOD_PRESSURE, 'Blood pressure panel with all children optional'), text: 'Blood pressure' },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: reading.takenAt.toISOString(),
    bodySite: coding(ARMS[reading.arm].code, ARMS[reading.arm].display, SNOMED),
    extension: [{ url: BODY_POSITION, valueCodeableConcept: coding(POSITIONS[reading.position].code, POSITIONS[reading.position].display, SNOMED) }],
    component: [
      { code: coding(SYSTOLIC, 'Systolic blood pressure'), valueQuantity: mmHg(reading.systolic) },
      { code: coding(DIASTOLIC, 'Diastolic blood pressure'), valueQuantity: mmHg(reading.diastolic) },
    ],
  };
}

/** The readings in a search Bundle, newest first; anything that is not a whole reading is left out. */
export function readingsIn(bundle: Bundle): Reading[] {
  const readings: Reading[] = [];
  for (const entry of bundle.entry ?? []) {
    const observation = entry.resource;
    if (observation?.resourceType !== 'Observation') continue;
    const value = (code: string) => observation.component?.find((component) => component.code.coding?.some((c) => c.code === code))?.valueQuantity?.value;
    const systolic = value(SYSTOLIC);
    const diastolic = value(DIASTOLIC);
    const takenAt = new Date(observation.effectiveDateTime ?? observation.effectiveInstant ?? observation.effectivePeriod?.start ?? NaN);
    if (systolic === undefined || diastolic === undefined || Number.isNaN(takenAt.getTime())) continue;
    readings.push({ id: observation.id, systolic, diastolic, takenAt });
  }
  return readings.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}

/**
 * The Bundle's paging links, kept only when they point into the same FHIR server: the app sends
 * its access token with them, so a link elsewhere is never followed.
 */
export function pageLinks(bundle: Bundle, fhirBase: string): { next?: string; previous?: string } {
  const link = (...relations: string[]) => bundle.link?.find((l) => relations.includes(l.relation ?? ''))?.url;
  const next = link('next');
  const previous = link('previous', 'prev');
  return { ...(next && isOnServer(next, fhirBase) ? { next } : {}), ...(previous && isOnServer(previous, fhirBase) ? { previous } : {}) };
}

export function isOnServer(url: string, fhirBase: string): boolean {
  try {
    const target = new URL(url);
    const base = new URL(fhirBase.replace(/\/?$/, '/'));
    return target.origin === base.origin && target.pathname.startsWith(base.pathname) && !target.username && !target.password;
  } catch {
    return false;
  }
}

export function isOperationOutcome(body: unknown): body is OperationOutcome {
  return typeof body === 'object' && body !== null && (body as { resourceType?: unknown }).resourceType === 'OperationOutcome';
}

const MAX_MESSAGE_LENGTH = 300;

/**
 * What the PHR said was wrong with a reading, as errors to show on the form. The PHR writes
 * `diagnostics` in plain English for the person; an issue's `expression` (FHIRPath) says which
 * part it is about, which picks the field the error summary links to.
 */
export function outcomeErrors(body: unknown): FormError[] {
  if (!isOperationOutcome(body)) return [];
  const issues = body.issue ?? [];
  const errors = issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  return (errors.length ? errors : issues)
    .map((issue) => ({ issue, text: (issue.diagnostics ?? issue.details?.text ?? '').trim() }))
    .filter(({ text }) => text)
    .slice(0, 5)
    .map(({ issue, text }) => ({
      field: fieldFor([...(issue.expression ?? []), ...(issue.location ?? [])].join(' '), text),
      text: text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text,
    }));
}

/** The field an issue is about: from its expression, or else from the words the PHR's rules start with. */
function fieldFor(expression: string, text: string): ReadingField {
  if (/component\s*\[\s*1\s*\]|8462-4/i.test(expression)) return 'diastolic';
  if (/effective/i.test(expression)) return 'date';
  if (/bodySite/i.test(expression)) return 'arm';
  if (/extension/i.test(expression)) return 'position';
  if (expression) return 'systolic';
  if (/^diastolic/i.test(text)) return 'diastolic';
  if (/^(date|time)/i.test(text)) return 'date';
  return 'systolic';
}
