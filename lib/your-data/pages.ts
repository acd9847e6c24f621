import { citizenActor, recordAudit } from '@/lib/audit/public';
import { citizenPage, type CitizenPageRequest } from '@/lib/identity/public';
import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { notFound } from '@/lib/platform/errors';
import { londonDay } from '@/lib/platform/london-time';
import { log } from '@/lib/platform/log';
import { renderPage, routeParam } from '@/lib/platform/page';
import { paths } from '@/lib/platform/paths';
import { redirect } from '@/lib/platform/render';
import { fhirBundle } from './fhir';
import { readableSections } from './readable';
import type { Snapshot } from './snapshot';
import { findOwnExport, prepareExport, readyContent, requestExport } from './store';

/**
 * "Your data" (/account/your-data): a citizen downloads everything held about them, as a page
 * to read or print, as JSON, and as a FHIR R4 Bundle. Asking replaces any earlier download. The
 * status page has a "Check again" link rather than refreshing itself (WCAG 2.2.1: no time
 * limit the person did not choose). Each download is audited (action "export", category
 * "your-data", with the format). Another citizen's download, an unknown id or an expired one
 * is "Page not found".
 */

export const startPage = {
  GET: citizenPage((page) => renderPage(page, 'your-data/start.njk', { keptHours: keptHours() })),
  POST: citizenPage(async (page) => {
    const db = getDb();
    const { id, atOnce } = await requestExport(db, page.citizen.userId, page.now);
    log.info('your-data-requested', { atOnce });
    if (atOnce) await prepareExport(db, id, page.now);
    return redirect(paths.yourData.download(id));
  }),
};

const keptHours = () => Math.round(config().yourData.exportMs / 3_600_000);

export const statusPage = citizenPage(async (page) => {
  const found = await findOwnExport(getDb(), page.citizen.userId, routeParam(page, 'id'), page.now);
  if (!found) notFound('your-data-not-found');
  return renderPage(page, 'your-data/status.njk', { download: found, keptHours: keptHours() });
});

/** The ready download's content, audited as downloaded in this format; 404 when it is not theirs or not ready. */
async function downloaded(page: CitizenPageRequest, format: 'readable' | 'json' | 'fhir'): Promise<Snapshot> {
  const db = getDb();
  const snapshot = await readyContent(db, page.citizen.userId, routeParam(page, 'id'), page.now);
  if (!snapshot) notFound('your-data-not-ready');
  // Written before anything is sent: if it cannot be recorded, nothing is downloaded.
  await recordAudit(db, {
    ...citizenActor({ id: page.citizen.userId, givenName: page.citizen.user.givenName, familyName: page.citizen.user.familyName }),
    citizenId: page.citizen.userId,
    action: 'export',
    category: 'your-data',
    detail: { format },
  });
  log.info('your-data-downloaded', { format });
  return snapshot;
}

export const readablePage = citizenPage(async (page) => {
  const snapshot = await downloaded(page, 'readable');
  return renderPage(page, 'your-data/readable.njk', {
    preparedAt: new Date(snapshot.preparedAt),
    sections: readableSections(snapshot),
    statusPath: paths.yourData.download(routeParam(page, 'id')),
  });
});

function attachment(body: string, contentType: string, filename: string): Response {
  return new Response(body, {
    headers: {
      'content-type': `${contentType}; charset=utf-8`,
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

export const jsonDownload = citizenPage(async (page) => {
  const snapshot = await downloaded(page, 'json');
  return attachment(JSON.stringify(snapshot, null, 2), 'application/json', `your-data-${londonDay(new Date(snapshot.preparedAt))}.json`);
});

export const fhirDownload = citizenPage(async (page) => {
  const snapshot = await downloaded(page, 'fhir');
  const bundle = fhirBundle(snapshot, `${config().publicUrl}/fhir/r4`);
  return attachment(JSON.stringify(bundle, null, 2), 'application/fhir+json', `your-data-fhir-${londonDay(new Date(snapshot.preparedAt))}.json`);
});
