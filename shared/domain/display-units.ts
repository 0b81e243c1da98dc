/**
 * Values and units as a clinician reads them, pure. What is stored stays exact (UCUM codes, the
 * full number an import brought, the string a lab sent); only what is shown is rounded and labelled.
 *
 * ```ts
 * displayQuantity({ loinc: '8480-6', value: 121.21180588394303, unit: 'mm[Hg]' }); // "121 mmHg"
 * displayQuantity({ loinc: '6690-2', value: 7.2, unit: '10*3/uL' });               // "7.2 10³/µL"
 * displayValue({ loinc: '2823-3', value: 5.4, sent: '5.40' });                      // "5.40": as the lab sent it
 * unitLabel('{score}');                                                             // "" (a score has no unit)
 * ```
 */

const SUPERSCRIPT: Readonly<Record<string, string>> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
  '+': '',
};
const superscript = (digits: string): string => [...digits].map((d) => SUPERSCRIPT[d] ?? d).join('');

/** Whole units with a label of their own (checked before the unit is read atom by atom). */
const WHOLE_UNITS: Readonly<Record<string, string>> = {
  Cel: '°C',
  '[degF]': '°F',
  // Dimensionless: a score, a ratio, pH and UCUM's unity read best as the bare number.
  '{score}': '',
  '{ratio}': '',
  '{index}': '',
  '{#}': '',
  '[pH]': '',
  '1': '',
};

/** Bracketed UCUM atoms as people write them. */
const SPECIAL_ATOMS: Readonly<Record<string, string>> = {
  '[degF]': '°F',
  '[lb_av]': 'lb',
  '[oz_av]': 'oz',
  '[in_i]': 'in',
  '[ft_i]': 'ft',
  '[IU]': 'IU',
  '[iU]': 'IU',
  '[HPF]': 'HPF',
  '[LPF]': 'LPF',
  "[arb'U]": 'arb U',
  '[pH]': 'pH',
};

/** A metric prefix (or none) before a base unit: u (micro) becomes µ, and eq/osm are written mEq, mOsm. */
const PREFIXED = /^(Y|Z|E|P|T|G|M|k|h|da|d|c|m|u|n|p|f)?(L|l|g|mol|m|s|eq|osm|U|IU|kat|Pa|Hg)$/;
const BASE_LABEL: Readonly<Record<string, string>> = { l: 'L', eq: 'Eq', osm: 'Osm' };

/** One atom of a UCUM unit (between `/` and `.`), e.g. `10*3`, `uL`, `mm[Hg]`, `m2`, `{cells}`. */
function atomLabel(atom: string): string {
  // A power of ten: 10*3 (UCUM) or 10^3 → 10³.
  const power = /^10[*^]([+-]?\d+)$/.exec(atom);
  if (power) return `10${superscript(power[1]!)}`;
  // An annotation is text for people already: {cells} → cells, {1.73_m2} → 1.73 m².
  if (/^\{[^}]*\}$/.test(atom))
    return atom
      .slice(1, -1)
      .replace(/_/g, ' ')
      .replace(/([a-zA-Z])(\d)$/, (_m, l: string, d: string) => `${l}${superscript(d)}`);
  // An annotation after a unit (g{Hb}, mg{creat}): the unit, then the annotation's words.
  const annotated = /^([^{]+)\{([^}]*)\}$/.exec(atom);
  if (annotated) return `${atomLabel(annotated[1]!)} ${annotated[2]!.replace(/_/g, ' ')}`;
  const special = SPECIAL_ATOMS[atom];
  if (special !== undefined) return special;
  // mm[Hg], cm[H2O], m[IU]: a prefix before a bracketed unit.
  const bracketed = /^([a-zA-Z]*)\[([^\]]+)\]$/.exec(atom);
  if (bracketed)
    return `${bracketed[1] === 'u' ? 'µ' : atomLabel(bracketed[1]!)}${SPECIAL_ATOMS[`[${bracketed[2]!}]`] ?? bracketed[2]!.replace(/_(av|i|us|br)$/, '')}`;
  // A power of a unit: m2 → m², cm3 → cm³ (never a bare number such as 100).
  const exp = /^([a-zA-Zµ]+)([+-]?\d+)$/.exec(atom);
  if (exp) return `${atomLabel(exp[1]!)}${superscript(exp[2]!)}`;
  const prefixed = PREFIXED.exec(atom);
  if (prefixed) return `${prefixed[1] === 'u' ? 'µ' : (prefixed[1] ?? '')}${BASE_LABEL[prefixed[2]!] ?? prefixed[2]!}`;
  return atom;
}

