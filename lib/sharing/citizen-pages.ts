import { z } from 'zod';
import { deliverSoon } from '@/lib/platform/outbox';
import { citizenRoute, type CitizenPageRequest } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import { choice } from '@/lib/platform/form-fields';
import { formPage, renderPage, routeParam } from '@/lib/platform/page';
import { pagination } from '@/lib/platform/pagination';
import { accessesOf, pageLink, requestedPage } from './access-log';
import { CATEGORIES, CATEGORY_TEXT, isCategory, type Category } from './categories';
import { changeSharing, sharingChoices } from './consent';
import { paths } from '@/lib/platform/paths';

/** Its pages are for the citizen, and for someone acting for them with permission to (lib/proxy). */
const forSharing = citizenRoute('citizen-or-proxy:sharing');

/** The citizen's side: what they share (/sharing), changing it, and who has looked (/sharing/who-has-viewed). */

export const sharingPage = forSharing(async (page) => {
  const choices = await sharingChoices(getDb(), page.citizen.userId);
  const changed = page.url.searchParams.get('changed');
  return renderPage(page, 'sharing/sharing.njk', {
    categories: CATEGORIES.map((category) => ({ id: category, ...CATEGORY_TEXT[category], shared: choices[category] })),
    changed: changed && isCategory(changed) ? { ...CATEGORY_TEXT[changed], shared: choices[changed] } : null,
  });
});

/** The category named in the address (/sharing/<category>), or a 404. */
function categoryOf(page: CitizenPageRequest): Category {
  const category = routeParam(page, 'category');
  if (!isCategory(category)) throw new HttpError(404, 'unknown-sharing-category');
  return category;
}

function questionFor(category: Category): string {
  return `Do you want to share your ${CATEGORY_TEXT[category].lower} with the professionals caring for you?`;
}

const changeSchema = z.object({ shared: choice(['yes', 'no'], { required: 'Select yes if you want to share them, or no if you do not' }) });

/** "Do you want to share …?": yes or no, starting with the citizen's current choice. */
export const changeSharingPage = formPage({
  view: 'sharing/change.njk',
  route: forSharing,
  load: async (page: CitizenPageRequest) => {
    const category = categoryOf(page);
    return { category, sharedNow: (await sharingChoices(getDb(), page.citizen.userId))[category] };
  },
  schema: changeSchema,
  context: (_page, { category }) => ({ category, text: CATEGORY_TEXT[category], question: questionFor(category) }),
  values: (_page, { sharedNow }) => ({ shared: sharedNow ? 'yes' : 'no' }),
  onValid: async ({ shared }, page, { category }) => {
    const { user } = page.citizen;
    await changeSharing(getDb(), { userId: page.citizen.userId, givenName: user.givenName, familyName: user.familyName }, category, shared === 'yes', page.now);
    // Withdrawn from (or sent again to) the care record, mostly before the next page.
    await deliverSoon(page.citizen.userId);
    return `${paths.sharing.summary}?changed=${category}`;
  },
});

export const whoHasViewedPage = forSharing(async (page) => {
  const number = requestedPage(page.url);
  if (number === null) throw new HttpError(404, 'bad-page-number');
  const accesses = await accessesOf(getDb(), page.citizen.userId, number);
  if (number > accesses.pages) throw new HttpError(404, 'page-out-of-range');
  return renderPage(page, 'sharing/who-has-viewed.njk', {
    accesses,
    rows: accesses.rows,
    pagination: pagination(accesses.page, accesses.pages, pageLink(paths.sharing.whoHasViewed)),
  });
});
