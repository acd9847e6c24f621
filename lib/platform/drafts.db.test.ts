// The one draft store (lib/platform/drafts.ts) on the database under test (SQLite and PostgreSQL).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getDb } from './db';
import { makeCitizen, useDatabaseUnderTest } from './db-test-support';
import { deleteDraft, readDraft, saveDraft, takeDraft } from './drafts';

const { provider } = useDatabaseUnderTest();

const answersSchema = z.object({ name: z.string() });
const at = new Date('2026-11-23T12:00:00Z');
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);

describe(`the draft store on ${provider}`, () => {
  it('keeps one draft per citizen and journey, replaced by the next save, until deleted', async () => {
    const userId = await makeCitizen();
    expect(await readDraft(getDb(), userId, 'about-me/condition', answersSchema, at)).toBeNull();
    await saveDraft(getDb(), userId, 'about-me/condition', { name: 'Asthma' }, at);
    await saveDraft(getDb(), userId, 'about-me/condition', { name: '<b>Epilepsy</b>' }, at);
    await saveDraft(getDb(), userId, 'about-me/top-three', { name: 'Another journey' }, at);
    expect(await readDraft(getDb(), userId, 'about-me/condition', answersSchema, at)).toEqual({ name: '<b>Epilepsy</b>' });
    expect(await readDraft(getDb(), userId, 'about-me/top-three', answersSchema, at)).toEqual({ name: 'Another journey' });

    await deleteDraft(getDb(), userId, 'about-me/condition');
    await deleteDraft(getDb(), userId, 'about-me/condition');
    expect(await readDraft(getDb(), userId, 'about-me/condition', answersSchema, at)).toBeNull();
    expect(await readDraft(getDb(), userId, 'about-me/top-three', answersSchema, at)).toEqual({ name: 'Another journey' });
  });

  it('never returns a draft past its journey’s time: 30 minutes for a blood pressure reading, a day for the others', async () => {
    const userId = await makeCitizen();
    await saveDraft(getDb(), userId, 'blood-pressure/new-reading', { name: 'reading' }, at);
    await saveDraft(getDb(), userId, 'contact-details/address', { name: 'address' }, at);
    expect(await readDraft(getDb(), userId, 'blood-pressure/new-reading', answersSchema, later(29))).toEqual({ name: 'reading' });
    expect(await readDraft(getDb(), userId, 'blood-pressure/new-reading', answersSchema, later(30))).toBeNull();
    expect(await readDraft(getDb(), userId, 'contact-details/address', answersSchema, later(24 * 60 - 1))).toEqual({ name: 'address' });
    expect(await readDraft(getDb(), userId, 'contact-details/address', answersSchema, later(24 * 60))).toBeNull();
    // Saving again starts the time again.
    await saveDraft(getDb(), userId, 'blood-pressure/new-reading', { name: 'again' }, later(40));
    expect(await readDraft(getDb(), userId, 'blood-pressure/new-reading', answersSchema, later(60))).toEqual({ name: 'again' });
  });

  it('gives nothing back when what was kept no longer fits the schema', async () => {
    const userId = await makeCitizen();
    await saveDraft(getDb(), userId, 'contact-details/preference', { name: 42 }, at);
    expect(await readDraft(getDb(), userId, 'contact-details/preference', answersSchema, at)).toBeNull();
    await getDb().draft.update({ where: { userId_journey: { userId, journey: 'contact-details/preference' } }, data: { answers: '{not json' } });
    expect(await readDraft(getDb(), userId, 'contact-details/preference', answersSchema, at)).toBeNull();
  });

  it('never gives one citizen’s draft to another, nor lets them take or delete it', async () => {
    const amelia = await makeCitizen({ givenName: 'Amelia' });
    const ben = await makeCitizen({ givenName: 'Ben' });
    await saveDraft(getDb(), amelia, 'contact-details/address', { name: 'Amelia’s' }, at);
    expect(await readDraft(getDb(), ben, 'contact-details/address', answersSchema, at)).toBeNull();
    expect(await getDb().$transaction((tx) => takeDraft(tx, ben, 'contact-details/address', at))).toBe(false);
    await deleteDraft(getDb(), ben, 'contact-details/address');
    expect(await readDraft(getDb(), amelia, 'contact-details/address', answersSchema, at)).toEqual({ name: 'Amelia’s' });
  });

  it('is taken once, inside a transaction, and not at all once out of time; a rolled-back take leaves it', async () => {
    const userId = await makeCitizen();
    await saveDraft(getDb(), userId, 'blood-pressure/new-reading', { name: 'reading' }, at);
    await expect(
      getDb().$transaction(async (tx) => {
        expect(await takeDraft(tx, userId, 'blood-pressure/new-reading', at)).toBe(true);
        throw new Error('the save failed');
      }),
    ).rejects.toThrow('the save failed');
    expect(await readDraft(getDb(), userId, 'blood-pressure/new-reading', answersSchema, at)).toEqual({ name: 'reading' });

    const takes = await Promise.all([1, 2].map(() => getDb().$transaction((tx) => takeDraft(tx, userId, 'blood-pressure/new-reading', at))));
    expect(takes.sort()).toEqual([false, true]);
    expect(await readDraft(getDb(), userId, 'blood-pressure/new-reading', answersSchema, at)).toBeNull();

    await saveDraft(getDb(), userId, 'blood-pressure/new-reading', { name: 'reading' }, at);
    expect(await getDb().$transaction((tx) => takeDraft(tx, userId, 'blood-pressure/new-reading', later(31)))).toBe(false);
  });

  it('leaves drafts nobody came back for to the retention job (lib/platform/retention.ts): saving one removes no other', async () => {
    const gone = await makeCitizen();
    const now = new Date();
    await saveDraft(getDb(), gone, 'about-me/communication', { name: 'left' }, now);
    // As if written 25 hours ago (updatedAt is the real time of the last write).
    await getDb().draft.update({
      where: { userId_journey: { userId: gone, journey: 'about-me/communication' } },
      data: { updatedAt: new Date(now.getTime() - 25 * 3_600_000) },
    });
    await saveDraft(getDb(), await makeCitizen(), 'blood-pressure/new-reading', { name: 'another' }, now);
    expect(await getDb().draft.count({ where: { userId: gone } })).toBe(1);
  });

  it('goes with the citizen’s account', async () => {
    const userId = await makeCitizen();
    await saveDraft(getDb(), userId, 'about-me/top-three', { name: 'mine' }, at);
    await getDb().user.delete({ where: { id: userId } });
    expect(await getDb().draft.count({ where: { userId } })).toBe(0);
  });
});
