/** What other capabilities use of acting for someone else. Other capabilities import only this module. */
export { PERMISSION_TEXT, PROXY_PERMISSIONS, isProxyPermission, parsePermissions, type ProxyPermission } from './permissions';
export { RELATIONSHIP_TEXT, actorOf, proxyMayUse, type Actor } from './acting';
// Kept light on purpose: the page pipeline (lib/platform/page.ts) and who is signed in
// (lib/identity/citizen.ts) import this module, so it must not reach page modules (an import
// cycle). The worker takes invitationMessage from './invitations' directly.
// Parents' and attorneys' requests: whether an access holds now (acting), the worker's turning-16
// round, and a parent's access ending when the young person takes their record over (lib/identity).
export { accessIsActive } from './active';
export { endParentAccessOnOwnAccount, turning16Round } from './turning-16';
