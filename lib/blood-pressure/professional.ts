import type { Bundle, Observation } from '@medplum/fhirtypes';
import { getDb, type Db } from '@/lib/platform/db';
import { type ChartData, type ChartRange } from './chart';
import { bloodPressureObservation, homeAverageObservation, pulseObservation, type PatientIdentity } from './fhir';
import { chartData, readingsPage, type ReadingsPage } from './store';
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

  const [readings, weeks, chart] = await Promise.all([
    readingsPage(db, userId, { range, page: query.page ?? 1, now }),
    db.$transaction((tx) => finishedWeeksFor(tx, userId, now)),
    chartData(db, userId, range, now),
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
    observations.push(homeAverageObservation(average, patient, withAverage.readings.map((reading) => reading.id)));
  }

  const bundle: Bundle<Observation> = {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: now.toISOString(),
    entry: observations.map((resource) => ({ resource })),
  };
  return { readings, weeks, chart, bundle };
}
