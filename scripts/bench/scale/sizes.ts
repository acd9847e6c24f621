// The scale benchmark's databases: how many of everything, per citizen, as measured on the city
// (issue #18): 100,002 citizens with 10,005,096 readings, 500,505 audit entries, 637,884 sessions,
// 360,006 invitations and 108,004 responses. The generator (generate.ts) turns these proportions
// into rows; the small database has the same proportions for 1,000 citizens.

/** Citizens at --scale 1. */
export const FULL_CITIZENS = 100_000;

/** The small database, timed beside the large one. */
export const SMALL_CITIZENS = 1_000;

/** What the generator aims for, per citizen (the exact counts come from hashes, so they differ a little). */
export const PER_CITIZEN = {
  readings: 100,
  auditEntries: 5,
  sessions: 6.4,
  invitations: 3.6,
  responses: 1.08,
} as const;

/**
 * Organisations and their activities do not grow with the city: each runs about as many
 * engagement activities whatever its size, and more citizens means more people invited to each.
 * So the coordinator's pages are compared on an organisation with the same activities in both.
 */
export const ORGANISATIONS = [
  { code: 'RR8', name: 'Leeds Teaching Hospitals NHS Trust' },
  { code: 'RY6', name: 'Leeds Community Healthcare NHS Trust' },
  { code: 'RGD', name: 'Leeds and York Partnership NHS Foundation Trust' },
  { code: '15F', name: 'NHS West Yorkshire Integrated Care Board (Leeds)' },
  { code: 'LCC', name: 'Leeds City Council' },
  { code: 'B86001', name: 'Burley Park Medical Centre' },
  { code: 'B86002', name: 'Chapeltown Family Surgery' },
  { code: 'B86003', name: 'Armley Medical Practice' },
  { code: 'B86004', name: 'Beeston Village Surgery' },
  { code: 'B86005', name: 'Oakwood Lane Medical Practice' },
  { code: 'HWL', name: 'Healthwatch Leeds' },
  { code: 'VAL', name: 'Voluntary Action Leeds' },
] as const;

export const ACTIVITIES_PER_ORGANISATION = 20;
export const BANK_QUESTIONS = 200;
export const QUESTIONS_PER_ACTIVITY = 4;

/** The outbox's backlog for one destination (a short outage): the same in both, so a claim takes a full batch in each. */
export const OUTBOX_BACKLOG = 25;

export function citizensAt(scale: number): number {
  return Math.max(SMALL_CITIZENS, Math.round(FULL_CITIZENS * scale));
}
