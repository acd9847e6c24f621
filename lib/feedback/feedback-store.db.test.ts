// The feedback store on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '@/scripts/db/lib/commands';
import { resolveTarget } from '@/scripts/db/lib/target';
import { databaseUnderTest } from '@/scripts/db/test-support';
import { reloadConfig } from '@/lib/platform/config';
import { disconnectDb, getDb } from '@/lib/platform/db';
import { databaseFeedbackStore } from './feedback-store';

const { url, provider } = databaseUnderTest();

beforeAll(async () => {
  await deploy(resolveTarget(url));
  reloadConfig({ ...process.env, DATABASE_URL: url });
});

afterAll(async () => {
  await disconnectDb();
});

describe(`feedback store on ${provider}`, () => {
  it('keeps what people sent, as text, with no email when none was given', async () => {
    const comments = `<b>Bold</b> claims & "quotes" ${Date.now()}`;
    await databaseFeedbackStore.save({ rating: 'very-satisfied', comments, email: undefined });
    const row = await getDb().feedback.findFirstOrThrow({ where: { comments } });
    expect(row).toMatchObject({ rating: 'very-satisfied', comments, email: null });
    await getDb().feedback.delete({ where: { id: row.id } });
  });
});
