import { describe, expect, it } from 'vitest';
import { indexKnowledge, searchDrugs } from '../../../../../shared/domain/med-checks';
import { drug, fx, FIXTURE } from './inline.fixture';

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
  it('finds an ingredient-level entry by the product it describes, ranked as that product', () => {
    const withIngredientEntry = indexKnowledge({
      ...FIXTURE,
      drugs: [
        ...FIXTURE.drugs,
        drug('41493', 'meloxicam', ['meloxicam'], ['nsaid'], { tty: 'IN', description: 'meloxicam 15 MG Oral Tablet' }),
        drug('900', 'meloxicam 7.5 MG Oral Tablet', ['meloxicam'], ['nsaid']),
      ],
    });
    const found = (q: string): string[] => searchDrugs(withIngredientEntry, q).map((d) => d.rxcui);
    expect(found('meloxicam 15')).toEqual(['41493']);
    expect(found('meloxicam')).toEqual(['41493', '900']);
    expect(found('meloxicam 7.5')).toEqual(['900']);
  });
  it('nothing for an empty query or no match', () => {
    expect(names('  ')).toEqual([]);
    expect(names('zzz')).toEqual([]);
  });
});
