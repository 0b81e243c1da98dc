import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Resources } from '../../electron/services/resources/resources';
import { TemplateLibrary } from '../../electron/services/templates';
import { resourcesDir, tempDir } from '../helpers/temp-db';

describe('a clinic adds its own note template without code', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('loads the shipped templates and the clinic folder, and names a broken file without losing the rest', () => {
    const dir = join(t.dir, 'templates');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'sports-physical.json'),
      JSON.stringify({
        id: 'sports-physical',
        version: 1,
        title: 'Sports pre-participation physical',
        specialty: 'primary care',
        description: 'Clearance for school sports',
        sections: [
          {
            id: 'clearance',
            title: 'Clearance',
            fields: [
              {
                kind: 'select',
                id: 'cleared',
                label: 'Cleared for',
                required: true,
                options: [
                  { value: 'all', label: 'All sports' },
                  { value: 'none', label: 'Not cleared' },
                ],
              },
            ],
          },
        ],
      }),
    );
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ id: 'Broken Template', version: 1, title: 'x', sections: [] }));
    writeFileSync(join(dir, 'not-json.json'), '{ nope');
    const lib = new TemplateLibrary(new Resources(resourcesDir, { templates: dir }));
    const { templates, problems } = lib.list();
    expect(templates.map((x) => x.id)).toEqual(
      expect.arrayContaining([
        'primary-care-soap',
        'well-child',
        'dermatology',
        'cardiology-follow-up',
        'behavioral-health-dap',
        'review-of-systems',
        'physical-exam',
        'sports-physical',
      ]),
    );
    expect(lib.get('sports-physical').sections[0]?.fields[0]).toMatchObject({ kind: 'select', id: 'cleared' });
    expect(problems.map((p) => p.file.split('/').pop())).toEqual(['broken.json', 'not-json.json']);
    expect(problems[0]?.message).toMatch(/kebab-case/);
    expect(problems[1]?.message).toMatch(/^not valid JSON/);
    expect(() => lib.get('nope')).toThrow('no note template "nope"');
  });
});
