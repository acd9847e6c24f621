import type { Bundle, Observation } from '@medplum/fhirtypes';
import { getDb, type Db, type Tx } from '@/lib/platform/db';
import { bloodPressureChart, bloodPressureChartData, type ChartData, type ChartRange, type ChartTable } from './chart';
import { bloodPressureObservation, enteredByText, homeAverageObservation, pulseObservation, type PatientIdentity } from './fhir';
import { readingCategory } from './guidance';
import type { BloodPressureReading } from './reading';
import { readingsWithChart, type ReadingsPage } from './store';
import { finishedWeeksFor, type Week } from './weeks';

/**
 * What a care professional sees of a citizen's blood pressure: the entry point
 * for the professional view (lib/sharing decides who may call it, and audits
 * each call; this module checks neither). A reading is here as soon as the
 * citizen saves it: there is no copy or queue in between.
 */

export type ProfessionalBloodPressure = {
  /** A page of readings in the range, newest first. */
  readings: ReadingsPage;
  /** Finished home-monitoring weeks, newest first, each with its kept result. */
  weeks: Week[];
  chart: ChartData;
  /**
   * FHIR R4 collection of UK Core vital-signs Observations: each reading on this
   * page (and its pulse, when given), and the newest finished week's average when it had one.
   */
  bundle: Bundle<Observation>;
};

export type ProfessionalQuery = { range?: ChartRange; page?: number; now?: Date; db?: Db };

/** The patient as FHIR knows them: our user id as the Patient id, and the NHS number when we have it. */
function patientOf(user: { id: string; nhsNumber: string | null }): PatientIdentity {
  return user.nhsNumber ? { id: user.id, nhsNumber: user.nhsNumber } : { id: user.id };
}

export async function bloodPressureForProfessional(userId: string, query: ProfessionalQuery = {}): Promise<ProfessionalBloodPressure | null> {
  const db = query.db ?? getDb();
  const now = query.now ?? new Date();
  const range = query.range ?? '30-days';
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, nhsNumber: true } });
  if (!user) return null;

  const [{ list: readings, chart }, weeks] = await Promise.all([
    readingsWithChart(db, userId, { range, page: query.page ?? 1, now }),
    db.$transaction((tx) => finishedWeeksFor(tx, userId, now)),
  ]);
  const patient = patientOf(user);

  const observations: Observation[] = readings.readings.flatMap((reading) => {
    const pulse = pulseObservation(reading, patient);
    return pulse ? [bloodPressureObservation(reading, patient), pulse] : [bloodPressureObservation(reading, patient)];
  });
  const withAverage = weeks.find((week) => week.average && week.readings.length > 0);
  if (withAverage?.average) {
    const times = withAverage.readings.map((reading) => reading.measuredAt.getTime());
    const average = { ...withAverage.average, from: new Date(Math.min(...times)), to: new Date(Math.max(...times)) };
    observations.push(
      homeAverageObservation(
        average,
        patient,
        withAverage.readings.map((reading) => reading.id),
      ),
    );
  }

  const bundle: Bundle<Observation> = {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: observations.map((resource) => ({ resource })),
  };
  return { readings, weeks, chart, bundle };
}

// --- For the professional view (lib/sharing decides who may see it, and audits each call) ---

/** Readings in the table; the chart covers the last 90 days, at most CHART_READINGS of them. */
export const LATEST_READINGS = 20;
const CHART_DAYS = 90;
const CHART_READINGS = 1000;
/** Finished home-monitoring weeks shown, newest first. */
const WEEKS_SHOWN = 3;
/** The newest readings a download holds. */
export const EXPORT_READINGS = 5000;

export type BloodPressureView = {
  /** Newest first; veryHigh marks a reading of 180/120 or more (either number), flagged wherever it is shown. */
  /** enteredBy: someone acting for the citizen typed it in (lib/proxy), named with how they are related. */
  latest: {
    measuredAt: Date;
    systolic: number;
    diastolic: number;
    pulse: number | null;
    arm: string;
    sitting: boolean;
    veryHigh: boolean;
    enteredBy: string | null;
  }[];
  /** Finished home-monitoring weeks, newest first, each with the result kept when it ended. */
  weeks: Week[];
  /** Very high readings (180/120 or more) from the last 24 hours, newest first: the citizen was told to act today. */
  veryHighRecently: { measuredAt: Date; systolic: number; diastolic: number }[];
  chart: { svg: string; table: ChartTable; description: string } | undefined;
};

/** The citizen's readings, finished weeks and chart, read inside the professional view's transaction. */
export async function bloodPressureForProfessionalView(tx: Tx, userId: string, now: Date): Promise<BloodPressureView> {
  const select = { measuredAt: true, systolic: true, diastolic: true, pulse: true, arm: true, sitting: true } as const;
  const latestRows = await tx.bloodPressureReading.findMany({
    where: { userId, deletedAt: null },
    orderBy: { measuredAt: 'desc' },
    take: LATEST_READINGS,
    select: { ...select, enteredByName: true, enteredByRelationship: true },
  });
  const latest = latestRows.map(({ enteredByName, enteredByRelationship, ...reading }) => ({
    ...reading,
    veryHigh: readingCategory(reading) === 'very-high',
    enteredBy: enteredByName ? enteredByText({ name: enteredByName, relationship: enteredByRelationship }) : null,
  }));
  const since = new Date(now.getTime() - CHART_DAYS * 86_400_000);
  const recent = await tx.bloodPressureReading.findMany({
    where: { userId, deletedAt: null, measuredAt: { gte: since, lte: now } },
    orderBy: { measuredAt: 'desc' },
    take: CHART_READINGS,
    select,
  });
  const weeks = await finishedWeeksFor(tx, userId, now, WEEKS_SHOWN);
  const dayAgo = now.getTime() - 24 * 3_600_000;
  const veryHighRecently = recent.filter((reading) => reading.measuredAt.getTime() >= dayAgo && readingCategory(reading) === 'very-high');
  const data = recent.length ? bloodPressureChartData(recent, '90-days', now) : undefined;
  return {
    latest,
    weeks,
    veryHighRecently,
    chart: data && bloodPressureChart(data, 'professional-blood-pressure-chart'),
  };
}

/** Readings for a download, newest first, bounded. */
export async function readingsForExport(tx: Tx, userId: string): Promise<BloodPressureReading[]> {
  const rows = await tx.bloodPressureReading.findMany({ where: { userId, deletedAt: null }, orderBy: { measuredAt: 'desc' }, take: EXPORT_READINGS });
  return rows.map((row) => ({
    systolic: row.systolic,
    diastolic: row.diastolic,
    pulse: row.pulse ?? undefined,
    measuredAt: row.measuredAt,
    arm: row.arm === 'right' ? 'right' : 'left',
    sitting: row.sitting,
  }));
}
