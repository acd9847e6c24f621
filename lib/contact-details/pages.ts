import { paths } from '@/lib/platform/paths';
import { z } from 'zod';
import { citizenGuard, citizenRoute, guardedCitizen } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { formPage, pageRoute, renderPage, type PageRequest } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { addressDraftSchema, addressLines, findAddressSchema, manualAddressSchema, MESSAGES as ADDRESS_MESSAGES, type AddressDraft } from './address';
import { addressLookup, AddressLookupUnavailable, type LookupAddress } from './address-lookup';
import { deliverSoon } from '@/lib/platform/outbox';
import { ORGANISATIONS } from './organisations';
import {
  CHANNEL_LABELS,
  completePreference,
  describeChannel,
  describeFewerLetters,
  emailAddressSchema,
  fewerLettersSchema,
  howToContactSchema,
  mobileNumberSchema,
  NO_FEWER_LETTERS,
  preferenceDraftSchema,
  type PreferenceDraft,
} from './preferences';
import { changeAddress, contactPreferencesOf, currentAddressOf, deliveriesOf, readDraft, saveDraft, savePreferences, type OrganisationDelivery } from './store';

/** Its pages are for the citizen, and for someone acting for them with permission to (lib/proxy). */
const CONTACT_DETAILS = 'citizen-or-proxy:contact-details';
const contactDetailsPage = citizenRoute(CONTACT_DETAILS);

/**
 * Contact preferences and change of address: question pages, check answers and confirmation
 * (GOV.UK patterns), all for the signed-in citizen only and all about their own details: no
 * page takes a citizen or record id from the request. Answers are kept as a draft in the
 * database until the citizen confirms them.
 */

/** Contact details' page addresses (every page's address lives in lib/platform/paths.ts). */
export const PATHS = paths.contactDetails;

/** For formPage: only the signed-in, registered citizen. */
const userIdOf = (page: PageRequest) => guardedCitizen(page).userId;

const DELIVERY_TAGS: Record<OrganisationDelivery['state'], { text: string; classes: string }> = {
  received: { text: 'Received', classes: 'govuk-tag--green' },
  sending: { text: 'Sending', classes: 'govuk-tag--blue' },
  retrying: { text: 'Not received yet – we will keep trying', classes: 'govuk-tag--yellow' },
  failed: { text: 'Not received – our team will pass it on', classes: 'govuk-tag--red' },
};

function deliveryRows(deliveries: OrganisationDelivery[]) {
  return deliveries.map((delivery) => ({ name: delivery.name, tag: DELIVERY_TAGS[delivery.state], state: delivery.state }));
}

/** The citizen's own contact details, as a view shows them. */
export async function contactDetailsOf(userId: string) {
  const db = getDb();
  const [preferences, address] = await Promise.all([contactPreferencesOf(db, userId), currentAddressOf(db, userId)]);
  const [preferenceDeliveries, addressDeliveries] = await Promise.all([
    preferences.changeId ? deliveriesOf(db, userId, preferences.changeId) : [],
    address ? deliveriesOf(db, userId, address.id) : [],
  ]);
  return {
    channel: preferences.channel ? describeChannel({ channel: preferences.channel, email: preferences.email, mobile: preferences.mobile }) : null,
    fewerLetters: preferences.channel ? describeFewerLetters(preferences.fewerLetters) : null,
    addressLines: address ? addressLines(address) : null,
    preferenceDeliveries: deliveryRows(preferenceDeliveries),
    addressDeliveries: deliveryRows(addressDeliveries),
  };
}

export const summaryPage = contactDetailsPage(async (page) =>
  renderPage(page, 'contact-details/summary.njk', {
    ...(await contactDetailsOf(page.citizen.userId)),
    // Back to about me, which holds these details; for someone acting for the citizen without the
    // about-me permission (lib/proxy) that page is not there, so back to the account home.
    backLink: !page.citizen.actor || page.citizen.actor.permissions.includes('about-me') ? paths.aboutMe.summary : paths.account,
  }),
);

// Contact preferences -------------------------------------------------------------------

/** The journey's answers: the draft, or (starting a change) what they chose before. */
async function preferenceAnswers(userId: string): Promise<PreferenceDraft> {
  const draft = await readDraft(getDb(), userId, 'preference', preferenceDraftSchema);
  if (draft.channel || draft.fewerLetters) return draft;
  const saved = await contactPreferencesOf(getDb(), userId);
  return saved.channel ? { channel: saved.channel, email: saved.email, mobile: saved.mobile, fewerLetters: saved.fewerLetters } : {};
}

/** After the contact details: check answers once every question has been answered. */
const afterContact = (draft: PreferenceDraft) => (draft.fewerLetters ? PATHS.preferenceCheck : PATHS.fewerLetters);

