import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { orderSetsFile, type OrderSet } from '../../../shared/domain/lab-orders';
import { readTsv } from '../codes/tsv';

/** What may be ordered: the shipped LOINC list (code → long common name) and the order sets. */
export interface LabOrderCatalog {
  loinc: ReadonlyMap<string, string>;
  orderSets: readonly OrderSet[];
}

const cache = new Map<string, LabOrderCatalog>();

/**
 * Loads resources/codesets/loinc-common.tsv and resources/labs/order-sets.json (validated), once
 * per resources folder. Throws with the file and the problem when the order sets are malformed.
 */
export function loadLabOrderCatalog(resourcesDir: string): LabOrderCatalog {
  const hit = cache.get(resourcesDir);
  if (hit) return hit;
  const loinc = new Map(readTsv(join(resourcesDir, 'codesets', 'loinc-common.tsv')).map((r) => [r['LOINC_NUM']!, r['LONG_COMMON_NAME']!]));
  const file = join(resourcesDir, 'labs', 'order-sets.json');
  const parsed = orderSetsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const catalog = { loinc, orderSets: parsed.data.orderSets };
  cache.set(resourcesDir, catalog);
  return catalog;
}
