// Contact preferences and addresses kept at source, on the database under test.
import { describe, expect, it } from 'vitest';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { addressDraftSchema } from './address';
import { preferenceDraftSchema, type PreferenceAnswers } from './preferences';
import { changeAddress, contactPreferencesOf, currentAddressOf, deliveriesOf, postToDigitalSwitchCount, readDraft, saveDraft, savePreferences } from './store';
import { confirmAddress, makeCitizen, SAMPLE_ADDRESS } from './test-support';

const { provider } = useDatabaseUnderTest();

async function confirmPreferences(userId: string, answers: PreferenceAnswers, now = new Date()) {
  await saveDraft(getDb(), userId, 'preference', answers);
  return savePreferences(getDb(), userId, answers, now);
}

describe(`contact details on ${provider}`, () => {
  it('keeps the preference and each organisation’s fewer-letters choice, and tells every organisation', async () => {
    const userId = await makeCitizen(getDb());
    expect(await contactPreferencesOf(getDb(), userId)).toEqual({ channel: null, email: undefined, mobile: undefined, fewerLetters: [], changeId: null });

    const changeId = await confirmPreferences(userId, { channel: 'email', email: 'amelia@example.com', fewerLetters: ['council'] });
    expect(changeId).toEqual(expect.any(String));
    expect(await contactPreferencesOf(getDb(), userId)).toEqual({
      channel: 'email',
      email: 'amelia@example.com',
      mobile: undefined,
      fewerLetters: ['council'],
      changeId,
    });
    const messages = await getDb().outboxMessage.findMany({ where: { userId, subjectId: changeId! }, orderBy: { destination: 'asc' } });
    expect(messages.map((message) => [message.destination, JSON.parse(message.payload).fewerLetters])).toEqual([
      ['care-record', false],
      ['council', true],
    ]);
    expect(await readDraft(getDb(), userId, 'preference', preferenceDraftSchema)).toEqual({});
  });

  it('a confirmed journey is saved once, even when sent twice', async () => {
    const userId = await makeCitizen(getDb());
    const answers: PreferenceAnswers = { channel: 'text', mobile: '07700 900982', fewerLetters: [] };
    await saveDraft(getDb(), userId, 'preference', answers);
    const [first, second] = await Promise.all([savePreferences(getDb(), userId, answers), savePreferences(getDb(), userId, answers)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await getDb().outboxMessage.count({ where: { userId } })).toBe(2);
    expect(await getDb().postToDigitalSwitch.count({ where: { userId } })).toBe(1);
  });

  it('counts people who moved from post to digital, once each, within the dates asked', async () => {
    const before = await postToDigitalSwitchCount(getDb());
    const start = new Date('2030-01-01T00:00:00Z');
    const mid = new Date('2030-02-01T00:00:00Z');
    const end = new Date('2030-03-01T00:00:00Z');
    // Other runs on the same database may have counted in these dates too.
    const inRange = await postToDigitalSwitchCount(getDb(), start, end);
    const inFirstMonth = await postToDigitalSwitchCount(getDb(), start, mid);
    const inSecondMonth = await postToDigitalSwitchCount(getDb(), mid, end);

    const switcher = await makeCitizen(getDb());
    await confirmPreferences(switcher, { channel: 'post', fewerLetters: [] }, start);
    await confirmPreferences(switcher, { channel: 'email', email: 'a@example.com', fewerLetters: [] }, new Date(start.getTime() + 1000));
    await confirmPreferences(switcher, { channel: 'text', mobile: '07700 900982', fewerLetters: [] }, new Date(start.getTime() + 2000));
    await confirmPreferences(switcher, { channel: 'post', fewerLetters: [] }, new Date(start.getTime() + 3000));
    await confirmPreferences(switcher, { channel: 'service-only', fewerLetters: [] }, mid);
    const firstChoice = await makeCitizen(getDb());
    await confirmPreferences(firstChoice, { channel: 'service-only', fewerLetters: [] }, mid);
    const stayedOnPost = await makeCitizen(getDb());
    await confirmPreferences(stayedOnPost, { channel: 'post', fewerLetters: ['council'] }, mid);

    expect(await postToDigitalSwitchCount(getDb(), start, end)).toBe(inRange + 2);
    expect(await postToDigitalSwitchCount(getDb(), mid, end)).toBe(inSecondMonth + 2);
    expect(await postToDigitalSwitchCount(getDb(), start, mid)).toBe(inFirstMonth + 1);
    expect(await postToDigitalSwitchCount(getDb())).toBe(before + 2);
  });

  it('keeps every address; the newest is current; each change is queued for every organisation in the same transaction', async () => {
    const userId = await makeCitizen(getDb());
    expect(await currentAddressOf(getDb(), userId)).toBeNull();
    const first = await confirmAddress(getDb(), userId, SAMPLE_ADDRESS, new Date('2026-11-01T10:00:00Z'));
    const manual = { line1: '<script>alert(1)</script> Flat 2', line2: 'Testing Lane', town: 'Leeds', postcode: 'LS6 9ZZ', source: 'manual' as const };
    const second = await confirmAddress(getDb(), userId, manual, new Date('2026-11-02T10:00:00Z'));
    expect(await currentAddressOf(getDb(), userId)).toMatchObject({
      id: second,
      line1: manual.line1,
      line2: 'Testing Lane',
      county: undefined,
      source: 'manual',
    });
    expect(await getDb().postalAddress.count({ where: { userId } })).toBe(2);
    expect((await deliveriesOf(getDb(), userId, first)).map((delivery) => delivery.organisation)).toEqual(['care-record', 'council']);
    expect(await readDraft(getDb(), userId, 'address', addressDraftSchema)).toEqual({});

    // Without a draft (already confirmed) nothing more is made.
    expect(await changeAddress(getDb(), userId, manual)).toBeNull();
    expect(await getDb().postalAddress.count({ where: { userId } })).toBe(2);
  });

  it('a change that fails part way leaves nothing behind: no address, no messages, the draft kept', async () => {
    const userId = await makeCitizen(getDb());
    await saveDraft(getDb(), userId, 'address', { address: SAMPLE_ADDRESS });
    // The draft is taken first; then writing the address fails (no town): all of it is undone.
    const broken = { ...SAMPLE_ADDRESS, town: undefined as unknown as string };
    await expect(changeAddress(getDb(), userId, broken)).rejects.toThrow();
    expect(await getDb().postalAddress.count({ where: { userId } })).toBe(0);
    expect(await getDb().outboxMessage.count({ where: { userId } })).toBe(0);
    expect(await readDraft(getDb(), userId, 'address', addressDraftSchema)).toEqual({ address: SAMPLE_ADDRESS });
  });

  it('reads the preference, the fewer-letters choices, the deliveries and the address directly just as Prisma reads them, nulls and ties included', async () => {
    const db = getDb();
    const userId = await makeCitizen(getDb());
    await confirmPreferences(userId, { channel: 'text', mobile: '07700 900123', fewerLetters: ['care-record', 'council'] });
    await db.fewerLettersChoice.update({ where: { userId_organisation: { userId, organisation: 'council' } }, data: { fewerLetters: false } });
    const preference = await db.contactPreference.findUniqueOrThrow({ where: { userId } });
    const choices = await db.fewerLettersChoice.findMany({ where: { userId, fewerLetters: true } });
    expect(await contactPreferencesOf(db, userId)).toEqual({
      channel: preference.channel,
      email: undefined,
      mobile: preference.mobile,
      fewerLetters: choices.map((choice) => choice.organisation),
      changeId: preference.changeId,
    });
    expect((await contactPreferencesOf(db, userId)).fewerLetters).toEqual(['care-record']);
    // Each organisation's message for the change, in every state a delivery shows.
    await db.outboxMessage.updateMany({ where: { userId, subjectId: preference.changeId, destination: 'council' }, data: { status: 'failed', attempts: 8 } });
    const messages = await db.outboxMessage.findMany({ where: { userId, subjectId: preference.changeId }, orderBy: { destination: 'asc' } });
    expect(messages.map((message) => [message.destination, message.status, message.attempts])).toEqual([
      ['care-record', 'pending', 0],
      ['council', 'failed', 8],
    ]);
    expect(await deliveriesOf(db, userId, preference.changeId)).toEqual([
      { organisation: 'care-record', name: 'Your GP practice and the Leeds Care Record', state: 'sending' },
      { organisation: 'council', name: 'Leeds City Council', state: 'failed' },
    ]);

    // Two addresses given in the same millisecond, stored in the opposite order to their ids: the current one is the one with the last id.
    const at = new Date('2026-03-29T00:59:59.123Z');
    await db.postalAddress.createMany({
      data: [
        { id: `${userId}-b`, userId, createdAt: at, line1: '1 First Street', town: 'Leeds', postcode: 'LS1 1AA', source: 'manual' },
        {
          id: `${userId}-a`,
          userId,
          createdAt: at,
          line1: '2 Second Street',
          line2: 'Headingley',
          town: 'Leeds',
          county: 'West Yorkshire',
          postcode: 'LS6 2BB',
          source: 'lookup',
          uprn: '72000001',
        },
      ],
    });
    const row = await db.postalAddress.findFirstOrThrow({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    expect(row.id).toBe(`${userId}-b`);
    expect(await currentAddressOf(db, userId)).toEqual({
      id: row.id,
      createdAt: at,
      source: 'manual',
      line1: '1 First Street',
      town: 'Leeds',
      postcode: 'LS1 1AA',
    });
    await db.postalAddress.delete({ where: { id: row.id } });
    expect(await currentAddressOf(db, userId)).toEqual({
      id: `${userId}-a`,
      createdAt: at,
      source: 'lookup',
      line1: '2 Second Street',
      line2: 'Headingley',
      town: 'Leeds',
      county: 'West Yorkshire',
      postcode: 'LS6 2BB',
    });
  });

  it('one citizen can never read or change another’s details', async () => {
    const amelia = await makeCitizen(getDb(), 'Amelia');
    const other = await makeCitizen(getDb(), 'Other');
    const changeId = await confirmPreferences(amelia, { channel: 'email', email: 'amelia@example.com', fewerLetters: ['care-record'] });
    const addressId = await confirmAddress(getDb(), amelia);
    await saveDraft(getDb(), amelia, 'address', { address: { ...SAMPLE_ADDRESS, line1: 'Amelia’s draft' } });

    // Reading with the other citizen's id (all any page ever passes) finds none of Amelia's.
    expect(await contactPreferencesOf(getDb(), other)).toMatchObject({ channel: null, fewerLetters: [] });
    expect(await currentAddressOf(getDb(), other)).toBeNull();
    expect(await deliveriesOf(getDb(), other, addressId)).toEqual([]);
    expect(await deliveriesOf(getDb(), other, changeId!)).toEqual([]);
    expect(await readDraft(getDb(), other, 'address', addressDraftSchema)).toEqual({});

    // Confirming as the other citizen uses only their own (missing) draft: Amelia's stays, hers unchanged.
    expect(await changeAddress(getDb(), other, SAMPLE_ADDRESS)).toBeNull();
    expect(await readDraft(getDb(), amelia, 'address', addressDraftSchema)).toMatchObject({ address: { line1: 'Amelia’s draft' } });
    expect(await currentAddressOf(getDb(), amelia)).toMatchObject({ id: addressId });
  });
});
