/** What other capabilities use of the care record. Other capabilities import only this module. */
export { CareRecordUnavailable, careRecordClient, type CareRecordClient } from './client';
export { findCitizensRecord } from './linking';
