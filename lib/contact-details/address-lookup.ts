import type { Address } from './address';
import { contactDetailsConfig } from './config';
import { normalisePostcode } from '@/lib/platform/postcode';

/**
 * Finding addresses by postcode. The service depends only on this interface, so a real
 * address service (for example OS Places, which returns addresses with their UPRN for a
 * postcode) can replace the demo list: add an implementation here and a value for
 * ADDRESS_LOOKUP in config.ts. Manual entry is always offered, so a lookup that is down or
 * finds nothing never blocks anyone.
 */
export type LookupAddress = Address & { uprn: string };

export interface AddressLookup {
  /** Addresses at this (normalised) postcode, narrowed to a building number or name when given. */
  find(postcode: string, building?: string): Promise<LookupAddress[]>;
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

export function addressLookup(): AddressLookup {
  switch (contactDetailsConfig().addressLookup) {
    case 'demo':
      return demoAddressLookup;
  }
}
