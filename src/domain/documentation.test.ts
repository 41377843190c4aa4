import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENTATION_SECTIONS,
  ITEM_OWNERS,
  type RegisterItem,
  SECTION_COLUMNS,
  SECTION_FIELDS,
  registerGap,
  summarizeRegister,
} from './documentation.ts';

const item = fc.record({
  section: fc.constantFrom(...DOCUMENTATION_SECTIONS),
  owner: fc.constantFrom(...ITEM_OWNERS, null),
  mspInternal: fc.boolean(),
});

describe('the ownership register', () => {
  it('counts items one by one and counted alike the same (property)', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), (items) => {
        const alike = new Map<string, RegisterItem>();
        for (const i of items) {
          const key = `${i.section}|${String(i.owner)}|${String(i.mspInternal)}`;
          const seen = alike.get(key);
          alike.set(key, { ...i, n: (seen?.n ?? 0) + 1 });
        }
        const one = summarizeRegister(items);
        expect(summarizeRegister([...alike.values()])).toEqual(one);
        expect(one.items).toBe(items.length);
        expect(one.unowned + one.byOwner.client + one.byOwner.msp + one.byOwner['third-party']).toBe(items.length);
        // Complete exactly when there is documentation and nothing lacks an owner.
        expect(registerGap(one) === undefined).toBe(items.length > 0 && items.every((i) => i.owner !== null));
      }),
    );
  });

  it('says what is missing in words; an empty register is never complete', () => {
    expect(registerGap(summarizeRegister([]))).toMatch(/^the client has no documentation yet/);
    expect(registerGap(summarizeRegister([{ section: 'devices', owner: null, mspInternal: false }]))).toBe(
      '1 of 1 documentation item has no owner yet',
    );
    expect(
      registerGap(
        summarizeRegister([
          { section: 'devices', owner: null, mspInternal: false, n: 3 },
          { section: 'files', owner: 'msp', mspInternal: true },
        ]),
      ),
    ).toBe('3 of 4 documentation items have no owner yet');
  });

  it('has a column for every field of every section, and no other', () => {
    for (const section of DOCUMENTATION_SECTIONS)
      expect(SECTION_COLUMNS[section].map(([k]) => k).sort()).toEqual(Object.keys(SECTION_FIELDS[section].shape).sort());
  });
});
