import type { Db } from '@/lib/platform/db';
import { CONDITION_HELP } from './conditions-list';
import { listConditions } from './store';

/** For the home page: information and local services for the listed conditions they told us about. */
export async function conditionHelpFor(database: Db, userId: string) {
  const conditions = await listConditions(database, userId);
  const helped = conditions.flatMap((condition) => {
    const help = condition.code ? CONDITION_HELP[condition.code] : undefined;
    return help ? [{ name: condition.name, ...help }] : [];
  });
  const localServices = [...new Map(helped.flatMap((help) => (help.localService ? [[help.localService.href, help.localService] as const] : []))).values()];
  return { nhsPages: helped.map((help) => help.nhsPage), localServices };
}