/**
 * A UCUM unit as people write it: `mm[Hg]` → mmHg, `10*3/uL` → 10³/µL, `Cel` → °C, `[degF]` → °F,
 * `kg/m2` → kg/m², `meq/L` → mEq/L, `mg/dL`, `/min` and `%` as they are; a score or ratio (`{score}`)
 * has none (''). A unit that is not UCUM (`lb`, `in`, `mmHg`) comes back unchanged.
 */
export function unitLabel(unit: string | null | undefined): string {
  if (unit === null || unit === undefined) return '';
  const u = unit.trim();
  const whole = WHOLE_UNITS[u];
  if (whole !== undefined) return whole;
  // Split on division and multiplication outside annotations and brackets; keep the operators.
  const parts = u.split(/(\/|\.(?![^{]*\})(?![^[]*\])|\(|\))/).filter((p) => p !== '');
  return parts.map((p) => (p === '/' || p === '(' || p === ')' ? p : p === '.' ? '·' : atomLabel(p))).join('');
}

/**
 * Decimal places shown, by LOINC code: what a clinician reads, not what a device or an import
 * carried. Vital signs: blood pressure, heart and respiratory rate, SpO2 and pain as whole numbers;
 * temperature, weight, height, head circumference and BMI to one decimal. Labs: the usual
 * reporting precision of common chemistry and haematology tests.
 */
const DECIMALS_BY_LOINC: Readonly<Record<string, number>> = {
  // Vital signs
  '8480-6': 0, // systolic blood pressure
  '8462-4': 0, // diastolic blood pressure
  '8867-4': 0, // heart rate
  '9279-1': 0, // respiratory rate
  '59408-5': 0, // SpO2 by pulse oximetry
  '2708-6': 0, // oxygen saturation in arterial blood
  '72514-3': 0, // pain score 0-10
  '8310-5': 1, // body temperature
  '8331-1': 1, // oral temperature
  '29463-7': 1, // body weight
  '3141-9': 1, // body weight, measured
  '8302-2': 1, // body height
  '8306-3': 1, // body height, lying
  '9843-4': 1, // head circumference
  '39156-5': 1, // BMI
  '59576-9': 0, // BMI percentile
  '8289-1': 0, // head circumference percentile
  '77606-2': 0, // weight-for-length percentile
  // Chemistry
  '2339-0': 0, // glucose, blood
  '2345-7': 0, // glucose, serum/plasma
  '4548-4': 1, // HbA1c
  '17856-6': 1, // HbA1c (HPLC)
  '6299-2': 0, // urea nitrogen, blood
  '3094-0': 0, // urea nitrogen, serum/plasma
  '38483-4': 2, // creatinine, blood
  '2160-0': 2, // creatinine, serum/plasma
  '49765-1': 1, // calcium, blood
  '17861-6': 1, // calcium, serum/plasma
  '2947-0': 0, // sodium, blood
  '2951-2': 0, // sodium, serum/plasma
  '6298-4': 1, // potassium, blood
  '2823-3': 1, // potassium, serum/plasma
  '2069-3': 0, // chloride, blood
  '2075-0': 0, // chloride, serum/plasma
  '20565-8': 0, // CO2, blood
  '2028-9': 0, // CO2, serum/plasma
  '33914-3': 0, // eGFR (MDRD)
  '62238-1': 0, // eGFR (CKD-EPI)
  '98979-8': 0, // eGFR (CKD-EPI 2021)
  '2093-3': 0, // cholesterol
  '2571-8': 0, // triglycerides
  '18262-6': 0, // LDL cholesterol, direct
  '13457-7': 0, // LDL cholesterol, calculated
  '2085-9': 0, // HDL cholesterol
  '1742-6': 0, // ALT
  '1920-8': 0, // AST
  '6768-6': 0, // alkaline phosphatase
  '1975-2': 1, // bilirubin, total
  '1751-7': 1, // albumin
  '2885-2': 1, // protein, total
  '3016-3': 2, // TSH
  '14959-1': 1, // microalbumin/creatinine ratio
  // Haematology
  '718-7': 1, // haemoglobin
  '4544-3': 1, // haematocrit
  '6690-2': 1, // leukocytes
  '789-8': 2, // erythrocytes
  '787-2': 1, // MCV
  '785-6': 1, // MCH
  '786-4': 1, // MCHC
  '21000-5': 1, // RDW
  '777-3': 0, // platelets
  '32207-3': 0, // platelet distribution width
  '32623-1': 1, // mean platelet volume
};

