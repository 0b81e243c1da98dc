import { orderSetsFile, type OrderSet } from '../../../shared/domain/lab-orders';
import type { Resources } from '../resources/resources';

/** What may be ordered: the shipped LOINC list (code → long common name) and the order sets. */
export interface LabOrderCatalog {
  loinc: ReadonlyMap<string, string>;
  orderSets: readonly OrderSet[];
}

/**
 * Loads resources/codesets/loinc-common.tsv and resources/labs/order-sets.json (validated), once
 * per session. Throws (a ResourceError naming the file and the JSON path) when the order sets are malformed.
 */
export function loadLabOrderCatalog(resources: Resources): LabOrderCatalog {
  return resources.derived('lab-order-catalog', () => ({
    loinc: new Map(resources.tsv('codesets/loinc-common.tsv').map((r) => [r['LOINC_NUM']!, r['LONG_COMMON_NAME']!])),
    orderSets: resources.json('labs/order-sets.json', orderSetsFile).orderSets,
  }));
}
