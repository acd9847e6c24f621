/** What other capabilities use of about me. Other capabilities import only this module. */
export { conditionHelpFor } from './home';
export {
  communicationForProfessional,
  conditionsForProfessional,
  topThreeForProfessional,
  type CommunicationView,
  type ConditionView,
  type TopThreeView,
} from './professional';
export { communicationNeedsFlag, communicationNeedsForCareRecord, topThreeFlag, topThreeForCareRecord } from './care-record';
export { LISTED_CONDITIONS, type ListedCondition } from './conditions-list';
export { describeCommunicationNeeds, savedCommunicationNeeds, validateCondition } from './rules';
// For the open platform API (lib/open-platform): Patient.communication and Condition.
export { addConditionInTransaction, findCondition, listConditions, readCommunicationNeeds, type Condition } from './store';