/** Decimal places for units whose quantity is clear without a code (a BP from a device with its own code). */
const DECIMALS_BY_UNIT: Readonly<Record<string, number>> = { 'mm[Hg]': 0, '/min': 0, Cel: 1, '[degF]': 1, 'kg/m2': 1 };

/** The decimal places a value is shown with, or null when neither its code nor its unit says. */
export function displayDecimals(loinc: string | null | undefined, unit?: string | null): number | null {
  return (loinc ? DECIMALS_BY_LOINC[loinc] : undefined) ?? (unit ? DECIMALS_BY_UNIT[unit] : undefined) ?? null;
}

/** Rounds half away from zero, without 1.005 → 1.00 binary surprises, and writes `decimals` places. */
export function formatNumber(value: number, decimals: number): string {
  const f = 10 ** decimals;
  const scaled = Number((Math.abs(value) * f).toPrecision(15));
  const r = (Math.sign(value) * Math.round(scaled)) / f;
  return (r === 0 ? 0 : r).toFixed(decimals); // no "-0"
}

/**
 * A number with no rule for its quantity: kept as it is when it has at most two decimals (what a
 * person or a lab writes), else rounded to three significant figures without losing a whole digit
 * (121.2118… → 121, 12.3456 → 12.3, 0.012345 → 0.0123), trailing zeros dropped.
 */
function sensible(value: number): string {
  const plain = String(value);
  if (!/e/i.test(plain) && (plain.split('.')[1] ?? '').length <= 2) return plain;
  const magnitude = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.min(Math.max(2 - magnitude, 0), 8);
  const s = formatNumber(value, decimals);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A plain decimal number as a lab writes one ("7.20", "412", ".5"). */
const SENT_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

export interface DisplayValueInput {
  /** The LOINC code (or another code): decides the precision of a number that came without one. */
  loinc?: string | null;
  /** The stored number (exact), or null. */
  value: number | null;
  /** The stored text: a text result, or a number with its comparator ("<0.01"). */
  text?: string | null;
  unit?: string | null;
  /** The value as the sender wrote it (an HL7 OBX-5): shown as sent, so "7.20" keeps its zero. */
  sent?: string | null;
}

/**
 * The value as shown: the lab's own string when it sent a plain number; a comparator's text
 * ("<0.01", never the bare 0.01); a number rounded by its quantity (see displayDecimals), or
 * sensibly when no rule applies; else the text, or '' when there is no value yet.
 */
export function displayValue(v: DisplayValueInput): string {
  const sent = v.sent?.trim() ?? '';
  if (v.value !== null && SENT_NUMBER.test(sent) && Number(sent) === v.value) return sent.replace(/^\+/, '');
  // Important: a number with a comparator is stored as both; the text carries the "<" or ">".
  if (v.text !== null && v.text !== undefined && v.text !== '') return v.text;
  if (v.value === null || !Number.isFinite(v.value)) return '';
  const decimals = displayDecimals(v.loinc, v.unit);
  return decimals === null ? sensible(v.value) : formatNumber(v.value, decimals);
}

/** A value already shown (displayValue) with its unit's label: "412 mg/dL", "72/min", "3" for a score, "Yellow". */
export function withUnit(value: string, unit: string | null | undefined): string {
  const label = unitLabel(unit);
  if (value === '' || label === '') return value;
  // A rate reads "72/min"; other units stand apart from the number: "97 %", "37.0 °C".
  return label.startsWith('/') ? `${value}${label}` : `${value} ${label}`;
}

/** The value and its unit as people read them ("121 mmHg", "37.0 °C", "3" for a score). */
export function displayQuantity(v: DisplayValueInput): string {
  return withUnit(displayValue(v), v.unit);
}
