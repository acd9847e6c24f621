/** What other capabilities use of letters. Other capabilities import only this module. */
// For the programme's benefits report (lib/reporting): letters delivered digitally and posted, by month.
export { lettersByMonth } from './store';
// For the retention job (lib/platform/retention.ts) and the worker (lib/platform/worker/main.ts).
export { removeOldNonces, requestPostForUnread } from './store';
export { lettersSettings } from './config';
// For "your data" (lib/your-data): the sender's name and the kind of letter, in words.
export { kindName, senderName } from './senders';
