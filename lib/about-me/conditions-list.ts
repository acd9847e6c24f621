/**
 * The curated list of common long-term conditions people can choose from, each with its
 * SNOMED CT concept id (the international edition's "disorder" concept), so professionals'
 * systems can read them. Names are the everyday words people use, not the clinical terms.
 */
export type ListedCondition = { code: string; name: string };

export const LISTED_CONDITIONS: readonly ListedCondition[] = [
  { code: '69896004', name: 'Rheumatoid arthritis' },
  { code: '396275006', name: 'Osteoarthritis' },
  { code: '195967001', name: 'Asthma' },
  { code: '49436004', name: 'Atrial fibrillation' },
  { code: '197480006', name: 'Anxiety' },
  { code: '13746004', name: 'Bipolar disorder' },
  { code: '82423001', name: 'Chronic pain' },
  { code: '13645005', name: 'Chronic obstructive pulmonary disease (COPD)' },
  { code: '709044004', name: 'Chronic kidney disease' },
  { code: '414545008', name: 'Coronary heart disease' },
  { code: '34000006', name: "Crohn's disease" },
  { code: '190905008', name: 'Cystic fibrosis' },
  { code: '52448006', name: 'Dementia' },
  { code: '35489007', name: 'Depression' },
  { code: '46635009', name: 'Type 1 diabetes' },
  { code: '44054006', name: 'Type 2 diabetes' },
  { code: '84757009', name: 'Epilepsy' },
  { code: '84114007', name: 'Heart failure' },
  { code: '38341003', name: 'High blood pressure (hypertension)' },
  { code: '40930008', name: 'Underactive thyroid (hypothyroidism)' },
  { code: '37796009', name: 'Migraine' },
  { code: '37340000', name: 'Motor neurone disease' },
  { code: '24700007', name: 'Multiple sclerosis' },
  { code: '64859006', name: 'Osteoporosis' },
  { code: '49049000', name: "Parkinson's disease" },
  { code: '9014002', name: 'Psoriasis' },
  { code: '58214004', name: 'Schizophrenia' },
  { code: '230690007', name: 'Stroke' },
  { code: '64766004', name: 'Ulcerative colitis' },
].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));

export function listedCondition(code: string): ListedCondition | undefined {
  return LISTED_CONDITIONS.find((condition) => condition.code === code);
}

/** Where to read more, and a local service, for a condition on the list. */
export type ConditionHelp = { nhsPage: { text: string; href: string }; localService?: { text: string; href: string } };

const nhs = (path: string, text: string) => ({ text, href: `https://www.nhs.uk/conditions/${path}/` });

// Local services: the city's own (Leeds), chosen because they take self-referrals or give general support.
const LEEDS_MIND = { text: 'Mindwell: mental health information and support in Leeds', href: 'https://www.mindwell-leeds.org.uk/' };
const ACTIVE_LEEDS = { text: 'Active Leeds: help to get more active with a health condition', href: 'https://www.activeleeds.co.uk/' };
const CARERS_LEEDS = { text: 'Carers Leeds: support for people who look after someone', href: 'https://www.carersleeds.org.uk/' };

/**
 * A small, reviewed map from condition to information. Wording stays general: it points to
 * trusted information and never suggests what someone should do about their own health.
 */
export const CONDITION_HELP: Record<string, ConditionHelp> = {
  '195967001': { nhsPage: nhs('asthma', 'Asthma on the NHS website'), localService: ACTIVE_LEEDS },
  '44054006': { nhsPage: nhs('type-2-diabetes', 'Type 2 diabetes on the NHS website'), localService: ACTIVE_LEEDS },
  '46635009': { nhsPage: nhs('type-1-diabetes', 'Type 1 diabetes on the NHS website') },
  '13645005': { nhsPage: nhs('chronic-obstructive-pulmonary-disease-copd', 'COPD on the NHS website'), localService: ACTIVE_LEEDS },
  '38341003': { nhsPage: nhs('high-blood-pressure', 'High blood pressure on the NHS website'), localService: ACTIVE_LEEDS },
  '49436004': { nhsPage: nhs('atrial-fibrillation', 'Atrial fibrillation on the NHS website') },
  '84114007': { nhsPage: nhs('heart-failure', 'Heart failure on the NHS website') },
  '414545008': { nhsPage: nhs('coronary-heart-disease', 'Coronary heart disease on the NHS website'), localService: ACTIVE_LEEDS },
  '709044004': { nhsPage: nhs('kidney-disease', 'Chronic kidney disease on the NHS website') },
  '84757009': { nhsPage: nhs('epilepsy', 'Epilepsy on the NHS website') },
  '52448006': { nhsPage: nhs('dementia', 'Dementia on the NHS website'), localService: CARERS_LEEDS },
  '35489007': { nhsPage: nhs('depression-in-adults', 'Depression on the NHS website'), localService: LEEDS_MIND },
  '197480006': { nhsPage: nhs('generalised-anxiety-disorder', 'Anxiety on the NHS website'), localService: LEEDS_MIND },
  '13746004': { nhsPage: nhs('bipolar-disorder', 'Bipolar disorder on the NHS website'), localService: LEEDS_MIND },
  '58214004': { nhsPage: nhs('schizophrenia', 'Schizophrenia on the NHS website'), localService: LEEDS_MIND },
  '230690007': { nhsPage: nhs('stroke', 'Stroke on the NHS website'), localService: CARERS_LEEDS },
  '49049000': { nhsPage: nhs('parkinsons-disease', "Parkinson's disease on the NHS website"), localService: CARERS_LEEDS },
  '24700007': { nhsPage: nhs('multiple-sclerosis', 'Multiple sclerosis on the NHS website') },
  '396275006': { nhsPage: nhs('osteoarthritis', 'Osteoarthritis on the NHS website'), localService: ACTIVE_LEEDS },
  '69896004': { nhsPage: nhs('rheumatoid-arthritis', 'Rheumatoid arthritis on the NHS website') },
  '64859006': { nhsPage: nhs('osteoporosis', 'Osteoporosis on the NHS website') },
};
