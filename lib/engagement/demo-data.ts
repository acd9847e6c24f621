import type { Db } from '@/lib/platform/db';

/**
 * Demo data for Open Citizen: a shared question bank, activities from three organisations
 * (two of them overlapping: same topic, same people, same weeks), and a closed activity with
 * "you said, we did" answered by six made-up respondents (enough to show results, since
 * groups under 5 are hidden). Fixed ids: running it again changes nothing.
 */

const QUESTIONS = [
  {
    id: 'seed-q-travel',
    text: 'How do you usually get to health appointments?',
    kind: 'choice',
    options: ['Walk', 'Bus or train', 'Car', 'Taxi', 'Someone takes me'],
  },
  { id: 'seed-q-ease', text: 'How easy is it to get to your appointments?', kind: 'scale', options: [] },
  {
    id: 'seed-q-online',
    text: 'Which online services have you used?',
    kind: 'multiple-choice',
    options: ['Booking appointments', 'Ordering repeat prescriptions', 'Video consultations', 'None of these'],
  },
  { id: 'seed-q-better', text: 'What one thing would make services better for you?', kind: 'text', options: [] },
] as const;

const ACTIVITIES = [
  {
    id: 'seed-activity-council-travel',
    organisationCode: 'ZZ0003',
    organisationName: 'Demo City Council',
    title: 'Getting to health appointments',
    purpose: 'We want to know how people travel to health appointments, so we can plan bus routes and parking.',
    topics: 'transport',
    audienceKind: 'everyone',
    audienceValue: null,
    startsOn: '2026-11-15',
    endsOn: '2027-01-31',
    method: 'online-survey',
    status: 'published',
    questions: ['seed-q-travel', 'seed-q-ease', 'seed-q-better'],
  },
  {
    id: 'seed-activity-trust-clinics',
    organisationCode: 'ZZ0002',
    organisationName: 'Demo Community Health Trust',
    title: 'Travelling to community clinics',
    purpose: 'We are deciding where to hold community clinics next year and want to hear how people get there.',
    topics: 'transport,long-term-conditions',
    audienceKind: 'everyone',
    audienceValue: null,
    startsOn: '2026-12-01',
    endsOn: '2027-02-28',
    method: 'online-survey',
    status: 'published',
    questions: ['seed-q-travel', 'seed-q-ease'],
  },
  {
    id: 'seed-activity-surgery-online',
    organisationCode: 'ZZ0001',
    organisationName: 'Demo Lane Surgery',
    title: 'Using our online services',
    purpose: 'Tell us which of our online services you use, so we can make them easier.',
    topics: 'digital,gp-services',
    audienceKind: 'everyone',
    audienceValue: null,
    startsOn: '2026-11-01',
    endsOn: '2027-01-15',
    method: 'online-survey',
    status: 'published',
    questions: ['seed-q-online', 'seed-q-better'],
  },
  {
    id: 'seed-activity-trust-diabetes',
    organisationCode: 'ZZ0002',
    organisationName: 'Demo Community Health Trust',
    title: 'Diabetes education sessions',
    purpose: 'A workshop to plan education sessions for people living with diabetes.',
    topics: 'long-term-conditions',
    audienceKind: 'condition',
    // Type 2 diabetes (SNOMED CT), as citizens choose it from the conditions list.
    audienceValue: '44054006',
    startsOn: '2026-12-01',
    endsOn: '2027-03-31',
    method: 'workshop',
    status: 'published',
    questions: ['seed-q-better'],
  },
  {
    id: 'seed-activity-council-closed',
    organisationCode: 'ZZ0003',
    organisationName: 'Demo City Council',
    title: 'Opening hours at the walk-in centre',
    purpose: 'We asked how easy it is to get to the walk-in centre and what would make it better.',
    topics: 'transport,hospital-care',
    audienceKind: 'everyone',
    audienceValue: null,
    startsOn: '2026-09-01',
    endsOn: '2026-10-31',
    method: 'online-survey',
    status: 'closed',
    questions: ['seed-q-travel', 'seed-q-ease'],
    whatWeHeard: 'Most of you told us you get there by bus, and that it is hard to get there in the evening.',
    whatWeChanged: 'From January the walk-in centre will stay open until 8pm, and we have asked for an evening bus on route 12.',
  },
] as const;

const RESPONDENT_ANSWERS = [
  ['"Bus or train"', '"2"'],
  ['"Bus or train"', '"3"'],
  ['"Bus or train"', '"2"'],
  ['"Car"', '"4"'],
  ['"Bus or train"', '"2"'],
  ['"Walk"', '"5"'],
] as const;

export async function seedEngagement(db: Db): Promise<number> {
  let created = 0;
  for (const q of QUESTIONS) {
    if (await db.engagementQuestion.findUnique({ where: { id: q.id }, select: { id: true } })) continue;
    await db.engagementQuestion.create({ data: { id: q.id, organisationCode: 'ZZ0003', text: q.text, kind: q.kind, options: JSON.stringify(q.options) } });
    created += 1;
  }
  for (const { questions, ...activity } of ACTIVITIES) {
    if (await db.engagementActivity.findUnique({ where: { id: activity.id }, select: { id: true } })) continue;
    await db.engagementActivity.create({
      data: {
        ...activity,
        createdBy: 'demo-seed',
        publishedAt: new Date('2026-11-01T09:00:00Z'),
        closedAt: activity.status === 'closed' ? new Date('2026-11-10T09:00:00Z') : null,
        questions: { create: questions.map((questionId, position) => ({ questionId, position })) },
      },
    });
    created += 1;
  }
  for (const [index, [travel, ease]] of RESPONDENT_ANSWERS.entries()) {
    const userId = `seed-respondent-${index + 1}`;
    if (await db.user.findUnique({ where: { id: userId }, select: { id: true } })) continue;
    await db.user.create({
      data: {
        id: userId,
        givenName: 'Demo',
        familyName: `Respondent ${index + 1}`,
        birthDate: '1970-01-01',
        identityLevel: 'P9',
        registeredAt: new Date('2026-08-01T09:00:00Z'),
        engagementPreference: { create: { wantsInvitations: true, topics: 'transport', methods: '', monthlyLimit: 2 } },
        engagementResponses: {
          create: {
            activityId: 'seed-activity-council-closed',
            submittedAt: new Date('2026-10-01T09:00:00Z'),
            answers: {
              create: [
                { questionId: 'seed-q-travel', value: travel },
                { questionId: 'seed-q-ease', value: ease },
              ],
            },
          },
        },
      },
    });
    created += 1;
  }
  return created;
}
