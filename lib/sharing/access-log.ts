import type { AuditEntry, Prisma } from '@/lib/generated/sqlite/client';
import type { Db } from '@/lib/platform/db';
import { accountIdsOf } from '@/lib/identity/public';
import { STAFF_SECTION_NAMES } from './categories';

/** What citizens and the programme team read back from the audit log. */

export const PAGE_SIZE = 20;

/** What professionals did that the citizen is told about. */
const SHOWN_TO_CITIZEN = ['view', 'export', 'emergency-access', 'emergency-access-ended'];

/** What apps the citizen connected did (lib/open-platform): read or searched, and added. */
const APP_ACTIONS_SHOWN = ['view', 'add'];

export type AccessRow = {
  /** The entry's place in the audit log. */
  seq: number;
  at: Date;
  who: string;
  organisation: string;
  role: string;
  action: string;
  what: string;
  reason: string | null;
  /** The reason as the citizen reads it: the one given, or why none was needed. */
  reasonText: string;
  emergency: boolean;
  /** An app the citizen connected, not a professional: it has no organisation or role to show. */
  app: boolean;
  /** The citizen themselves, downloading all their data (lib/your-data): no organisation or role either. */
  self: boolean;
  /** Someone acting for the citizen (lib/proxy): how they are related is in `who`. */
  proxy: boolean;
};

/**
 * Why a professional gave no reason, in words the citizen can check: only someone who cares
 * for them needs none. Ending emergency access needs none; looking under emergency access
 * was explained when it began.
 */
function reasonText(action: string, reason: string | null, emergency: boolean): string {
  if (reason) return reason;
  if (action === 'emergency-access-ended') return 'None needed to end emergency access';
  if (emergency) return 'Given when their emergency access began (see that entry)';
  return 'None needed: they care for you';
}

const WHAT_FOR_CATEGORY: Record<string, string> = { ...STAFF_SECTION_NAMES, none: 'Your page (you were not sharing anything)', all: 'All you share' };

function whatWasDone(entry: { action: string; category: string | null }): string {
  if (entry.action === 'emergency-access') return 'Used emergency access to see what you share';
  if (entry.action === 'emergency-access-ended') return 'Ended their emergency access';
  const what = WHAT_FOR_CATEGORY[entry.category ?? ''] ?? 'Your information';
  if (entry.action === 'export') return `Downloaded: ${what.toLowerCase()}`;
  return `Viewed: ${what.toLowerCase()}`;
}

/** What an app read or added, by audit category (lib/open-platform/fhir/app-audit.ts). */
const APP_VIEWED: Record<string, string> = {
  patient: 'your name, date of birth, NHS number, address and contact details',
  'blood-pressure': 'your blood pressure readings',
  conditions: 'your long-term conditions',
  sharing: 'your choices about sharing',
  'access-log': 'who has viewed your information',
  'care-record': 'your care record',
  'care-record-allergies': 'your allergies, from your care record',
  'care-record-medicines': 'your medicines, from your care record',
  'care-record-vaccinations': 'your vaccinations, from your care record',
  'care-record-test-results': 'your test results, from your care record',
  'care-record-appointments': 'your appointments, from your care record',
  'care-record-letters': 'letters about your care, from your care record',
};
const APP_ADDED: Record<string, string> = { 'blood-pressure': 'a blood pressure reading', conditions: 'a long-term condition' };

function whatTheAppDid(entry: { action: string; category: string | null }): string {
  if (entry.action === 'add') return `Added: ${APP_ADDED[entry.category ?? ''] ?? 'information to your record'}`;
  return `Viewed: ${APP_VIEWED[entry.category ?? ''] ?? 'your information'}`;
}

function appRow(entry: { seq: number; at: Date; actorName: string | null; action: string; category: string | null; reason: string | null }): AccessRow {
  return {
    seq: entry.seq,
    at: entry.at,
    who: `${entry.actorName ?? 'An app'} (an app you connected)`,
    organisation: '',
    role: '',
    action: entry.action,
    what: whatTheAppDid(entry),
    reason: entry.reason,
    reasonText: entry.action === 'add' ? 'You allowed this app to add this when you connected it' : 'You allowed this app to see this when you connected it',
    emergency: false,
    app: true,
    self: false,
    proxy: false,
  };
}

