import type { Bundle, Resource } from '@medplum/fhirtypes';

/** A resource's identity inside an import: `ResourceType/id` (the id as the source gave it). */
export type SourceKey = string;

/** A problem found while reading a bundle, with where it is (`entry[12].resource.birthDate`). */
export interface ImportIssue {
  /** Bundle entry index, or null for a problem with the bundle itself. */
  index: number | null;
  path: string;
  resourceType: string | null;
  message: string;
}

/** One entry of a bundle, as the importer works on it. */
export interface SourceEntry {
  index: number;
  fullUrl: string | null;
  key: SourceKey;
  resource: Resource;
}

/** A bundle read and indexed: its entries, and how to turn a reference into a source key. */
export interface ReadBundle {
  type: string;
  entries: SourceEntry[];
  /** Resolves `urn:uuid:…`, `Type/id` or an absolute URL ending in `Type/id`; null when it names nothing known. */
  resolve: (reference: string | undefined) => SourceKey | null;
  issues: ImportIssue[];
}

const READABLE_TYPES = new Set(['transaction', 'collection', 'batch', 'searchset', 'document']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a FHIR R4 Bundle (transaction, batch, collection, searchset or document) from parsed JSON.
 * Entries without a resource, resourceType or id get an id from their fullUrl; an entry that has
 * neither is reported and left out. References are resolved through the entries' fullUrls.
 */
export function readBundle(json: unknown): ReadBundle | { error: ImportIssue } {
  if (!isObject(json) || json['resourceType'] !== 'Bundle') {
    return { error: { index: null, path: 'resourceType', resourceType: null, message: 'not a FHIR Bundle (resourceType must be "Bundle")' } };
  }
  const bundle = json as unknown as Bundle;
  if (typeof bundle.type !== 'string' || !READABLE_TYPES.has(bundle.type)) {
    return {
      error: {
        index: null,
        path: 'type',
        resourceType: 'Bundle',
        message: `cannot import a Bundle of type "${String(bundle.type)}": use a transaction or collection bundle`,
      },
    };
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) {
    return { error: { index: null, path: 'entry', resourceType: 'Bundle', message: 'entry must be an array' } };
  }
  const issues: ImportIssue[] = [];
  const entries: SourceEntry[] = [];
  const byUrl = new Map<string, SourceKey>();
  const keys = new Set<SourceKey>();
  (bundle.entry ?? []).forEach((e, index) => {
    const resource: unknown = isObject(e) ? e.resource : undefined;
    if (!isObject(resource) || typeof resource['resourceType'] !== 'string') {
      issues.push({ index, path: `entry[${index}].resource`, resourceType: null, message: 'entry has no resource with a resourceType' });
      return;
    }
    const type = resource['resourceType'];
    const fullUrl = typeof e.fullUrl === 'string' ? e.fullUrl : null;
    const id = typeof resource['id'] === 'string' && resource['id'] !== '' ? resource['id'] : fullUrl ? lastSegment(fullUrl) : null;
    if (id === null) {
      issues.push({
        index,
        path: `entry[${index}].resource.id`,
        resourceType: type,
        message: 'resource has neither an id nor an entry fullUrl to identify it',
      });
      return;
    }
    const key = `${type}/${id}`;
    if (keys.has(key)) {
      issues.push({ index, path: `entry[${index}].resource.id`, resourceType: type, message: `${key} appears twice in this bundle` });
      return;
    }
    keys.add(key);
    if (fullUrl) byUrl.set(fullUrl, key);
    entries.push({ index, fullUrl, key, resource: resource as unknown as Resource });
  });
  const resolve = (reference: string | undefined): SourceKey | null => {
    if (!reference) return null;
    const hit = byUrl.get(reference);
    if (hit) return hit;
    const m = /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
    if (m && !reference.startsWith('urn:')) return `${m[1]}/${m[2]}`;
    return null;
  };
  return { type: bundle.type, entries, resolve, issues };
}

function lastSegment(url: string): string | null {
  const s = url
    .replace(/^urn:uuid:/, '')
    .split('/')
    .pop();
  return s && s !== '' ? s : null;
}

/** The patient a resource belongs to: its subject or patient reference (or itself, for a Patient). */
export function patientOf(entry: SourceEntry, resolve: ReadBundle['resolve']): SourceKey | null {
  const r = entry.resource as unknown as Record<string, unknown>;
  if (entry.resource.resourceType === 'Patient') return entry.key;
  for (const field of ['subject', 'patient', 'beneficiary']) {
    const ref = r[field];
    if (isObject(ref) && typeof ref['reference'] === 'string') {
      const key = resolve(ref['reference']);
      if (key?.startsWith('Patient/')) return key;
    }
  }
  return null;
}
