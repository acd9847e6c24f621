/**
 * Synthetic patients for the demo care record (development, demo and tests only), as FHIR R4
 * resources shaped after UK Core. Everyone here is made up:
 * - NHS numbers start 999 (never issued) and pass the modulus 11 check;
 * - ODS-style organisation codes start ZZ (never allocated);
 * - phone numbers are Ofcom drama numbers (0113 496 0xxx, 07700 900xxx), emails use example.org.
 *
 * Deterministic: the same seed and clock give the same resources. Each patient draws from a
 * random stream of its own, so changing one patient does not reshuffle the others. Dates are
 * relative to the clock, so "upcoming" appointments stay upcoming.
 *
 * Medicine codes are dm+d-shaped but illustrative; SNOMED CT and LOINC codes are real concepts.
 */
import { createHash } from 'node:crypto';
import type {
  AllergyIntolerance,
  Appointment,
  CarePlan,
  CareTeam,
  Condition,
  DocumentReference,
  Encounter,
  Immunization,
  Location,
  MedicationStatement,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { birthDateForAge, citizens, currentAddress, type Citizen } from '../oidc-provider/users';
import { buildPdf } from './pdf';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const DMD = 'https://dmd.nhs.uk';
const UCUM = 'http://unitsofmeasure.org';
/** meta.source is this plus the ODS code of the organisation whose system recorded the item. */
export const SOURCE_BASE = 'https://care-record.example.org/source/';
const UK_CORE = 'https://fhir.hl7.org.uk/StructureDefinition/';

export const DEFAULT_SEED = 20261123;

// ---------------------------------------------------------------------------------------
// NHS numbers

/** The modulus 11 check digit for the first nine digits, or undefined when none exists (10). */
export function nhsNumberCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) throw new Error('Expected nine digits');
  const sum = [...firstNine].reduce((total, digit, index) => total + Number(digit) * (10 - index), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

export function isValidNhsNumber(value: string): boolean {
  return /^\d{10}$/.test(value) && nhsNumberCheckDigit(value.slice(0, 9)) === Number(value[9]);
}

// ---------------------------------------------------------------------------------------
// Deterministic randomness

interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  sample<T>(items: readonly T[], count: number): T[];
}

/** mulberry32: tiny, fast and good enough for test data. */
function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return {
    next,
    int,
    pick,
    chance: (probability) => next() < probability,
    sample: (items, count) => {
      const pool = [...items];
      const chosen = [];
      while (chosen.length < count && pool.length) chosen.push(pool.splice(int(0, pool.length - 1), 1)[0]!);
      return chosen;
    },
  };
}

