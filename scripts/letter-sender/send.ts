// The demo letter sender: Leeds Teaching Hospitals' letters system, as a partner organisation
// would run it. It signs and posts a few letters for the demo citizen Amelia Testwell (NHS number
// 999 001 2377) to the letters API, each with a PDF and an accessible HTML version, then shows
// each letter's status and the letters it has been asked to post. Safe to run again: each letter
// has its own Idempotency-Key, so a letter already delivered is not delivered twice.
//
//   PHR_URL=http://localhost:3000 npx tsx scripts/letter-sender/send.ts          deliver the demo letters
//   PHR_URL=http://localhost:3000 npx tsx scripts/letter-sender/send.ts status   what happened to them
//
// LETTER_SENDER_ID and LETTER_SENDER_KEY choose who sends (default: the development-only key of
// leeds-teaching-hospitals, lib/platform/config.ts). As the council (LETTER_SENDER_ID=council) it
// sends the council's demo letter instead, naming Amelia by the council's own reference for her
// (councilReference: what the demo council receiver answers when it receives a change about her,
// made with RECEIVER_REFERENCE_KEY or its development key, and what the demo seed gives her).
import { DEVELOPMENT_PARTNER_KEYS } from '../../lib/platform/config';
import { samplePdf } from '../../lib/letters/sample-pdf';
import { signRequest } from '../../lib/platform/signed-requests';
import { councilReferenceFor } from '../receivers/address-receiver';

const PHR_URL = (process.env.PHR_URL ?? 'http://localhost:3000').replace(/\/$/, '');
const SENDER = process.env.LETTER_SENDER_ID ?? 'leeds-teaching-hospitals';
const KEY = process.env.LETTER_SENDER_KEY ?? DEVELOPMENT_PARTNER_KEYS[SENDER];
const API = '/api/letters/v1/letters';
const AMELIA = '9990012377';

type DemoLetter = { key: string; kind: string; title: string; letterDate: string; paragraphs: string[] };

const LETTERS: DemoLetter[] = [
  {
    key: 'demo-eye-clinic-appointment',
    kind: 'appointment',
    title: 'Your eye clinic appointment',
    letterDate: '2026-11-24',
    paragraphs: [
      'Dear Ms Testwell,',
      'You have an appointment at the eye clinic, St James’s University Hospital, on Monday 5 January 2027 at 10:30am.',
      'Please bring your glasses and a list of the medicines you take. Eye drops will blur your vision for a few hours: do not drive to this appointment.',
      'If you cannot come, call 0113 000 0000 so that we can offer the time to someone else.',
      'Yours sincerely, Outpatient Appointments, Leeds Teaching Hospitals NHS Trust',
    ],
  },
  {
    key: 'demo-blood-test-results',
    kind: 'results',
    title: 'Your blood test results',
    letterDate: '2026-11-28',
    paragraphs: [
      'Dear Ms Testwell,',
      'Your blood tests from 20 November 2026 were normal. You do not need to do anything.',
      'Your GP practice has a copy of this letter.',
      'Yours sincerely, Dr A Example, Consultant Physician',
    ],
  },
  {
    key: 'demo-clinic-letter',
    kind: 'general',
    title: 'Letter after your clinic visit',
    letterDate: '2026-12-01',
    paragraphs: [
      'Dear Ms Testwell,',
      'Thank you for coming to the blood pressure clinic on 1 December 2026. We talked about your home readings and agreed to check them again in 3 months.',
      'Keep taking your readings each morning and evening for a week before your next visit, and record them in the Person Held Record.',
      'Yours sincerely, Blood Pressure Clinic, Leeds Teaching Hospitals NHS Trust',
    ],
  },
];

const COUNCIL_LETTERS: DemoLetter[] = [
  {
    key: 'demo-council-tax-bill',
    kind: 'general',
    title: 'Your council tax bill',
    letterDate: '2026-12-02',
    paragraphs: [
      'Dear Ms Testwell,',
      'This is your council tax bill for your home. You can pay in 10 monthly instalments from 1 April 2027.',
      'If you live on your own, you may be able to get a 25% discount: tell us at leeds.gov.uk/counciltax.',
      'Yours sincerely, Council Tax, Leeds City Council',
    ],
  },
];

/** Who the letters are for: the council names Amelia by its own reference, others by her NHS number. */
function recipient(): Record<string, string> {
  if (SENDER !== 'council') return { nhsNumber: AMELIA };
  const councilReference = councilReferenceFor({ nhsNumber: AMELIA }, process.env.RECEIVER_REFERENCE_KEY?.trim() || undefined);
  if (!councilReference) throw new Error('No council reference for Amelia');
  return { councilReference };
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function signedFetch(method: 'GET' | 'POST', path: string, body = '', headers: Record<string, string> = {}): Promise<Response> {
  if (!KEY) throw new Error(`No key for ${SENDER}: set LETTER_SENDER_KEY`);
  const signature = signRequest({ organisationId: SENDER, secret: KEY, method, url: path, body });
  return fetch(`${PHR_URL}${path}`, { method, headers: { ...signature, ...headers }, ...(method === 'POST' ? { body } : {}) });
}

async function deliver(letter: DemoLetter): Promise<void> {
  const body = JSON.stringify({
    sender: SENDER,
    ...recipient(),
    kind: letter.kind,
    title: letter.title,
    letterDate: letter.letterDate,
    html: letter.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join(''),
    pdf: { contentType: 'application/pdf', data: Buffer.from(samplePdf([letter.title, '', ...letter.paragraphs])).toString('base64') },
  });
  const response = await signedFetch('POST', API, body, { 'content-type': 'application/json', 'idempotency-key': letter.key });
  const answer = (await response.json()) as Record<string, unknown>;
  if (response.status === 201) console.log(`${letter.title}: ${String(answer.status)} (${String(answer.id)})`);
  else console.log(`${letter.title}: refused, ${response.status} ${String(answer.title)}${answer.detail ? `: ${String(answer.detail)}` : ''}`);
}

async function status(): Promise<void> {
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString();
  const response = await signedFetch('GET', `${API}?postRequestedSince=${encodeURIComponent(since)}`);
  const answer = (await response.json()) as { letters?: { title: string; postedReason: string; postRequestedAt: string }[]; title?: string };
  if (!response.ok) throw new Error(`${response.status} ${answer.title ?? ''}`);
  console.log(answer.letters?.length ? 'Letters to post:' : 'No letters to post.');
  for (const letter of answer.letters ?? []) console.log(`  ${letter.title} (${letter.postedReason}, asked ${letter.postRequestedAt})`);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'status') return status();
  for (const letter of SENDER === 'council' ? COUNCIL_LETTERS : LETTERS) await deliver(letter);
}

main().catch((error: unknown) => {
  console.error(`The letter sender failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
