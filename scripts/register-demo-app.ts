// Registers the example market app (scripts/market-app) in the database at DATABASE_URL, sent
// back to MARKET_APP_URL (default http://localhost:3700). Safe to run again.
import { disconnectDb, getDb } from '../lib/platform/db';
import { seedDemoApp } from '../lib/open-platform/demo-app';

seedDemoApp(getDb(), process.env.MARKET_APP_URL ?? 'http://localhost:3700')
  .then((message) => console.log(message))
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
