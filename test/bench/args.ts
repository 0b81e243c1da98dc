import { parseArgs } from 'node:util';

// The benchmark's command line (`npm run bench -- …`).

export interface Args {
  patients: number;
  pairPatients: number;
  seed: number;
  json: string | null;
  syncRows: number;
  /** Only these groups (comma-separated: core, sync, hl7, fhir); everything by default. */
  only: Set<string> | null;
  /** `--scale clinic`: run the scale profile alone (scale.bench.ts) instead of the groups. */
  scale: 'clinic' | null;
  /** Charts in the scale profile's clinic (default 50,000). */
  scalePatients: number;
}

export function parseCli(): Args {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string' },
      'pair-patients': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'string' },
      'sync-rows': { type: 'string' },
      only: { type: 'string' },
      scale: { type: 'string' },
      'scale-patients': { type: 'string' },
    },
    strict: true,
  });
  const int = (v: string | undefined, fallback: number, name: string): number => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${v}"`);
    return n;
  };
  const patients = int(values.patients, 100_000, 'patients');
  if (values.scale !== undefined && values.scale !== 'clinic') throw new Error(`--scale must be "clinic" (the only scale profile), got "${values.scale}"`);
  if (values['scale-patients'] !== undefined && values.scale === undefined) throw new Error('--scale-patients is for the scale profile: add --scale clinic');
  if (values.scale !== undefined && values.only !== undefined) throw new Error('--scale clinic runs the scale profile alone: leave out --only');
  return {
    patients,
    pairPatients: Math.min(patients, int(values['pair-patients'], 20_000, 'pair-patients')),
    // A fixed default so runs on different commits measure the same data; --seed to vary it.
    seed: int(values.seed, 20_240_304, 'seed'),
    json: values.json ?? null,
    syncRows: int(values['sync-rows'], 1_000_000, 'sync-rows'),
    only: values.only ? new Set(values.only.split(',')) : null,
    scale: values.scale === 'clinic' ? 'clinic' : null,
    scalePatients: int(values['scale-patients'], 50_000, 'scale-patients'),
  };
}
