import { describe, expect, it } from 'vitest';
import type { SignedInStaff } from '@/lib/identity/staff-page';
import type { Db } from '@/lib/platform/db';
import { viewContributions } from './professional-view';

const staff = { subject: 's', givenName: 'G', familyName: 'P', organisationCode: 'ZZ0001', organisationName: 'Demo', jobRole: 'GP' } as SignedInStaff;

/** A database whose reads work and whose audit write fails. */
function databaseThatCannotAudit(): { db: Db; committed: () => boolean } {
  let committed = false;
  const tx = {
    sharingConsent: { findMany: async () => [] },
    communicationNeeds: {
      findUnique: async () => ({
        formats: 'large-print',
        interpreterLanguage: null,
        carerName: null,
        carerContact: null,
        otherNeeds: null,
        updatedAt: new Date(),
      }),
    },
    topThingsVersion: { findFirst: async () => ({ items: '[{"title":"Secret"}]', createdAt: new Date() }) },
    longTermCondition: { findMany: async () => [] },
    bloodPressureReading: { findMany: async () => [] },
    homeMonitoringWeek: { findMany: async () => [] },
    auditEntry: {
      findFirst: async () => null,
      create: async () => {
        throw new Error('disk I/O error');
      },
    },
  };
  const db = {
    $transaction: async (work: (client: typeof tx) => Promise<unknown>) => {
      const result = await work(tx);
      committed = true;
      return result;
    },
  } as unknown as Db;
  return { db, committed: () => committed };
}

describe('the professional view and its audit', () => {
  it('gives no data when the audit entry cannot be written', async () => {
    const { db, committed } = databaseThatCannotAudit();
    await expect(viewContributions(db, staff, 'citizen', { allowed: true, kind: 'relationship', reason: null })).rejects.toThrow('disk I/O error');
    expect(committed()).toBe(false);
  });
});
