import { paths } from '@/lib/platform/paths';
import { citizenRoute, type CitizenPageRequest } from '@/lib/identity/public';
import { notYetInCareRecordOf } from '@/lib/care-record/public';
import { contactDetailsOf } from '@/lib/contact-details/public';
import { formatWhen } from '@/lib/platform/uk-time';
import { getDb, type Db } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import type { FormValues } from '@/lib/platform/forms';
import { log } from '@/lib/platform/log';
import { deliverSoon } from '@/lib/platform/outbox';
import { renderPage, routeParam } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { citizenForm } from './citizen-form';
import { LISTED_CONDITIONS } from './conditions-list';
import {
  communicationNeedsSchema,
  communicationNeedsValues,
  CARER_CONTACT_MAX,
  CARER_NAME_MAX,
  CONDITION_NAME_MAX,
  DESCRIPTION_MAX,
  describeCommunicationNeeds,
  FORMAT_LABELS,
  FORMATS,
  LANGUAGE_MAX,
  MAX_THINGS,
  NO_NEEDS,
  OTHER_NEEDS_MAX,
  storedConditionSchema,
  TITLE_MAX,
  topThingsSchema,
  topThreeValues,
  validateCommunicationNeeds,
  validateCondition,
  validateTopThree,
} from './rules';
import {
  addCondition,
  findCondition,
  lastProfessionalView,
  listConditions,
  readCommunicationNeeds,
  readDraft,
  removeCondition,
  saveCommunicationNeeds,
  saveDraft,
  saveTopThree,
  currentTopThree,
  topThreeHistory,
  type Condition,
} from './store';

/** Its pages are for the citizen, and for someone acting for them with permission to (lib/proxy). */
const aboutMePage = citizenRoute('citizen-or-proxy:about-me');

/**
 * "About me and my details": the citizen's own pages for the top three things to know about
 * them, their long-term conditions and their communication needs, and the summary of it all.
 */

/** About me's page addresses (every page's address lives in lib/platform/paths.ts). */
export const PATHS = paths.aboutMe;

const db = (): Db => getDb();

/**
 * Whether the confirmations link to the sharing choices: not for someone acting for the citizen
 * without the sharing permission (lib/proxy), for whom that page is not there.
 */
const sharingLink = (page: CitizenPageRequest) => ({ sharingLink: !page.citizen.actor || page.citizen.actor.permissions.includes('sharing') });
const lastViewedText = (at: Date | null) => (at ? formatWhen(at) : null);

// ---- Summary ------------------------------------------------------------------------------

export const summaryPage = aboutMePage(async (page) => {
  const userId = page.citizen.userId;
  // Someone acting for the citizen (lib/proxy) sees their contact details and address only with permission to change them.
  const showContactDetails = !page.citizen.actor || page.citizen.actor.permissions.includes('contact-details');
  const [topThree, conditions, needs, lastViewed, contactDetails, [topThreeWaiting, needsWaiting]] = await Promise.all([
    currentTopThree(db(), userId),
    listConditions(db(), userId),
    readCommunicationNeeds(db(), userId),
    lastProfessionalView(db(), userId),
    showContactDetails ? contactDetailsOf(userId) : null,
    notYetInCareRecordOf(db(), userId, [
      { kind: 'top-three', localIds: [userId] },
      { kind: 'communication-needs', localIds: [userId] },
    ]),
  ]);
  return renderPage(page, 'about-me/summary.njk', {
    fullName: `${page.citizen.user.givenName} ${page.citizen.user.familyName}`,
    topThree: topThree && { things: topThree.things, savedAt: formatWhen(topThree.createdAt) },
    lastViewed: lastViewedText(lastViewed),
    conditions,
    communication: needs && describeCommunicationNeeds(needs),
    otherNeeds: needs?.otherNeeds ?? null,
    // Saved here but not yet in the shared care record (lib/sharing/care-record-sync.ts).
    topThreeNotReceived: Boolean(topThree) && topThreeWaiting.size > 0,
    communicationNotReceived: Boolean(needs) && needsWaiting.size > 0,
    // How they want to be contacted and their address (lib/contact-details), with its own change links.
    ...contactDetails,
    hideContactDetails: !showContactDetails,
  });
});

// ---- Top three things to know about me --------------------------------------------------

const topThreeLimits = { titleMax: TITLE_MAX, descriptionMax: DESCRIPTION_MAX, maxThings: MAX_THINGS };

export const topThreePage = citizenForm({
  view: 'about-me/top-three.njk',
  context: () => topThreeLimits,
  values: async (page) => {
    const draft = await readDraft(db(), page.citizen.userId, 'top-three', topThingsSchema);
    const things = draft ?? (await currentTopThree(db(), page.citizen.userId))?.things ?? [];
    return topThreeValues(things);
  },
  validate: (values) => validateTopThree(values),
  onValid: async (things, page) => {
    await saveDraft(db(), page.citizen.userId, 'top-three', things);
    return PATHS.topThreeCheck;
  },
});

export const topThreeCheckPage = {
  GET: aboutMePage(async (page) => {
    const things = await readDraft(db(), page.citizen.userId, 'top-three', topThingsSchema);
    if (!things) return redirect(PATHS.topThree);
    return renderPage(page, 'about-me/top-three-check.njk', { things });
  }),
  POST: aboutMePage(async (page) => {
    const things = await readDraft(db(), page.citizen.userId, 'top-three', topThingsSchema);
    if (!things) return redirect(PATHS.topThree);
    await saveTopThree(db(), page.citizen.userId, things);
    log.info('top-three-saved', { things: things.length });
    await deliverSoon(page.citizen.userId);
    return redirect(PATHS.topThreeConfirmation);
  }),
};

