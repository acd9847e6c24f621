import { bloodPressureCoding as bp, readingProblems, type Arm, type BloodPressureReading } from '@/lib/blood-pressure/public';
import type { Issue } from './outcome';
import { dateRange } from './search';

/**
 * A blood pressure Observation an app sends, read into a reading: the shape of the vital-signs
 * blood pressure profile first (what it must say and how), then the web form's own rules with
 * the form's own messages (ranges, whole numbers, systolic above diastolic, not in the future,
 * not more than 5 years ago). Elements we do not keep (notes, device, performer, identifiers)
 * are not read.
 *
 * Refusals: 400 when the JSON is not a sound Observation (a required element missing, a number
 * sent as text); 422 when it is one but not a blood pressure reading we can keep, or the
 * reading breaks the form's rules.
 */

export type ReadingOrProblems = { reading: BloodPressureReading } | { status: 400 | 422; issues: Issue[] };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

const OBSERVATION_STATUSES = ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'];

/** The codings of a CodeableConcept, or [] when it has none (or is not one). */
function codingsOf(concept: unknown): { system?: unknown; code?: unknown }[] {
  if (!isObject(concept) || !Array.isArray(concept.coding)) return [];
  return concept.coding.filter(isObject);
}

const hasCode = (concept: unknown, system: string, code: string) => codingsOf(concept).some((coding) => coding.system === system && coding.code === code);

const isPanel = (concept: unknown) => hasCode(concept, bp.loinc, bp.panel.loinc) || hasCode(concept, bp.snomed, bp.panel.snomed);

type Which = 'systolic' | 'diastolic';

const componentNames: Record<Which, string> = {
  systolic: `systolic blood pressure (LOINC ${bp.systolic.loinc})`,
  diastolic: `diastolic blood pressure (LOINC ${bp.diastolic.loinc})`,
};

function whichComponent(code: unknown): Which | undefined {
  if (hasCode(code, bp.loinc, bp.systolic.loinc) || hasCode(code, bp.snomed, bp.systolic.snomed)) return 'systolic';
  if (hasCode(code, bp.loinc, bp.diastolic.loinc) || hasCode(code, bp.snomed, bp.diastolic.snomed)) return 'diastolic';
  return undefined;
}

/** The pressure in one component, or the problem with it. */
function pressureOf(component: Json, which: Which, at: string, problems: Problem[]): number | undefined {
  const quantity = component.valueQuantity;
  if (quantity === undefined) return void problems.push(unprocessable('required', `The ${componentNames[which]} needs a valueQuantity`, `${at}.valueQuantity`));
  if (!isObject(quantity) || typeof quantity.value !== 'number') {
    return void problems.push(bad('structure', `The ${componentNames[which]}'s valueQuantity.value must be a number`, `${at}.valueQuantity.value`));
  }
  if (quantity.code !== 'mm[Hg]' || (quantity.system !== undefined && quantity.system !== bp.ucum)) {
    return void problems.push(unprocessable('value', `The ${componentNames[which]} must be in mm[Hg] (UCUM, system ${bp.ucum})`, `${at}.valueQuantity`));
  }
  return quantity.value;
}

type Problem = Issue & { status: 400 | 422 };
const bad = (code: Issue['code'], diagnostics: string, expression: string): Problem => ({ status: 400, code, diagnostics, expression });
const unprocessable = (code: Issue['code'], diagnostics: string, expression: string): Problem => ({ status: 422, code, diagnostics, expression });

function readPressures(observation: Json, problems: Problem[]): Partial<Record<Which, number>> {
  if (observation.valueQuantity !== undefined) {
    problems.push(unprocessable('business-rule', 'A blood pressure panel has its numbers in components, not in valueQuantity', 'Observation.valueQuantity'));
  }
  if (!Array.isArray(observation.component)) {
    problems.push(unprocessable('required', `component must hold the ${componentNames.systolic} and the ${componentNames.diastolic}`, 'Observation.component'));
    return {};
  }
  const found: Partial<Record<Which, number>> = {};
  const seen = new Set<Which>();
  observation.component.forEach((component: unknown, index) => {
    const at = `Observation.component[${index}]`;
    if (!isObject(component)) return void problems.push(bad('structure', 'Each component must be an object', at));
    const which = whichComponent(component.code);
    if (!which) {
      return void problems.push(
        unprocessable(
          'not-supported',
          `Only the ${componentNames.systolic} and the ${componentNames.diastolic} are taken: this component is not`,
          `${at}.code`,
        ),
      );
    }
    if (seen.has(which)) return void problems.push(unprocessable('business-rule', `There must be one ${componentNames[which]}, not more`, at));
    seen.add(which);
    const value = pressureOf(component, which, at, problems);
    if (value !== undefined) found[which] = value;
  });
  for (const which of ['systolic', 'diastolic'] as const) {
    if (!seen.has(which)) problems.push(unprocessable('required', `The ${componentNames[which]} is missing from component`, 'Observation.component'));
  }
  return found;
}

