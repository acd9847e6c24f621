// The worker process (npm run worker): delivers the outbox, anchors the audit log's head and keeps
// the active users rollup up to date, beside the web instances (lib/platform/worker/main.ts).
// Stops cleanly on SIGTERM or Ctrl+C; exits with 1 if the configuration is wrong.
import { runWorkerProcess } from '../lib/platform/worker/main';

runWorkerProcess();
