import { getDb } from '@/lib/platform/db';
import { readForm } from '@/lib/platform/forms';
import { pageRoute } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { notSignedIn } from './citizen-page';
import { safeReturnTo } from './return-to';
import { secondsLeft } from './session-rules';
import { touchSession } from './session-store';
import { touchStaffSession } from './staff';
import { currentStaff, type SignedInStaff } from './staff-page';
import { paths } from '@/lib/platform/paths';

/**
 * "Stay signed in" from the timeout warning: counts as activity, so the idle timeout
 * starts again (never past the absolute lifetime). The dialog sends it with JavaScript
 * and reads the new time left; a plain form post is sent back to the page it came from.
 */
export const keepAlive = pageRoute(async (page) => {
  const values = await readForm(page.req);
  const wantsJson = (page.req.headers.get('accept') ?? '').includes('application/json');
  const now = new Date();
  // A citizen's session, or a member of staff's (staff pages warn before timing out too).
  const staff = page.session.state === 'signed-in' ? null : await currentStaff(page.req, now);
  if (page.session.state !== 'signed-in' && staff?.state !== 'signed-in') {
    return wantsJson ? Response.json({ signedIn: false }, { status: 401, headers: { 'cache-control': 'no-store' } }) : notSignedIn(page);
  }
  const session = page.session.state === 'signed-in' ? page.session.citizen : (staff as { state: 'signed-in'; staff: SignedInStaff }).staff;
  if (page.session.state === 'signed-in') await touchSession(getDb(), session.id, now);
  else await touchStaffSession(getDb(), session.id, now);
  if (wantsJson) {
    return Response.json({ secondsLeft: secondsLeft({ ...session, lastSeenAt: now }, now) }, { headers: { 'cache-control': 'no-store' } });
  }
  // Without a page to go back to: each person's own home.
  const home = page.session.state === 'signed-in' ? safeReturnTo(undefined) : paths.staff.home;
  return redirect(values.returnTo ? safeReturnTo(values.returnTo) : home);
}, 'signed-in');
