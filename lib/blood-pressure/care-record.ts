import type { Observation } from '@medplum/fhirtypes';
import type { Db } from '@/lib/platform/db';
import { phrIdentifier, type CareRecordEntry } from '@/lib/platform/care-record-entries';
import { bloodPressureObservation, criticalHigh, high, homeAverageObservation, pulseObservation, type SavedReading } from './fhir';

/**
 * Readings and finished weeks as the shared care record should hold them now (sent by
 * lib/sharing/care-record-sync.ts). Each is built from the database when it is sent, so it is
 * always the current state: a deleted reading, or a pulse no longer given, is withdrawn.
 *
 * Ids are ours and fixed, so sending again replaces rather than adds:
 * - a reading: Observation `phr-bp-<reading id>` (UK Core blood pressure, fhir.ts), and its
 *   pulse `phr-bp-<reading id>-pulse`; identifier system …/id/blood-pressure-reading(-pulse);
 * - a finished week: Observation `phr-bp-week-<week id>`, LOINC 96607-7 "Blood pressure panel
 *   mean systolic and mean diastolic", effectivePeriod from the first to the last reading
 *   averaged, derivedFrom those readings' Observations, interpretation H for a stage 1 or 2
 *   range and HH for very high; identifier system …/id/home-monitoring-week. A week without
 *   enough readings has no average, so nothing is sent (and anything sent is withdrawn).
 */

export const readingResourceId = (readingId: string) => `phr-bp-${readingId}`;
const pulseResourceId = (readingId: string) => `phr-bp-${readingId}-pulse`;
const weekResourceId = (weekId: string) => `phr-bp-week-${weekId}`;

/** A reading's resources: the blood pressure and its pulse (a reading of null, or no pulse: withdrawn). */
export function readingEntries(readingId: string, reading: SavedReading | null, patientId: string): CareRecordEntry[] {
  const bloodPressure: CareRecordEntry = { resourceType: 'Observation', id: readingResourceId(readingId) };
  const pulse: CareRecordEntry = { resourceType: 'Observation', id: pulseResourceId(readingId) };
  if (!reading) return [bloodPressure, pulse];
  const patient = { id: patientId };
  const ours = (resource: Observation, id: string, kind: string): Observation => ({ ...resource, id, identifier: [phrIdentifier(kind, readingId)] });
  const pulseResource = pulseObservation(reading, patient);
  return [
    { ...bloodPressure, resource: ours(bloodPressureObservation(reading, patient), bloodPressure.id, 'blood-pressure-reading') },
    { ...pulse, ...(pulseResource ? { resource: ours(pulseResource, pulse.id, 'blood-pressure-reading-pulse') } : {}) },
  ];
}

export async function readingForCareRecord(db: Db, userId: string, readingId: string, patientId: string): Promise<CareRecordEntry[]> {
  const row = await db.bloodPressureReading.findFirst({ where: { id: readingId, userId } });
  if (!row || row.deletedAt) return readingEntries(readingId, null, patientId);
  return readingEntries(
    readingId,
    {
      measuredAt: row.measuredAt,
      systolic: row.systolic,
      diastolic: row.diastolic,
      ...(row.pulse === null ? {} : { pulse: row.pulse }),
      arm: row.arm === 'right' ? 'right' : 'left',
      sitting: row.sitting,
      ...(row.enteredByName ? { enteredBy: { name: row.enteredByName, relationship: row.enteredByRelationship } } : {}),
    },
    patientId,
  );
}

/** What a finished week keeps (HomeMonitoringWeek). */
export type StoredWeek = {
  finishedAt: Date | null;
  result: string | null;
  systolic: number | null;
  diastolic: number | null;
  readingCount: number | null;
  readings: string | null;
};

/** A week's resource: its average, or withdrawn (running, not found, or not enough readings). */
export function weekEntries(weekId: string, row: StoredWeek | null, patientId: string): CareRecordEntry[] {
  const entry: CareRecordEntry = { resourceType: 'Observation', id: weekResourceId(weekId) };
  if (!row?.finishedAt || row.systolic === null || row.diastolic === null || !row.readings) return [entry];
  const averaged = (JSON.parse(row.readings) as { id: string; measuredAt: string }[]).map((reading) => ({ ...reading, at: Date.parse(reading.measuredAt) }));
  if (averaged.length === 0) return [entry];
  const times = averaged.map((reading) => reading.at);
  const average = {
    systolic: row.systolic,
    diastolic: row.diastolic,
    readingCount: row.readingCount ?? averaged.length,
    from: new Date(Math.min(...times)),
    to: new Date(Math.max(...times)),
  };
  const observation = homeAverageObservation(
    average,
    { id: patientId },
    averaged.map((reading) => readingResourceId(reading.id)),
  );
  const interpretation = row.result === 'very-high' ? criticalHigh : row.result === 'stage-1-range' || row.result === 'stage-2-range' ? high : undefined;
  return [
    {
      ...entry,
      resource: {
        ...observation,
        id: entry.id,
        identifier: [phrIdentifier('home-monitoring-week', weekId)],
        ...(interpretation ? { interpretation: [interpretation] } : {}),
      },
    },
  ];
}

export async function weekForCareRecord(db: Db, userId: string, weekId: string, patientId: string): Promise<CareRecordEntry[]> {
  return weekEntries(weekId, await db.homeMonitoringWeek.findFirst({ where: { id: weekId, userId } }), patientId);
}

/** Every reading (not deleted) and finished week of the citizen's: what "send it all again" covers. */
export async function bloodPressureItems(db: Db, userId: string): Promise<{ readings: string[]; weeks: string[] }> {
  const [readings, weeks] = await Promise.all([
    db.bloodPressureReading.findMany({ where: { userId, deletedAt: null }, select: { id: true }, orderBy: { measuredAt: 'asc' } }),
    db.homeMonitoringWeek.findMany({ where: { userId, finishedAt: { not: null } }, select: { id: true }, orderBy: { startedOn: 'asc' } }),
  ]);
  return { readings: readings.map((reading) => reading.id), weeks: weeks.map((week) => week.id) };
}
