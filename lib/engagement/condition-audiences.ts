import { LISTED_CONDITIONS } from '@/lib/about-me/public';

/**
 * Who an activity for "people with a long-term condition" is for, by SNOMED CT code, never by
 * the words people typed: "Diabetes" must find people who chose "Type 2 diabetes". A coordinator
 * picks one condition from the same curated list citizens choose from, or a group of them
 * named by the SNOMED CT concept they all come under. Conditions citizens typed in their own
 * words have no code and are never matched (the audience page says so).
 */

export type ConditionAudience = { code: string; name: string; memberCodes: readonly string[] };

const listedCode = (name: string): string => {
  const listed = LISTED_CONDITIONS.find((condition) => condition.name === name);
  if (!listed) throw new Error(`Not on the conditions list: ${name}`);
  return listed.code;
};

/** Groups, each under its SNOMED CT parent concept, of conditions on the list. */
const GROUPS: ConditionAudience[] = [
  { code: '73211009', name: 'Diabetes (type 1 or type 2)', memberCodes: ['Type 1 diabetes', 'Type 2 diabetes'].map(listedCode) },
  { code: '3723001', name: 'Arthritis (rheumatoid arthritis or osteoarthritis)', memberCodes: ['Rheumatoid arthritis', 'Osteoarthritis'].map(listedCode) },
  {
    code: '56265001',
    name: 'Heart disease (atrial fibrillation, coronary heart disease or heart failure)',
    memberCodes: ['Atrial fibrillation', 'Coronary heart disease', 'Heart failure'].map(listedCode),
  },
  {
    code: '24526004',
    name: "Inflammatory bowel disease (Crohn's disease or ulcerative colitis)",
    memberCodes: ["Crohn's disease", 'Ulcerative colitis'].map(listedCode),
  },
];

export const CONDITION_AUDIENCES: readonly ConditionAudience[] = [
  ...GROUPS,
  ...LISTED_CONDITIONS.map((condition) => ({ code: condition.code, name: condition.name, memberCodes: [condition.code] })),
].sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));

export function conditionAudience(code: string): ConditionAudience | undefined {
  return CONDITION_AUDIENCES.find((audience) => audience.code === code);
}

/** Whether someone with these coded conditions is in the audience (an unknown code: no one is). */
export function hasConditionIn(audienceCode: string, citizenCodes: readonly string[]): boolean {
  const audience = conditionAudience(audienceCode);
  return Boolean(audience && audience.memberCodes.some((code) => citizenCodes.includes(code)));
}

/** Whether two condition audiences could include the same person. */
export function conditionAudiencesOverlap(a: string, b: string): boolean {
  const first = conditionAudience(a);
  const second = conditionAudience(b);
  return Boolean(first && second && first.memberCodes.some((code) => second.memberCodes.includes(code)));
}
