import { organisationName } from '@/lib/contact-details/public';
import { kindName } from '@/lib/letters/public';
import { formatNhsNumber } from '@/lib/platform/nhs-number';
import { formatCalendarDay, formatWhen } from '@/lib/platform/uk-time';
import { CATEGORY_TEXT, isCategory } from '@/lib/sharing/public';
import type { Snapshot } from './snapshot';

/**
 * The download as a readable page: one section for each kind of information, each a GOV.UK
 * summary list or tables (views/your-data/readable.njk renders them with the official macros).
 * Built from the snapshot alone, so the page is exactly what the JSON file holds, in words.
 */

type Cell = { text: string };
type SummaryRow = { key: Cell; value: Cell };
export type Table = { caption: string; head: Cell[]; rows: Cell[][] };
export type Section = { id: string; heading: string; intro?: string; summary?: SummaryRow[]; tables: Table[]; empty?: string };

const PROVIDERS: Record<string, string> = { onelogin: 'GOV.UK One Login', nhslogin: 'NHS login' };
const DEVICES: Record<string, string> = { mobile: 'Mobile phone', tablet: 'Tablet', computer: 'Computer' };
const IDENTITY_LEVELS: Record<string, string> = { P2: 'Medium (GOV.UK One Login)', P9: 'High (NHS login)' };
const CHANNELS: Record<string, string> = { email: 'Email', text: 'Text message', post: 'Letter by post', 'service-only': 'Only through this service' };
const TOPICS: Record<string, string> = {
  'address-changed': 'Your new address',
  'contact-preferences-changed': 'How you want to be contacted',
  'top-three': 'Your top three things',
  'communication-needs': 'Your communication needs',
  'blood-pressure-reading': 'A blood pressure reading',
  'home-monitoring-week': 'A home monitoring week',
  category: 'Everything of one kind you share',
  everything: 'Everything you share',
};
const STATUSES: Record<string, string> = { pending: 'Not sent yet', delivered: 'Sent', failed: 'Could not be sent' };
const WEEK_RESULTS: Record<string, string> = {
  'below-135-85': 'Below 135/85',
  'stage-1-range': 'Stage 1 range',
  'stage-2-range': 'Stage 2 range',
  'very-high': 'Very high',
  'not-enough-readings': 'Not enough readings',
};

const cell = (text: string | number | null | undefined): Cell => ({ text: text === null || text === undefined || text === '' ? 'None' : String(text) });
const when = (at: string | null): string => (at ? formatWhen(new Date(at)) : 'None');
const row = (key: string, value: string | number | null | undefined): SummaryRow => ({ key: { text: key }, value: cell(value) });
const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const named = (names: Record<string, string>, code: string) => names[code] ?? code;
const device = (kind: string, shared: boolean) => `${named(DEVICES, kind)}${shared ? ' (shared)' : ''}`;
const categoryName = (category: string) => (isCategory(category) ? CATEGORY_TEXT[category].name : category);

/** Stored answers as "name: value" lines, never as markup. */
function inWords(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) return value.map(inWords).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([name, inner]) => `${name}: ${inWords(inner)}`)
      .join('; ');
  }
  return String(value);
}

function table(caption: string, head: string[], rows: Cell[][]): Table[] {
  return rows.length === 0 ? [] : [{ caption, head: head.map((text) => ({ text })), rows }];
}

function aboutYou(snapshot: Snapshot): Section {
  const { person } = snapshot;
  return {
    id: 'about-you',
    heading: 'About you',
    intro: 'As your identity provider confirmed them when you signed in.',
    summary: [
      row('Name', `${person.givenName} ${person.familyName}`),
      row('Date of birth', formatCalendarDay(person.birthDate)),
      row('NHS number', person.nhsNumber ? formatNhsNumber(person.nhsNumber) : null),
      row('Postcode confirmed by GOV.UK One Login', person.verifiedPostcode),
      row('How well your identity was checked', named(IDENTITY_LEVELS, person.identityLevel)),
      row('Account made', when(person.accountCreatedAt)),
      row('Registration finished', when(person.registeredAt)),
      row('Terms of use you agreed to', person.termsOfUseVersion ? `Version ${person.termsOfUseVersion}, ${when(person.termsOfUseAgreedAt)}` : null),
    ],
    tables: [],
  };
}