export const howToContactPage = formPage({
  view: 'contact-details/how-to-contact-you.njk',
  schema: howToContactSchema,
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: async (page) => ({ saved: await preferenceAnswers(userIdOf(page)), channelLabels: CHANNEL_LABELS }),
  onValid: async ({ channel }, page) => {
    const userId = userIdOf(page);
    const saved = await preferenceAnswers(userId);
    // Keep only the detail the channel needs (asked next, filled in with what they gave before).
    const draft: PreferenceDraft = {
      channel,
      fewerLetters: saved.fewerLetters,
      email: channel === 'email' ? saved.email : undefined,
      mobile: channel === 'text' ? saved.mobile : undefined,
    };
    await saveDraft(getDb(), userId, 'preference', draft);
    if (channel === 'email') return PATHS.emailAddress;
    if (channel === 'text') return PATHS.mobileNumber;
    return afterContact(draft);
  },
});

export const emailAddressPage = formPage({
  view: 'contact-details/email-address.njk',
  schema: emailAddressSchema,
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: async (page) => ({ saved: await preferenceAnswers(userIdOf(page)) }),
  onValid: async ({ email }, page) => {
    const userId = userIdOf(page);
    const draft: PreferenceDraft = { ...(await preferenceAnswers(userId)), channel: 'email', email, mobile: undefined };
    await saveDraft(getDb(), userId, 'preference', draft);
    return afterContact(draft);
  },
});

export const mobileNumberPage = formPage({
  view: 'contact-details/mobile-number.njk',
  schema: mobileNumberSchema,
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: async (page) => ({ saved: await preferenceAnswers(userIdOf(page)) }),
  onValid: async ({ mobile }, page) => {
    const userId = userIdOf(page);
    const draft: PreferenceDraft = { ...(await preferenceAnswers(userId)), channel: 'text', mobile, email: undefined };
    await saveDraft(getDb(), userId, 'preference', draft);
    return afterContact(draft);
  },
});

export const fewerLettersPage = formPage({
  view: 'contact-details/fewer-letters.njk',
  schema: fewerLettersSchema,
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: async (page) => {
    const saved = await preferenceAnswers(userIdOf(page));
    const chosen = saved.fewerLetters ? (saved.fewerLetters.length ? saved.fewerLetters : [NO_FEWER_LETTERS]) : [];
    return { chosen, organisations: ORGANISATIONS, none: NO_FEWER_LETTERS, backLink: PATHS.howToContact };
  },
  onValid: async (fewerLetters, page) => {
    const userId = userIdOf(page);
    const draft = { ...(await preferenceAnswers(userId)), fewerLetters };
    await saveDraft(getDb(), userId, 'preference', draft);
    return completePreference(draft) ? PATHS.preferenceCheck : PATHS.howToContact;
  },
});

const preferenceCheckForm = formPage({
  view: 'contact-details/preference-check-answers.njk',
  schema: z.object({}),
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: async (page) => {
    const answers = completePreference(await readDraft(getDb(), userIdOf(page), 'preference', preferenceDraftSchema));
    return { channel: answers && describeChannel(answers), fewerLetters: answers && describeFewerLetters(answers.fewerLetters) };
  },
  onValid: async (_none, page) => {
    const userId = userIdOf(page);
    const answers = completePreference(await readDraft(getDb(), userId, 'preference', preferenceDraftSchema));
    if (!answers) return PATHS.howToContact;
    // Null: already saved (sent twice): show what was saved.
    const changeId = await savePreferences(getDb(), userId, answers);
    if (changeId) {
      log.info('contact-preferences-changed', { channel: answers.channel, fewerLetters: answers.fewerLetters.length });
      await deliverSoon(userId);
    }
    return PATHS.preferenceConfirmation;
  },
});

/** Check answers needs every answer: otherwise back to the first question. */
export const preferenceCheckPage = {
  GET: pageRoute(async (page) => {
    const refused = citizenGuard(page);
    if (refused) return refused;
    const draft = await readDraft(getDb(), userIdOf(page), 'preference', preferenceDraftSchema);
    return completePreference(draft) ? preferenceCheckForm.GET(page.req) : redirect(PATHS.howToContact);
  }, CONTACT_DETAILS),
  POST: preferenceCheckForm.POST,
};

export const preferenceConfirmationPage = contactDetailsPage(async (page) => {
  const details = await contactDetailsOf(page.citizen.userId);
  if (!details.channel) return redirect(PATHS.summary);
  return renderPage(page, 'contact-details/preference-confirmation.njk', { ...details });
});

// Change of address ---------------------------------------------------------------------

const readAddressDraft = (userId: string) => readDraft(getDb(), userId, 'address', addressDraftSchema);

export const postcodePage = formPage({
  view: 'contact-details/address-postcode.njk',
  schema: findAddressSchema,
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: async (page) => ({ saved: (await readAddressDraft(userIdOf(page))).search ?? {} }),
  onValid: async (search, page) => {
    const userId = userIdOf(page);
    await saveDraft(getDb(), userId, 'address', { ...(await readAddressDraft(userId)), search } satisfies AddressDraft);
    return PATHS.select;
  },
});

