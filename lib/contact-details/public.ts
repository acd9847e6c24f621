/** What other capabilities use of contact details. Other capabilities import only this module. */
export { contactDetailsOf } from './pages';
export { ORGANISATIONS, organisationName } from './organisations';
// contactPreferencesOf and currentAddressOf: for the open platform API's Patient (lib/open-platform).
export { contactPreferencesOf, currentAddressOf, postToDigitalSwitchCount } from './store';
// For the letters API (lib/letters): the citizen an organisation names by its own reference.
export { citizenByReference } from './references';
