import { staffPage } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';
import { renderPage, routeParam } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { FAILED_SHOWN, failedDeliveries, retryDelivery } from './failed-deliveries';
import { wakeWorker } from '@/lib/platform/outbox';
import { paths } from '@/lib/platform/paths';

/** Programme staff: changes that did not reach an organisation, and sending them again. */

export const failedDeliveriesPage = staffPage('programme-admin', async (page) => {
  const { total, rows } = await failedDeliveries(getDb());
  return renderPage(page, 'contact-details/staff/failed-deliveries.njk', {
    staffSignedIn: true,
    total,
    shown: FAILED_SHOWN,
    retried: page.url.searchParams.get('sent-again') === '1',
    rows,
  });
});

/** POST /staff/deliveries/<id>/send-again */
export const sendAgainAction = staffPage('programme-admin', async (page) => {
  const id = routeParam(page, 'id');
  if (!(await retryDelivery(getDb(), id))) throw new HttpError(404, 'no-such-failed-delivery');
  log.info('outbox-sent-again', { requestId: page.requestId, messageId: id });
  // Not waited for: the page answers now, and the list shows what is still failing.
  void wakeWorker().catch(() => undefined);
  return redirect(`${paths.staff.deliveries}?sent-again=1`);
});
