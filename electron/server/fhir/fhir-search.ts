import { SYSTEMS, systemUri } from '../../../shared/fhir/to-fhir';
import { FHIR_ID, parseDateSearch, parseReference, parseToken, splitOr, type DateSearch, type TokenSearch } from '../../../shared/fhir/search-params';
import { FhirError } from './outcome';

/**
 * FHIR search → SQL over `sync_rows` (entity, entity_id, patient_id, data jsonb). The SQL is the same
 * on PGlite and PostgreSQL: `data->>'column'` text comparisons, all values bound as parameters.
 */

/** Collects bound parameters and hands out their `$n` placeholders. */
export class Binder {
  readonly params: unknown[] = [];
  bind(v: unknown): string {
    this.params.push(v);
    return `$${this.params.length}`;
  }
}

type Modifier = string | null;
type ParamSql = (b: Binder, raw: string, modifier: Modifier) => string;

/** One place the rows of a resource type come from (MedicationRequest has two). */
export interface Source {
  entity: string;
  /** Always-on condition (e.g. only clinical users are Practitioners). */
  where?: string;
  /** The column holding the resource id when it is not the row id (a medication course). */
  idCol?: string;
  params: Record<string, ParamSql>;
}

/** A map's own value for a key taken from a request (never an inherited one like `constructor`). */
const own = <T>(map: Record<string, T>, key: string): T | undefined => (Object.hasOwn(map, key) ? map[key] : undefined);
const col = (c: string): string => `(r.data->>'${c}')`;
const fail = (param: string, why: string): never => {
  throw new FhirError(400, 'invalid', `search parameter ${param}: ${why}`);
};

function noModifier(name: string, m: Modifier): void {
  if (m !== null) fail(name, `the modifier :${m} is not supported`);
}

function dateSql(b: Binder, column: string, d: DateSearch): string {
  const lo = (): string => b.bind(d.lo);
  const hi = (): string => b.bind(d.hi);
  // Values are ISO text of any precision; [lo, hi) bounds compare as text (see parseDateSearch).
  switch (d.prefix) {
    case 'eq':
      return `(${column} >= ${lo()} AND ${column} < ${hi()})`;
    case 'ne':
      return `NOT (${column} >= ${lo()} AND ${column} < ${hi()})`;
    case 'lt':
    case 'eb':
      return `${column} < ${lo()}`;
    case 'le':
      return `${column} < ${hi()}`;
    case 'gt':
    case 'sa':
      return `${column} >= ${hi()}`;
    case 'ge':
      return `${column} >= ${lo()}`;
  }
}

