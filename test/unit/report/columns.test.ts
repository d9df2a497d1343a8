// Pure: about 20 ms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeColumn, encodeColumn, sizeUnitFor } from '#domain/report/columns.ts';

describe('report columns', () => {
  it('decodes what it encodes, gaps included', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: -1e12, max: 1e12 }), { nil: null })), (values) => {
        // Act
        const decoded = decodeColumn(encodeColumn(values), values.length);

        // Assess
        expect(decoded).toEqual(values);
      }),
    );
  });

  it('stores a nightly series in a few characters a value', () => {
    // Prepare
    const slots = Array.from({ length: 365 }, (_, index) => index);

    // Act
    const column = encodeColumn(slots);

    // Assess
    expect(column).toBe(['0', ...Array.from({ length: 364 }, () => '1')].join(','));
  });

  it('refuses a column whose length is not the count', () => {
    expect(() => decodeColumn('1,2,3', 2)).toThrow(RangeError);
  });

  it('keeps sizes below 2^17 units with a power-of-two unit', () => {
    // Act
    const unit = sizeUnitFor(3.2e12);

    // Assess
    expect(Math.log2(unit) % 1).toBe(0);
    expect(3.2e12 / unit).toBeLessThan(2 ** 17);
    expect(3.2e12 / unit).toBeGreaterThanOrEqual(2 ** 16);
    expect(sizeUnitFor(0)).toBe(1);
  });
});
