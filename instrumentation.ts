/**
 * Runs once when the server starts (Next.js instrumentation). On the Node.js runtime only:
 * checks the whole configuration (a mistake stops the service starting, rather than failing a
 * page later), then starts delivering contact-detail changes from the outbox
 * (lib/contact-details/delivery.ts) and what citizens add to the shared care record
 * (lib/sharing/care-record-delivery.ts), and anchors the audit log's head outside the database
 * (lib/audit/anchoring.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { config } = await import('./lib/platform/config');
    const { contactDetailsConfig } = await import('./lib/contact-details/config');
    config();
    contactDetailsConfig();
    const { startContactDetailsDelivery } = await import('./lib/contact-details/delivery');
    startContactDetailsDelivery();
    const { startCareRecordSync } = await import('./lib/sharing/care-record-delivery');
    startCareRecordSync();
    const { startAuditAnchoring } = await import('./lib/audit/anchoring');
    startAuditAnchoring();
  }
}