function signingIn(snapshot: Snapshot): Section {
  return {
    id: 'signing-in',
    heading: 'How you sign in',
    tables: [
      ...table(
        'Ways you sign in',
        ['Account', 'Your account number there', 'Added'],
        snapshot.signInMethods.map((method) => [cell(named(PROVIDERS, method.provider)), cell(method.accountAtProvider), cell(when(method.addedAt))]),
      ),
      ...table(
        'Ways of signing in you added or joined',
        ['When', 'Account', 'What happened'],
        snapshot.signInMethodChanges.map((change) => [
          cell(when(change.at)),
          cell(named(PROVIDERS, change.provider)),
          cell(change.kind === 'merged' ? 'Another account of yours was joined to this one' : 'Added'),
        ]),
      ),
      ...table(
        'Devices signed in to your account',
        ['Device', 'Account used', 'Signed in', 'Last used', 'Ended'],
        snapshot.sessions.map((session) => [
          cell(device(session.deviceKind, session.sharedDevice)),
          cell(named(PROVIDERS, session.provider)),
          cell(when(session.startedAt)),
          cell(when(session.lastSeenAt)),
          cell(session.signedOutAt ? `Signed out ${when(session.signedOutAt)}` : `Ends at the latest ${when(session.endsAt)}`),
        ]),
      ),
      ...table(
        'Your sign-ins',
        ['When', 'Account used', 'Device'],
        snapshot.signIns.map((event) => [cell(when(event.at)), cell(named(PROVIDERS, event.provider)), cell(device(event.deviceKind, event.sharedDevice))]),
      ),
    ],
  };
}

function aboutMe(snapshot: Snapshot): Section {
  const { topThreeThings, conditions, communicationNeeds } = snapshot.aboutMe;
  const thingsRows = topThreeThings.flatMap((version, index) =>
    (Array.isArray(version.things) ? (version.things as { title?: string; description?: string }[]) : []).map((thing) => [
      cell(`${when(version.savedAt)}${index === 0 ? ' (current)' : ''}`),
      cell(thing.title),
      cell(thing.description),
    ]),
  );
  return {
    id: 'about-me',
    heading: 'About me',
    tables: [
      ...table('Top three things to know about you, every version you saved', ['Saved', 'Thing', 'What it means for you'], thingsRows),
      ...table(
        'Long-term conditions',
        ['Condition', 'Added'],
        conditions.map((condition) => [cell(condition.name), cell(when(condition.addedAt))]),
      ),
      ...table(
        'Communication needs',
        ['What you need', 'Updated'],
        (communicationNeeds?.inWords ?? []).map((line) => [cell(line), cell(when(communicationNeeds!.updatedAt))]),
      ),
    ],
    empty: topThreeThings.length + conditions.length === 0 && !communicationNeeds ? 'You have not added anything about you.' : undefined,
  };
}

