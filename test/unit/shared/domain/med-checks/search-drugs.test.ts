import { describe, expect, it } from 'vitest';
import { searchDrugs } from '../../../../../shared/domain/med-checks';
import { fx } from './inline.fixture';

describe('searchDrugs', () => {
  const names = (q: string, limit?: number): string[] => searchDrugs(fx, q, limit).map((d) => d.rxcui);
  it('finds by name, brand, ingredient, word prefixes and RXCUI prefix; best first', () => {
    expect(names('warfarin')).toEqual(['100', '101']);
    expect(names('coumadin')).toEqual(['100']);
    expect(names('Advil')).toEqual(['200']);
    expect(names('azith 500')).toEqual(['301']);
    expect(names('trimethoprim')).toEqual(['401', '400']);
    expect(names('30')).toEqual(['300', '301', '302', '700']);
    expect(names('ibu')).toEqual(['200']);
    expect(names('warf', 1)).toEqual(['100']);
  });
  it('nothing for an empty query or no match', () => {
    expect(names('  ')).toEqual([]);
    expect(names('zzz')).toEqual([]);
  });
});