export const topThreeConfirmationPage = aboutMePage((page) => renderPage(page, 'about-me/top-three-confirmation.njk', sharingLink(page)));

export const topThreeHistoryPage = aboutMePage(async (page) => {
  const [versions, lastViewed] = await Promise.all([topThreeHistory(db(), page.citizen.userId), lastProfessionalView(db(), page.citizen.userId)]);
  return renderPage(page, 'about-me/top-three-history.njk', {
    versions: versions.map((version, index) => ({ savedAt: formatWhen(version.createdAt), things: version.things, current: index === 0 })),
    lastViewed: lastViewedText(lastViewed),
  });
});

// ---- Long-term conditions -----------------------------------------------------------------

export const conditionsPage = aboutMePage(async (page) => {
  const conditions = await listConditions(db(), page.citizen.userId);
  return renderPage(page, 'about-me/conditions.njk', {
    conditions,
    removed: page.url.searchParams.get('removed') === '1',
    alreadyAdded: page.url.searchParams.get('already') === '1',
  });
});

export const addConditionPage = citizenForm({
  view: 'about-me/add-condition.njk',
  context: () => ({
    nameMax: CONDITION_NAME_MAX,
    options: LISTED_CONDITIONS.map((condition) => ({ value: condition.code, text: condition.name })),
  }),
  values: async (page): Promise<FormValues> => {
    const draft = await readDraft(db(), page.citizen.userId, 'condition', storedConditionSchema);
    if (!draft) return {};
    return draft.code ? { condition: draft.code } : { otherCondition: draft.name };
  },
  validate: async (values, page) => validateCondition(values, await listConditions(db(), page.citizen.userId)),
  onValid: async (condition, page) => {
    await saveDraft(db(), page.citizen.userId, 'condition', condition);
    return PATHS.conditionCheck;
  },
});

export const conditionCheckPage = {
  GET: aboutMePage(async (page) => {
    const condition = await readDraft(db(), page.citizen.userId, 'condition', storedConditionSchema);
    if (!condition) return redirect(PATHS.addCondition);
    return renderPage(page, 'about-me/condition-check.njk', { condition });
  }),
  POST: aboutMePage(async (page) => {
    const condition = await readDraft(db(), page.citizen.userId, 'condition', storedConditionSchema);
    if (!condition) return redirect(PATHS.addCondition);
    const outcome = await addCondition(db(), page.citizen.userId, condition);
    log.info('condition-added', { listed: condition.code !== null, outcome });
    return redirect(outcome === 'added' ? PATHS.conditionConfirmation : `${PATHS.conditions}?already=1`);
  }),
};

export const conditionConfirmationPage = aboutMePage((page) => renderPage(page, 'about-me/condition-confirmation.njk', sharingLink(page)));

/** The condition named in /about-me/conditions/<id>/remove, if it is theirs; otherwise 404. */
async function conditionInPath(page: CitizenPageRequest): Promise<Condition> {
  const id = routeParam(page, 'id');
  const condition = id ? await findCondition(db(), page.citizen.userId, id) : null;
  if (!condition) throw new HttpError(404, 'condition-not-found');
  return condition;
}

export const removeConditionPage = {
  GET: aboutMePage(async (page) => {
    const condition = await conditionInPath(page);
    return renderPage(page, 'about-me/remove-condition.njk', { condition });
  }),
  POST: aboutMePage(async (page) => {
    const condition = await conditionInPath(page);
    if (!(await removeCondition(db(), page.citizen.userId, condition.id))) throw new HttpError(404, 'condition-not-found');
    log.info('condition-removed', {});
    return redirect(`${PATHS.conditions}?removed=1`);
  }),
};

// ---- Communication needs ------------------------------------------------------------------

const communicationContext = () => ({
  formats: FORMATS.map((value) => ({ value, text: FORMAT_LABELS[value] })),
  noNeeds: NO_NEEDS,
  limits: { language: LANGUAGE_MAX, carerName: CARER_NAME_MAX, carerContact: CARER_CONTACT_MAX, otherNeeds: OTHER_NEEDS_MAX },
});

export const communicationNeedsPage = citizenForm({
  view: 'about-me/communication-needs.njk',
  context: communicationContext,
  values: async (page) => {
    const draft = await readDraft(db(), page.citizen.userId, 'communication', communicationNeedsSchema);
    if (draft) return communicationNeedsValues(draft, true);
    const saved = await readCommunicationNeeds(db(), page.citizen.userId);
    return saved ? communicationNeedsValues(saved, true) : {};
  },
  validate: (values) => validateCommunicationNeeds(values),
  lists: ['formats'],
  onValid: async (needs, page) => {
    await saveDraft(db(), page.citizen.userId, 'communication', needs);
    return PATHS.communicationCheck;
  },
});

export const communicationCheckPage = {
  GET: aboutMePage(async (page) => {
    const needs = await readDraft(db(), page.citizen.userId, 'communication', communicationNeedsSchema);
    if (!needs) return redirect(PATHS.communicationNeeds);
    return renderPage(page, 'about-me/communication-check.njk', { needs: describeCommunicationNeeds(needs), otherNeeds: needs.otherNeeds });
  }),
  POST: aboutMePage(async (page) => {
    const needs = await readDraft(db(), page.citizen.userId, 'communication', communicationNeedsSchema);
    if (!needs) return redirect(PATHS.communicationNeeds);
    await saveCommunicationNeeds(db(), page.citizen.userId, needs);
    log.info('communication-needs-saved', { formats: needs.formats.length });
    await deliverSoon(page.citizen.userId);
    return redirect(PATHS.communicationConfirmation);
  }),
};

export const communicationConfirmationPage = aboutMePage((page) => renderPage(page, 'about-me/communication-confirmation.njk', sharingLink(page)));