function bloodPressure(snapshot: Snapshot): Section {
  const { readings, changes, homeMonitoringWeeks } = snapshot.bloodPressure;
  const measured = new Map(readings.map((reading) => [reading.id, reading.measuredAt]));
  return {
    id: 'blood-pressure',
    heading: 'Blood pressure',
    intro: 'Readings you deleted are still kept, so that every change can be accounted for. They are marked as deleted and are never shown or shared.',
    tables: [
      ...table(
        'Readings (mmHg; pulse in beats a minute)',
        ['Measured', 'Reading', 'Pulse', 'Arm', 'Sitting', 'Notes'],
        readings.map((reading) => [
          cell(when(reading.measuredAt)),
          cell(`${reading.systolic}/${reading.diastolic}`),
          cell(reading.pulse),
          cell(reading.arm === 'right' ? 'Right' : 'Left'),
          cell(yesNo(reading.sitting)),
          cell(
            [reading.deletedAt ? `Deleted ${when(reading.deletedAt)}` : '', reading.addedByApp ? `Added by an app (${reading.addedByApp})` : '']
              .filter(Boolean)
              .join('. '),
          ),
        ]),
      ),
      ...table(
        'Changes to your readings',
        ['When', 'Reading measured', 'What happened', 'Before', 'After'],
        changes.map((change) => [
          cell(when(change.at)),
          cell(when(measured.get(change.readingId) ?? null)),
          cell(change.action === 'added' ? 'Added' : change.action === 'deleted' ? 'Deleted' : 'Changed'),
          cell(change.before === null ? null : inWords(change.before)),
          cell(change.after === null ? null : inWords(change.after)),
        ]),
      ),
      ...table(
        'Home monitoring weeks',
        ['Week', 'Result', 'Average', 'Readings that count'],
        homeMonitoringWeeks.map((week) => [
          cell(`${formatCalendarDay(week.startedOn)} to ${formatCalendarDay(week.endsOn)}${week.endedEarly ? ' (ended early)' : ''}`),
          cell(week.result ? named(WEEK_RESULTS, week.result) : 'Not finished'),
          cell(week.systolic !== null && week.diastolic !== null ? `${week.systolic}/${week.diastolic}` : null),
          cell(week.readingCount),
        ]),
      ),
    ],
    empty: readings.length + homeMonitoringWeeks.length === 0 ? 'You have not added any readings.' : undefined,
  };
}

function contactDetails(snapshot: Snapshot): Section {
  const { preference, fewerLetters, addresses, movesToDigital, organisationReferences } = snapshot.contactDetails;
  return {
    id: 'contact-details',
    heading: 'Contact details',
    summary: preference
      ? [
          row('How you want to be contacted', named(CHANNELS, preference.channel)),
          row('Email address', preference.email),
          row('Mobile number', preference.mobile),
          row('Last changed', when(preference.updatedAt)),
        ]
      : undefined,
    tables: [
      ...table(
        'Your addresses, newest first',
        ['Address', 'Added'],
        addresses.map((address) => [
          cell([address.line1, address.line2, address.town, address.county, address.postcode].filter(Boolean).join(', ')),
          cell(when(address.addedAt)),
        ]),
      ),
      ...table(
        'Fewer letters',
        ['Organisation', 'Send fewer letters', 'Chosen'],
        fewerLetters.map((choice) => [cell(organisationName(choice.organisation)), cell(yesNo(choice.fewerLetters)), cell(when(choice.updatedAt))]),
      ),
      ...table(
        'When you moved from letters to something digital',
        ['When', 'From', 'To'],
        movesToDigital.map((move) => [cell(when(move.at)), cell(named(CHANNELS, move.from)), cell(named(CHANNELS, move.to))]),
      ),
      ...table(
        'The references organisations use for you in their letters',
        ['Organisation', 'Their reference', 'Given to us'],
        organisationReferences.map((row) => [cell(organisationName(row.organisation)), cell(row.reference), cell(when(row.updatedAt))]),
      ),
    ],
    empty: !preference && addresses.length === 0 ? 'You have not given us any contact details.' : undefined,
  };
}

