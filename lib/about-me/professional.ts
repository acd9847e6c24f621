import type { Tx } from '@/lib/platform/db';
import { FORMATS, type Format } from './rules';

/**
 * What a care professional sees of what the citizen told us about themselves (communication
 * needs, top three things, conditions), read inside the professional view's audited
 * transaction. lib/sharing decides who may call these and records each call.
 */

/** Formats in the professional's words (the citizen's own page speaks to them directly). */
const PROFESSIONAL_FORMAT_NAMES: Record<Format, string> = {
  'large-print': 'Large print',
  'easy-read': 'Easy read',
  braille: 'Braille',
  'bsl-interpreter': 'British Sign Language (BSL) interpreter',
  'spoken-language-interpreter': 'Spoken language interpreter',
  'contact-carer': 'Contact their carer too',
};

export const formatName = (format: string) => ((FORMATS as readonly string[]).includes(format) ? PROFESSIONAL_FORMAT_NAMES[format as Format] : format);

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

export async function communicationForProfessional(tx: Tx, userId: string): Promise<CommunicationView | null> {
  const row = await tx.communicationNeeds.findUnique({ where: { userId } });
  if (!row) return null;
  return {
    formats: row.formats
      .split(',')
      .map((format) => format.trim())
      .filter(Boolean)
      .map(formatName),
    interpreterLanguage: row.interpreterLanguage,
    carerName: row.carerName,
    carerContact: row.carerContact,
    otherNeeds: row.otherNeeds,
    updatedAt: row.updatedAt,
  };
}

export async function topThreeForProfessional(tx: Tx, userId: string): Promise<TopThreeView | null> {
  const row = await tx.topThingsVersion.findFirst({ where: { userId }, orderBy: { createdAt: 'desc' } });
  if (!row) return null;
  const items = topThreeItems(row.items);
  return items.length ? { items, savedAt: row.createdAt } : null;
}

export async function conditionsForProfessional(tx: Tx, userId: string): Promise<ConditionView[]> {
  const rows = await tx.longTermCondition.findMany({ where: { userId }, orderBy: { addedAt: 'desc' }, take: 200 });
  return rows.map((row) => ({ name: row.name, addedAt: row.addedAt }));
}
