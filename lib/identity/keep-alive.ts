import { getDb } from '@/lib/platform/db';
import { readForm } from '@/lib/platform/forms';
import { pageRoute } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { notSignedIn } from './citizen-page';
import { safeReturnTo } from './return-to';
import { secondsLeft } from './session-rules';
import { touchSession } from './session-store';

/**
 * "Stay signed in" from the timeout warning: counts as activity, so the idle timeout
 * starts again (never past the absolute lifetime). The dialog sends it with JavaScript
 * and reads the new time left; a plain form post is sent back to the page it came from.
 */
export const keepAlive = pageRoute(async (page) => {
  const values = await readForm(page.req);
  const wantsJson = (page.req.headers.get('accept') ?? '').includes('application/json');
  if (page.session.state !== 'signed-in') {
    return wantsJson ? Response.json({ signedIn: false }, { status: 401, headers: { 'cache-control': 'no-store' } }) : notSignedIn(page);
  }
  const now = new Date();
  const session = page.session.citizen;
  await touchSession(getDb(), session.id, now);
  if (wantsJson) {
    return Response.json({ secondsLeft: secondsLeft({ ...session, lastSeenAt: now }, now) }, { headers: { 'cache-control': 'no-store' } });
  }
  return redirect(safeReturnTo(values.returnTo));
});
