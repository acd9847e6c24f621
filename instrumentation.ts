/**
 * Runs once when the server starts (Next.js instrumentation). On the Node.js runtime only:
 * checks the whole configuration, so that a mistake stops the service starting rather than
 * failing a page later. The web process sends nothing itself: the worker (npm run worker,
 * lib/platform/worker) delivers the outbox and anchors the audit log's head.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { config } = await import('./lib/platform/config');
    const { contactDetailsConfig } = await import('./lib/contact-details/config');
    const { notifySettings } = await import('./lib/notifications/public');
    config();
    contactDetailsConfig();
    // GOV.UK Notify (used by the worker): production refuses the local stand-in here too.
    notifySettings();
  }
}
