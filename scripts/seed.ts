// Demo data for a development or demo database; safe to run again (fixed ids, created only if
// missing). Run after the migrations: `npm run db:deploy && npm run db:seed`.
import { seedDemoCitizenReadings } from '../lib/blood-pressure/seed';
import { seedEngagement } from '../lib/engagement/demo-data';
import { seedDemoApp } from '../lib/open-platform/demo-app';
import { disconnectDb, getDb } from '../lib/platform/db';
import { seedDemoCitizen } from './seed-demo-citizen';

const feedback = [
  { id: 'seed-feedback-1', rating: 'very-satisfied', comments: 'Easy to find my appointment letters.', email: null },
  { id: 'seed-feedback-2', rating: 'satisfied', comments: 'Worked well on my phone.', email: 'sam.taylor@example.com' },
  { id: 'seed-feedback-3', rating: 'neither', comments: 'I was not sure what "shared with" meant.', email: null },
  { id: 'seed-feedback-4', rating: 'dissatisfied', comments: 'Signing in took several attempts.', email: null },
  { id: 'seed-feedback-5', rating: 'very-dissatisfied', comments: 'Could not see my care plan.', email: 'jo.khan@example.com' },
];

async function main(): Promise<void> {
  const db = getDb();
  let created = 0;
  for (const row of feedback) {
    const existing = await db.feedback.findUnique({ where: { id: row.id }, select: { id: true } });
    if (existing) continue;
    await db.feedback.create({ data: row });
    created += 1;
  }
  console.log(`Feedback: ${created} created, ${feedback.length - created} already present.`);
  console.log(await seedDemoCitizen(db));
  console.log(await seedDemoCitizenReadings(db));
  console.log(`Engagement: ${await seedEngagement(db)} demo rows created.`);
  console.log(await seedDemoApp(db, process.env.MARKET_APP_URL ?? 'http://localhost:3700'));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