const WITH_TIME_AND_OFFSET = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function readMeasuredAt(observation: Json, problems: Problem[]): Date | undefined {
  const text = observation.effectiveDateTime;
  if (text === undefined) {
    problems.push(
      unprocessable('required', 'effectiveDateTime is required: when the reading was taken, with a time and a UTC offset', 'Observation.effectiveDateTime'),
    );
    return undefined;
  }
  if (typeof text !== 'string') return void problems.push(bad('structure', 'effectiveDateTime must be text', 'Observation.effectiveDateTime'));
  const range = WITH_TIME_AND_OFFSET.test(text) ? dateRange(text) : null;
  if (!range) {
    problems.push(
      unprocessable(
        'value',
        'effectiveDateTime must be a real date and time with a UTC offset, like 2026-11-30T08:30:00+00:00',
        'Observation.effectiveDateTime',
      ),
    );
    return undefined;
  }
  return range.start;
}

function readArm(observation: Json, problems: Problem[]): Arm | undefined {
  if (hasCode(observation.bodySite, bp.snomed, bp.arms.left)) return 'left';
  if (hasCode(observation.bodySite, bp.snomed, bp.arms.right)) return 'right';
  problems.push(
    unprocessable(
      'required',
      `bodySite must say which arm the reading was taken on: SNOMED CT ${bp.arms.left} (left upper arm) or ${bp.arms.right} (right upper arm)`,
      'Observation.bodySite',
    ),
  );
  return undefined;
}

/** Sitting, or another position (standing, lying): the form asks, so the reading must say. */
function readSitting(observation: Json, problems: Problem[]): boolean | undefined {
  const extensions = Array.isArray(observation.extension) ? observation.extension.filter(isObject) : [];
  const position = extensions.find((extension) => extension.url === bp.bodyPositionExtension);
  const codings = position ? codingsOf(position.valueCodeableConcept) : [];
  if (codings.length === 0) {
    problems.push(
      unprocessable(
        'required',
        `Say whether the person was sitting: the extension ${bp.bodyPositionExtension} with SNOMED CT ${bp.sitting} (sitting) or the position they were in`,
        'Observation.extension',
      ),
    );
    return undefined;
  }
  return codings.some((coding) => coding.system === bp.snomed && coding.code === bp.sitting);
}

/** The reading an app's Observation holds, judged by the form's rules at `now`; or why not. */
export function readingFromObservation(observation: Json, now: Date): ReadingOrProblems {
  const problems: Problem[] = [];
  const status = observation.status;
  if (typeof status !== 'string' || !OBSERVATION_STATUSES.includes(status)) {
    problems.push(bad('required', 'status is required and must be an Observation status: final for a reading that was taken', 'Observation.status'));
  } else if (status !== 'final') {
    problems.push(unprocessable('business-rule', 'status must be final: only readings that were taken can be added', 'Observation.status'));
  }
  if (observation.code === undefined) {
    problems.push(bad('required', `code is required: a blood pressure panel, LOINC ${bp.panel.loinc}`, 'Observation.code'));
  } else if (!isPanel(observation.code)) {
    problems.push(
      unprocessable(
        'not-supported',
        `code must be a blood pressure panel, LOINC ${bp.panel.loinc}: only blood pressure readings can be added`,
        'Observation.code',
      ),
    );
  }
  const pressures = readPressures(observation, problems);
  const measuredAt = readMeasuredAt(observation, problems);
  const arm = readArm(observation, problems);
  const sitting = readSitting(observation, problems);

  if (problems.length > 0 || pressures.systolic === undefined || pressures.diastolic === undefined || !measuredAt || !arm || sitting === undefined) {
    const badOnes = problems.filter((problem) => problem.status === 400);
    const chosen = badOnes.length > 0 ? badOnes : problems;
    return { status: badOnes.length > 0 ? 400 : 422, issues: chosen.map(({ status: _status, ...issue }) => issue) };
  }
  const reading: BloodPressureReading = { systolic: pressures.systolic, diastolic: pressures.diastolic, measuredAt, arm, sitting };
  const ruleProblems = readingProblems(reading, now);
  if (ruleProblems.length > 0) return { status: 422, issues: ruleProblems.map((diagnostics) => ({ code: 'business-rule', diagnostics })) };
  return { reading };
}
