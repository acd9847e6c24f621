// The OS Places address lookup against a local server speaking the same JSON (made-up addresses).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addressCase, AddressLookupUnavailable, fromOsPlacesDpa, osPlacesAddressLookup } from './address-lookup';

const KEY = 'test-os-places-key';

function dpa(fields: Record<string, string | number>) {
  return {
    UDPRN: '99000001',
    RPC: '1',
    X_COORDINATE: 429_000.0,
    Y_COORDINATE: 433_000.0,
    STATUS: 'APPROVED',
    LOGICAL_STATUS_CODE: '1',
    CLASSIFICATION_CODE: 'RD06',
    CLASSIFICATION_CODE_DESCRIPTION: 'Self Contained Flat (Includes Maisonette / Apartment)',
    LOCAL_CUSTODIAN_CODE: 4720,
    LOCAL_CUSTODIAN_CODE_DESCRIPTION: 'LEEDS',
    COUNTRY_CODE: 'E',
    COUNTRY_CODE_DESCRIPTION: 'This record is within England',
    POSTAL_ADDRESS_CODE: 'D',
    POSTAL_ADDRESS_CODE_DESCRIPTION: 'A record which is linked to PAF',
    BLPU_STATE_CODE: null,
    LAST_UPDATE_DATE: '10/02/2016',
    ENTRY_DATE: '12/01/2000',
    LANGUAGE: 'EN',
    MATCH: 1.0,
    MATCH_DESCRIPTION: 'EXACT',
    DELIVERY_POINT_SUFFIX: '1A',
    ...fields,
  };
}

// What OS Places answers for a postcode, in its shape: a header, then one result per delivery point.
const RESULTS = [
  dpa({
    UPRN: '990000501',
    ADDRESS: '3, SAMPLE STREET, LEEDS, LS1 6ZZ',
    BUILDING_NUMBER: '3',
    THOROUGHFARE_NAME: 'SAMPLE STREET',
    POST_TOWN: 'LEEDS',
    POSTCODE: 'LS1 6ZZ',
  }),
  dpa({
    UPRN: '990000502',
    ADDRESS: "FLAT 2, ST. MARY'S HOUSE, 10, SAMPLE STREET, LEEDS, LS1 6ZZ",
    SUB_BUILDING_NAME: 'FLAT 2',
    BUILDING_NAME: "ST. MARY'S HOUSE",
    BUILDING_NUMBER: '10',
    THOROUGHFARE_NAME: 'SAMPLE STREET',
    POST_TOWN: 'LEEDS',
    POSTCODE: 'LS1 6ZZ',
  }),
  dpa({
    UPRN: '990000503',
    ADDRESS: "O'NEILL TRADING LTD, 12A, SAMPLE STREET, HEADINGLEY, LEEDS, LS1 6ZZ",
    ORGANISATION_NAME: "O'NEILL TRADING LTD",
    BUILDING_NAME: '12A',
    THOROUGHFARE_NAME: 'SAMPLE STREET',
    DEPENDENT_LOCALITY: 'HEADINGLEY',
    POST_TOWN: 'LEEDS',
    POSTCODE: 'LS1 6ZZ',
  }),
  dpa({ UPRN: '990000504', ADDRESS: 'THE OLD MILL, LEEDS, LS1 6ZZ', BUILDING_NAME: 'THE OLD MILL', POST_TOWN: 'LEEDS', POSTCODE: 'LS1 6ZZ' }),
];

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
let handler: Handler;
const requests: URL[] = [];
let server: http.Server;
let baseUrl: string;

function answer(status: number, body: unknown): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

function searchResult(results: unknown[], offset = 0, total = results.length) {
  return {
    header: {
      uri: `${baseUrl}/search/places/v1/postcode?postcode=LS1%206ZZ`,
      query: 'postcode=LS1 6ZZ',
      offset,
      totalresults: total,
      format: 'JSON',
      dataset: 'DPA',
      lr: 'EN',
      maxresults: 100,
      epoch: '120',
      lastupdate: '2026-11-20',
      output_srs: 'EPSG:27700',
    },
    ...(results.length ? { results: results.map((DPA) => ({ DPA })) } : {}),
  };
}

