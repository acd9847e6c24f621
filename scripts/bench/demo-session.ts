// For the benchmark (scripts/bench/run.ts): a session for the seeded demo citizen, as a sign-in
// would leave it, and the cookies a sign-in leaves (the session's, and the browser's new CSRF
// secret: lib/identity/next-auth-flow.ts) written as a cookie header to the file named on the command line.
// DATABASE_URL and APP_SECRET are the benchmark server's.
import fs from 'node:fs';
import { freshCsrfSecretCookie } from '../../lib/platform/csrf';
import { disconnectDb } from '../../lib/platform/db';
import { citizenSessionCookie } from '../../lib/platform/testing/people';
import { DEMO_CITIZEN_ID } from '../seed-demo-citizen';

async function main(file: string | undefined): Promise<void> {
  if (!file) throw new Error('usage: demo-session.ts <cookie file>');
  const csrfSecret = freshCsrfSecretCookie().split(';')[0]!;
  fs.writeFileSync(file, `${await citizenSessionCookie(DEMO_CITIZEN_ID)}; ${csrfSecret}`, { mode: 0o600 });
}

main(process.argv[2])
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
