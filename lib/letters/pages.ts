import { contactPreferencesOf } from '@/lib/contact-details/public';
import { withGovukClasses, sanitiseLetterHtml } from '@/lib/care-record/public';
import { citizenPage, type CitizenPageRequest } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { notFound } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';
import { renderPage, routeParam } from '@/lib/platform/page';
import { paths } from '@/lib/platform/paths';
import { lettersSettings } from './config';
import { kindName, senderName } from './senders';
import { citizenLetter, citizenLetterPdf, citizenLetters, markRead, type LetterSummary } from './store';

/**
 * The citizen's letters (/letters): those partner organisations delivered, unread first; each
 * one as a web page (opening it marks it read, which its sender can see) and as the PDF. Another
 * citizen's letter, or a made-up id, is "Page not found".
 */

const LETTER_ID = /^[a-z0-9]{1,40}$/;

function letterId(page: CitizenPageRequest): string {
  const id = routeParam(page, 'id');
  if (!LETTER_ID.test(id)) notFound('unknown-letter');
  return id;
}

/** "2 KB" for a download link, as GOV.UK describes attachments. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function shown(letter: LetterSummary) {
  return {
    id: letter.id,
    href: paths.letters.letter(letter.id),
    pdfHref: paths.letters.pdf(letter.id),
    title: letter.title,
    sender: senderName(letter.senderId),
    kind: kindName(letter.kind),
    letterDate: letter.letterDate,
    receivedAt: letter.receivedAt,
    unread: !letter.readAt,
    pdfSize: fileSize(letter.pdfBytes),
    posted: letter.postRequestedAt ? { reason: letter.postedReason } : null,
  };
}

export const inboxPage = citizenPage(async (page) => {
  const [letters, preferences] = await Promise.all([citizenLetters(getDb(), page.citizen.userId), contactPreferencesOf(getDb(), page.citizen.userId)]);
  return renderPage(page, 'letters/inbox.njk', {
    letters: letters.map(shown),
    unread: letters.filter((letter) => !letter.readAt).length,
    postAfterDays: lettersSettings().unreadPostAfterDays,
    // What happens to an unread letter depends on how they chose to be contacted.
    channel: preferences.channel,
  });
});

export const letterPage = citizenPage(async (page) => {
  const id = letterId(page);
  const db = getDb();
  const letter = await citizenLetter(db, page.citizen.userId, id);
  if (!letter) notFound('unknown-letter');
  // The first time they open it: its sender sees it was read, and it is not posted for being unread.
  if (!letter.readAt && (await markRead(db, page.citizen.userId, id, page.now))) log.info('letter-read', { sender: letter.senderId });
  // Sanitised when it arrived; again here, so a row written any other way is made safe too.
  return renderPage(page, 'letters/letter.njk', { letter: shown(letter), html: withGovukClasses(sanitiseLetterHtml(letter.html)) });
});

/** The letter's PDF: a download, never kept by the browser or a proxy. */
export const letterPdf = citizenPage(async (page) => {
  const found = await citizenLetterPdf(getDb(), page.citizen.userId, letterId(page));
  if (!found) notFound('unknown-letter');
  return new Response(Buffer.from(found.pdf), {
    headers: {
      'content-type': 'application/pdf',
      'content-length': String(found.pdf.byteLength),
      'content-disposition': `attachment; filename="letter-${found.letterDate}.pdf"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