/** A stable id for a named thing: a UUID-shaped hash, so ids look real and never collide. */
function stableId(seed: number, ...parts: string[]): string {
  const hex = createHash('sha256')
    .update([seed, ...parts].join('\u0000'))
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function streamSeed(seed: number, key: string): number {
  return createHash('sha256').update(`${seed}\u0000${key}`).digest().readUInt32BE(0);
}

// ---------------------------------------------------------------------------------------
// Organisations and staff

interface OrgSpec {
  code: string;
  name: string;
  kind: 'gp' | 'community' | 'council' | 'hospital';
  phone: string;
  site: string;
  postcode: string;
}

const ORGANISATIONS: readonly OrgSpec[] = [
  { code: 'ZZ0001', name: 'Demo Lane Surgery', kind: 'gp', phone: '0113 496 0001', site: '1 Demo Lane', postcode: 'LS6 1AA' },
  { code: 'ZZ0002', name: 'Demo Community Health Trust', kind: 'community', phone: '0113 496 0002', site: 'Sample House, 2 Trial Road', postcode: 'LS12 3BB' },
  { code: 'ZZ0003', name: 'Demo City Council', kind: 'council', phone: '0113 496 0003', site: 'Civic Demo Hall', postcode: 'LS1 1DD' },
  { code: 'ZZ0004', name: 'Demo Teaching Hospitals NHS Trust', kind: 'hospital', phone: '0113 496 0004', site: 'Demo General Infirmary', postcode: 'LS1 3EX' },
  { code: 'ZZ0005', name: 'Riverside Example Practice', kind: 'gp', phone: '0113 496 0005', site: '5 Riverside Example Walk', postcode: 'LS11 5QA' },
  { code: 'ZZ0006', name: 'Parkview Sample Health Centre', kind: 'gp', phone: '0113 496 0006', site: 'Parkview Sample Road', postcode: 'LS8 2NB' },
];
type OrgCode = 'ZZ0001' | 'ZZ0002' | 'ZZ0003' | 'ZZ0004' | 'ZZ0005' | 'ZZ0006';
const GP_PRACTICES: readonly OrgCode[] = ['ZZ0001', 'ZZ0005', 'ZZ0006'];

interface StaffSpec {
  key: string;
  given: string;
  family: string;
  prefix?: string;
  org: OrgCode;
  /** SNOMED CT occupation. */
  role: { code: string; display: string };
  phone: string;
}

const STAFF: readonly StaffSpec[] = [
  // The first two are also staff accounts of the demo identity provider.
  {
    key: 'gp-1',
    given: 'Grace',
    family: 'Practiceton',
    prefix: 'Dr',
    org: 'ZZ0001',
    role: { code: '62247001', display: 'General practitioner' },
    phone: '0113 496 0101',
  },
  { key: 'nurse-1', given: 'Omar', family: 'Wardsworth', org: 'ZZ0002', role: { code: '224535009', display: 'Registered nurse' }, phone: '0113 496 0102' },
  { key: 'social-1', given: 'Sofia', family: 'Carewell', org: 'ZZ0003', role: { code: '106328005', display: 'Social worker' }, phone: '0113 496 0103' },
  {
    key: 'consultant-1',
    given: 'Hari',
    family: 'Consulton',
    prefix: 'Dr',
    org: 'ZZ0004',
    role: { code: '309343006', display: 'Physician' },
    phone: '0113 496 0104',
  },
  {
    key: 'gp-2',
    given: 'Martin',
    family: 'Exampleby',
    prefix: 'Dr',
    org: 'ZZ0005',
    role: { code: '62247001', display: 'General practitioner' },
    phone: '0113 496 0105',
  },
  {
    key: 'gp-3',
    given: 'Leila',
    family: 'Sampleworth',
    prefix: 'Dr',
    org: 'ZZ0006',
    role: { code: '62247001', display: 'General practitioner' },
    phone: '0113 496 0106',
  },
];
const GP_FOR_PRACTICE: Record<string, string> = { ZZ0001: 'gp-1', ZZ0005: 'gp-2', ZZ0006: 'gp-3' };

// ---------------------------------------------------------------------------------------
// Clinical catalogues

interface Coded {
  code: string;
  display: string;
}

interface ProblemSpec extends Coded {
  medicines: readonly string[];
  tests: readonly string[];
  clinic: string;
}

const PROBLEMS: Record<string, ProblemSpec> = {
  asthma: { code: '195967001', display: 'Asthma', medicines: ['salbutamol', 'beclometasone'], tests: [], clinic: 'Respiratory clinic' },
  hypertension: {
    code: '38341003',
    display: 'Hypertension',
    medicines: ['amlodipine'],
    tests: ['sodium', 'potassium', 'creatinine', 'egfr'],
    clinic: 'Cardiology clinic',
  },
  diabetes: {
    code: '44054006',
    display: 'Type 2 diabetes mellitus',
    medicines: ['metformin'],
    tests: ['hba1c', 'creatinine', 'egfr', 'cholesterol'],
    clinic: 'Diabetes clinic',
  },
  hypothyroidism: { code: '40930008', display: 'Hypothyroidism', medicines: ['levothyroxine'], tests: ['tsh'], clinic: 'Endocrinology clinic' },
  depression: { code: '35489007', display: 'Depressive disorder', medicines: ['sertraline'], tests: [], clinic: 'Community mental health team' },
  osteoarthritis: { code: '396275006', display: 'Osteoarthritis', medicines: ['paracetamol'], tests: [], clinic: 'Orthopaedic clinic' },
  copd: {
    code: '13645005',
    display: 'Chronic obstructive lung disease',
    medicines: ['tiotropium', 'salbutamol'],
    tests: ['haemoglobin'],
    clinic: 'Respiratory clinic',
  },
  atrialFibrillation: {
    code: '49436004',
    display: 'Atrial fibrillation',
    medicines: ['apixaban', 'bisoprolol'],
    tests: ['haemoglobin', 'creatinine', 'egfr'],
    clinic: 'Cardiology clinic',
  },
  ckd: { code: '709044004', display: 'Chronic kidney disease', medicines: [], tests: ['creatinine', 'egfr', 'potassium'], clinic: 'Renal clinic' },
  migraine: { code: '37796009', display: 'Migraine', medicines: ['sumatriptan'], tests: [], clinic: 'Neurology clinic' },
  dementia: { code: '52448006', display: 'Dementia', medicines: ['donepezil'], tests: ['tsh', 'haemoglobin'], clinic: 'Memory clinic' },
};

/** Resolved episodes, shown as past problems. */
const PAST_PROBLEMS: readonly Coded[] = [
  { code: '74400008', display: 'Appendicitis' },
  { code: '68566005', display: 'Urinary tract infectious disease' },
  { code: '233604007', display: 'Pneumonia' },
  { code: '263204007', display: 'Fracture of wrist' },
];

interface MedicineSpec extends Coded {
  dosage: string;
}

const MEDICINES: Record<string, MedicineSpec> = {
  salbutamol: {
    code: '39113311000001107',
    display: 'Salbutamol 100micrograms/dose inhaler CFC free',
    dosage: 'Two puffs when required for breathlessness, up to four times a day',
  },
  beclometasone: { code: '39112911000001101', display: 'Beclometasone 100micrograms/dose inhaler CFC free', dosage: 'Two puffs twice a day' },
  amlodipine: { code: '39106911000001100', display: 'Amlodipine 5mg tablets', dosage: 'One tablet once a day' },
  metformin: { code: '39109211000001103', display: 'Metformin 500mg tablets', dosage: 'One tablet twice a day with meals' },
  levothyroxine: { code: '39108211000001107', display: 'Levothyroxine sodium 75microgram tablets', dosage: 'One tablet each morning before breakfast' },
  sertraline: { code: '39109811000001107', display: 'Sertraline 50mg tablets', dosage: 'One tablet once a day' },
  paracetamol: {
    code: '39720311000001101',
    display: 'Paracetamol 500mg tablets',
    dosage: 'One or two tablets up to four times a day when required; no more than eight in 24 hours',
  },
  tiotropium: { code: '39110111000001104', display: 'Tiotropium 2.5micrograms/dose solution for inhalation cartridge', dosage: 'Two puffs once a day' },
  apixaban: { code: '39106511000001106', display: 'Apixaban 5mg tablets', dosage: 'One tablet twice a day' },
  bisoprolol: { code: '39107011000001109', display: 'Bisoprolol 2.5mg tablets', dosage: 'One tablet once a day' },
  sumatriptan: {
    code: '39110011000001108',
    display: 'Sumatriptan 50mg tablets',
    dosage: 'One tablet at the start of a migraine; may repeat once after two hours',
  },
  donepezil: { code: '39107711000001105', display: 'Donepezil 5mg tablets', dosage: 'One tablet at night' },
  amoxicillin: { code: '39732311000001104', display: 'Amoxicillin 500mg capsules', dosage: 'One capsule three times a day for five days' },
};

interface TestSpec extends Coded {
  unit: string;
  ucum: string;
  low?: number;
  high?: number;
  /** Usual spread of values: normal mostly, sometimes outside the range. */
  min: number;
  max: number;
  decimals: number;
}

const TESTS: Record<string, TestSpec> = {
  hba1c: { code: '59261-8', display: 'HbA1c (IFCC)', unit: 'mmol/mol', ucum: 'mmol/mol', high: 47, min: 36, max: 62, decimals: 0 },
  cholesterol: { code: '14647-2', display: 'Total cholesterol', unit: 'mmol/L', ucum: 'mmol/L', high: 5, min: 3.6, max: 6.4, decimals: 1 },
  haemoglobin: { code: '718-7', display: 'Haemoglobin', unit: 'g/L', ucum: 'g/L', low: 115, high: 165, min: 105, max: 160, decimals: 0 },
  creatinine: { code: '14682-9', display: 'Creatinine', unit: 'µmol/L', ucum: 'umol/L', low: 45, high: 90, min: 50, max: 110, decimals: 0 },
  egfr: { code: '62238-1', display: 'eGFR (CKD-EPI)', unit: 'mL/min/1.73m²', ucum: 'mL/min/{1.73_m2}', low: 60, min: 48, max: 95, decimals: 0 },
  sodium: { code: '2951-2', display: 'Sodium', unit: 'mmol/L', ucum: 'mmol/L', low: 133, high: 146, min: 134, max: 145, decimals: 0 },
  potassium: { code: '2823-3', display: 'Potassium', unit: 'mmol/L', ucum: 'mmol/L', low: 3.5, high: 5.3, min: 3.6, max: 5.6, decimals: 1 },
  tsh: { code: '3016-3', display: 'Thyroid stimulating hormone (TSH)', unit: 'mU/L', ucum: 'm[IU]/L', low: 0.27, high: 4.2, min: 0.5, max: 5.5, decimals: 2 },
};

const ALLERGIES: readonly (Coded & { reaction: Coded; criticality: 'low' | 'high'; category: 'medication' | 'food' | 'environment' })[] = [
  {
    code: '91936005',
    display: 'Allergy to penicillin',
    reaction: { code: '271807003', display: 'Eruption of skin' },
    criticality: 'low',
    category: 'medication',
  },
  { code: '91935009', display: 'Allergy to peanuts', reaction: { code: '39579001', display: 'Anaphylaxis' }, criticality: 'high', category: 'food' },
  { code: '293586001', display: 'Allergy to aspirin', reaction: { code: '267036007', display: 'Dyspnoea' }, criticality: 'low', category: 'medication' },
  { code: '300913006', display: 'Allergy to shellfish', reaction: { code: '422587007', display: 'Nausea' }, criticality: 'low', category: 'food' },
];

const VACCINES: Record<string, Coded> = {
  flu: { code: '836377006', display: 'Influenza vaccine' },
  covid: { code: '1119349007', display: 'COVID-19 mRNA vaccine' },
  pneumococcal: { code: '836398006', display: 'Pneumococcal vaccine' },
  tetanus: { code: '871875004', display: 'Tetanus, diphtheria and polio vaccine' },
  mmr: { code: '871831003', display: 'Measles, mumps and rubella vaccine' },
  hpv: { code: '911000221103', display: 'Human papillomavirus vaccine' },
  menacwy: { code: '871871008', display: 'Meningococcal ACWY vaccine' },
};

// ---------------------------------------------------------------------------------------
// People

type RecordShape = 'full' | 'sparse' | 'empty';

interface PersonSpec {
  key: string;
  given: string;
  family: string;
  gender: 'female' | 'male' | 'unknown';
  birthDate: string;
  nhsNumber: string;
  line: string;
  postcode: string;
  practice: OrgCode;
  shape: RecordShape;
  problems?: readonly string[];
  carePlan?: 'carer' | 'young-person' | 'adult';
}

export interface DemoPatient {
  key: string;
  summary: string;
  patientId: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  postcode: string;
}

function citizen(email: string) {
  const person = citizens.find((candidate) => candidate.email === email);
  if (!person) throw new Error(`No demo citizen ${email}`);
  return person;
}

/** The people the demo needs to exist exactly as described (README lists them). */
function demoPeople(seed: number, clock: Date): (PersonSpec & { summary: string })[] {
  const amelia = citizen('amelia.testwell@example.com');
  const chloe = citizen('chloe.testwell@example.com');
  const ben = citizen('ben.sampleton@example.com');
  const described: (PersonSpec & { summary: string })[] = [
    {
      key: 'amelia',
      summary: 'Demo citizen (NHS login P9 gives this NHS number): full record, carer support plan',
      given: amelia.givenName,
      family: amelia.familyName,
      gender: 'female',
      birthDate: amelia.birthDate,
      nhsNumber: amelia.nhsNumber!,
      // The address One Login checked for Amelia.
      ...homeFromOneLogin(amelia)!,
      practice: 'ZZ0001',
      shape: 'full',
      problems: ['asthma', 'hypothyroidism'],
      carePlan: 'carer',
    },
    {
      // Computed from the clock as the identity provider computes it from today.
      key: 'chloe',
      summary: 'Demo citizen aged 14: childhood immunisations, early help plan',
      given: chloe.givenName,
      family: chloe.familyName,
      gender: 'female',
      birthDate: birthDateForAge(14, clock),
      nhsNumber: chloe.nhsNumber!,
      // The address One Login checked for Chloe.
      ...homeFromOneLogin(chloe)!,
      practice: 'ZZ0001',
      shape: 'full',
      problems: ['asthma'],
      carePlan: 'young-person',
    },
    {
      key: 'ben',
      summary: 'Demo citizen with no proven identity: the record the tests link by name, birth date and postcode',
      given: ben.givenName,
      family: ben.familyName,
      gender: 'male',
      birthDate: ben.birthDate,
      nhsNumber: '9990045216',
      line: '3 Placeholder Street',
      postcode: 'LS9 8AB',
      practice: 'ZZ0005',
      shape: 'full',
      problems: ['migraine', 'depression'],
    },
    {
      key: 'jordan-a',
      summary: 'Same name, birth date and postcode as jordan-b: "several matches"',
      given: 'Jordan',
      family: 'Mockridge',
      gender: 'male',
      birthDate: '1979-05-12',
      nhsNumber: '9990062749',
      line: 'Flat 3, 7 Duplicate Court',
      postcode: 'LS11 5DX',
      practice: 'ZZ0005',
      shape: 'full',
      problems: ['hypertension'],
    },
    {
      key: 'jordan-b',
      summary: 'Same name, birth date and postcode as jordan-a: "several matches"',
      given: 'Jordan',
      family: 'Mockridge',
      gender: 'male',
      birthDate: '1979-05-12',
      nhsNumber: '9990062757',
      line: 'Flat 9, 7 Duplicate Court',
      postcode: 'LS11 5DX',
      practice: 'ZZ0006',
      shape: 'sparse',
    },
    {
      key: 'nadia',
      summary: 'Empty record: every section returns an empty Bundle',
      given: 'Nadia',
      family: 'Blankley',
      gender: 'female',
      birthDate: '2001-08-23',
      nhsNumber: '9990070180',
      line: '22 Vacant Row',
      postcode: 'LS2 7EW',
      practice: 'ZZ0006',
      shape: 'empty',
    },
  ];
  // Any other account the identity provider proves with an NHS number gets a plain record,
  // so that every verified demo account can link.
  const others = citizens
    .filter((person) => person.nhsNumber && !described.some((spec) => spec.nhsNumber === person.nhsNumber))
    .map((person): PersonSpec & { summary: string } => {
      const random = createRandom(streamSeed(seed, person.email));
      return {
        key: person.email.split('@')[0]!,
        summary: `Demo citizen: ${person.summary}`,
        // The identity provider does not say, so neither does the record.
        given: person.givenName,
        family: person.familyName,
        gender: 'unknown',
        birthDate: person.birthDate,
        nhsNumber: person.nhsNumber!,
        // Where One Login checked they live, when it did: the same address, as in life.
        ...(homeFromOneLogin(person) ?? { line: `${random.int(1, 99)} ${random.pick(STREETS)}`, postcode: randomPostcode(random) }),
        practice: 'ZZ0001',
        shape: 'full',
        problems: ['hypertension'],
      };
    });
  return [...described, ...others];
}

/** The current address One Login gives for this demo account, as a record's address line and postcode. */
function homeFromOneLogin(person: Citizen): { line: string; postcode: string } | undefined {
  const address = currentAddress(person);
  if (!address) return undefined;
  const street = [address.buildingNumber, address.streetName].filter(Boolean).join(' ');
  return { line: [address.subBuildingName, address.buildingName, street].filter(Boolean).join(', '), postcode: address.postalCode };
}

function randomPostcode(random: Random): string {
  return `LS${random.int(1, 29)} ${random.int(1, 9)}${random.pick([...UNIT_LETTERS])}${random.pick([...UNIT_LETTERS])}`;
}

const GIVEN_FEMALE = ['Olivia', 'Aisha', 'Margaret', 'Emily', 'Zara', 'Helen', 'Ruth', 'Fatima', 'Joan', 'Sophie', 'Priya', 'Grace'];
const GIVEN_MALE = ['Oliver', 'Mohammed', 'George', 'Arthur', 'Daniel', 'Kwame', 'Harry', 'Tomasz', 'Peter', 'Ravi', 'Liam', 'Stanley'];
const FAMILY = [
  'Demoford',
  'Trialby',
  'Examplewood',
  'Sampleford',
  'Testington',
  'Pilotson',
  'Draftley',
  'Fixtureton',
  'Placeholme',
  'Mockford',
  'Specimenby',
  'Dryrunson',
];
const STREETS = ['Example Road', 'Sample Avenue', 'Mockup Lane', 'Prototype Close', 'Fixture Street', 'Trial Grove', 'Demo Crescent'];
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

function generatedPeople(seed: number, clock: Date, count: number, taken: Set<string>): PersonSpec[] {
  const random = createRandom(streamSeed(seed, 'people'));
  const people: PersonSpec[] = [];
  const problemKeys = Object.keys(PROBLEMS);
  for (let index = 0; index < count; index += 1) {
    const gender = random.chance(0.5) ? 'female' : 'male';
    let nhsNumber = '';
    while (!nhsNumber || taken.has(nhsNumber)) {
      const firstNine = `999${String(random.int(100000, 999999))}`;
      const check = nhsNumberCheckDigit(firstNine);
      if (check !== undefined) nhsNumber = `${firstNine}${check}`;
    }
    taken.add(nhsNumber);
    const year = clock.getUTCFullYear() - random.int(14, 91);
    const age = clock.getUTCFullYear() - year;
    const shape: RecordShape = index % 7 === 3 ? 'sparse' : index === count - 1 ? 'empty' : 'full';
    people.push({
      key: `person-${String(index + 1).padStart(2, '0')}`,
      given: random.pick(gender === 'female' ? GIVEN_FEMALE : GIVEN_MALE),
      family: random.pick(FAMILY),
      gender,
      birthDate: `${year}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
      nhsNumber,
      line: `${random.int(1, 120)} ${random.pick(STREETS)}`,
      postcode: randomPostcode(random),
      practice: random.pick(GP_PRACTICES),
      shape,
      problems: random.sample(
        problemKeys.filter((key) => age >= 40 || !['dementia', 'copd', 'atrialFibrillation', 'ckd'].includes(key)),
        random.int(1, age >= 60 ? 4 : 2),
      ),
      carePlan: age >= 75 && random.chance(0.7) ? 'adult' : undefined,
    });
  }
  return people;
}

// ---------------------------------------------------------------------------------------
// Building resources

export interface GenerateOptions {
  seed?: number;
  /** "Now" for the record: dates of past and upcoming items are relative to it. */
  clock?: Date;
  /** How many patients besides the demo ones. */
  extraPatients?: number;
}

export interface CareRecordDataset {
  resources: Resource[];
  demoPatients: DemoPatient[];
}

const DAY = 24 * 60 * 60 * 1000;

export function generateCareRecord(options: GenerateOptions = {}): CareRecordDataset {
  const seed = options.seed ?? DEFAULT_SEED;
  const clock = options.clock ?? new Date();
  const resources: Resource[] = [];
  const idFor = (...parts: string[]) => stableId(seed, ...parts);

  const orgRef = (code: OrgCode): Reference<Organization> => {
    const org = ORGANISATIONS.find((candidate) => candidate.code === code)!;
    return { reference: `Organization/${idFor('Organization', code)}`, display: org.name, identifier: { system: ODS_SYSTEM, value: code } };
  };
  const staffByKey = new Map(STAFF.map((member) => [member.key, member]));
  const staffRef = (key: string): Reference<Practitioner> => {
    const member = staffByKey.get(key)!;
    return { reference: `Practitioner/${idFor('Practitioner', key)}`, display: [member.prefix, member.given, member.family].filter(Boolean).join(' ') };
  };
  const locationRef = (code: OrgCode): Reference<Location> => {
    const org = ORGANISATIONS.find((candidate) => candidate.code === code)!;
    return { reference: `Location/${idFor('Location', code)}`, display: org.site };
  };
  /** meta for something recorded at `recorded` by `code`'s system: where it came from and when. */
  const meta = (code: OrgCode, recorded: Date, profile: string) => ({
    // Every resource starts at its first version (meta.versionId, as a FHIR server keeps it).
    versionId: '1',
    lastUpdated: new Date(Math.min(recorded.getTime() + 2 * 60 * 60 * 1000, clock.getTime())).toISOString(),
    source: `${SOURCE_BASE}${code}`,
    profile: [`${UK_CORE}UKCore-${profile}`],
  });
  const staticUpdated = new Date(clock.getTime() - 200 * DAY);

  for (const org of ORGANISATIONS) {
    const code = org.code as OrgCode;
    resources.push({
      resourceType: 'Organization',
      id: idFor('Organization', code),
      meta: meta(code, staticUpdated, 'Organization'),
      identifier: [{ system: ODS_SYSTEM, value: code }],
      active: true,
      type: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/organization-type',
              code: org.kind === 'council' ? 'govt' : 'prov',
              display: org.kind === 'council' ? 'Government' : 'Healthcare Provider',
            },
          ],
        },
      ],
      name: org.name,
      telecom: [
        { system: 'phone', value: org.phone, use: 'work' },
        { system: 'email', value: `contact.${code.toLowerCase()}@example.org`, use: 'work' },
      ],
      address: [{ use: 'work', line: [org.site], city: 'Leeds', postalCode: org.postcode, country: 'GB' }],
    } satisfies Organization);
    resources.push({
      resourceType: 'Location',
      id: idFor('Location', code),
      meta: meta(code, staticUpdated, 'Location'),
      status: 'active',
      name: org.site,
      address: { use: 'work', line: [org.site], city: 'Leeds', postalCode: org.postcode, country: 'GB' },
      managingOrganization: orgRef(code),
    } satisfies Location);
  }
  for (const member of STAFF) {
    resources.push({
      resourceType: 'Practitioner',
      id: idFor('Practitioner', member.key),
      meta: meta(member.org, staticUpdated, 'Practitioner'),
      active: true,
      name: [{ use: 'official', family: member.family, given: [member.given], ...(member.prefix ? { prefix: [member.prefix] } : {}) }],
      telecom: [
        { system: 'phone', value: member.phone, use: 'work' },
        { system: 'email', value: `${member.given}.${member.family}@example.org`.toLowerCase(), use: 'work' },
      ],
      qualification: [{ code: { coding: [{ system: SNOMED, ...member.role }], text: member.role.display }, issuer: orgRef(member.org) }],
    } satisfies Practitioner);
  }

  const taken = new Set<string>();
  const demo = demoPeople(seed, clock);
  for (const person of demo) taken.add(person.nhsNumber);
  const people: PersonSpec[] = [...demo, ...generatedPeople(seed, clock, options.extraPatients ?? 20, taken)];

  for (const person of people) {
    const random = createRandom(streamSeed(seed, person.key));
    const patientId = idFor('Patient', person.key);
    const subject: Reference<Patient> = { reference: `Patient/${patientId}`, display: `${person.given} ${person.family.toUpperCase()}` };
    const gpKey = GP_FOR_PRACTICE[person.practice]!;
    const at = (daysFromNow: number, hour = 9, minute = 0) => {
      const date = new Date(clock.getTime() + daysFromNow * DAY);
      date.setUTCHours(hour, minute, 0, 0);
      return date;
    };
    const ageYears = (clock.getTime() - Date.parse(person.birthDate)) / (365.25 * DAY);
    const id = (type: string, ...parts: string[]) => idFor(type, person.key, ...parts);

    resources.push({
      resourceType: 'Patient',
      id: patientId,
      meta: meta(person.practice, at(-random.int(30, 400)), 'Patient'),
      identifier: [
        {
          extension: [
            {
              url: `${UK_CORE}Extension-UKCore-NHSNumberVerificationStatus`,
              valueCodeableConcept: {
                coding: [
                  {
                    system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland',
                    code: '01',
                    display: 'Number present and verified',
                  },
                ],
              },
            },
          ],
          system: NHS_NUMBER_SYSTEM,
          value: person.nhsNumber,
        },
      ],
      active: true,
      name: [{ use: 'official', family: person.family, given: [person.given] }],
      gender: person.gender,
      birthDate: person.birthDate,
      address: [{ use: 'home', line: [person.line], city: 'Leeds', district: 'West Yorkshire', postalCode: person.postcode, country: 'GB' }],
      telecom: [{ system: 'phone', value: `07700 900${String(random.int(200, 999))}`, use: 'mobile' }],
      generalPractitioner: [orgRef(person.practice)],
    } satisfies Patient);

    if (person.shape === 'empty') continue;
    const full = person.shape === 'full';
    const problems = (person.problems ?? []).map((key) => PROBLEMS[key]!).slice(0, full ? undefined : 1);

    // Problems, each with its medicines and monitoring tests.
    problems.forEach((problem, index) => {
      const onset = at(-random.int(400, 4000));
      resources.push({
        resourceType: 'Condition',
        id: id('Condition', problem.code),
        meta: meta(person.practice, onset, 'Condition'),
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active', display: 'Active' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed', display: 'Confirmed' }] },
        category: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' }] },
        ],
        code: { coding: [{ system: SNOMED, code: problem.code, display: problem.display }], text: problem.display },
        subject,
        onsetDateTime: onset.toISOString().slice(0, 10),
        recordedDate: onset.toISOString(),
        recorder: staffRef(gpKey),
      } satisfies Condition);
      for (const medicineKey of full ? problem.medicines : problem.medicines.slice(0, 1)) {
        const medicine = MEDICINES[medicineKey]!;
        const started = at(-random.int(60, 900));
        resources.push({
          resourceType: 'MedicationStatement',
          id: id('MedicationStatement', medicineKey, String(index)),
          meta: meta(person.practice, started, 'MedicationStatement'),
          status: 'active',
          category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medication-statement-category', code: 'community', display: 'Community' }] },
          medicationCodeableConcept: { coding: [{ system: DMD, code: medicine.code, display: medicine.display }], text: medicine.display },
          subject,
          effectivePeriod: { start: started.toISOString().slice(0, 10) },
          dateAsserted: started.toISOString(),
          informationSource: orgRef(person.practice),
          reasonCode: [{ coding: [{ system: SNOMED, code: problem.code, display: problem.display }] }],
          dosage: [{ text: medicine.dosage }],
        } satisfies MedicationStatement);
      }
      if (full) {
        for (const testKey of problem.tests) {
          for (const daysAgo of [random.int(20, 120), random.int(200, 400)]) {
            resources.push(
              labResult(id('Observation', testKey, String(index), String(daysAgo)), testKey, at(-daysAgo, 8, 30), random, subject, orgRef('ZZ0004')),
            );
          }
        }
      }
    });
    if (full && random.chance(0.6)) {
      const past = random.pick(PAST_PROBLEMS);
      const onset = at(-random.int(1500, 6000));
      resources.push({
        resourceType: 'Condition',
        id: id('Condition', past.code),
        meta: meta(person.practice, onset, 'Condition'),
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved', display: 'Resolved' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed', display: 'Confirmed' }] },
        category: [
          { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] },
        ],
        code: { coding: [{ system: SNOMED, ...past }], text: past.display },
        subject,
        onsetDateTime: onset.toISOString().slice(0, 10),
        abatementDateTime: new Date(onset.getTime() + 30 * DAY).toISOString().slice(0, 10),
        recordedDate: onset.toISOString(),
        recorder: staffRef(gpKey),
      } satisfies Condition);
    }
    if (full) {
      // A finished course, so the medicines page has something that is not current.
      const stopped = at(-random.int(100, 700));
      resources.push({
        resourceType: 'MedicationStatement',
        id: id('MedicationStatement', 'amoxicillin'),
        meta: meta(person.practice, stopped, 'MedicationStatement'),
        status: 'completed',
        category: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medication-statement-category', code: 'community', display: 'Community' }] },
        medicationCodeableConcept: {
          coding: [{ system: DMD, code: MEDICINES.amoxicillin!.code, display: MEDICINES.amoxicillin!.display }],
          text: MEDICINES.amoxicillin!.display,
        },
        subject,
        effectivePeriod: { start: stopped.toISOString().slice(0, 10), end: new Date(stopped.getTime() + 5 * DAY).toISOString().slice(0, 10) },
        dateAsserted: stopped.toISOString(),
        informationSource: orgRef(person.practice),
        dosage: [{ text: MEDICINES.amoxicillin!.dosage }],
      } satisfies MedicationStatement);

      // Blood pressure is a vital sign, not a lab result: it lets category=laboratory filter.
      const taken = at(-random.int(10, 90), 10, 15);
      resources.push({
        resourceType: 'Observation',
        id: id('Observation', 'blood-pressure'),
        meta: meta(person.practice, taken, 'Observation'),
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
        code: {
          coding: [
            { system: LOINC, code: '85354-9', display: 'Blood pressure panel' },
            { system: SNOMED, code: '75367002', display: 'Blood pressure' },
          ],
          text: 'Blood pressure',
        },
        subject,
        effectiveDateTime: taken.toISOString(),
        performer: [orgRef(person.practice)],
        component: [
          {
            code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }], text: 'Systolic' },
            valueQuantity: { value: random.int(108, 152), unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
          },
          {
            code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }], text: 'Diastolic' },
            valueQuantity: { value: random.int(66, 94), unit: 'mmHg', system: UCUM, code: 'mm[Hg]' },
          },
        ],
      } satisfies Observation);
      // Routine bloods from a health check, so every full record has several results.
      const routine = at(-random.int(30, 300), 8, 45);
      for (const testKey of ['haemoglobin', 'sodium', 'potassium', 'cholesterol']) {
        resources.push(labResult(id('Observation', 'routine', testKey), testKey, routine, random, subject, orgRef('ZZ0004')));
      }
    }

    // Allergies: some people have one, some are recorded as having none known.
    if (full || random.chance(0.5)) {
      const recorded = at(-random.int(300, 3000));
      const allergy = random.chance(0.55) ? random.pick(ALLERGIES) : undefined;
      resources.push({
        resourceType: 'AllergyIntolerance',
        id: id('AllergyIntolerance', allergy?.code ?? 'nka'),
        meta: meta(person.practice, recorded, 'AllergyIntolerance'),
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active', display: 'Active' }] },
        verificationStatus: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed', display: 'Confirmed' }],
        },
        ...(allergy
          ? {
              type: 'allergy' as const,
              category: [allergy.category],
              criticality: allergy.criticality,
              code: { coding: [{ system: SNOMED, code: allergy.code, display: allergy.display }], text: allergy.display },
              reaction: [
                {
                  manifestation: [{ coding: [{ system: SNOMED, ...allergy.reaction }], text: allergy.reaction.display }],
                  severity: allergy.criticality === 'high' ? ('severe' as const) : ('mild' as const),
                },
              ],
            }
          : { code: { coding: [{ system: SNOMED, code: '716186003', display: 'No known allergy' }], text: 'No known allergies' } }),
        patient: subject,
        recordedDate: recorded.toISOString(),
        recorder: staffRef(gpKey),
      } satisfies AllergyIntolerance);
    }

    // Immunisations: the childhood schedule for children, seasonal ones for adults.
    const vaccinations: [string, number][] =
      ageYears < 18
        ? [
            ['mmr', -Math.round((ageYears - 1) * 365)],
            ['mmr', -Math.round((ageYears - 3.4) * 365)],
            ['hpv', -random.int(100, 300)],
            ['menacwy', -random.int(20, 90)],
            ['flu', -random.int(30, 60)],
          ]
        : [
            ['flu', -random.int(30, 60)],
            ['flu', -random.int(395, 425)],
            ['covid', -random.int(40, 80)],
            ...(ageYears >= 65 ? [['pneumococcal', -random.int(400, 1500)] as [string, number]] : []),
            ['tetanus', -random.int(2000, 4000)],
          ];
    for (const [vaccineKey, daysFromNow] of full ? vaccinations : vaccinations.slice(0, 1)) {
      const vaccine = VACCINES[vaccineKey]!;
      const given = at(daysFromNow, 11, 0);
      resources.push({
        resourceType: 'Immunization',
        id: id('Immunization', vaccineKey, String(daysFromNow)),
        meta: meta(person.practice, given, 'Immunization'),
        status: 'completed',
        vaccineCode: { coding: [{ system: SNOMED, ...vaccine }], text: vaccine.display },
        patient: subject,
        occurrenceDateTime: given.toISOString(),
        recorded: given.toISOString(),
        primarySource: true,
        location: locationRef(person.practice),
        performer: [{ actor: orgRef(person.practice) }],
      } satisfies Immunization);
    }

    if (!full) continue;

    // Encounters, each with a clinic letter; appointments past, upcoming and cancelled.
    const clinics = [...new Set(problems.map((problem) => problem.clinic))];
    const hospitalVisits = clinics.slice(0, 2).map((clinic, index) => ({ clinic, daysAgo: random.int(20, 200) + index * 150 }));
    const gpVisitDaysAgo = random.int(5, 60);
    const visits = [
      {
        clinic: 'GP consultation',
        daysAgo: gpVisitDaysAgo,
        org: person.practice,
        staff: gpKey,
        classCode: 'AMB',
        type: { code: '11429006', display: 'Consultation' },
      },
      ...hospitalVisits.map(({ clinic, daysAgo }) => ({
        clinic,
        daysAgo,
        org: 'ZZ0004' as OrgCode,
        staff: 'consultant-1',
        classCode: 'AMB',
        type: { code: '185389009', display: 'Follow-up visit' },
      })),
    ];
    visits.forEach((visit, index) => {
      const start = at(-visit.daysAgo, 9 + index, 30);
      const encounterId = id('Encounter', String(index));
      resources.push({
        resourceType: 'Encounter',
        id: encounterId,
        meta: meta(visit.org, start, 'Encounter'),
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: visit.classCode, display: 'ambulatory' },
        type: [{ coding: [{ system: SNOMED, ...visit.type }], text: visit.clinic }],
        subject,
        participant: [{ individual: staffRef(visit.staff) }],
        period: { start: start.toISOString(), end: new Date(start.getTime() + 20 * 60 * 1000).toISOString() },
        location: [{ location: locationRef(visit.org) }],
        serviceProvider: orgRef(visit.org),
      } satisfies Encounter);
      resources.push({
        resourceType: 'Appointment',
        id: id('Appointment', 'past', String(index)),
        meta: meta(visit.org, start, 'Appointment'),
        status: 'fulfilled',
        serviceType: [{ text: visit.clinic }],
        appointmentType: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v2-0276',
              code: index === 0 ? 'ROUTINE' : 'FOLLOWUP',
              display: index === 0 ? 'Routine appointment' : 'A follow up visit from a previous appointment',
            },
          ],
        },
        description: `${visit.clinic} at ${ORGANISATIONS.find((org) => org.code === visit.org)!.site}`,
        start: start.toISOString(),
        end: new Date(start.getTime() + 20 * 60 * 1000).toISOString(),
        minutesDuration: 20,
        participant: [
          { actor: subject, status: 'accepted', required: 'required' },
          { actor: staffRef(visit.staff), status: 'accepted', required: 'required' },
          { actor: locationRef(visit.org), status: 'accepted', required: 'required' },
        ],
      } satisfies Appointment);
      if (index > 0 || random.chance(0.5)) {
        resources.push(
          letter({
            id: id('DocumentReference', String(index)),
            clinic: visit.clinic,
            date: new Date(start.getTime() + random.int(2, 10) * DAY),
            visitDate: start,
            person,
            subject,
            encounterId,
            author: staffRef(visit.staff),
            org: visit.org,
            withPdf: index === 1 || (index === 0 && random.chance(0.5)),
            meta,
            orgRef,
          }),
        );
      }
    });
    const upcoming = [
      { clinic: clinics[0] ?? 'Health check', daysAhead: random.int(7, 40), org: 'ZZ0004' as OrgCode, staff: 'consultant-1', status: 'booked' as const },
      { clinic: 'Annual review with practice nurse', daysAhead: random.int(45, 120), org: person.practice, staff: gpKey, status: 'booked' as const },
      { clinic: 'GP telephone consultation', daysAhead: random.int(2, 6), org: person.practice, staff: gpKey, status: 'cancelled' as const },
    ];
    upcoming.forEach((appointment, index) => {
      const start = at(appointment.daysAhead, 10 + index, index % 2 ? 15 : 45);
      resources.push({
        resourceType: 'Appointment',
        id: id('Appointment', 'upcoming', String(index)),
        meta: meta(appointment.org, at(-random.int(1, 20)), 'Appointment'),
        status: appointment.status,
        ...(appointment.status === 'cancelled'
          ? {
              cancelationReason: {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason', code: 'prov', display: 'Provider' }],
                text: 'Cancelled by the practice; you will be sent a new date',
              },
            }
          : {}),
        serviceType: [{ text: appointment.clinic }],
        description: `${appointment.clinic} at ${ORGANISATIONS.find((org) => org.code === appointment.org)!.site}`,
        start: start.toISOString(),
        end: new Date(start.getTime() + 30 * 60 * 1000).toISOString(),
        minutesDuration: 30,
        patientInstruction: 'Please arrive 10 minutes early and bring a list of your medicines.',
        participant: [
          { actor: subject, status: appointment.status === 'cancelled' ? 'declined' : 'accepted', required: 'required' },
          { actor: staffRef(appointment.staff), status: 'accepted', required: 'required' },
          { actor: locationRef(appointment.org), status: 'accepted', required: 'required' },
        ],
      } satisfies Appointment);
    });

    // Care team (NHS and, with a care plan, council contacts) and the council's care plan.
    const careTeamId = id('CareTeam');
    const started = at(-random.int(100, 700));
    const teamMembers: CareTeam['participant'] = [
      {
        role: [{ coding: [{ system: SNOMED, code: '62247001', display: 'General practitioner' }] }],
        member: staffRef(gpKey),
        onBehalfOf: orgRef(person.practice),
      },
      ...(problems.length > 1 || person.carePlan
        ? [
            {
              role: [{ coding: [{ system: SNOMED, code: '224535009', display: 'Registered nurse' }] }],
              member: staffRef('nurse-1'),
              onBehalfOf: orgRef('ZZ0002'),
            },
          ]
        : []),
      ...(person.carePlan
        ? [
            {
              role: [{ coding: [{ system: SNOMED, code: '106328005', display: 'Social worker' }] }],
              member: staffRef('social-1'),
              onBehalfOf: orgRef('ZZ0003'),
            },
            { role: [{ text: "Adult and children's social care contact centre" }], member: orgRef('ZZ0003') },
          ]
        : []),
    ];
    resources.push({
      resourceType: 'CareTeam',
      id: careTeamId,
      meta: meta(person.carePlan ? 'ZZ0003' : person.practice, started, 'CareTeam'),
      status: 'active',
      name: `${person.given} ${person.family}'s care team`,
      subject,
      period: { start: started.toISOString().slice(0, 10) },
      participant: teamMembers,
      managingOrganization: [orgRef(person.carePlan ? 'ZZ0003' : person.practice)],
      telecom: [{ system: 'phone', value: person.carePlan ? '0113 496 0003' : ORGANISATIONS.find((org) => org.code === person.practice)!.phone, use: 'work' }],
    } satisfies CareTeam);
    if (person.carePlan) resources.push(carePlan(person.carePlan, id('CarePlan'), careTeamId, started, subject, person, meta, orgRef, staffRef));
  }

  const demoPatients = demo.map((person) => ({
    key: person.key,
    summary: person.summary,
    patientId: idFor('Patient', person.key),
    nhsNumber: person.nhsNumber,
    givenName: person.given,
    familyName: person.family,
    birthDate: person.birthDate,
    postcode: person.postcode,
  }));
  return { resources, demoPatients };
}

type MetaFor = (code: OrgCode, recorded: Date, profile: string) => NonNullable<Resource['meta']>;

function labResult(id: string, testKey: string, taken: Date, random: Random, subject: Reference<Patient>, laboratory: Reference<Organization>): Observation {
  const test = TESTS[testKey]!;
  const factor = 10 ** test.decimals;
  const value = Math.round((test.min + random.next() * (test.max - test.min)) * factor) / factor;
  const quantity = (amount: number) => ({ value: amount, unit: test.unit, system: UCUM, code: test.ucum });
  const interpretation =
    test.low !== undefined && value < test.low
      ? { code: 'L', display: 'Low' }
      : test.high !== undefined && value > test.high
        ? { code: 'H', display: 'High' }
        : { code: 'N', display: 'Normal' };
  const rangeText =
    test.low !== undefined && test.high !== undefined
      ? `${test.low} to ${test.high} ${test.unit}`
      : test.low !== undefined
        ? `${test.low} ${test.unit} or more`
        : `Up to ${test.high} ${test.unit}`;
  // Every test goes to the hospital laboratory, whichever practice asked for it.
  const reported = new Date(taken.getTime() + 26 * 60 * 60 * 1000);
  return {
    resourceType: 'Observation',
    id,
    meta: {
      lastUpdated: reported.toISOString(),
      source: `${SOURCE_BASE}ZZ0004`,
      profile: [`${UK_CORE}UKCore-Observation-Lab`],
    },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }] }],
    code: { coding: [{ system: LOINC, code: test.code, display: test.display }], text: test.display },
    subject,
    effectiveDateTime: taken.toISOString(),
    issued: reported.toISOString(),
    performer: [laboratory],
    valueQuantity: quantity(value),
    interpretation: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', ...interpretation }], text: interpretation.display },
    ],
    referenceRange: [
      {
        ...(test.low !== undefined ? { low: quantity(test.low) } : {}),
        ...(test.high !== undefined ? { high: quantity(test.high) } : {}),
        text: rangeText,
      },
    ],
  };
}

