import type { Address } from './address';
import { contactDetailsConfig } from './config';
import { errorFields, log } from '@/lib/platform/log';
import { normalisePostcode } from '@/lib/platform/postcode';

/**
 * Finding addresses by postcode. The service depends only on this interface: the demo list
 * (ADDRESS_LOOKUP=demo) or Ordnance Survey's OS Places API (ADDRESS_LOOKUP=os-places), which
 * returns the delivery point addresses at a postcode with their UPRN. Manual entry is always
 * offered, so a lookup that is down or finds nothing never blocks anyone: a lookup that cannot
 * answer throws AddressLookupUnavailable, and the page offers manual entry instead.
 */
export type LookupAddress = Address & { uprn: string };

export interface AddressLookup {
  /** Addresses at this (normalised) postcode, narrowed to a building number or name when given. */
  find(postcode: string, building?: string): Promise<LookupAddress[]>;
}

/** The lookup could not answer (down, slow, refused our key, or answered nonsense). */
export class AddressLookupUnavailable extends Error {
  constructor(reason: string) {
    super(`Address lookup unavailable: ${reason}`);
    this.name = 'AddressLookupUnavailable';
  }
}

// Made-up streets on made-up postcodes in Leeds (the "Z" units are not in use), for the demo and tests.
function street(postcode: string, streetName: string, numbers: (number | string)[], uprnBase: number): LookupAddress[] {
  return numbers.map((number, index) => ({ line1: `${number} ${streetName}`, town: 'Leeds', postcode, uprn: String(uprnBase + index) }));
}

export const DEMO_ADDRESSES: readonly LookupAddress[] = [
  ...street('LS1 6ZZ', 'Sample Street', [1, 2, 3, 4, 5, 6, 7, 8], 990000100),
  { line1: 'Flat 1, Example House', line2: '10 Sample Street', town: 'Leeds', postcode: 'LS1 6ZZ', uprn: '990000120' },
  { line1: 'Flat 2, Example House', line2: '10 Sample Street', town: 'Leeds', postcode: 'LS1 6ZZ', uprn: '990000121' },
  ...street('LS6 9ZZ', 'Demonstration Road', [11, 12, 13, 14, 15], 990000200),
  { line1: 'The Old Mill', line2: 'Testing Lane', town: 'Leeds', county: 'West Yorkshire', postcode: 'LS6 9ZZ', uprn: '990000210' },
  ...street('LS11 8ZZ', 'Fictional Terrace', [21, 23, 25, 27], 990000300),
];

function matchesBuilding(address: LookupAddress, building: string): boolean {
  const wanted = building.toLowerCase().trim();
  const text = [address.line1, address.line2].filter(Boolean).join(', ').toLowerCase();
  // "3" should find "3 Sample Street" but not "13 Demonstration Road" or "Flat 3".
  if (/^\d+[a-z]?$/.test(wanted)) return new RegExp(`(^|[\\s,])${wanted}(\\s|,|$)`).test(text) && !text.startsWith(`flat ${wanted}`);
  return text.includes(wanted);
}

export const demoAddressLookup: AddressLookup = {
  async find(postcode, building) {
    const wanted = normalisePostcode(postcode);
    const atPostcode = DEMO_ADDRESSES.filter((address) => address.postcode === wanted);
    return building ? atPostcode.filter((address) => matchesBuilding(address, building)) : atPostcode;
  },
};

/** One delivery point address (DPA) as OS Places gives it: only the fields used here. */
type OsPlacesDpa = {
  UPRN?: string;
  ORGANISATION_NAME?: string;
  DEPARTMENT_NAME?: string;
  SUB_BUILDING_NAME?: string;
  BUILDING_NAME?: string;
  BUILDING_NUMBER?: string | number;
  DEPENDENT_THOROUGHFARE_NAME?: string;
  THOROUGHFARE_NAME?: string;
  DOUBLE_DEPENDENT_LOCALITY?: string;
  DEPENDENT_LOCALITY?: string;
  PO_BOX_NUMBER?: string;
  POST_TOWN?: string;
  POSTCODE?: string;
};
type OsPlacesResponse = { header?: { totalresults?: number }; results?: { DPA?: OsPlacesDpa }[] };

const OS_PLACES_PAGE = 100;
// A postcode has at most a few hundred delivery points; more pages than this is something else.
const OS_PLACES_MAX_PAGES = 5;

/**
 * Royal Mail writes addresses in capitals; people and letters use ordinary case. "ST. MARY'S
 * COURT" → "St. Mary's Court", "O'NEILL" → "O'Neill"; a single letter after a number stays a
 * capital ("FLAT 1A" → "Flat 1A", but "2ND FLOOR" → "2nd Floor"), and the small words of a
 * hyphenated place name stay small.
 */
