/** What other capabilities use of the audit log. Other capabilities import only this module. */
export { appendAuditEntry, auditedTransaction, citizenActor, recordAudit, staffActor, type AuditActor, type Tx } from './audit-log';