function sharing(snapshot: Snapshot): Section {
  return {
    id: 'sharing',
    heading: 'Sharing and who has seen your information',
    intro: 'Anything you have not chosen is shared with the professionals caring for you.',
    tables: [
      ...table(
        'Your sharing choices',
        ['Information', 'Shared', 'Chosen'],
        snapshot.sharingChoices.map((choice) => [cell(categoryName(choice.category)), cell(yesNo(choice.shared)), cell(when(choice.chosenAt))]),
      ),
      ...table(
        'Who has viewed your information',
        ['When', 'Who', 'What they did', 'Reason'],
        snapshot.whoHasViewed.map((view) => [
          cell(when(view.at)),
          cell([view.who, view.role, view.organisation].filter(Boolean).join(', ')),
          cell(view.what),
          cell(view.reason),
        ]),
      ),
      ...table(
        'Everything recorded about your record in the audit log',
        ['When', 'Who', 'What', 'Information'],
        snapshot.auditLog.map((entry) => [
          cell(when(entry.at)),
          cell(
            entry.actorKind === 'citizen' ? 'You' : [entry.actorName ?? entry.actorKind, entry.actorRole, entry.actorOrganisation].filter(Boolean).join(', '),
          ),
          cell(entry.action),
          cell(entry.category ? categoryName(entry.category) : null),
        ]),
      ),
    ],
  };
}

const NOTIFY = 'notify';
const MESSAGES: Record<string, string> = {
  'new-letter': 'You have a new letter',
  'engagement-invitation': 'An invitation to have your say',
  'change-not-delivered': 'A change we could not send',
};
const POSTED_REASONS: Record<string, string> = { 'by-post-choice': 'You asked for letters by post', unread: 'Not opened in time' };

function letters(snapshot: Snapshot): Section {
  return {
    id: 'letters',
    heading: 'Letters',
    intro: 'Letters organisations sent to you here. You can read each one, and download it, from your letters.',
    tables: table(
      'Letters',
      ['Date of letter', 'From', 'What it is about', 'Opened', 'Sent by post'],
      snapshot.letters.map((letter) => [
        cell(formatCalendarDay(letter.letterDate)),
        cell(letter.from),
        cell(`${kindName(letter.kind)}: ${letter.title}`),
        cell(when(letter.readAt)),
        cell(letter.postRequestedAt ? `${when(letter.postRequestedAt)} (${named(POSTED_REASONS, letter.postedReason ?? '')})` : 'No'),
      ]),
    ),
    empty: snapshot.letters.length === 0 ? 'No organisation has sent you a letter here.' : undefined,
  };
}

function messages(snapshot: Snapshot): Section {
  const sent = snapshot.sentToOrganisations.filter((message) => message.organisation === NOTIFY);
  return {
    id: 'messages',
    heading: 'Emails and text messages we sent you',
    tables: table(
      'Emails and text messages',
      ['When', 'Message', 'Status'],
      sent.map((message) => [
        cell(when(message.createdAt)),
        cell(named(MESSAGES, message.topic)),
        cell(message.deliveredAt ? `Sent ${when(message.deliveredAt)}` : named(STATUSES, message.status)),
      ]),
    ),
    empty: sent.length === 0 ? 'We have not sent you an email or a text message.' : undefined,
  };
}

function sentElsewhere(snapshot: Snapshot): Section {
  const link = snapshot.careRecordLink;
  const sent = snapshot.sentToOrganisations.filter((message) => message.organisation !== NOTIFY);
  return {
    id: 'sent',
    heading: 'What we sent to other organisations',
    summary: link
      ? [
          row('Your record in the shared care record', link.outcome === 'matched' ? `Found (${link.careRecordPatientId ?? ''})` : 'Not found'),
          row('Last looked for', when(link.checkedAt)),
        ]
      : undefined,
    tables: table(
      'Changes sent',
      ['When', 'To', 'What', 'Status'],
      sent.map((message) => [
        cell(when(message.createdAt)),
        cell(organisationName(message.organisation)),
        cell(named(TOPICS, message.topic)),
        cell(message.deliveredAt ? `Sent ${when(message.deliveredAt)}` : named(STATUSES, message.status)),
      ]),
    ),
    empty: sent.length === 0 && !link ? 'We have not sent anything about you to another organisation.' : undefined,
  };
}

