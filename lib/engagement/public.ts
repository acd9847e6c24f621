/** What other capabilities use of engagement. Other capabilities import only this module. */
// The small-number rule staff reports share (lib/reporting's benefits report too).
export { SMALLEST_GROUP, shownCount } from './rules';
// The worker counts open activities' invitations again for their pages (lib/platform/worker),
// and sends the invitations coordinators asked for.
export { refreshInvitationCounts } from './store';
export { sendAskedInvitations } from './invitation-sends';
