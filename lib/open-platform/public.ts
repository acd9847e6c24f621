/** What other capabilities use of the open platform. Other capabilities import only this module. */
// removeAppAccessOf: closing an account (lib/identity/close-account.ts) ends every app's access.
export { removeAppAccessOf } from './apps';