function haveYourSay(snapshot: Snapshot): Section {
  const { preference, invitations, responses } = snapshot.engagement;
  return {
    id: 'have-your-say',
    heading: 'Have your say',
    summary: preference
      ? [
          row('Invite me to take part', yesNo(preference.wantsInvitations)),
          row('Topics', preference.topics.join(', ')),
          row('Ways of taking part', preference.methods.join(', ')),
          row('Invitations a month, at most', preference.monthlyLimit),
          row('Area', preference.postcodeDistrict),
        ]
      : undefined,
    tables: [
      ...table(
        'Invitations',
        ['Sent', 'Activity', 'Organisation'],
        invitations.map((invitation) => [cell(when(invitation.sentAt)), cell(invitation.activity), cell(invitation.organisation)]),
      ),
      ...table(
        'Your answers',
        ['Activity', 'Question', 'Your answer', 'Sent'],
        responses.flatMap((response) =>
          response.answers.map((answer) => [
            cell(`${response.activity} (${response.organisation})`),
            cell(answer.question),
            cell(inWords(answer.value)),
            cell(response.submittedAt ? when(response.submittedAt) : 'Not sent yet'),
          ]),
        ),
      ),
    ],
    empty: !preference && invitations.length + responses.length === 0 ? 'You have not taken part yet.' : undefined,
  };
}

function apps(snapshot: Snapshot): Section {
  return {
    id: 'apps',
    heading: 'Apps you connected',
    tables: table(
      'Apps',
      ['App', 'What it may do', 'Connected', 'Last used', 'Disconnected'],
      snapshot.apps.map((app) => [
        cell(app.publisher ? `${app.app} (${app.publisher})` : app.app),
        cell(app.scopes.join(', ')),
        cell(when(app.connectedAt)),
        cell(when(app.lastUsedAt)),
        cell(when(app.disconnectedAt)),
      ]),
    ),
    empty: snapshot.apps.length === 0 ? 'You have not connected any apps.' : undefined,
  };
}

function unfinished(snapshot: Snapshot): Section {
  return {
    id: 'unfinished',
    heading: 'Answers you have not confirmed yet',
    intro: 'Answers are kept while you go through a form, until you confirm them or they run out of time.',
    tables: table(
      'Unconfirmed answers',
      ['Form', 'Answers', 'Kept until'],
      snapshot.unfinishedAnswers.map((draft) => [cell(draft.journey), cell(inWords(draft.answers)), cell(when(draft.usableUntil))]),
    ),
    empty: snapshot.unfinishedAnswers.length === 0 ? 'None.' : undefined,
  };
}

function statistics(snapshot: Snapshot): Section {
  const { daysSignedIn, monthsSignedIn } = snapshot.usageStatistics;
  return {
    id: 'statistics',
    heading: 'Counting how many people use the service',
    intro: 'We keep the days and months you signed in, to count how many people use the service. The counts never name anyone.',
    summary: [
      row(
        'Days you signed in',
        daysSignedIn.length === 0 ? null : `${daysSignedIn.length}, from ${formatCalendarDay(daysSignedIn[0]!)} to ${formatCalendarDay(daysSignedIn.at(-1)!)}`,
      ),
      row('Months you signed in', monthsSignedIn.map((month) => formatCalendarDay(`${month}-01`).replace(/^1 /, '')).join(', ')),
    ],
    tables: [],
  };
}

export function readableSections(snapshot: Snapshot): Section[] {
  return [
    aboutYou(snapshot),
    signingIn(snapshot),
    aboutMe(snapshot),
    bloodPressure(snapshot),
    contactDetails(snapshot),
    sharing(snapshot),
    sentElsewhere(snapshot),
    letters(snapshot),
    messages(snapshot),
    haveYourSay(snapshot),
    apps(snapshot),
    unfinished(snapshot),
    statistics(snapshot),
  ];
}
