import { describe, expect, it } from 'vitest';
import { newReadingCookie, takeNewReading } from './new-reading';

const answeredAt = new Date('2026-11-23T12:30:00Z');
const values = { systolic: '128', diastolic: '82', measuredWhen: 'now', arm: 'left', sitting: 'yes', secondSystolic: '', secondDiastolic: '', unknown: 'dropped' };

function requestWith(cookie: string): Request {
  return new Request('http://localhost/blood-pressure/add/check', { headers: { cookie: cookie.split(';')[0]! } });
}

describe('the answers kept between "Add a reading" and "Check your answers"', () => {
  it('come back for the same citizen, with "now" still the time the form was sent', () => {
    const cookie = newReadingCookie('user-1', values, answeredAt, answeredAt.getTime());
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Max-Age=1800/);
    const kept = takeNewReading(requestWith(cookie), 'user-1', answeredAt.getTime() + 10 * 60_000);
    expect(kept?.readings).toEqual([{ systolic: 128, diastolic: 82, measuredAt: answeredAt, arm: 'left', sitting: true }]);
    expect(kept?.values).not.toHaveProperty('unknown');
  });

  it('are sealed: not readable, and refused when changed, for someone else, or expired', () => {
    const cookie = newReadingCookie('user-1', values, answeredAt, answeredAt.getTime());
    // Long, distinctive strings only: a short one such as '128' turns up in random ciphertext now and then.
    const sealedValue = cookie.split(';')[0]!.split('=')[1]!;
    for (const shown of [sealedValue, Buffer.from(sealedValue, 'base64url').toString('latin1')]) {
      expect(shown).not.toMatch(/systolic|diastolic|measuredAt/);
    }
    expect(takeNewReading(requestWith(cookie), 'user-2', answeredAt.getTime())).toBeNull();
    expect(takeNewReading(requestWith(cookie), 'user-1', answeredAt.getTime() + 31 * 60_000)).toBeNull();
    const [name, sealed] = cookie.split(';')[0]!.split('=') as [string, string];
    const flipped = `${sealed.slice(0, 40)}${sealed[40] === 'A' ? 'B' : 'A'}${sealed.slice(41)}`;
    expect(takeNewReading(requestWith(`${name}=${flipped}`), 'user-1', answeredAt.getTime())).toBeNull();
    expect(takeNewReading(new Request('http://localhost/'), 'user-1')).toBeNull();
  });
});
