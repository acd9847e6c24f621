/** What other capabilities use of blood pressure. Other capabilities import only this module. */
export { bloodPressureForProfessionalView, readingsForExport, type BloodPressureView } from './professional';
export { readingsCsv } from './csv';
export { professionalWeekWords } from './guidance';
export type { BloodPressureReading } from './reading';
export { bloodPressureItems, readingForCareRecord, weekForCareRecord } from './care-record';