const orOf = (parts: string[]): string => (parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`);

/** A date parameter on one column; each value is checked by a strict pattern before it reaches SQL. */
const date =
  (column: string): ParamSql =>
  (b, raw, m) => {
    noModifier('date', m);
    return orOf(
      splitOr(raw).map((v) => {
        const d = parseDateSearch(v);
        if (!d.ok) return fail('date', d.error);
        return dateSql(b, col(column), d.value);
      }),
    );
  };

const tokens = (name: string, raw: string): TokenSearch[] =>
  splitOr(raw).map((v) => {
    const t = parseToken(v);
    return t.ok ? t.value : fail(name, t.error);
  });

/** A token on one column whose code system is fixed (or one of several columns by system). */
const token =
  (name: string, bySystem: Record<string, string>, fallback?: (b: Binder, t: TokenSearch) => string): ParamSql =>
  (b, raw, m) => {
    noModifier(name, m);
    const systems = Object.keys(bySystem);
    return orOf(
      tokens(name, raw).map((t) => {
        if (fallback && t.system === null) return fallback(b, t);
        const cols =
          t.system === null
            ? systems.map((s) => bySystem[s]!)
            : t.system === ''
              ? []
              : [own(bySystem, t.system) ?? own(bySystem, systemUri(t.system) ?? '') ?? ''].filter(Boolean);
        if (cols.length === 0) return 'FALSE';
        return orOf(cols.map((c) => (t.code === null ? `${col(c)} IS NOT NULL` : `${col(c)} = ${b.bind(t.code)}`)));
      }),
    );
  };

/** A token compared with a value mapped from FHIR codes to stored ones. */
const mapped =
  (name: string, column: string, fromFhir: (code: string) => string[]): ParamSql =>
  (b, raw, m) => {
    noModifier(name, m);
    const values = tokens(name, raw).flatMap((t) => (t.code ? fromFhir(t.code) : []));
    return values.length === 0 ? 'FALSE' : `${col(column)} = ANY(${b.bind(values)}::text[])`;
  };

const patientRef: ParamSql = (b, raw, m) => {
  if (m !== null && m !== 'Patient') fail('patient', `the modifier :${m} is not supported`);
  const ids = splitOr(raw).map((v) => {
    const r = parseReference(v, 'Patient');
    return r.ok ? r.value : fail('patient', r.error);
  });
  return ids.length === 1 ? `r.patient_id = ${b.bind(ids[0])}` : `r.patient_id = ANY(${b.bind(ids)}::text[])`;
};

const idParam =
  (column: string | null): ParamSql =>
  (b, raw, m) => {
    noModifier('_id', m);
    const ids = splitOr(raw);
    for (const i of ids) if (!FHIR_ID.test(i)) fail('_id', `"${i}" is not a FHIR id`);
    const target = column ? col(column) : 'r.entity_id';
    return ids.length === 1 ? `${target} = ${b.bind(ids[0])}` : `${target} = ANY(${b.bind(ids)}::text[])`;
  };

/** A string parameter (default: starts with, case-insensitive; :exact; :contains) over columns. */
const string =
  (name: string, columns: string[], words = false): ParamSql =>
  (b, raw, m) => {
    if (m !== null && m !== 'exact' && m !== 'contains') fail(name, `the modifier :${m} is not supported`);
    return orOf(
      splitOr(raw).map((v) => {
        if (v === '') fail(name, 'an empty value');
        const esc = v.replace(/[\\%_]/g, (c) => `\\${c}`);
        if (m === 'exact') return orOf(columns.map((c) => `${col(c)} = ${b.bind(v)}`));
        const pattern = b.bind(m === 'contains' ? `%${esc.toLowerCase()}%` : `${esc.toLowerCase()}%`);
        // A whole name held as one text ("Dr. Gregory House") matches at the start of any word.
        const word = words && m === null ? b.bind(`% ${esc.toLowerCase()}%`) : null;
        return orOf(columns.map((c) => (word ? `(lower(${col(c)}) LIKE ${pattern} OR lower(${col(c)}) LIKE ${word})` : `lower(${col(c)}) LIKE ${pattern}`)));
      }),
    );
  };

const same = (code: string): string[] => [code];
const ENCOUNTER_FROM_FHIR: Record<string, string[]> = {
  planned: ['planned'],
  arrived: ['checked_in'],
  'in-progress': ['in_progress'],
  finished: ['finished'],
  cancelled: ['cancelled'],
};

const identifierParam: ParamSql = (b, raw, m) => {
  noModifier('identifier', m);
  return orOf(
    tokens('identifier', raw).map((t) => {
      if (t.code === null)
        return t.system === SYSTEMS.mrn ? `${col('mrn')} IS NOT NULL` : `${col('identifiers')} LIKE ${b.bind(`%"system":${JSON.stringify(t.system)}%`)}`;
      const code = t.code;
      // Bound only when used: an unused parameter has no type and PostgreSQL refuses the statement.
      const mrn = (): string => `${col('mrn')} = ${b.bind(code)}`;
      // identifiers is JSON text written by JSON.stringify ({system, value, type}): matched as text.
      const other = (): string =>
        `${col('identifiers')} LIKE ${b.bind(`%${t.system ? `"system":${JSON.stringify(t.system)},` : ''}"value":${JSON.stringify(code)}%`.replace(/[\\_]/g, (c) => `\\${c}`))}`;
      if (t.system === null) return `(${mrn()} OR ${other()})`;
      return t.system === SYSTEMS.mrn ? mrn() : other();
    }),
  );
};

const courseStatus: ParamSql = (b, raw, m) => {
  noModifier('status', m);
  const codes = tokens('status', raw).map((t) => t.code);
  const stopped = `EXISTS (SELECT 1 FROM sync_rows s WHERE s.entity = 'medication_event' AND (s.data->>'course_id') = (r.data->>'course_id') AND (s.data->>'event') = 'stop' AND (s.data->>'deleted_at') IS NULL)`;
  const parts = [...(codes.includes('active') ? [`NOT ${stopped}`] : []), ...(codes.includes('stopped') ? [stopped] : [])];
  return parts.length === 0 ? 'FALSE' : orOf(parts);
};

const procedureCode: ParamSql = (b, raw, m) => {
  noModifier('code', m);
  return orOf(
    tokens('code', raw).map((t) => {
      const code = t.code === null ? `${col('code')} IS NOT NULL` : `${col('code')} = ${b.bind(t.code)}`;
      // code_system may hold a URI or a short name: compare both spellings.
      if (!t.system) return code;
      return `(${code} AND ${col('code_system')} = ANY(${b.bind([t.system, ...(t.system === SYSTEMS.snomed ? ['SNOMED', 'SNOMED-CT', 'snomed', 'sct'] : t.system === SYSTEMS.cpt ? ['CPT', 'cpt'] : [])])}::text[]))`;
    }),
  );
};

const common = (dateCol: string): Record<string, ParamSql> => ({ _id: idParam(null), patient: patientRef, subject: patientRef, date: date(dateCol) });

/** Search parameters of each resource type, by the Cairn rows it is made of. */
export const SOURCES: Record<string, Source[]> = {
  Patient: [
    {
      entity: 'patient',
      params: {
        _id: idParam(null),
        name: string('name', ['family_name', 'given_name', 'middle_name', 'preferred_name']),
        family: string('family', ['family_name']),
        given: string('given', ['given_name', 'middle_name']),
        birthdate: date('birth_date'),
        gender: mapped('gender', 'sex', same),
        identifier: identifierParam,
      },
    },
  ],
  Practitioner: [
    {
      entity: 'user',
      where: `(r.data->>'role') IN ('physician', 'nurse')`,
      params: { _id: idParam(null), name: string('name', ['display_name'], true), identifier: token('identifier', { [SYSTEMS.username]: 'username' }) },
    },
  ],
  Encounter: [{ entity: 'encounter', params: { ...common('start_at'), status: mapped('status', 'status', (c) => own(ENCOUNTER_FROM_FHIR, c) ?? []) } }],
  Observation: [
    {
      entity: 'observation',
      params: {
        ...common('effective_at'),
        code: token('code', { [SYSTEMS.loinc]: 'loinc' }),
        category: mapped('category', 'category', same),
        status: mapped('status', 'status', same),
      },
    },
  ],
  Condition: [
    {
      entity: 'condition',
      params: {
        ...common('onset_date'),
        'onset-date': date('onset_date'),
        code: token('code', { [SYSTEMS.icd10cm]: 'icd10', [SYSTEMS.snomed]: 'snomed' }),
        'clinical-status': mapped('clinical-status', 'clinical_status', same),
        status: mapped('status', 'clinical_status', same),
      },
    },
  ],
  AllergyIntolerance: [
    {
      entity: 'allergy',
      params: {
        ...common('recorded_at'),
        code: token('code', {}, (b, t) =>
          t.code === null ? 'TRUE' : `(${col('substance_code')} = ${b.bind(t.code)} OR lower(${col('substance')}) = ${b.bind(t.code.toLowerCase())})`,
        ),
        'clinical-status': mapped('clinical-status', 'status', same),
        status: mapped('status', 'status', same),
      },
    },
  ],
  MedicationRequest: [
    {
      entity: 'prescription',
      params: {
        ...common('signed_at'),
        authoredon: date('signed_at'),
        code: token('code', { [SYSTEMS.rxnorm]: 'rxcui' }),
        status: mapped('status', 'status', same),
        intent: mapped('intent', 'status', (c) =>
          c === 'order' ? ['active', 'on-hold', 'cancelled', 'completed', 'entered-in-error', 'stopped', 'draft', 'unknown'] : [],
        ),
      },
    },
    {
      // A medication course, found by its start event; the resource is built from all its events.
      entity: 'medication_event',
      where: `(r.data->>'event') = 'start'`,
      idCol: 'course_id',
      params: {
        ...common('effective_at'),
        _id: idParam('course_id'),
        authoredon: date('effective_at'),
        code: token('code', { [SYSTEMS.rxnorm]: 'rxcui' }),
        status: courseStatus,
        intent: mapped('intent', 'event', (c) => (c === 'plan' ? ['start'] : [])),
      },
    },
  ],
  Immunization: [
    {
      entity: 'immunization',
      params: {
        ...common('administered_on'),
        code: token('code', { [SYSTEMS.cvx]: 'cvx' }),
        'vaccine-code': token('vaccine-code', { [SYSTEMS.cvx]: 'cvx' }),
        status: mapped('status', 'status', same),
      },
    },
  ],
  Procedure: [
    {
      entity: 'procedure',
      params: {
        ...common('performed_start'),
        code: procedureCode,
        status: mapped('status', 'status', same),
      },
    },
  ],
  DiagnosticReport: [
    {
      entity: 'diagnostic_report',
      params: {
        ...common('effective_at'),
        code: token('code', { [SYSTEMS.loinc]: 'loinc' }),
        status: mapped('status', 'status', same),
        category: mapped('category', 'category', same),
      },
    },
  ],
};

/** Resource types the API serves. */
export const SEARCHABLE = Object.keys(SOURCES);

/** Parameters every search accepts beside the type's own. */
export const CONTROL_PARAMS = new Set(['_count', '_offset', '_include', '_format', '_pretty', '_summary', '_total', '_elements']);

/** A parsed search: one WHERE clause per source, with its bound parameters. */
export interface PlannedSearch {
  where: string;
  params: unknown[];
}

/**
 * Builds the WHERE clause of a search. Every parameter is validated; an unknown one is refused (400)
 * unless the client asks for lenient handling (`Prefer: handling=lenient`).
 */
export function planSearch(type: string, query: [string, string][], lenient: boolean): PlannedSearch {
  const sources = Object.hasOwn(SOURCES, type) ? SOURCES[type] : undefined;
  if (!sources) throw new FhirError(404, 'not-supported', `resource type ${type} is not served here`);
  const b = new Binder();
  const perSource: string[] = [];
  for (const src of sources) {
    // Important: the entity is a literal (from the table above, never from the request) so the planner
    // can use the partial indexes (`WHERE entity = 'observation'`) with any parameter values.
    const conds: string[] = [`r.entity = '${src.entity}'`, `(r.data->>'deleted_at') IS NULL`, ...(src.where ? [src.where] : [])];
    for (const [key, raw] of query) {
      const [name, modifier = null, ...extra] = key.split(':');
      if (!name || CONTROL_PARAMS.has(name)) continue;
      const handler = Object.hasOwn(src.params, name) ? src.params[name] : undefined;
      if (!handler || extra.length > 0) {
        if (lenient) continue;
        fail(key, `not supported for ${type} (supported: ${Object.keys(sources[0]!.params).join(', ')})`);
      }
      if (raw.length > 2000) fail(key, 'the value is too long');
      conds.push(handler!(b, raw, modifier));
    }
    perSource.push(`(${conds.join(' AND ')})`);
  }
  return { where: perSource.join(' OR '), params: b.params };
}
