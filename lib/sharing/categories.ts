import { paths } from '@/lib/platform/paths';

/**
 * The four kinds of information a citizen adds that they may share with the professionals
 * caring for them. The ids are the SharingConsent.category and AuditEntry.category values.
 */

export const CATEGORIES = ['communication', 'top-three', 'conditions', 'blood-pressure'] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/**
 * With no choice made, what they add is shared with the professionals caring for them. People
 * add these things so that their care team can see them (how to contact them, what matters to
 * them, their home readings); hiding them until a setting is found would defeat that. The
 * sharing page says this plainly, and any category can be turned off at once.
 */
export const SHARED_BY_DEFAULT = true;

type CategoryText = {
  /** As a heading or a table row: "Your communication needs". */
  name: string;
  /** In a sentence after "your": "communication needs". */
  lower: string;
  /** What professionals see, and why it helps. */
  ifShared: string;
  /** What happens when it is not shared. */
  ifNotShared: string;
  /** Where the citizen changes the information itself. */
  editPath: string;
};

export const CATEGORY_TEXT: Record<Category, CategoryText> = {
  communication: {
    name: 'Your communication needs',
    lower: 'communication needs',
    ifShared: 'Professionals caring for you can see how you need them to contact you, such as large print or an interpreter.',
    ifNotShared: 'Professionals will not know how you need to be contacted, unless you tell them yourself.',
    editPath: paths.aboutMe.summary,
  },
  'top-three': {
    name: 'Your top three things to know about you',
    lower: 'top three things to know about you',
    ifShared: 'Professionals caring for you can read what matters most to you before they meet you.',
    ifNotShared: 'Professionals will not see them. You may need to tell each person again.',
    editPath: paths.aboutMe.summary,
  },
  conditions: {
    name: 'Your conditions',
    lower: 'conditions',
    ifShared: 'Professionals caring for you can see the long-term conditions you have told us about.',
    ifNotShared: 'Professionals will not see the conditions you added here. This does not change your GP or hospital records.',
    editPath: paths.aboutMe.summary,
  },
  'blood-pressure': {
    name: 'Your blood pressure readings',
    lower: 'blood pressure readings',
    ifShared: 'Professionals caring for you can see the readings you take at home, your home average and a chart.',
    ifNotShared: 'Professionals will not see your home readings. You may need to take them to your appointments.',
    editPath: paths.bloodPressure.overview,
  },
};

/** What a professional sees as the section heading (not "your"). */
export const STAFF_SECTION_NAMES: Record<Category, string> = {
  communication: 'Communication needs',
  'top-three': 'Top three things to know about them',
  conditions: 'Conditions they have told us about',
  'blood-pressure': 'Home blood pressure readings',
};