const DOWNLOAD_FORMATS: Record<string, string> = { readable: 'as a page to read or print', json: 'as a JSON file', fhir: 'as a FHIR file' };

/** The citizen's own download of all their data: shown, so that a download by someone using their account is seen. */
function ownDownloadRow(entry: { seq: number; at: Date; actorName: string | null; action: string; detail: string | null }): AccessRow {
  const format = DOWNLOAD_FORMATS[String(parseDetail(entry.detail).format)];
  return {
    seq: entry.seq,
    at: entry.at,
    who: `${entry.actorName ?? 'You'} (signed in to your account)`,
    organisation: '',
    role: '',
    action: entry.action,
    what: `Downloaded all your data${format ? ` ${format}` : ''}`,
    reason: null,
    reasonText: 'None needed: it is your own data',
    emergency: false,
    app: false,
    self: true,
    proxy: false,
  };
}

/** What someone acting for the citizen saw or changed, by the permission the page needed (lib/platform/page.ts auditActing). */
const PROXY_AREAS: Record<string, string> = {
  'blood-pressure': 'your blood pressure readings',
  'care-record': 'your care record',
  'about-me': 'your top 3 things, conditions and communication needs',
  'contact-details': 'your contact details and address',
  sharing: 'your choices about sharing',
};

/** Someone acting for the citizen, on their pages: every page they saw and every change they made. */
function proxyRow(entry: {
  seq: number;
  at: Date;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  category: string | null;
  detail: string | null;
}): AccessRow {
  const area = PROXY_AREAS[entry.category ?? ''] ?? 'your information';
  const checked = ['parent', 'attorney'].includes(String(parseDetail(entry.detail).basis));
  return {
    seq: entry.seq,
    at: entry.at,
    who: `${entry.actorName ?? 'Someone'}, acting for you${entry.actorRole ? ` (${entry.actorRole.toLowerCase()})` : ''}`,
    organisation: '',
    role: entry.actorRole ?? '',
    action: entry.action,
    what: `${entry.action === 'proxy-changed' ? 'Changed' : 'Viewed'}: ${area}`,
    reason: null,
    reasonText: checked ? 'A member of staff checked they can act for you' : 'You gave them permission to act for you',
    emergency: false,
    app: false,
    self: false,
    proxy: true,
  };
}

