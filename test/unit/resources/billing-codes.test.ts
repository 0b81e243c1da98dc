import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Resources, ResourceError } from '../../../electron/services/resources/resources';
import {
  adjustmentCodesFile,
  claimFilingFile,
  modifiersFile,
  parseFeeScheduleCsv,
  parseProcedureCodesCsv,
  placeOfServiceFile,
} from '../../../shared/domain/billing/codes';

const res = new Resources(join(process.cwd(), 'resources'));
const csv = (file: string): string => res.text(`billing/${file}`);

describe('resources/billing JSON files', () => {
  it('adjustment-codes.json: the five groups, the common CARC and RARC codes, each described in one short line', () => {
    const f = res.json('billing/adjustment-codes.json', adjustmentCodesFile);
    expect(f.groups.map((g) => g.code).sort()).toEqual(['CO', 'CR', 'OA', 'PI', 'PR']);
    const carc = new Set(f.carc.map((c) => c.code));
    for (const code of ['1', '2', '3', '4', '5', '6', '11', '16', '18', '22', '23', '27', '29', '31', '45', '50', '59', '96', '97', '109', '119', '129', '140', '151', '167', '170', '181', '182', '185', '197', '204', '222', '226', '236', '242', '253', '256'])
      expect(carc.has(code), `CARC ${code}`).toBe(true);
    const rarc = new Set(f.rarc.map((c) => c.code));
    for (const code of ['M15', 'M76', 'M80', 'MA04', 'MA130', 'N4', 'N20', 'N30', 'N115', 'N130', 'N290', 'N362', 'N418', 'N517', 'N522', 'N657'])
      expect(rarc.has(code), `RARC ${code}`).toBe(true);
    expect(f.carc.length).toBeGreaterThanOrEqual(70);
    expect(f.rarc.length).toBeGreaterThanOrEqual(40);
    expect([...f.carc, ...f.rarc].every((c) => c.description.length <= 80 && (c.action ?? '').length <= 80)).toBe(true);
  });

  it('place-of-service.json, claim-filing.json and modifiers.json hold the codes a small practice bills with', () => {
    const pos = res.json('billing/place-of-service.json', placeOfServiceFile);
    const posByCode = new Map(pos.codes.map((c) => [c.code, c]));
    for (const code of ['02', '10', '11', '12', '19', '20', '21', '22', '23', '31', '32', '49', '50', '71', '72', '81', '99']) expect(posByCode.has(code), code).toBe(true);
    expect(posByCode.get('11')!.name).toBe('Office');
    expect(pos.codes.filter((c) => c.telehealth).map((c) => c.code)).toEqual(['02', '10']);

    const filing = res.json('billing/claim-filing.json', claimFilingFile);
    expect(filing.codes.map((c) => c.code)).toEqual(['09', '11', '12', '13', '14', '15', '16', '17', 'AM', 'BL', 'CH', 'CI', 'DS', 'FI', 'HM', 'LM', 'MA', 'MB', 'MC', 'OF', 'TV', 'VA', 'WC', 'ZZ']);
    const program = Object.fromEntries(filing.codes.map((c) => [c.code, c.program]));
    expect([program.MB, program.MC, program.CH, program.VA, program.CI, program.WC]).toEqual(['medicare', 'medicaid', 'tricare', 'champva', 'group', 'other']);

    const mods = res.json('billing/modifiers.json', modifiersFile).modifiers.map((m) => m.code);
    for (const code of ['25', '59', '76', '77', '91', '95', 'GT', 'GA', 'GY', 'GZ', 'KX', 'LT', 'RT', '50', '51', 'TC', '26', 'XE', 'XP', 'XS', 'XU', 'FS', '33']) expect(mods, code).toContain(code);
  });
});

describe('resources/billing CSV files', () => {
  it('cpt-sample.csv is a small fixture of procedure codes, each with a description', () => {
    const r = parseProcedureCodesCsv(csv('cpt-sample.csv'), 'billing/cpt-sample.csv');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.length).toBeGreaterThanOrEqual(25);
    expect(r.value.length).toBeLessThanOrEqual(40);
    const codes = r.value.map((c) => c.code);
    expect(codes).toEqual(expect.arrayContaining(['99202', '99213', '99215', '99395', '90471', '90686', '36415', '81002', '85025', '93000', '96127', 'J1885', 'G0439']));
    // A quoted description keeps its commas.
    expect(r.value.find((c) => c.code === '99213')!.description).toBe('Office visit, established patient, low-complexity decisions');
  });

  it('fee-schedule-sample.csv prices every row in whole cents, only codes of the sample, each code and modifier once', () => {
    const r = parseFeeScheduleCsv(csv('fee-schedule-sample.csv'), 'billing/fee-schedule-sample.csv');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toContainEqual({ code: '99213', modifier: null, priceCents: 12500 });
    expect(r.value).toContainEqual({ code: '90686', modifier: null, priceCents: 3250 });
    expect(r.value).toContainEqual({ code: '71046', modifier: '26', priceCents: 2200 });
    const sample = parseProcedureCodesCsv(csv('cpt-sample.csv'), 'x');
    const known = new Set(sample.ok ? sample.value.map((c) => c.code) : []);
    expect(r.value.filter((f) => !known.has(f.code))).toEqual([]);
  });
});

