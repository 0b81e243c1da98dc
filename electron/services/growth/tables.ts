import { buildGrowthTables, parseFlynnTable, type FlynnTables, type GrowthTables } from '../../../shared/domain/growth';
import type { Resources } from '../resources/resources';

/** The WHO 2006 and CDC 2000 LMS tables in resources/growth, parsed once per session. */
export function growthTables(resources: Resources): GrowthTables {
  return resources.derived('growth/tables', () => buildGrowthTables((file) => resources.text(`growth/${file}`)));
}

/** The AAP 2017 (Flynn et al.) blood pressure tables 4 (boys) and 5 (girls), parsed once per session. */
export function flynnTables(resources: Resources): FlynnTables {
  return resources.derived('growth/flynn', () => ({
    male: parseFlynnTable(resources.text('growth/flynn2017-bp-boys.tsv'), 'growth/flynn2017-bp-boys.tsv'),
    female: parseFlynnTable(resources.text('growth/flynn2017-bp-girls.tsv'), 'growth/flynn2017-bp-girls.tsv'),
  }));
}
