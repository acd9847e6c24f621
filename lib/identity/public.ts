/**
 * What other capabilities use of identity: the guards for citizens' and staff pages, who is
 * signed in, and the private_key_jwt client assertion. Other capabilities import only this
 * module (eslint.config.mjs keeps it so).
 */
export { citizenGuard, citizenPage, citizenRoute, guardedCitizen, notSignedIn, type CitizenAccess, type CitizenPageRequest } from './citizen-page';
export { ownUser, type Citizen } from './citizen';
export { staffPage, type SignedInStaff, type StaffPageRequest } from './staff-page';
export { CLIENT_ASSERTION_TYPE, clientAssertion } from './client-assertion';
export { accountIdsOf } from './account-links';
// For the benefits report (lib/reporting): the registration funnel's first step.
export { signInStartsByMonth } from './sign-in-starts';