describe('a broken billing file is reported by name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-billing-codes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const broken = new Resources(dir);
  const write = (file: string, text: string): void => {
    mkdirSync(join(dir, 'billing'), { recursive: true });
    writeFileSync(join(dir, 'billing', file), text);
  };
  const shipped = (file: string): Record<string, unknown[]> => JSON.parse(readFileSync(join(process.cwd(), 'resources', 'billing', file), 'utf8')) as Record<string, unknown[]>;

  it('a code listed twice, a description over 80 characters, or bad JSON names the file and the JSON path', () => {
    const adj = shipped('adjustment-codes.json');
    write('adjustment-codes.json', JSON.stringify({ ...adj, carc: [...adj.carc!, adj.carc![0]] }));
    const dup = broken.tryJson('billing/adjustment-codes.json', adjustmentCodesFile);
    expect('problem' in dup && dup.problem.message).toMatch(new RegExp(`^\\$\\.carc\\[${adj.carc!.length}\\]\\.code: CARC "1" is listed twice$`));
    expect('problem' in dup && dup.problem.file).toBe(join(dir, 'billing', 'adjustment-codes.json'));

    write('modifiers.json', JSON.stringify({ modifiers: [{ code: '25', set: 'CPT', description: 'x'.repeat(81) }] }));
    expect(() => broken.json('billing/modifiers.json', modifiersFile)).toThrow(/modifiers\.json: \$\.modifiers\[0\]\.description: keep it to 80 characters/);

    write('place-of-service.json', '{"codes": [');
    expect(() => broken.json('billing/place-of-service.json', placeOfServiceFile)).toThrow(ResourceError);
    expect(() => broken.json('billing/place-of-service.json', placeOfServiceFile)).toThrow(/place-of-service\.json: not valid JSON/);

    write('claim-filing.json', JSON.stringify({ codes: [{ code: 'MB', name: 'Medicare B', program: 'medicare' }, { code: 'MB', name: 'again', program: 'group' }] }));
    expect(() => broken.json('billing/claim-filing.json', claimFilingFile)).toThrow(/\$\.codes\[1\]\.code: filing indicator "MB" is listed twice/);
  });

  it('a bad CSV line is named by file and line; a duplicate names the first line; every bad line is reported', () => {
    const fees = parseFeeScheduleCsv('code,modifier,price\n99213,,125.00\n\n99214,,12.345\n99213,,130\n9921,,5\n99215,2,-1\n', 'fees.csv');
    expect(fees).toEqual({
      ok: false,
      error: {
        code: 'invalid_csv',
        message: [
          'fees.csv line 4: price: "12.345" is not a price in dollars (e.g. 125.00)',
          'fees.csv line 5: 99213 is already on line 2',
          'fees.csv line 6: code: a procedure code is CPT (99213, 0001U) or HCPCS (J1885)',
          'fees.csv line 7: modifier: a modifier is two letters or digits (25, GT); price: "-1" is not a price in dollars (e.g. 125.00)',
        ].join('; '),
      },
    });
    expect(parseProcedureCodesCsv('code,name\n99213,x\n', 'cpt.csv')).toEqual({
      ok: false,
      error: { code: 'invalid_csv', message: 'cpt.csv: the first line must name the columns code,description (missing description)' },
    });
    expect(parseProcedureCodesCsv('code,description\n99213,"Office visit, open quote\n', 'cpt.csv')).toMatchObject({ ok: false, error: { message: 'cpt.csv line 2: a quoted field is not closed' } });
  });

  it('reads quoted fields, doubled quotes, extra columns in any order, CRLF and a byte-order mark', () => {
    const r = parseProcedureCodesCsv('\uFEFFdescription,extra,code\r\n"Visit, ""level 3""",x,99213\r\n# a comment\r\nplain,,J1885\r\n', 'cpt.csv');
    expect(r).toEqual({ ok: true, value: [{ code: '99213', description: 'Visit, "level 3"' }, { code: 'J1885', description: 'plain' }] });
  });
});
