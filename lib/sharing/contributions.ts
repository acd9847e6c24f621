import type { Tx } from '@/lib/audit/audit-log';
import {
  bloodPressureChartData,
  bloodPressureChartDescription,
  bloodPressureChartSvg,
  bloodPressureChartTable,
  type ChartTable,
} from '@/lib/blood-pressure/chart';
import { finishedWeeksFor, type Week } from '@/lib/blood-pressure/weeks';
import type { BloodPressureReading } from '@/lib/blood-pressure/reading';
import type { Category } from './categories';

/**
 * What a citizen has added, read for the professional view: only the categories asked for,
 * and for blood pressure only a bounded window (never every reading).
 */

/** Readings in the table; the chart covers the last 90 days, at most CHART_READINGS of them. */
export const LATEST_READINGS = 20;
const CHART_DAYS = 90;
const CHART_READINGS = 1000;
/** Finished home-monitoring weeks shown, newest first. */
const WEEKS_SHOWN = 3;
/** The newest readings a download holds. */
export const EXPORT_READINGS = 5000;

const FORMAT_NAMES: Record<string, string> = {
  'large-print': 'Large print',
  'easy-read': 'Easy read',
  braille: 'Braille',
  'bsl-interpreter': 'British Sign Language (BSL) interpreter',
  'spoken-language-interpreter': 'Spoken language interpreter',
  'contact-carer': 'Contact their carer too',
};

export type CommunicationView = {
  formats: string[];
  interpreterLanguage: string | null;
  carerName: string | null;
  carerContact: string | null;
  otherNeeds: string | null;
  updatedAt: Date;
};

export type TopThreeView = { items: { title: string; description: string }[]; savedAt: Date };

export type ConditionView = { name: string; addedAt: Date };

export type BloodPressureView = {
  latest: { measuredAt: Date; systolic: number; diastolic: number; pulse: number | null; arm: string; sitting: boolean }[];
  /** Finished home-monitoring weeks, newest first, each with the result kept when it ended. */
  weeks: Week[];
  chart: { svg: string; table: ChartTable; description: string } | undefined;
};

export type Contributions = {
  communication?: CommunicationView | null;
  'top-three'?: TopThreeView | null;
  conditions?: ConditionView[];
  'blood-pressure'?: BloodPressureView;
};

function topThreeItems(stored: string): { title: string; description: string }[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((item): item is { title: unknown; description?: unknown } => typeof item === 'object' && item !== null)
      .map((item) => ({ title: String(item.title ?? ''), description: typeof item.description === 'string' ? item.description : '' }))
      .filter((item) => item.title.trim() !== '')
      .slice(0, 3);
  } catch {
    return [];
  }
}

async function communication(tx: Tx, userId: string): Promise<CommunicationView | null> {
  const row = await tx.communicationNeeds.findUnique({ where: { userId } });
  if (!row) return null;
  return {
    formats: row.formats.split(',').map((format) => format.trim()).filter(Boolean).map((format) => FORMAT_NAMES[format] ?? format),
    interpreterLanguage: row.interpreterLanguage,
    carerName: row.carerName,
    carerContact: row.carerContact,
    otherNeeds: row.otherNeeds,
    updatedAt: row.updatedAt,
  };
}

async function topThree(tx: Tx, userId: string): Promise<TopThreeView | null> {
  const row = await tx.topThingsVersion.findFirst({ where: { userId }, orderBy: { createdAt: 'desc' } });
  if (!row) return null;
  const items = topThreeItems(row.items);
  return items.length ? { items, savedAt: row.createdAt } : null;
}

async function conditions(tx: Tx, userId: string): Promise<ConditionView[]> {
  const rows = await tx.longTermCondition.findMany({ where: { userId }, orderBy: { addedAt: 'desc' }, take: 200 });
  return rows.map((row) => ({ name: row.name, addedAt: row.addedAt }));
}

async function bloodPressure(tx: Tx, userId: string, now: Date): Promise<BloodPressureView> {
  const select = { measuredAt: true, systolic: true, diastolic: true, pulse: true, arm: true, sitting: true } as const;
  const latest = await tx.bloodPressureReading.findMany({ where: { userId, deletedAt: null }, orderBy: { measuredAt: 'desc' }, take: LATEST_READINGS, select });
  const since = new Date(now.getTime() - CHART_DAYS * 86_400_000);
  const recent = await tx.bloodPressureReading.findMany({
    where: { userId, deletedAt: null, measuredAt: { gte: since, lte: now } },
    orderBy: { measuredAt: 'desc' },
    take: CHART_READINGS,
    select,
  });
  const weeks = await finishedWeeksFor(tx, userId, now, WEEKS_SHOWN);
  const data = recent.length ? bloodPressureChartData(recent, '90-days', now) : undefined;
  return {
    latest,
    weeks,
    chart: data && { svg: bloodPressureChartSvg(data, 'professional-blood-pressure-chart'), table: bloodPressureChartTable(data), description: bloodPressureChartDescription(data) },
  };
}

/** The shared categories' contents, read inside the view's transaction. */
export async function readContributions(tx: Tx, userId: string, categories: readonly Category[], now: Date): Promise<Contributions> {
  const result: Contributions = {};
  for (const category of categories) {
    if (category === 'communication') result.communication = await communication(tx, userId);
    if (category === 'top-three') result['top-three'] = await topThree(tx, userId);
    if (category === 'conditions') result.conditions = await conditions(tx, userId);
    if (category === 'blood-pressure') result['blood-pressure'] = await bloodPressure(tx, userId, now);
  }
  return result;
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
