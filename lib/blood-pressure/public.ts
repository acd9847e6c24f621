/** What other capabilities use of blood pressure. Other capabilities import only this module. */
export { bloodPressureForProfessionalView, readingsForExport, type BloodPressureView } from './professional';
export { readingsCsv } from './csv';
export { professionalWeekWords, readingGuidance, VERY_HIGH } from './guidance';
export { readingProblems, type Arm, type BloodPressureReading } from './reading';
export { bloodPressureItems, readingEntries, readingForCareRecord, weekEntries, weekForCareRecord } from './care-record';
// For the open platform API (lib/open-platform): readings as FHIR, found, searched and added.
export { bloodPressureCoding, bloodPressureObservation } from './fhir';
export { addReadingsInTransaction, findOwnReading, findReadings, type StoredReading } from './store';