// Answers as OS Places does: our key or a fault, the search result otherwise.
const osPlaces: Handler = (req, res) => {
  const url = new URL(req.url ?? '/', baseUrl);
  if (url.searchParams.get('key') !== KEY) {
    return answer(401, { fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } } })(req, res);
  }
  if (url.pathname !== '/search/places/v1/postcode') return answer(404, { error: { statuscode: 404, message: 'Not found' } })(req, res);
  const postcode = url.searchParams.get('postcode');
  return answer(200, searchResult(postcode === 'LS1 6ZZ' ? RESULTS : []))(req, res);
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(new URL(req.url ?? '/', 'http://localhost'));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  handler = osPlaces;
  requests.length = 0;
});

const lookup = (overrides: Partial<Parameters<typeof osPlacesAddressLookup>[0]> = {}) =>
  osPlacesAddressLookup({ baseUrl, apiKey: KEY, timeoutMs: 2_000, ...overrides });

describe('the OS Places address lookup', () => {
  it('asks for the delivery point addresses at the postcode, with our key', async () => {
    await lookup().find('ls16zz');
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.pathname).toBe('/search/places/v1/postcode');
    expect(Object.fromEntries(request?.searchParams ?? [])).toEqual({
      postcode: 'LS1 6ZZ',
      dataset: 'DPA',
      maxresults: '100',
      offset: '0',
      output_srs: 'EPSG:27700',
      lr: 'EN',
      key: KEY,
    });
  });

  it('gives each address as lines, town, postcode and UPRN, in ordinary case', async () => {
    expect(await lookup().find('LS1 6ZZ')).toEqual([
      { line1: '3 Sample Street', town: 'Leeds', postcode: 'LS1 6ZZ', uprn: '990000501' },
      { line1: "Flat 2, St. Mary's House", line2: '10 Sample Street', town: 'Leeds', postcode: 'LS1 6ZZ', uprn: '990000502' },
      { line1: "O'Neill Trading Ltd", line2: '12A Sample Street, Headingley', town: 'Leeds', postcode: 'LS1 6ZZ', uprn: '990000503' },
      { line1: 'The Old Mill', town: 'Leeds', postcode: 'LS1 6ZZ', uprn: '990000504' },
    ]);
  });

  it('normalises the postcode however it was typed, and narrows to a building', async () => {
    expect(await lookup().find(' ls1\u00A06zz ', '3')).toEqual([{ line1: '3 Sample Street', town: 'Leeds', postcode: 'LS1 6ZZ', uprn: '990000501' }]);
    expect(requests[0]?.searchParams.get('postcode')).toBe('LS1 6ZZ');
    expect((await lookup().find('LS16ZZ', 'old mill')).map((address) => address.uprn)).toEqual(['990000504']);
    // Not a postcode: nothing is asked.
    requests.length = 0;
    expect(await lookup().find('not a postcode')).toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('finds nothing at a postcode with no addresses (no results in the answer)', async () => {
    expect(await lookup().find('LS6 9ZZ')).toEqual([]);
  });

  it('reads every page of a postcode with more than 100 addresses', async () => {
    const many = Array.from({ length: 130 }, (_, index) =>
      dpa({ UPRN: String(990_001_000 + index), BUILDING_NUMBER: String(index + 1), THOROUGHFARE_NAME: 'LONG ROW', POST_TOWN: 'LEEDS', POSTCODE: 'LS1 6ZZ' }),
    );
    handler = (req, res) => {
      const offset = Number(new URL(req.url ?? '/', baseUrl).searchParams.get('offset'));
      answer(200, searchResult(many.slice(offset, offset + 100), offset, many.length))(req, res);
    };
    const found = await lookup().find('LS1 6ZZ');
    expect(found).toHaveLength(130);
    expect(found[129]).toMatchObject({ line1: '130 Long Row' });
    expect(requests.map((request) => request.searchParams.get('offset'))).toEqual(['0', '100']);
  });

  it('is unavailable when our key is refused (401), the service fails (5xx), is slow, is not there, or answers nonsense', async () => {
    await expect(lookup({ apiKey: 'a-wrong-key' }).find('LS1 6ZZ')).rejects.toThrow(new AddressLookupUnavailable('our key was refused (HTTP 401)'));
    handler = answer(503, { error: 'unavailable' });
    await expect(lookup().find('LS1 6ZZ')).rejects.toThrow(new AddressLookupUnavailable('HTTP 503'));
    handler = answer(500, {});
    await expect(lookup().find('LS1 6ZZ')).rejects.toBeInstanceOf(AddressLookupUnavailable);
    handler = (req, res) => setTimeout(() => osPlaces(req, res), 1_000);
    await expect(lookup({ timeoutMs: 100 }).find('LS1 6ZZ')).rejects.toThrow(new AddressLookupUnavailable('timed out'));
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
    };
    await expect(lookup().find('LS1 6ZZ')).rejects.toThrow(new AddressLookupUnavailable('the answer was not a search result'));
    handler = answer(200, { results: 'none' });
    await expect(lookup().find('LS1 6ZZ')).rejects.toBeInstanceOf(AddressLookupUnavailable);
    // Nothing listening.
    await expect(lookup({ baseUrl: 'http://127.0.0.1:9' }).find('LS1 6ZZ')).rejects.toThrow(/could not connect/);
  });

  it('leaves out results without a UPRN, a town or a usable postcode, and ones at another postcode', () => {
    expect(fromOsPlacesDpa({ BUILDING_NUMBER: '1', THOROUGHFARE_NAME: 'A ROAD', POST_TOWN: 'LEEDS', POSTCODE: 'LS1 6ZZ' })).toBeNull();
    expect(fromOsPlacesDpa({ UPRN: '1', BUILDING_NUMBER: '1', THOROUGHFARE_NAME: 'A ROAD', POSTCODE: 'LS1 6ZZ' })).toBeNull();
    expect(fromOsPlacesDpa({ UPRN: '1', BUILDING_NUMBER: '1', THOROUGHFARE_NAME: 'A ROAD', POST_TOWN: 'LEEDS', POSTCODE: 'nowhere' })).toBeNull();
    expect(
      fromOsPlacesDpa({
        UPRN: '1',
        BUILDING_NUMBER: 7,
        DEPENDENT_THOROUGHFARE_NAME: 'ACACIA MEWS',
        THOROUGHFARE_NAME: 'HIGH STREET',
        DOUBLE_DEPENDENT_LOCALITY: 'OLD TOWN',
        POST_TOWN: 'LEEDS',
        POSTCODE: 'ls16zz',
      }),
    ).toEqual({ line1: '7 Acacia Mews, High Street', line2: 'Old Town', town: 'Leeds', postcode: 'LS1 6ZZ', uprn: '1' });
    expect(fromOsPlacesDpa({ UPRN: '2', PO_BOX_NUMBER: '123', POST_TOWN: 'LEEDS', POSTCODE: 'LS1 6ZZ' })).toEqual({
      line1: 'PO Box 123',
      town: 'Leeds',
      postcode: 'LS1 6ZZ',
      uprn: '2',
    });
  });

  it('writes Royal Mail capitals in ordinary case', () => {
    expect(addressCase("ST. MARY'S COURT")).toBe("St. Mary's Court");
    expect(addressCase("O'NEILL HOUSE")).toBe("O'Neill House");
    expect(addressCase('FLAT 1A, 2ND FLOOR')).toBe('Flat 1A, 2nd Floor');
    expect(addressCase('STOKE-ON-TRENT')).toBe('Stoke-on-Trent');
    expect(addressCase('STRATFORD-UPON-AVON')).toBe('Stratford-upon-Avon');
    expect(addressCase('WEST END-ON-SEA ROAD')).toBe('West End-on-Sea Road');
  });
});
