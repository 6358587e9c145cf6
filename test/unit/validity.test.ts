/**
 * Certificate validity (functions/src/shared/validity.ts): the event's or a role's setting, the
 * calendar arithmetic of a period, a fixed last day, and every malformed spelling refused with
 * INVALID_DATA naming the field.
 */
import { describe, expect, it } from 'vitest';
import { isExpired, parseValidity, validityOf, validUntil } from '../../functions/src/shared/validity.js';

const at = (iso: string) => new Date(iso);

describe('certificate validity', () => {
  it('reads a period (years, months, weeks, days) or a last day', () => {
    expect(parseValidity({ period: 'P2Y' }, 'event.validity')).toEqual({ period: { years: 2, months: 0, days: 0 } });
    expect(parseValidity({ period: 'p18m' }, 'event.validity')).toEqual({ period: { years: 1, months: 6, days: 0 } });
    expect(parseValidity({ period: 'P1Y2W3D' }, 'event.validity')).toEqual({
      period: { years: 1, months: 0, days: 17 },
    });
    expect(parseValidity({ until: '2027-12-31' }, 'event.validity')).toEqual({ until: '2027-12-31' });
    expect(parseValidity(undefined, 'event.validity')).toBeUndefined();
    expect(parseValidity({}, 'event.validity')).toBeUndefined();
    expect(parseValidity({ period: '' }, 'event.validity')).toBeUndefined();
  });

  it('refuses every malformed spelling with INVALID_DATA and the field', () => {
    for (const [value, field] of [
      ['P2Y', 'event.validity'],
      [{ period: 'two years' }, 'event.validity.period'],
      [{ period: 'P' }, 'event.validity.period'],
      [{ period: 'P0Y' }, 'event.validity.period'],
      [{ period: 'PT5H' }, 'event.validity.period'],
      [{ period: 'P2000Y' }, 'event.validity.period'],
      [{ period: 24 }, 'event.validity.period'],
      [{ until: '2027-02-30' }, 'event.validity.until'],
      [{ until: '31/12/2027' }, 'event.validity.until'],
      [{ period: 'P1Y', until: '2027-01-01' }, 'event.validity'],
      [{ months: 6 }, 'event.validity'],
    ] as const) {
      let error: unknown;
      try {
        parseValidity(value, 'event.validity');
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(value)).toMatchObject({ code: 'INVALID_DATA', details: { field } });
      expect((error as Error).message).toMatch(/P2Y/);
    }
  });

  it('counts a period in calendar terms (UTC), through the end of the day reached: 31 January + 1 month is the end of February', () => {
    const month = { period: { years: 0, months: 1, days: 0 } };
    expect(validUntil(month, at('2027-01-31T00:00:00Z')).toISOString()).toBe('2027-02-28T23:59:59.000Z');
    expect(validUntil(month, at('2028-01-31T00:00:00Z')).toISOString()).toBe('2028-02-29T23:59:59.000Z');
    expect(validUntil({ period: { years: 2, months: 0, days: 0 } }, at('2026-03-12T00:00:00Z')).toISOString()).toBe(
      '2028-03-12T23:59:59.000Z',
    );
    expect(validUntil({ period: { years: 0, months: 0, days: 90 } }, at('2026-12-07T15:30:00Z')).toISOString()).toBe(
      '2027-03-07T23:59:59.000Z',
    );
    expect(validUntil({ until: '2027-12-31' }, at('2026-01-01T00:00:00Z')).toISOString()).toBe(
      '2027-12-31T23:59:59.000Z',
    );
  });

  it('a role’s own validity wins over the event’s; a role without one takes the event’s', () => {
    const event = { validity: { period: 'P3Y' }, roles: { volunteer: { validity: { period: 'P1Y' } }, chair: {} } };
    expect(validityOf(event, 'volunteer')).toEqual({ period: { years: 1, months: 0, days: 0 } });
    expect(validityOf(event, 'chair')).toEqual({ period: { years: 3, months: 0, days: 0 } });
    expect(validityOf(event, 'speaker')).toEqual({ period: { years: 3, months: 0, days: 0 } });
    expect(validityOf({}, 'speaker')).toBeUndefined();
    expect(() => validityOf({ roles: { volunteer: { validity: { period: 'x' } } } }, 'volunteer')).toThrow(
      /event\.roles\.volunteer\.validity\.period/,
    );
  });

  it('is expired strictly after its last instant', () => {
    expect(isExpired('2027-01-01T00:00:00.000Z', Date.parse('2027-01-01T00:00:00.000Z'))).toBe(false);
    expect(isExpired('2027-01-01T00:00:00.000Z', Date.parse('2027-01-01T00:00:00.001Z'))).toBe(true);
    expect(isExpired(undefined, Date.now())).toBe(false);
    expect(isExpired('not a date', Date.now())).toBe(false);
  });
});
