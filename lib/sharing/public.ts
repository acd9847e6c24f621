/** What other capabilities use of sharing. Other capabilities import only this module. */
export { CATEGORIES, CATEGORY_TEXT, SHARED_BY_DEFAULT, isCategory, type Category } from './categories';
// For the open platform API (lib/open-platform): Consent and AuditEvent.
export { sharingConsents } from './consent';
export { accessAt, accessesWindow, type AccessRow } from './access-log';