interface LetterInput {
  id: string;
  clinic: string;
  date: Date;
  visitDate: Date;
  person: PersonSpec;
  subject: Reference<Patient>;
  encounterId: string;
  author: Reference<Practitioner>;
  org: OrgCode;
  withPdf: boolean;
  meta: MetaFor;
  orgRef: (code: OrgCode) => Reference<Organization>;
}

function letter(input: LetterInput): DocumentReference {
  const org = ORGANISATIONS.find((candidate) => candidate.code === input.org)!;
  const title = `${input.clinic}: letter`;
  const visit = input.visitDate.toISOString().slice(0, 10);
  const paragraphs = [
    `${org.name}, ${org.site}, Leeds ${org.postcode}. Telephone ${org.phone}.`,
    `Date: ${input.date.toISOString().slice(0, 10)}`,
    `Patient: ${input.person.given} ${input.person.family}, born ${input.person.birthDate}, NHS number ${input.person.nhsNumber.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3')}`,
    `Dear ${input.person.given} ${input.person.family},`,
    `Thank you for coming to the ${input.clinic.toLowerCase()} on ${visit}. We talked about how you have been and reviewed your medicines. No changes are needed at the moment.`,
    'Please keep taking your medicines as prescribed. If your symptoms get worse, contact your GP practice, or call 111. In an emergency, call 999.',
    'This letter is a demonstration document with made-up details.',
    `Yours sincerely, ${input.author.display}`,
  ];
  const html = [
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>',
    escapeHtml(title),
    '</title></head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    '</body></html>',
  ].join('');
  const created = input.date.toISOString();
  const attachment = (contentType: string, data: Buffer) => ({
    contentType,
    language: 'en-GB',
    data: data.toString('base64'),
    size: data.length,
    hash: createHash('sha1').update(data).digest('base64'),
    title,
    creation: created,
  });
  return {
    resourceType: 'DocumentReference',
    id: input.id,
    meta: input.meta(input.org, input.date, 'DocumentReference'),
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: SNOMED, code: '371531000', display: 'Report of clinical encounter' }], text: 'Clinic letter' },
    subject: input.subject,
    date: created,
    author: [input.author, input.orgRef(input.org)],
    custodian: input.orgRef(input.org),
    description: title,
    content: [
      { attachment: attachment('text/html', Buffer.from(html, 'utf8')) },
      ...(input.withPdf ? [{ attachment: attachment('application/pdf', buildPdf(title, paragraphs)) }] : []),
    ],
    context: { encounter: [{ reference: `Encounter/${input.encounterId}` }], period: { start: input.visitDate.toISOString() } },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const CARE_PLANS = {
  carer: {
    title: 'Carer support plan',
    description: 'Support for you as a carer, agreed with Demo City Council adult social care.',
    activities: [
      "Carer's break: one day a month with a home care worker",
      "Carers' support group, Thursdays at the community hub",
      'Review of the plan with your social worker every six months',
    ],
  },
  'young-person': {
    title: 'Early help plan',
    description: "Support agreed with the family and Demo City Council children's services.",
    activities: [
      "Weekly session with the school's family support worker",
      "Referral to young carers' group",
      'Review meeting with the family every three months',
    ],
  },
  adult: {
    title: 'Adult social care support plan',
    description: 'Care and support at home agreed with Demo City Council adult social care.',
    activities: [
      'Home care visits every morning and evening to help with washing and dressing',
      'Community alarm (telecare) installed and monitored',
      'Meals at home five days a week',
      'Annual review with your social worker',
    ],
  },
} as const;

