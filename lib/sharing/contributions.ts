import {
  communicationForProfessional,
  conditionsForProfessional,
  topThreeForProfessional,
  type CommunicationView,
  type ConditionView,
  type TopThreeView,
} from '@/lib/about-me/public';
import { bloodPressureForProfessionalView, type BloodPressureView } from '@/lib/blood-pressure/public';
import type { Tx } from '@/lib/platform/db';
import type { Category } from './categories';

/**
 * What a citizen has added, read for the professional view: only the categories asked for.
 * Each capability reads its own data (about me, blood pressure); this module only chooses.
 */

export type Contributions = {
  communication?: CommunicationView | null;
  'top-three'?: TopThreeView | null;
  conditions?: ConditionView[];
  'blood-pressure'?: BloodPressureView;
};

/** The shared categories' contents, read inside the view's transaction. */
export async function readContributions(tx: Tx, userId: string, categories: readonly Category[], now: Date): Promise<Contributions> {
  const result: Contributions = {};
  for (const category of categories) {
    if (category === 'communication') result.communication = await communicationForProfessional(tx, userId);
    if (category === 'top-three') result['top-three'] = await topThreeForProfessional(tx, userId);
    if (category === 'conditions') result.conditions = await conditionsForProfessional(tx, userId);
    if (category === 'blood-pressure') result['blood-pressure'] = await bloodPressureForProfessionalView(tx, userId, now);
  }
  return result;
}
