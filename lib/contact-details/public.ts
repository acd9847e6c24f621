/** What other capabilities use of contact details. Other capabilities import only this module. */
export { contactDetailsOf, PATHS as CONTACT_PATHS } from './pages';
export { postToDigitalSwitchCount } from './store';