function carePlan(
  kind: keyof typeof CARE_PLANS,
  id: string,
  careTeamId: string,
  started: Date,
  subject: Reference<Patient>,
  person: PersonSpec,
  meta: MetaFor,
  orgRef: (code: OrgCode) => Reference<Organization>,
  staffRef: (key: string) => Reference<Practitioner>,
): CarePlan {
  const plan = CARE_PLANS[kind];
  return {
    resourceType: 'CarePlan',
    id,
    meta: meta('ZZ0003', started, 'CarePlan'),
    status: 'active',
    intent: 'plan',
    category: [{ coding: [{ system: SNOMED, code: '734163000', display: 'Care plan' }], text: 'Social care plan' }],
    title: plan.title,
    description: plan.description,
    subject,
    period: { start: started.toISOString().slice(0, 10), end: new Date(started.getTime() + 365 * DAY).toISOString().slice(0, 10) },
    created: started.toISOString(),
    author: orgRef('ZZ0003'),
    contributor: [staffRef('social-1'), subject],
    careTeam: [{ reference: `CareTeam/${careTeamId}` }],
    activity: plan.activities.map((description) => ({ detail: { status: 'in-progress' as const, description } })),
    note: [
      {
        text: `Contact your social worker, ${staffRef('social-1').display}, on 0113 496 0103 if your needs change. ${person.given}, you can ask for a review at any time.`,
      },
    ],
  };
}
