// "About me" data access on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
import { describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { appendAuditEntry, auditedTransaction } from '@/lib/audit/audit-log';
import { getDb } from '@/lib/platform/db';
import { conditionHelpFor } from './home';
import { topThingsSchema } from './rules';
import {
  addCondition,
  currentTopThree,
  findCondition,
  lastProfessionalView,
  listConditions,
  readCommunicationNeeds,
  readDraft,
  removeCondition,
  saveCommunicationNeeds,
  saveDraft,
  saveTopThree,
  topThreeHistory,
} from './store';

const { provider } = useDatabaseUnderTest();

describe(`about me store on ${provider}`, () => {
  it('keeps every save of the top three as a new version, newest first, as text', async () => {
    const userId = await makeCitizen({ givenName: 'Amelia' });
    expect(await currentTopThree(getDb(), userId)).toBeNull();
    await saveDraft(getDb(), userId, 'top-three', [{ title: 'draft', description: 'draft' }]);
    await saveTopThree(getDb(), userId, [{ title: 'First', description: 'one' }], new Date('2026-11-01T10:00:00Z'));
    const things = [
      { title: '<script>alert(1)</script>', description: 'Line one\nLine two & "quotes"' },
      { title: 'Emergency contact', description: 'My son, Ben' },
    ];
    await saveTopThree(getDb(), userId, things, new Date('2026-11-02T10:00:00Z'));

    expect((await currentTopThree(getDb(), userId))?.things).toEqual(things);
    const history = await topThreeHistory(getDb(), userId);
    expect(history.map((version) => version.things.length)).toEqual([2, 1]);
    expect(history[1]!.createdAt).toEqual(new Date('2026-11-01T10:00:00Z'));
    // Saving removed the draft it came from.
    expect(await readDraft(getDb(), userId, 'top-three', topThingsSchema)).toBeNull();
  });

  it('never stores more than three things or an empty list', async () => {
    const userId = await makeCitizen({ givenName: 'Amelia' });
    const four = Array.from({ length: 4 }, (_, index) => ({ title: `t${index}`, description: 'd' }));
    await expect(saveTopThree(getDb(), userId, four)).rejects.toThrow();
    await expect(saveTopThree(getDb(), userId, [])).rejects.toThrow();
    expect(await topThreeHistory(getDb(), userId)).toEqual([]);
  });

  it('tells when a professional last viewed the top three, from the audit log', async () => {
    const userId = await makeCitizen({ givenName: 'Amelia' });
    const other = await makeCitizen({ givenName: 'Ben' });
    expect(await lastProfessionalView(getDb(), userId)).toBeNull();
    // Appended through the audit log itself, so the shared database's chain stays whole.
    const entry = async (at: string, citizenId: string, category: string, actorKind: 'staff' | 'citizen' = 'staff') =>
      auditedTransaction(getDb(), (tx) =>
        appendAuditEntry(
          tx,
          { citizenId, actorKind, actorId: 'ZZ0001', actorName: 'Grace Practiceton', actorOrganisation: null, actorRole: null, action: 'view', category },
          new Date(at),
        ),
      );
    await entry('2026-11-20T09:00:00Z', userId, 'top-three');
    await entry('2026-11-21T09:00:00Z', userId, 'top-three');
    await entry('2026-11-25T09:00:00Z', userId, 'conditions');
    await entry('2026-11-26T09:00:00Z', other, 'top-three');
    await entry('2026-11-27T09:00:00Z', userId, 'top-three', 'citizen');
    expect(await lastProfessionalView(getDb(), userId)).toEqual(new Date('2026-11-21T09:00:00Z'));
  });

  it('adds conditions once each, and removes them', async () => {
    const userId = await makeCitizen({ givenName: 'Amelia' });
    expect(await addCondition(getDb(), userId, { code: '195967001', name: 'Asthma' })).toBe('added');
    expect(await addCondition(getDb(), userId, { code: '195967001', name: 'Asthma' })).toBe('already-added');
    expect(await addCondition(getDb(), userId, { code: null, name: '<b>Long COVID</b>' })).toBe('added');
    expect(await addCondition(getDb(), userId, { code: null, name: '<B>long covid</B>' })).toBe('already-added');
    const conditions = await listConditions(getDb(), userId);
    expect(conditions.map((condition) => [condition.code, condition.name])).toEqual([
      ['195967001', 'Asthma'],
      [null, '<b>Long COVID</b>'],
    ]);

    const help = await conditionHelpFor(getDb(), userId);
    expect(help.nhsPages).toEqual([{ text: 'Asthma on the NHS website', href: 'https://www.nhs.uk/conditions/asthma/' }]);

    expect(await removeCondition(getDb(), userId, conditions[0]!.id)).toBe(true);
    expect(await removeCondition(getDb(), userId, conditions[0]!.id)).toBe(false);
    expect((await listConditions(getDb(), userId)).map((condition) => condition.name)).toEqual(['<b>Long COVID</b>']);
  });

  it('replaces communication needs (one row per citizen)', async () => {
    const userId = await makeCitizen({ givenName: 'Amelia' });
    expect(await readCommunicationNeeds(getDb(), userId)).toBeNull();
    await saveCommunicationNeeds(getDb(), userId, {
      formats: ['large-print', 'contact-carer'],
      interpreterLanguage: null,
      carerName: 'Jo <i>Bloggs</i>',
      carerContact: '07700 900123',
      otherNeeds: null,
    });
    await saveCommunicationNeeds(getDb(), userId, {
      formats: ['spoken-language-interpreter'],
      interpreterLanguage: 'Polish',
      carerName: null,
      carerContact: null,
      otherNeeds: 'Speak slowly',
    });
    expect(await readCommunicationNeeds(getDb(), userId)).toMatchObject({
      formats: ['spoken-language-interpreter'],
      interpreterLanguage: 'Polish',
      carerName: null,
      otherNeeds: 'Speak slowly',
    });
    expect(await getDb().communicationNeeds.count({ where: { userId } })).toBe(1);
    const row = await getDb().communicationNeeds.findUniqueOrThrow({ where: { userId } });
    expect(row.formats).toBe('spoken-language-interpreter');
  });

  it('reads what about me shows on every view directly just as Prisma reads it, ties and nulls included', async () => {
    const db = getDb();
    const userId = await makeCitizen({ givenName: 'Amelia' });
    const at = new Date('2026-03-29T00:59:59.123Z');
    // Two versions and two conditions saved in the same millisecond: the newest (or first) is the one with the last (or first) id.
    await db.topThingsVersion.createMany({
      data: ['a', 'b'].map((title) => ({ userId, createdAt: at, items: JSON.stringify([{ title, description: 'd' }]) })),
    });
    await db.longTermCondition.createMany({
      data: [
        { userId, addedAt: at, code: null, name: 'Long COVID' },
        { userId, addedAt: at, code: '195967001', name: 'Asthma' },
        { userId, addedAt: new Date('2026-01-01T00:00:00Z'), code: null, name: 'Gout' },
      ],
    });
    const prismaTopThree = await db.topThingsVersion.findFirst({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    expect(await currentTopThree(db, userId)).toEqual({
      id: prismaTopThree!.id,
      createdAt: at,
      things: JSON.parse(prismaTopThree!.items) as unknown,
    });
    expect(await listConditions(db, userId)).toEqual(
      await db.longTermCondition.findMany({
        where: { userId },
        orderBy: [{ addedAt: 'asc' }, { id: 'asc' }],
        select: { id: true, code: true, name: true, addedAt: true },
      }),
    );

    for (const needs of [
      { formats: ['large-print'] as const, interpreterLanguage: null, carerName: null, carerContact: null, otherNeeds: null },
      {
        formats: ['spoken-language-interpreter', 'contact-carer'] as const,
        interpreterLanguage: 'Polish',
        carerName: 'Jo',
        carerContact: '07700 900123',
        otherNeeds: 'Slowly',
      },
    ]) {
      await saveCommunicationNeeds(db, userId, { ...needs, formats: [...needs.formats] });
      const row = await db.communicationNeeds.findUniqueOrThrow({ where: { userId } });
      expect(await readCommunicationNeeds(db, userId)).toEqual({ ...needs, formats: [...needs.formats], updatedAt: row.updatedAt });
    }

    await auditedTransaction(db, (tx) =>
      appendAuditEntry(
        tx,
        {
          citizenId: userId,
          actorKind: 'staff',
          actorId: 'ZZ0001',
          actorName: 'Grace Practiceton',
          actorOrganisation: null,
          actorRole: null,
          action: 'view',
          category: 'top-three',
        },
        at,
      ),
    );
    const viewed = await db.auditEntry.findFirst({
      where: { citizenId: userId, action: 'view', category: 'top-three', actorKind: 'staff' },
      orderBy: { at: 'desc' },
    });
    expect(await lastProfessionalView(db, userId)).toEqual(viewed!.at);
    expect(await lastProfessionalView(db, userId)).toBeInstanceOf(Date);
  });

  it('never lets one citizen read or change another citizen’s details', async () => {
    const amelia = await makeCitizen({ givenName: 'Amelia' });
    const ben = await makeCitizen({ givenName: 'Ben' });
    await addCondition(getDb(), amelia, { code: '84757009', name: 'Epilepsy' });
    await saveTopThree(getDb(), amelia, [{ title: 'Private', description: 'Only mine' }]);
    await saveCommunicationNeeds(getDb(), amelia, { formats: ['braille'], interpreterLanguage: null, carerName: null, carerContact: null, otherNeeds: null });
    await saveDraft(getDb(), amelia, 'condition', { code: null, name: 'Draft' });
    const [ameliasCondition] = await listConditions(getDb(), amelia);

    // Ben, with Amelia's condition id, finds nothing and removes nothing.
    expect(await findCondition(getDb(), ben, ameliasCondition!.id)).toBeNull();
    expect(await removeCondition(getDb(), ben, ameliasCondition!.id)).toBe(false);
    expect(await findCondition(getDb(), amelia, ameliasCondition!.id)).not.toBeNull();
    expect(await listConditions(getDb(), ben)).toEqual([]);
    expect(await currentTopThree(getDb(), ben)).toBeNull();
    expect(await readCommunicationNeeds(getDb(), ben)).toBeNull();
    expect(await readDraft(getDb(), ben, 'condition', { safeParse: (value: unknown) => ({ success: true as const, data: value }) })).toBeNull();

    // Ben's own saves leave Amelia's as they were.
    await saveTopThree(getDb(), ben, [{ title: 'Ben', description: 'Ben' }]);
    await saveCommunicationNeeds(getDb(), ben, { formats: [], interpreterLanguage: null, carerName: null, carerContact: null, otherNeeds: null });
    expect((await currentTopThree(getDb(), amelia))?.things).toEqual([{ title: 'Private', description: 'Only mine' }]);
    expect((await readCommunicationNeeds(getDb(), amelia))?.formats).toEqual(['braille']);
    expect(await readDraft(getDb(), amelia, 'condition', { safeParse: (value: unknown) => ({ success: true as const, data: value }) })).toEqual({
      code: null,
      name: 'Draft',
    });
  });
});
