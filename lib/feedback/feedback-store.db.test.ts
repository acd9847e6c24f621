// The feedback store on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
import { describe, expect, it } from 'vitest';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { databaseFeedbackStore } from './feedback-store';

const { provider } = useDatabaseUnderTest();

describe(`feedback store on ${provider}`, () => {
  it('keeps what people sent, as text, with no email when none was given', async () => {
    const comments = `<b>Bold</b> claims & "quotes" ${Date.now()}`;
    await databaseFeedbackStore.save({ rating: 'very-satisfied', comments, email: undefined });
    const row = await getDb().feedback.findFirstOrThrow({ where: { comments } });
    expect(row).toMatchObject({ rating: 'very-satisfied', comments, email: null });
    await getDb().feedback.delete({ where: { id: row.id } });
  });
});
