/** What other capabilities use of acting for someone else. Other capabilities import only this module. */
export { PERMISSION_TEXT, PROXY_PERMISSIONS, isProxyPermission, parsePermissions, type ProxyPermission } from './permissions';
export { AGE_OF_OWN_ACCOUNT, RELATIONSHIP_TEXT, accessIsActive, actorOf, proxyMayUse, type Actor } from './acting';
// For the notifications sender in the worker: where an invitation goes and what it says, when it is sent.
export { invitationMessage } from './invitations';
