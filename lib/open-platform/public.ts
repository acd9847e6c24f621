/** What other capabilities use of the open platform. Other capabilities import only this module. */
// removeAppAccessOf: closing an account (lib/identity/close-account.ts) ends every app's access.
export { removeAppAccessOf } from './apps';
// patientTelecom, patientAddress: the Patient in a citizen's own download (lib/your-data) is made as the API's is.
export { patientAddress, patientTelecom } from './fhir/patient';
