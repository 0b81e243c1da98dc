import { z } from 'zod';

/**
 * Scored questionnaires a note template may embed: PHQ-9 (depression) and GAD-7 (anxiety).
 *
 * Item wording, answer options and severity bands follow the published instruments:
 * - Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure.
 *   J Gen Intern Med. 2001;16(9):606–613. doi:10.1046/j.1525-1497.2001.016009606.x
 * - Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety
 *   disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092–1097. doi:10.1001/archinte.166.10.1092
 *
 * Both were developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues
 * with an educational grant from Pfizer Inc., which released them for free use: "No permission
 * required to reproduce, translate, display or distribute."
 */

export const instrumentId = z.enum(['phq9', 'gad7']);
export type InstrumentId = z.infer<typeof instrumentId>;

/** One item's answer: 0 "Not at all" … 3 "Nearly every day". */
export type InstrumentAnswer = 0 | 1 | 2 | 3;
export const instrumentAnswer = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);

export interface AnswerOption {
  value: InstrumentAnswer;
  label: string;
}

/** The frequency scale shared by every PHQ-9 and GAD-7 item. */
export const FREQUENCY_OPTIONS: readonly AnswerOption[] = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
];

/** The unscored closing question on functional difficulty (same options for both instruments). */
export const DIFFICULTY_OPTIONS: readonly AnswerOption[] = [
  { value: 0, label: 'Not difficult at all' },
  { value: 1, label: 'Somewhat difficult' },
  { value: 2, label: 'Very difficult' },
  { value: 3, label: 'Extremely difficult' },
];

export interface SeverityBand {
  min: number;
  max: number;
  /** Severity word as the validation papers name the band, e.g. "moderately severe". */
  severity: string;
}

export interface InstrumentDefinition {
  id: InstrumentId;
  /** As clinicians write it: "PHQ-9". */
  shortName: string;
  title: string;
  /** What the score measures; rendered after the severity ("moderate depression"). */
  construct: 'depression' | 'anxiety';
  /** The question every item answers. */
  stem: string;
  items: readonly string[];
  options: readonly AnswerOption[];
  difficultyQuestion: string;
  difficultyOptions: readonly AnswerOption[];
  maxScore: number;
  /** Contiguous, non-overlapping, covering 0..maxScore. */
  bands: readonly SeverityBand[];
  citation: string;
  copyright: string;
}

const COPYRIGHT =
  'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.';

/** The flag raised when PHQ-9 item 9 (thoughts of death or self-harm) is answered above 0. */
export const PHQ9_ITEM9_FLAG = 'Item 9 positive: assess suicide risk today';

export const PHQ9: InstrumentDefinition = {
  id: 'phq9',
  shortName: 'PHQ-9',
  title: 'Patient Health Questionnaire (PHQ-9)',
  construct: 'depression',
  stem: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  items: [
    'Little interest or pleasure in doing things',
    'Feeling down, depressed, or hopeless',
    'Trouble falling or staying asleep, or sleeping too much',
    'Feeling tired or having little energy',
    'Poor appetite or overeating',
    'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
    'Trouble concentrating on things, such as reading the newspaper or watching television',
    'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
    'Thoughts that you would be better off dead or of hurting yourself in some way',
  ],
  options: FREQUENCY_OPTIONS,
  difficultyQuestion:
    'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
  difficultyOptions: DIFFICULTY_OPTIONS,
  maxScore: 27,
  bands: [
    { min: 0, max: 4, severity: 'none-minimal' },
    { min: 5, max: 9, severity: 'mild' },
    { min: 10, max: 14, severity: 'moderate' },
    { min: 15, max: 19, severity: 'moderately severe' },
    { min: 20, max: 27, severity: 'severe' },
  ],
  citation: 'Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. J Gen Intern Med. 2001;16(9):606–613.',
  copyright: COPYRIGHT,
};

export const GAD7: InstrumentDefinition = {
  id: 'gad7',
  shortName: 'GAD-7',
  title: 'Generalized Anxiety Disorder 7-item scale (GAD-7)',
  construct: 'anxiety',
  stem: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  items: [
    'Feeling nervous, anxious, or on edge',
    'Not being able to stop or control worrying',
    'Worrying too much about different things',
    'Trouble relaxing',
    'Being so restless that it is hard to sit still',
    'Becoming easily annoyed or irritable',
    'Feeling afraid, as if something awful might happen',
  ],
  options: FREQUENCY_OPTIONS,
  difficultyQuestion:
    'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
  difficultyOptions: DIFFICULTY_OPTIONS,
  maxScore: 21,
  bands: [
    { min: 0, max: 4, severity: 'minimal' },
    { min: 5, max: 9, severity: 'mild' },
    { min: 10, max: 14, severity: 'moderate' },
    { min: 15, max: 21, severity: 'severe' },
  ],
  citation:
    'Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med. 2006;166(10):1092–1097.',
  copyright: COPYRIGHT,
};

export const INSTRUMENTS: Readonly<Record<InstrumentId, InstrumentDefinition>> = { phq9: PHQ9, gad7: GAD7 };

export interface InstrumentScore {
  /** Sum of the items; null unless every item is answered (a missing item is never scored as 0). */
  score: number | null;
  /** The band's severity word ("moderate"); null when not scored. */
  severity: string | null;
  complete: boolean;
  /** Safety flags; raised from the answers given even when the questionnaire is incomplete. */
  flags: string[];
}

/**
 * Scores a questionnaire. `answers[i]` is item i+1's answer, null (or absent, for a short array)
 * when unanswered. More answers than items, or a value other than 0–3, is a programming error and throws.
 */
export function scoreInstrument(id: InstrumentId, answers: readonly (InstrumentAnswer | null)[]): InstrumentScore {
  const def = instrumentId.safeParse(id).success ? INSTRUMENTS[id] : undefined;
  if (def === undefined) throw new RangeError(`unknown instrument "${String(id)}": use one of ${instrumentId.options.join(', ')}`);
  if (answers.length > def.items.length) {
    throw new RangeError(`${def.shortName} has ${def.items.length} items; got ${answers.length} answers`);
  }
  const given: (InstrumentAnswer | null)[] = def.items.map((_, i) => answers[i] ?? null);
  for (const [i, a] of given.entries()) {
    if (a !== null && !instrumentAnswer.safeParse(a).success) {
      throw new RangeError(`${def.shortName} item ${i + 1}: answer must be 0, 1, 2 or 3 (got ${String(a)})`);
    }
  }
  const flags: string[] = [];
  if (id === 'phq9' && (given[8] ?? 0) > 0) flags.push(PHQ9_ITEM9_FLAG);

  const complete = given.every((a) => a !== null);
  if (!complete) return { score: null, severity: null, complete: false, flags };
  const score = given.reduce<number>((sum, a) => sum + (a ?? 0), 0);
  return { score, severity: severityFor(def, score), complete: true, flags };
}

/** The severity band a total falls in. */
export function severityFor(def: InstrumentDefinition, score: number): string {
  const band = def.bands.find((b) => score >= b.min && score <= b.max);
  if (!band) throw new RangeError(`${def.shortName} score ${score} is outside 0–${def.maxScore}`);
  return band.severity;
}

/** How many items have an answer. */
export function answeredCount(answers: readonly (InstrumentAnswer | null)[]): number {
  return answers.filter((a) => a !== null).length;
}
