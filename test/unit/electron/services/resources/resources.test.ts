import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonPath, ResourceError, Resources } from '../../../../../electron/services/resources/resources';
import { loadScheduleConfig } from '../../../../../electron/services/schedule/schedule-config';
import { TemplateLibrary } from '../../../../../electron/services/templates';
import { clinicHoursFile } from '../../../../../shared/domain/schedule';
import { resourcesDir, tempDir } from '../../../../helpers/temp-db';

describe('the one resource loader', () => {
  const t = tempDir('cairn-resources-');
  afterAll(() => t.cleanup());

  /** A copy of the shipped schedule files in a resources folder of its own, to change without touching the real one. */
  function scheduleCopy(name: string): string {
    const dir = join(t.dir, name);
    cpSync(join(resourcesDir, 'schedule'), join(dir, 'schedule'), { recursive: true });
    return dir;
  }

  function writeHours(dir: string, change: (hours: Record<string, unknown>) => void): void {
    const file = join(dir, 'schedule', 'clinic-hours.json');
    const hours = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    change(hours);
    writeFileSync(file, JSON.stringify(hours));
  }

  it('writes a zod path as a JSON path', () => {
    expect(jsonPath([])).toBe('$');
    expect(jsonPath(['rooms', 2, 'name'])).toBe('$.rooms[2].name');
    expect(jsonPath(['days', 'a key', 0])).toBe('$.days["a key"][0]');
  });

  it('names a broken clinic template file and the JSON path of each issue, and skips only that file', () => {
    const clinic = join(t.dir, 'clinic-templates');
    mkdirSync(clinic);
    writeFileSync(join(clinic, 'broken.json'), JSON.stringify({ id: 'broken', version: 1, title: 'Broken', specialty: 'x', description: 'x', sections: [{ id: 's', title: 'S', fields: 3 }] }));
    const { templates, problems } = new TemplateLibrary(new Resources(resourcesDir, { templates: clinic })).list();
    expect(templates.map((x) => x.id)).toContain('primary-care-soap');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.file).toBe(join(clinic, 'broken.json'));
    expect(problems[0]!.message).toBe('$.sections[0].fields: Invalid input: expected array, received number');
  });

  it('throws one message naming the file and the JSON path where a broken file is fatal', () => {
    const dir = scheduleCopy('broken');
    writeHours(dir, (h) => ((h['rooms'] as unknown[])[1] = 7));
    const file = join(dir, 'schedule', 'clinic-hours.json');
    expect(() => loadScheduleConfig(new Resources(dir))).toThrow(ResourceError);
    expect(() => loadScheduleConfig(new Resources(dir))).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\$\\.rooms\\[1\\]: `));
    writeFileSync(file, '{ nope');
    expect(() => new Resources(dir).json('schedule/clinic-hours.json', clinicHoursFile)).toThrow(`${file}: not valid JSON: `);
    expect(() => new Resources(dir).json('schedule/missing.json', clinicHoursFile)).toThrow(`${join(dir, 'schedule', 'missing.json')}: cannot be read (ENOENT)`);
  });

  it('reads a file once per session: the same Resources keeps what it read, a new one sees the changed file', () => {
    const dir = scheduleCopy('cached');
    const first = new Resources(dir);
    expect(loadScheduleConfig(first).hours.timeZone).toBe('America/New_York');
    writeHours(dir, (h) => (h['timeZone'] = 'America/Chicago'));
    expect(loadScheduleConfig(first).hours.timeZone).toBe('America/New_York');
    expect(loadScheduleConfig(new Resources(dir)).hours.timeZone).toBe('America/Chicago');
  });
});
