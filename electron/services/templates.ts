import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnFailure } from '../../shared/api/result';
import { noteTemplate, type NoteTemplate } from '../../shared/domain/templates';
import { summarize, zodIssues } from './dispatch-errors';

export interface TemplateProblem {
  file: string;
  message: string;
}

/**
 * Note templates are data: every *.json in resources/templates (shipped) and in the clinic's own
 * templates folder (beside the database) is validated with the template schema. A broken file is
 * reported by name and skipped; it never takes the others down. A clinic file with the same id
 * as a shipped one replaces it.
 */
export class TemplateLibrary {
  private cache: { templates: Map<string, NoteTemplate>; problems: TemplateProblem[] } | null = null;

  constructor(
    private readonly resourcesDir: string,
    private readonly clinicDir?: string,
  ) {}

  private load(): { templates: Map<string, NoteTemplate>; problems: TemplateProblem[] } {
    if (this.cache) return this.cache;
    const templates = new Map<string, NoteTemplate>();
    const problems: TemplateProblem[] = [];
    for (const dir of [join(this.resourcesDir, 'templates'), this.clinicDir].filter((d): d is string => !!d && existsSync(d))) {
      for (const name of readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()) {
        const file = join(dir, name);
        let json: unknown;
        try {
          json = JSON.parse(readFileSync(file, 'utf8'));
        } catch (e) {
          problems.push({ file, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
          continue;
        }
        const parsed = noteTemplate.safeParse(json);
        if (!parsed.success) problems.push({ file, message: summarize(zodIssues(parsed.error)) });
        else templates.set(parsed.data.id, parsed.data);
      }
    }
    this.cache = { templates, problems };
    return this.cache;
  }

  list(): { templates: NoteTemplate[]; problems: TemplateProblem[] } {
    const { templates, problems } = this.load();
    return { templates: [...templates.values()].sort((a, b) => a.title.localeCompare(b.title)), problems };
  }

  get(id: string): NoteTemplate {
    const t = this.load().templates.get(id);
    if (!t) throw new CairnFailure('not_found', `no note template "${id}"`);
    return t;
  }
}
