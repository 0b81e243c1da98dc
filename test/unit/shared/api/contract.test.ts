import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../../shared/api/channels';
import { chartingChannels } from '../../../../shared/api/charting.contract';
import { contract } from '../../../../shared/api/contract';
import { fhirChannels } from '../../../../shared/api/fhir.contract';
import { labsChannels } from '../../../../shared/api/labs.contract';
import { medsChannels } from '../../../../shared/api/meds.contract';
import { patientsChannels } from '../../../../shared/api/patients.contract';
import { populationChannels } from '../../../../shared/api/population.contract';
import { scheduleChannels } from '../../../../shared/api/schedule.contract';
import { securityChannels } from '../../../../shared/api/security.contract';
import { syncChannels } from '../../../../shared/api/sync.contract';

const AREAS = {
  security: securityChannels,
  patients: patientsChannels,
  charting: chartingChannels,
  meds: medsChannels,
  schedule: scheduleChannels,
  labs: labsChannels,
  population: populationChannels,
  sync: syncChannels,
  fhir: fhirChannels,
};

describe('the channel registry (the union of the areas’ contract files)', () => {
  it('holds every channel of every area once: a name defined in two areas would hide one in the spread', () => {
    const names = Object.values(AREAS).flatMap((a) => Object.keys(a));
    expect(new Set(names).size).toBe(names.length);
    expect([...CHANNELS].sort()).toEqual([...names].sort());
  });

  it('names channels area.action and says in one line what each does', () => {
    for (const c of CHANNELS) {
      const spec = contract[c];
      expect(c, c).toMatch(/^[a-z]+(\.[a-z][a-zA-Z]*)+$/);
      expect(spec.doc.trim().length, c).toBeGreaterThan(10);
      expect(spec.doc, c).not.toMatch(/\n/);
      expect(spec.roles === 'public' || spec.roles.length > 0, c).toBe(true);
      expect(spec.scope === 'none' || typeof spec.scope === 'function', c).toBe(true);
    }
  });

  it('keeps only session channels public (everything else needs a signed-in role)', () => {
    const open = CHANNELS.filter((c) => contract[c].roles === 'public');
    expect(open.every((c) => c.startsWith('session.'))).toBe(true);
    expect(open.length).toBeGreaterThan(0);
  });
});