function parseDetail(detail: string | null): Record<string, unknown> {
  try {
    const parsed: unknown = detail ? JSON.parse(detail) : {};
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export type Paged<T> = { rows: T[]; page: number; pages: number; total: number };

/** A page's address: the first has no ?page, so it is the address people already know. */
export const pageLink = (path: string) => (page: number) => (page === 1 ? path : `${path}?page=${page}`);

/** The page number asked for in `?page=`, or 1; null when it is not a page number at all. */
export function requestedPage(url: URL): number | null {
  const text = url.searchParams.get('page');
  if (text === null) return 1;
  if (!/^[1-9]\d{0,5}$/.test(text)) return null;
  return Number(text);
}

/** One page of audit entries, newest first, with the count and number of pages. */
async function pageOfEntries(db: Db, where: Prisma.AuditEntryWhereInput, page: number) {
  const total = await db.auditEntry.count({ where });
  const entries = await db.auditEntry.findMany({ where, orderBy: { seq: 'desc' }, skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE });
  return { total, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), entries };
}

/** What "Who has viewed your information" shows: every account id that is now this citizen's. */
async function shownToCitizen(db: Db, citizenId: string): Promise<Prisma.AuditEntryWhereInput> {
  // An account joined to this one keeps its audit entries under its own id (the chain is never rewritten).
  const ids = await accountIdsOf(db, citizenId);
  return {
    citizenId: { in: ids },
    OR: [
      { actorKind: 'staff', action: { in: SHOWN_TO_CITIZEN } },
      { actorKind: 'app', action: { in: APP_ACTIONS_SHOWN } },
      { actorKind: 'citizen', action: 'export', category: 'your-data' },
      { actorKind: 'proxy', action: { in: ['proxy-viewed', 'proxy-changed'] } },
    ],
  };
}

function toRow(entry: AuditEntry): AccessRow {
  if (entry.actorKind === 'app') return appRow(entry);
  if (entry.actorKind === 'citizen') return ownDownloadRow(entry);
  if (entry.actorKind === 'proxy') return proxyRow(entry);
  const emergency = entry.action.startsWith('emergency-access') || parseDetail(entry.detail).access === 'emergency';
  return {
    seq: entry.seq,
    at: entry.at,
    who: entry.actorName ?? 'A member of staff',
    organisation: entry.actorOrganisation ?? '',
    role: entry.actorRole ?? '',
    action: entry.action,
    what: whatWasDone(entry),
    reason: entry.reason,
    reasonText: reasonText(entry.action, entry.reason, emergency),
    emergency,
    app: false,
    self: false,
    proxy: false,
  };
}

/**
 * Every view, export and emergency access of the citizen's information by a professional, and
 * every read and addition by an app they connected, newest first.
 */
export async function accessesOf(db: Db, citizenId: string, page: number): Promise<Paged<AccessRow>> {
  const { entries, ...paging } = await pageOfEntries(db, await shownToCitizen(db, citizenId), page);
  return { ...paging, rows: entries.map(toRow) };
}

/** The same, as a window (for the open platform API's AuditEvent search), with how many there are in all. */
export async function accessesWindow(db: Db, citizenId: string, window: { skip: number; take: number }): Promise<{ rows: AccessRow[]; total: number }> {
  const where = await shownToCitizen(db, citizenId);
  const total = await db.auditEntry.count({ where });
  const entries = window.take > 0 ? await db.auditEntry.findMany({ where, orderBy: { seq: 'desc' }, skip: window.skip, take: window.take }) : [];
  return { rows: entries.map(toRow), total };
}

/** One of them by its place in the audit log; null for any entry the citizen is not shown. */
export async function accessAt(db: Db, citizenId: string, seq: number): Promise<AccessRow | null> {
  const entry = await db.auditEntry.findFirst({ where: { ...(await shownToCitizen(db, citizenId)), seq } });
  return entry ? toRow(entry) : null;
}

export type EmergencyRow = { at: Date; who: string; organisation: string; role: string; reason: string; citizen: string; relationship: string };

const RELATIONSHIP_WORDS: Record<string, string> = {
  unrelated: 'No care relationship in the care record',
  'no-record': 'No care record found for them',
  unavailable: 'The care record could not be checked',
};

/** Every emergency access, newest first, for the programme team to review. */
export async function emergencyAccesses(db: Db, page: number): Promise<Paged<EmergencyRow>> {
  const { entries, ...paging } = await pageOfEntries(db, { action: 'emergency-access' }, page);
  const ids = [...new Set(entries.map((entry) => entry.citizenId).filter((id): id is string => id !== null))];
  const people = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, givenName: true, familyName: true, nhsNumber: true } });
  const names = new Map(
    people.map((person) => [person.id, `${person.givenName} ${person.familyName}${person.nhsNumber ? ` (NHS number ${person.nhsNumber})` : ''}`]),
  );
  return {
    ...paging,
    rows: entries.map((entry) => ({
      at: entry.at,
      who: entry.actorName ?? entry.actorId,
      organisation: entry.actorOrganisation ?? '',
      role: entry.actorRole ?? '',
      reason: entry.reason ?? '',
      citizen: (entry.citizenId && names.get(entry.citizenId)) || 'An account that has since closed',
      relationship: RELATIONSHIP_WORDS[String(parseDetail(entry.detail).relationship)] ?? '',
    })),
  };
}
