/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../../shared/api/channels';
import { contract } from '../../../../shared/api/contract';

/** Every area's contract file, found on disk: a new area is checked without editing this test. */
const AREAS = import.meta.glob<Record<string, Record<string, unknown>>>('../../../../shared/api/*.contract.ts', { eager: true });

describe('the channel registry (the union of the areas’ contract files)', () => {
  it('holds every channel of every area once: a name defined in two areas would hide one in the spread', () => {
    const names = Object.values(AREAS).flatMap((mod) =>
      Object.entries(mod)
        .filter(([name]) => name.endsWith('Channels'))
        .flatMap(([, area]) => Object.keys(area)),
    );
    expect(Object.keys(AREAS).length).toBeGreaterThan(5);
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