function addressLabel(address: LookupAddress): string {
  return addressLines({ ...address, postcode: '' })
    .filter(Boolean)
    .join(', ');
}

/** The addresses found for the citizen's search; unavailable (and none) when the lookup cannot answer: they enter it themselves. */
async function searchResults(draft: AddressDraft) {
  if (!draft.search) return null;
  try {
    const addresses = await addressLookup().find(draft.search.postcode, draft.search.building);
    return { search: draft.search, addresses, unavailable: false };
  } catch (error) {
    if (!(error instanceof AddressLookupUnavailable)) throw error;
    return { search: draft.search, addresses: [] as LookupAddress[], unavailable: true };
  }
}

const selectSchema = z.object({ address: z.string({ error: ADDRESS_MESSAGES.address }).min(1, ADDRESS_MESSAGES.address).max(40, ADDRESS_MESSAGES.address) });

async function selectContext(page: PageRequest) {
  const draft = await readAddressDraft(userIdOf(page));
  const results = await searchResults(draft);
  return {
    search: results?.search,
    unavailable: results?.unavailable ?? false,
    items: (results?.addresses ?? []).map((address) => ({ value: address.uprn, text: addressLabel(address) })),
    saved: draft.address?.source === 'lookup' ? draft.address.uprn : undefined,
  };
}

const selectForm = formPage({
  view: 'contact-details/address-select.njk',
  schema: selectSchema,
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: selectContext,
  onValid: async ({ address: uprn }, page) => {
    const userId = userIdOf(page);
    const draft = await readAddressDraft(userId);
    const chosen = (await searchResults(draft))?.addresses.find((address) => address.uprn === uprn);
    if (!chosen) {
      // Not one of the addresses offered (the list changed, or the form was tampered with).
      const errors = { summary: [{ text: ADDRESS_MESSAGES.address, href: '#address' }], fields: { address: { text: ADDRESS_MESSAGES.address } } };
      return renderPage(page, 'contact-details/address-select.njk', { ...(await selectContext(page)), values: {}, errors }, { status: 422 });
    }
    const { uprn: _uprn, ...lines } = chosen;
    await saveDraft(getDb(), userId, 'address', { ...draft, address: { ...lines, source: 'lookup', uprn } } satisfies AddressDraft);
    return PATHS.addressCheck;
  },
});

/** The list needs a search first. */
export const selectPage = {
  GET: pageRoute(async (page) => {
    const refused = citizenGuard(page);
    if (refused) return refused;
    return (await readAddressDraft(userIdOf(page))).search ? selectForm.GET(page.req) : redirect(PATHS.postcode);
  }, CONTACT_DETAILS),
  POST: selectForm.POST,
};

export const manualPage = formPage({
  view: 'contact-details/address-manual.njk',
  schema: manualAddressSchema,
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: async (page) => {
    const draft = await readAddressDraft(userIdOf(page));
    return { saved: draft.address ?? { postcode: draft.search?.postcode } };
  },
  onValid: async (address, page) => {
    const userId = userIdOf(page);
    await saveDraft(getDb(), userId, 'address', { ...(await readAddressDraft(userId)), address: { ...address, source: 'manual' } } satisfies AddressDraft);
    return PATHS.addressCheck;
  },
});

const addressCheckForm = formPage({
  view: 'contact-details/address-check-answers.njk',
  schema: z.object({}),
  access: CONTACT_DETAILS,
  guard: citizenGuard,
  context: async (page) => {
    const { address } = await readAddressDraft(userIdOf(page));
    return {
      addressLines: address ? addressLines(address) : [],
      changeLink: address?.source === 'manual' ? PATHS.manual : PATHS.postcode,
      organisations: ORGANISATIONS,
      backLink: address?.source === 'manual' ? PATHS.manual : PATHS.select,
    };
  },
  onValid: async (_none, page) => {
    const userId = userIdOf(page);
    const { address } = await readAddressDraft(userId);
    if (!address) return PATHS.addressConfirmation;
    // Null: already confirmed (sent twice): the confirmation shows the address as it is.
    const addressId = await changeAddress(getDb(), userId, address);
    if (addressId) {
      log.info('address-changed', { source: address.source });
      await deliverSoon(userId);
    }
    return PATHS.addressConfirmation;
  },
});

export const addressCheckPage = {
  GET: pageRoute(async (page) => {
    const refused = citizenGuard(page);
    if (refused) return refused;
    return (await readAddressDraft(userIdOf(page))).address ? addressCheckForm.GET(page.req) : redirect(PATHS.postcode);
  }, CONTACT_DETAILS),
  POST: addressCheckForm.POST,
};

export const addressConfirmationPage = contactDetailsPage(async (page) => {
  const details = await contactDetailsOf(page.citizen.userId);
  if (!details.addressLines) return redirect(PATHS.summary);
  return renderPage(page, 'contact-details/address-confirmation.njk', { ...details });
});
