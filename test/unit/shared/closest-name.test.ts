import { describe, expect, it } from 'vitest';
import { closestName } from '#domain/closest-name.ts';

describe('closestName', () => {
  it('suggests the known name a typo is closest to, keeping its case', () => {
    expect(closestName('salez', ['crm', 'sales', 'sales_eu'])).toBe('sales');
    expect(closestName('Sales_EU', ['crm', 'sales', 'sales_eu'])).toBe('sales_eu');
    expect(closestName('inventroy', ['Inventory', 'sales'])).toBe('Inventory');
  });

  it('suggests nothing when no name is close, or none is known', () => {
    expect(closestName('x', ['sales', 'crm'])).toBeUndefined();
    expect(closestName('marketing', ['sales', 'crm'])).toBeUndefined();
    expect(closestName('sales', [])).toBeUndefined();
  });
});
