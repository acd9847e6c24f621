/** What other capabilities use of acting for someone else. Other capabilities import only this module. */
export { PERMISSION_TEXT, PROXY_PERMISSIONS, isProxyPermission, parsePermissions, type ProxyPermission } from './permissions';
export { AGE_OF_OWN_ACCOUNT, RELATIONSHIP_TEXT, accessIsActive, actorOf, proxyMayUse, type Actor } from './acting';
// Kept light on purpose: the page pipeline (lib/platform/page.ts) and who is signed in
// (lib/identity/citizen.ts) import this module, so it must not reach page modules (an import
// cycle). The worker takes invitationMessage from './invitations' directly.
