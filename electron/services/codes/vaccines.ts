import type { Vaccine } from '../../../shared/domain/clinical';
import type { Resources } from '../resources/resources';

/** CVX vaccines (with their CDC vaccine groups) and MVX manufacturers, read once per session from resources/codesets. */
export class VaccineCatalog {
  private constructor(
    readonly vaccines: Map<string, Vaccine>,
    readonly manufacturers: Map<string, string>,
  ) {}

  static load(resources: Resources): VaccineCatalog {
    const groups = new Map<string, string[]>();
    for (const r of resources.tsv('codesets/cvx-vaccine-groups.tsv')) {
      const cvx = r['cvx_code'] ?? '';
      groups.set(cvx, [...(groups.get(cvx) ?? []), r['vaccine_group_name'] ?? '']);
    }
    const vaccines = new Map<string, Vaccine>();
    for (const r of resources.tsv('codesets/cvx.tsv')) {
      const cvx = (r['cvx_code'] ?? '').trim();
      if (r['status'] === 'Never Active') continue;
      vaccines.set(cvx, { cvx, name: r['short_description'] ?? cvx, fullName: r['full_name'] ?? '', groups: groups.get(cvx) ?? [] });
    }
    const manufacturers = new Map<string, string>();
    for (const r of resources.tsv('codesets/mvx.tsv')) manufacturers.set((r['mvx_code'] ?? '').trim(), r['manufacturer_name'] ?? '');
    return new VaccineCatalog(vaccines, manufacturers);
  }

  /** Active US vaccines first, matched on code, name or group. */
  search(query: string, limit = 20): Vaccine[] {
    const q = query.trim().toLowerCase();
    const all = [...this.vaccines.values()];
    const hits = q === '' ? all : all.filter((v) => v.cvx === q || `${v.name} ${v.fullName} ${v.groups.join(' ')}`.toLowerCase().includes(q));
    return hits.slice(0, limit);
  }
}
