import { describeCommunicationNeeds, savedCommunicationNeeds } from '@/lib/about-me/public';
import { accountIdsOf } from '@/lib/identity/public';
import { senderName } from '@/lib/letters/public';
import type { Db } from '@/lib/platform/db';
import { accessesWindow } from '@/lib/sharing/public';

/**
 * Everything the service holds about one citizen, read at one moment, as plain JSON: what the
 * "Your data" download is made from (its JSON file is this, its FHIR Bundle and readable page are
 * built from it). Every read is scoped to the citizen's own user id (and, for the audit log, the
 * accounts joined into theirs), with explicit fields, so that no secret can slip in: no session
 * ids, id tokens, token hashes, OAuth records or audit hashes. Information from the shared care
 * record is not held by us and is not here (the care record pages show it).
 *
 * Dates are ISO 8601 instants; calendar days (YYYY-MM-DD) stay as they are kept.
 */

export const SNAPSHOT_FORMAT = 'person-held-record/your-data';
export const SNAPSHOT_VERSION = 1;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Snapshot = {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  preparedAt: string;
  person: {
    id: string;
    givenName: string;
    familyName: string;
    birthDate: string;
    nhsNumber: string | null;
    verifiedPostcode: string | null;
    identityLevel: string;
    accountCreatedAt: string;
    registeredAt: string | null;
    termsOfUseVersion: string | null;
    termsOfUseAgreedAt: string | null;
  };
  signInMethods: { provider: string; accountAtProvider: string; addedAt: string }[];
  signInMethodChanges: { at: string; provider: string; kind: string; mergedAccountId: string | null; detail: Json }[];
  sessions: {
    provider: string;
    deviceKind: string;
    sharedDevice: boolean;
    startedAt: string;
    lastSeenAt: string;
    endsAt: string;
    signedOutAt: string | null;
  }[];
  signIns: { at: string; provider: string; deviceKind: string; sharedDevice: boolean; outcome: string }[];
  bloodPressure: {
    readings: {
      id: string;
      measuredAt: string;
      systolic: number;
      diastolic: number;
      pulse: number | null;
      arm: string;
      sitting: boolean;
      pairId: string | null;
      addedAt: string;
      changedAt: string;
      addedByApp: string | null;
      deletedAt: string | null;
    }[];
    changes: { readingId: string; at: string; action: string; before: Json; after: Json }[];
    homeMonitoringWeeks: {
      id: string;
      startedOn: string;
      endsOn: string;
      endedEarly: boolean;
      finishedAt: string | null;
      result: string | null;
      systolic: number | null;
      diastolic: number | null;
      readingCount: number | null;
      daysThatCount: number | null;
      readingsAveraged: Json;
      recalculatedAt: string | null;
    }[];
  };
  aboutMe: {
    /** Every version they saved, newest first: the first is current. */
    topThreeThings: { savedAt: string; things: Json }[];
    conditions: { id: string; name: string; snomedCode: string | null; addedAt: string }[];
    communicationNeeds: {
      formats: string[];
      interpreterLanguage: string | null;
      carerName: string | null;
      carerContact: string | null;
      otherNeeds: string | null;
      inWords: string[];
      updatedAt: string;
    } | null;
  };
  sharingChoices: { category: string; shared: boolean; chosenAt: string }[];
  careRecordLink: { outcome: string; careRecordPatientId: string | null; method: string; checkedAt: string } | null;
  unfinishedAnswers: { journey: string; answers: Json; savedAt: string; usableUntil: string }[];
  contactDetails: {
    preference: { channel: string; email: string | null; mobile: string | null; updatedAt: string } | null;
    fewerLetters: { organisation: string; fewerLetters: boolean; updatedAt: string }[];
    addresses: { line1: string; line2: string | null; town: string; county: string | null; postcode: string; source: string; addedAt: string }[];
    movesToDigital: { at: string; from: string; to: string }[];
    /** An organisation's own reference for them, as its system gave it when it received a change (the council names them by it in its letters). */
    organisationReferences: { organisation: string; reference: string; updatedAt: string }[];
  };
  sentToOrganisations: {
    organisation: string;
    topic: string;
    createdAt: string;
    status: string;
    attempts: number;
    deliveredAt: string | null;
    payload: Json;
  }[];
  engagement: {
    preference: {
      wantsInvitations: boolean;
      topics: string[];
      methods: string[];
      monthlyLimit: number;
      postcodeDistrict: string | null;
      updatedAt: string;
    } | null;
    invitations: { activity: string; organisation: string; sentAt: string }[];
    responses: {
      activity: string;
      organisation: string;
      startedAt: string;
      submittedAt: string | null;
      answers: { question: string; value: Json; answeredAt: string }[];
    }[];
  };
  /** Letters organisations delivered to the service's inbox (the PDFs stay in the inbox: lib/letters). */
  letters: {
    id: string;
    from: string;
    kind: string;
    title: string;
    letterDate: string;
    receivedAt: string;
    readAt: string | null;
    postRequestedAt: string | null;
    postedReason: string | null;
    pdfBytes: number;
    /** The accessible version, as the simple HTML the inbox shows. */
    html: string;
  }[];
  apps: { app: string; publisher: string | null; scopes: string[]; connectedAt: string; lastUsedAt: string | null; disconnectedAt: string | null }[];
  /** Professionals' views, downloads and emergency access, and apps' reads and additions, as "Who has viewed your information" shows them. */
  whoHasViewed: { at: string; who: string; organisation: string; role: string; what: string; reason: string }[];
  /** Every entry about them in the audit log (who did what to their record, including themselves), oldest first. */
  auditLog: {
    at: string;
    actorKind: string;
    actorName: string | null;
    actorOrganisation: string | null;
    actorRole: string | null;
    action: string;
    category: string | null;
    reason: string | null;
  }[];
  /** Kept only to count how many people use the service each day and month (programme reporting). */
  usageStatistics: { daysSignedIn: string[]; monthsSignedIn: string[] };
};

