import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';

/** FHIR search parameter types of the parameters the API supports. */
const PARAM_TYPE: Record<string, 'token' | 'date' | 'string' | 'reference'> = {
  _id: 'token',
  name: 'string',
  family: 'string',
  given: 'string',
  birthdate: 'date',
  gender: 'token',
  identifier: 'token',
  patient: 'reference',
  subject: 'reference',
  date: 'date',
  'onset-date': 'date',
  authoredon: 'date',
  code: 'token',
  'vaccine-code': 'token',
  category: 'token',
  status: 'token',
  'clinical-status': 'token',
  intent: 'token',
};

/** The extra URIs a client needs: where to get a token, and the server's own address. */
export interface CapabilityInput {
  base: string;
  tokenUrl: string;
  software: { name: string; version: string };
  /** Resource type → its search parameter names. */
  searchParams: Record<string, string[]>;
  /** ISO instant the statement is dated with. */
  date: string;
}

/**
 * The server's CapabilityStatement: read-only REST, SMART backend-services authorization (client
 * credentials) advertised in the security extension, Bulk Data export operations.
 */
export function capabilityStatement(i: CapabilityInput): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: i.date,
    kind: 'instance',
    software: i.software,
    implementation: { description: 'Cairn clinic server FHIR API (read-only)', url: i.base },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
              text: 'OAuth2 client credentials (SMART backend services, client secret)',
            },
          ],
          extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: [{ url: 'token', valueUri: i.tokenUrl }] }],
          description:
            'Ask the clinic administrator for a client (cairn server fhir-client add); POST grant_type=client_credentials to the token endpoint; send the token as a Bearer token.',
        },
        resource: Object.entries(i.searchParams).map(([type, params]): CapabilityStatementRestResource => ({
          type: type as CapabilityStatementRestResource['type'],
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchInclude: params.includes('patient') || params.includes('subject') ? [`${type}:patient`] : undefined,
          searchParam: params.map((name) => ({ name, type: PARAM_TYPE[name] ?? 'token' })),
          ...(type === 'Patient' && {
            operation: [
              { name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' },
              { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' },
            ],
          }),
        })),
        operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }],
      },
    ],
  };
}
