/**
 * Runs once when the server starts (Next.js instrumentation). On the Node.js runtime only:
 * starts delivering contact-detail changes from the outbox (lib/contact-details/delivery.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { startContactDetailsDelivery } = await import('./lib/contact-details/delivery');
    startContactDetailsDelivery();
  }
}
