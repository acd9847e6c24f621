/** What other capabilities use of contact details. Other capabilities import only this module. */
export { contactDetailsOf } from './pages';
export { postToDigitalSwitchCount } from './store';