export function addressCase(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/(^|[\s\-(/])([a-z])/g, (_match, before: string, letter: string) => before + letter.toUpperCase())
      .replace(/'([a-z])(?=[a-z]{2,})/g, (_match, letter: string) => `'${letter.toUpperCase()}`)
      .replace(/(\d)([a-z])\b/g, (_match, digit: string, letter: string) => digit + letter.toUpperCase())
      // "STOKE-ON-TRENT" → "Stoke-on-Trent".
      .replace(/-(On|Upon|The|In|By|Le|La|Under|Cum|En|Sur|Super|Next|With|Of|And|At)(?=-)/g, (match) => match.toLowerCase())
  );
}

// "12A", "1-3": a building "name" that is really a number, written on the street's line.
const NUMBER_LIKE = /^\d+[A-Z]?(-\d+[A-Z]?)?$/i;

/** The address lines of a delivery point, in Royal Mail's order, as our address type. */
export function fromOsPlacesDpa(dpa: OsPlacesDpa): LookupAddress | null {
  const text = (value: string | number | undefined) => (value === undefined || value === null ? '' : String(value).trim());
  const uprn = text(dpa.UPRN);
  const postcode = normalisePostcode(text(dpa.POSTCODE));
  const town = text(dpa.POST_TOWN);
  if (!/^\d{1,12}$/.test(uprn) || !postcode || !town) return null;

  let number = text(dpa.BUILDING_NUMBER);
  let buildingName = text(dpa.BUILDING_NAME);
  if (!number && NUMBER_LIKE.test(buildingName)) [number, buildingName] = [buildingName, ''];
  const streets = [text(dpa.DEPENDENT_THOROUGHFARE_NAME), text(dpa.THOROUGHFARE_NAME)].filter(Boolean);
  const [firstStreet, ...otherStreets] = streets;
  const street = firstStreet ? [[number, firstStreet].filter(Boolean).join(' '), ...otherStreets].join(', ') : '';
  // A number with no street to go with goes with the building instead.
  const building = [buildingName, firstStreet ? '' : number].filter(Boolean).join(' ');
  const poBox = text(dpa.PO_BOX_NUMBER) ? `PO Box ${text(dpa.PO_BOX_NUMBER)}` : '';

  const lines = [
    [text(dpa.ORGANISATION_NAME), text(dpa.DEPARTMENT_NAME)].filter(Boolean).join(', '),
    [text(dpa.SUB_BUILDING_NAME), building].filter(Boolean).join(', '),
    poBox,
    street,
    text(dpa.DOUBLE_DEPENDENT_LOCALITY),
    text(dpa.DEPENDENT_LOCALITY),
  ]
    .filter(Boolean)
    .map((line) => (line.startsWith('PO Box') ? line : addressCase(line)));
  const [line1, ...rest] = lines;
  if (!line1) return null;
  return { line1, ...(rest.length ? { line2: rest.join(', ') } : {}), town: addressCase(town), postcode, uprn };
}

export type OsPlacesOptions = { baseUrl: string; apiKey: string; timeoutMs: number; fetch?: typeof fetch };

/**
 * OS Places API, postcode search (GET /search/places/v1/postcode): the delivery point addresses
 * (dataset DPA) at a postcode. Anything but a good answer in time (our key refused, the service
 * down or slow, a body that is not the expected JSON) is AddressLookupUnavailable; a postcode
 * with no addresses is an empty list. Nothing about the citizen is logged: only what went wrong.
 */
export function osPlacesAddressLookup(options: OsPlacesOptions): AddressLookup {
  const send = options.fetch ?? fetch;

  async function page(postcode: string, offset: number): Promise<OsPlacesResponse> {
    const url = new URL('/search/places/v1/postcode', `${options.baseUrl}/`);
    url.search = new URLSearchParams({
      postcode,
      dataset: 'DPA',
      maxresults: String(OS_PLACES_PAGE),
      offset: String(offset),
      output_srs: 'EPSG:27700',
      lr: 'EN',
      key: options.apiKey,
    }).toString();
    let response: Response;
    try {
      response = await send(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs), redirect: 'error' });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      throw new AddressLookupUnavailable(name === 'TimeoutError' ? 'timed out' : `could not connect (${name})`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new AddressLookupUnavailable(
        response.status === 401 || response.status === 403 ? `our key was refused (HTTP ${response.status})` : `HTTP ${response.status}`,
      );
    }
    try {
      const body = (await response.json()) as OsPlacesResponse;
      if (typeof body !== 'object' || body === null || (body.results !== undefined && !Array.isArray(body.results))) throw new Error('not a search result');
      return body;
    } catch (error) {
      throw new AddressLookupUnavailable(error instanceof AddressLookupUnavailable ? error.message : 'the answer was not a search result');
    }
  }

  return {
    async find(postcode, building) {
      const wanted = normalisePostcode(postcode);
      if (!wanted) return [];
      const found: LookupAddress[] = [];
      try {
        for (let pageNumber = 0, offset = 0; pageNumber < OS_PLACES_MAX_PAGES; pageNumber += 1) {
          const body = await page(wanted, offset);
          const results = body.results ?? [];
          for (const result of results) {
            const address = result.DPA ? fromOsPlacesDpa(result.DPA) : null;
            // Only addresses at the postcode asked for (a search by part of one finds others).
            if (address && address.postcode === wanted && !found.some((other) => other.uprn === address.uprn)) found.push(address);
          }
          offset += results.length;
          if (results.length < OS_PLACES_PAGE || offset >= (body.header?.totalresults ?? 0)) break;
        }
      } catch (error) {
        log.warn('address-lookup-unavailable', { lookup: 'os-places', ...errorFields(error) });
        throw error;
      }
      return building ? found.filter((address) => matchesBuilding(address, building)) : found;
    },
  };
}

export function addressLookup(): AddressLookup {
  const settings = contactDetailsConfig();
  switch (settings.addressLookup) {
    case 'demo':
      return demoAddressLookup;
    case 'os-places':
      return osPlacesAddressLookup(settings.osPlaces);
  }
}
