/** What other capabilities use of the care record. Other capabilities import only this module. */
export { CareRecordUnavailable, careRecordClient, CareRecordWriteFailed, type CareRecordClient } from './client';
export { citizensLink, type CitizenIdentity, type CitizenLinkState } from './citizen-link';
export { linkedPatientId } from './link-store';
export { samePersonInCareRecord } from './linking';
export {
  CARE_RECORD_DESTINATION,
  CATEGORY_OF,
  EXPANSION_TOPICS,
  SYNCED_CATEGORIES,
  notYetInCareRecord,
  notYetInCareRecordOf,
  queueCategory,
  queueContribution,
  queueContributions,
  queueEverythingShared,
  type ContributionKind,
  type ContributionMessage,
  type SyncedCategory,
} from './contributions-outbox';
// The allow-list sanitiser for letters written by other organisations' systems (lib/letters uses it too).
export { sanitiseLetterHtml, withGovukClasses } from './letter-html';
