// Finding an address with OS Places (a local server speaking its JSON), in-process: the list it
// gives, the address chosen from it, and the way out when the lookup cannot answer.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reloadConfig } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { paths } from '@/lib/platform/paths';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import { postcodePage, selectPage } from './pages';
import { addressDraftSchema } from './address';
import { readDraft } from './store';
import { makeCitizen } from './test-support';

const target = useDatabaseUnderTest();
const KEY = 'pages-test-os-places-key';

let answer: (res: http.ServerResponse) => void;
let server: http.Server;

const FOUND = {
  header: { query: 'postcode=LS1 6ZZ', offset: 0, totalresults: 2, format: 'JSON', dataset: 'DPA', maxresults: 100, output_srs: 'EPSG:27700' },
  results: [
    {
      DPA: {
        UPRN: '990000701',
        ADDRESS: '5, SAMPLE STREET, LEEDS, LS1 6ZZ',
        BUILDING_NUMBER: '5',
        THOROUGHFARE_NAME: 'SAMPLE STREET',
        POST_TOWN: 'LEEDS',
        POSTCODE: 'LS1 6ZZ',
      },
    },
    {
      DPA: {
        UPRN: '990000702',
        ADDRESS: '7, SAMPLE STREET, LEEDS, LS1 6ZZ',
        BUILDING_NUMBER: '7',
        THOROUGHFARE_NAME: 'SAMPLE STREET',
        POST_TOWN: 'LEEDS',
        POSTCODE: 'LS1 6ZZ',
      },
    },
  ],
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').searchParams.get('key') !== KEY) {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end('{"fault":{"faultstring":"Invalid ApiKey"}}');
    }
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  reloadConfig({
    ...process.env,
    DATABASE_URL: target.url,
    PUBLIC_URL: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
    ADDRESS_LOOKUP: 'os-places',
    OS_PLACES_API_KEY: KEY,
    OS_PLACES_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ADDRESS_LOOKUP_TIMEOUT_MS: '1500',
  });
});

afterAll(async () => {
  reloadConfig({ ...process.env, DATABASE_URL: target.url });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(FOUND));
  };
});

function get(pathname: string, cookie: string): Request {
  return new Request(`http://localhost:3000${pathname}`, { headers: { cookie } });
}

function post(pathname: string, cookie: string, fields: Record<string, string>): Request {
  const csrf = browserCsrf();
  return formPost(pathname, fields, { csrf, headers: { cookie: `${csrf.cookie}; ${cookie}` } });
}

async function searched(postcode = 'ls16zz') {
  const userId = await makeCitizen(getDb());
  const cookie = await citizenSessionCookie(userId);
  const found = await postcodePage.POST(post(paths.contactDetails.postcode, cookie, { postcode, building: '' }));
  expect(found.status).toBe(303);
  return { userId, cookie };
}

describe('finding an address with OS Places', () => {
  it('lists the addresses it finds, and keeps the one chosen with its UPRN', async () => {
    const { userId, cookie } = await searched();
    const list = await selectPage.GET(get(paths.contactDetails.select, cookie));
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('2 addresses found for LS1 6ZZ');
    expect(html).toContain('5 Sample Street, Leeds');
    expect(html).toContain('value="990000702"');

    const chosen = await selectPage.POST(post(paths.contactDetails.select, cookie, { address: '990000702' }));
    expect(chosen.status).toBe(303);
    expect(chosen.headers.get('location')).toBe(paths.contactDetails.addressCheck);
    expect((await readDraft(getDb(), userId, 'address', addressDraftSchema)).address).toEqual({
      line1: '7 Sample Street',
      town: 'Leeds',
      postcode: 'LS1 6ZZ',
      source: 'lookup',
      uprn: '990000702',
    });
  });

  it('when the lookup is down, slow or refuses our key, says so and offers to enter the address instead', async () => {
    const { userId, cookie } = await searched();
    const failures: ((res: http.ServerResponse) => void)[] = [
      (res) => {
        res.writeHead(503);
        res.end();
      },
      (res) => setTimeout(() => res.end(JSON.stringify(FOUND)), 3_000),
    ];
    for (const failure of failures) {
      answer = failure;
      const shown = await selectPage.GET(get(paths.contactDetails.select, cookie));
      expect(shown.status).toBe(200);
      const html = await shown.text();
      expect(html).toContain('<title>Sorry, we cannot find addresses at the moment');
      expect(html).toContain('<h1 class="govuk-heading-l">Sorry, we cannot find addresses at the moment</h1>');
      expect(html).toContain(`href="${paths.contactDetails.manual}">enter your address yourself</a>`);
      expect(html).not.toContain('No address found');
    }
    // A choice posted while it is down is refused (422), nothing is kept.
    const refused = await selectPage.POST(post(paths.contactDetails.select, cookie, { address: '990000702' }));
    expect(refused.status).toBe(422);
    expect((await readDraft(getDb(), userId, 'address', addressDraftSchema)).address).toBeUndefined();
  });

  it('a postcode it has no addresses for is "No address found", not "unavailable"', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ header: { ...FOUND.header, totalresults: 0 } }));
    };
    const { cookie } = await searched('LS6 9ZZ');
    const html = await (await selectPage.GET(get(paths.contactDetails.select, cookie))).text();
    expect(html).toContain('We could not find an address for LS6 9ZZ');
  });
});