const iso = (at: Date) => at.toISOString();
const isoOrNull = (at: Date | null) => (at ? at.toISOString() : null);
const list = (text: string) => text.split(',').filter(Boolean);

/** Text we stored as JSON, as JSON again; kept as text when it is not JSON. */
function parsed(text: string | null): Json {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** Everything held about the citizen, now. Null when there is no such account. */
export async function collectSnapshot(db: Db, userId: string, now: Date): Promise<Snapshot | null> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) return null;
  const own = { where: { userId } };
  const [
    identities,
    links,
    sessions,
    signIns,
    readings,
    changes,
    weeks,
    topThree,
    conditions,
    needs,
    consents,
    careRecordLink,
    drafts,
    preference,
    fewerLetters,
    addresses,
    switches,
    references,
    outbox,
    engagementPreference,
    invitations,
    responses,
    connections,
    letters,
    days,
    months,
  ] = await Promise.all([
    db.userIdentity.findMany({ ...own, select: { provider: true, subject: true, createdAt: true }, orderBy: { createdAt: 'asc' } }),
    db.identityLink.findMany({ ...own, orderBy: { at: 'asc' } }),
    db.session.findMany({
      ...own,
      select: { provider: true, deviceKind: true, sharedDevice: true, createdAt: true, lastSeenAt: true, absoluteExpiresAt: true, revokedAt: true },
      orderBy: { createdAt: 'desc' },
    }),
    db.signInEvent.findMany({ ...own, orderBy: { at: 'desc' } }),
    db.bloodPressureReading.findMany({ ...own, orderBy: { measuredAt: 'asc' } }),
    db.bloodPressureReadingChange.findMany({ ...own, orderBy: { at: 'asc' } }),
    db.homeMonitoringWeek.findMany({ ...own, orderBy: { startedOn: 'asc' } }),
    db.topThingsVersion.findMany({ ...own, orderBy: { createdAt: 'desc' } }),
    db.longTermCondition.findMany({ ...own, orderBy: { addedAt: 'asc' } }),
    db.communicationNeeds.findUnique({ where: { userId } }),
    db.sharingConsent.findMany({ ...own, orderBy: { category: 'asc' } }),
    db.careRecordLink.findUnique({ where: { userId } }),
    db.draft.findMany({ ...own, orderBy: { journey: 'asc' } }),
    db.contactPreference.findUnique({ where: { userId } }),
    db.fewerLettersChoice.findMany({ ...own, orderBy: { organisation: 'asc' } }),
    db.postalAddress.findMany({ ...own, orderBy: { createdAt: 'desc' } }),
    db.postToDigitalSwitch.findMany({ ...own, orderBy: { at: 'asc' } }),
    db.organisationReference.findMany({ ...own, select: { organisation: true, reference: true, updatedAt: true }, orderBy: { organisation: 'asc' } }),
    db.outboxMessage.findMany({
      ...own,
      select: { destination: true, topic: true, createdAt: true, status: true, attempts: true, deliveredAt: true, payload: true },
      orderBy: { createdAt: 'asc' },
    }),
    db.engagementPreference.findUnique({ where: { userId } }),
    db.engagementInvitation.findMany({
      ...own,
      select: { sentAt: true, activity: { select: { title: true, organisationName: true } } },
      orderBy: { sentAt: 'asc' },
    }),
    db.engagementResponse.findMany({
      ...own,
      select: {
        startedAt: true,
        submittedAt: true,
        activity: { select: { title: true, organisationName: true } },
        answers: { select: { value: true, answeredAt: true, question: { select: { text: true } } }, orderBy: { answeredAt: 'asc' } },
      },
      orderBy: { startedAt: 'asc' },
    }),
    db.appConnection.findMany({
      ...own,
      select: { appId: true, scopes: true, connectedAt: true, lastUsedAt: true, disconnectedAt: true },
      orderBy: { connectedAt: 'asc' },
    }),
    db.letter.findMany({
      ...own,
      select: {
        id: true,
        senderId: true,
        kind: true,
        title: true,
        letterDate: true,
        receivedAt: true,
        readAt: true,
        postRequestedAt: true,
        postedReason: true,
        pdfBytes: true,
        html: true,
      },
      orderBy: { receivedAt: 'asc' },
    }),
    db.userActiveDay.findMany({ ...own, select: { day: true }, orderBy: { day: 'asc' } }),
    db.userActiveMonth.findMany({ ...own, select: { month: true }, orderBy: { month: 'asc' } }),
  ]);

  // An account joined into this one keeps its audit entries under its own id (the log is never rewritten).
  const accountIds = await accountIdsOf(db, userId);
  const [audit, apps, views] = await Promise.all([
    db.auditEntry.findMany({
      where: { citizenId: { in: accountIds } },
      select: { at: true, actorKind: true, actorName: true, actorOrganisation: true, actorRole: true, action: true, category: true, reason: true },
      orderBy: { seq: 'asc' },
    }),
    db.app.findMany({ where: { id: { in: connections.map((connection) => connection.appId) } }, select: { id: true, name: true, publisher: true } }),
    accessesWindow(db, userId, { skip: 0, take: 1_000_000 }),
  ]);
  const appsById = new Map(apps.map((app) => [app.id, app]));
  const savedNeeds = needs ? savedCommunicationNeeds(needs) : null;

  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    preparedAt: iso(now),
    person: {
      id: user.id,
      givenName: user.givenName,
      familyName: user.familyName,
      birthDate: user.birthDate,
      nhsNumber: user.nhsNumber,
      verifiedPostcode: user.verifiedPostcode,
      identityLevel: user.identityLevel,
      accountCreatedAt: iso(user.createdAt),
      registeredAt: isoOrNull(user.registeredAt),
      termsOfUseVersion: user.consentVersion,
      termsOfUseAgreedAt: isoOrNull(user.consentedAt),
    },
    signInMethods: identities.map((identity) => ({ provider: identity.provider, accountAtProvider: identity.subject, addedAt: iso(identity.createdAt) })),
    signInMethodChanges: links.map((link) => ({
      at: iso(link.at),
      provider: link.provider,
      kind: link.kind,
      mergedAccountId: link.mergedUserId,
      detail: parsed(link.detail),
    })),
    sessions: sessions.map((session) => ({
      provider: session.provider,
      deviceKind: session.deviceKind,
      sharedDevice: session.sharedDevice,
      startedAt: iso(session.createdAt),
      lastSeenAt: iso(session.lastSeenAt),
      endsAt: iso(session.absoluteExpiresAt),
      signedOutAt: isoOrNull(session.revokedAt),
    })),
    signIns: signIns.map((event) => ({
      at: iso(event.at),
      provider: event.provider,
      deviceKind: event.deviceKind,
      sharedDevice: event.sharedDevice,
      outcome: event.outcome,
    })),
    bloodPressure: {
      readings: readings.map((reading) => ({
        id: reading.id,
        measuredAt: iso(reading.measuredAt),
        systolic: reading.systolic,
        diastolic: reading.diastolic,
        pulse: reading.pulse,
        arm: reading.arm,
        sitting: reading.sitting,
        pairId: reading.pairId,
        addedAt: iso(reading.createdAt),
        changedAt: iso(reading.updatedAt),
        addedByApp: reading.addedByAppId,
        deletedAt: isoOrNull(reading.deletedAt),
      })),
      changes: changes.map((change) => ({
        readingId: change.readingId,
        at: iso(change.at),
        action: change.action,
        before: parsed(change.before),
        after: parsed(change.after),
      })),
      homeMonitoringWeeks: weeks.map((week) => ({
        id: week.id,
        startedOn: week.startedOn,
        endsOn: week.endsOn,
        endedEarly: week.endedEarly,
        finishedAt: isoOrNull(week.finishedAt),
        result: week.result,
        systolic: week.systolic,
        diastolic: week.diastolic,
        readingCount: week.readingCount,
        daysThatCount: week.daysThatCount,
        readingsAveraged: parsed(week.readings),
        recalculatedAt: isoOrNull(week.recalculatedAt),
      })),
    },
    aboutMe: {
      topThreeThings: topThree.map((version) => ({ savedAt: iso(version.createdAt), things: parsed(version.items) })),
      conditions: conditions.map((condition) => ({ id: condition.id, name: condition.name, snomedCode: condition.code, addedAt: iso(condition.addedAt) })),
      communicationNeeds:
        needs && savedNeeds
          ? {
              formats: savedNeeds.formats,
              interpreterLanguage: needs.interpreterLanguage,
              carerName: needs.carerName,
              carerContact: needs.carerContact,
              otherNeeds: needs.otherNeeds,
              inWords: [...describeCommunicationNeeds(savedNeeds), ...(needs.otherNeeds ? [needs.otherNeeds] : [])],
              updatedAt: iso(needs.updatedAt),
            }
          : null,
    },
    sharingChoices: consents.map((consent) => ({ category: consent.category, shared: consent.shared, chosenAt: iso(consent.updatedAt) })),
    careRecordLink: careRecordLink
      ? {
          outcome: careRecordLink.outcome,
          careRecordPatientId: careRecordLink.patientId,
          method: careRecordLink.method,
          checkedAt: iso(careRecordLink.checkedAt),
        }
      : null,
    unfinishedAnswers: drafts.map((draft) => ({
      journey: draft.journey,
      answers: parsed(draft.answers),
      savedAt: iso(draft.updatedAt),
      usableUntil: iso(draft.expiresAt),
    })),
    contactDetails: {
      preference: preference ? { channel: preference.channel, email: preference.email, mobile: preference.mobile, updatedAt: iso(preference.updatedAt) } : null,
      fewerLetters: fewerLetters.map((choice) => ({ organisation: choice.organisation, fewerLetters: choice.fewerLetters, updatedAt: iso(choice.updatedAt) })),
      addresses: addresses.map((address) => ({
        line1: address.line1,
        line2: address.line2,
        town: address.town,
        county: address.county,
        postcode: address.postcode,
        source: address.source,
        addedAt: iso(address.createdAt),
      })),
      movesToDigital: switches.map((move) => ({ at: iso(move.at), from: move.fromChannel, to: move.toChannel })),
      organisationReferences: references.map((row) => ({ organisation: row.organisation, reference: row.reference, updatedAt: iso(row.updatedAt) })),
    },
    sentToOrganisations: outbox.map((message) => ({
      organisation: message.destination,
      topic: message.topic,
      createdAt: iso(message.createdAt),
      status: message.status,
      attempts: message.attempts,
      deliveredAt: isoOrNull(message.deliveredAt),
      payload: parsed(message.payload),
    })),
    engagement: {
      preference: engagementPreference
        ? {
            wantsInvitations: engagementPreference.wantsInvitations,
            topics: list(engagementPreference.topics),
            methods: list(engagementPreference.methods),
            monthlyLimit: engagementPreference.monthlyLimit,
            postcodeDistrict: engagementPreference.postcodeDistrict,
            updatedAt: iso(engagementPreference.updatedAt),
          }
        : null,
      invitations: invitations.map((invitation) => ({
        activity: invitation.activity.title,
        organisation: invitation.activity.organisationName,
        sentAt: iso(invitation.sentAt),
      })),
      responses: responses.map((response) => ({
        activity: response.activity.title,
        organisation: response.activity.organisationName,
        startedAt: iso(response.startedAt),
        submittedAt: isoOrNull(response.submittedAt),
        answers: response.answers.map((answer) => ({ question: answer.question.text, value: parsed(answer.value), answeredAt: iso(answer.answeredAt) })),
      })),
    },
    apps: connections.map((connection) => ({
      app: appsById.get(connection.appId)?.name ?? connection.appId,
      publisher: appsById.get(connection.appId)?.publisher ?? null,
      scopes: connection.scopes.split(' ').filter(Boolean),
      connectedAt: iso(connection.connectedAt),
      lastUsedAt: isoOrNull(connection.lastUsedAt),
      disconnectedAt: isoOrNull(connection.disconnectedAt),
    })),
    letters: letters.map((letter) => ({
      id: letter.id,
      from: senderName(letter.senderId),
      kind: letter.kind,
      title: letter.title,
      letterDate: letter.letterDate,
      receivedAt: iso(letter.receivedAt),
      readAt: isoOrNull(letter.readAt),
      postRequestedAt: isoOrNull(letter.postRequestedAt),
      postedReason: letter.postedReason,
      pdfBytes: letter.pdfBytes,
      html: letter.html,
    })),
    whoHasViewed: views.rows.map((row) => ({
      at: iso(row.at),
      who: row.who,
      organisation: row.organisation,
      role: row.role,
      what: row.what,
      reason: row.reasonText,
    })),
    auditLog: audit.map((entry) => ({ ...entry, at: iso(entry.at) })),
    usageStatistics: { daysSignedIn: days.map((day) => day.day), monthsSignedIn: months.map((month) => month.month) },
  };
}
