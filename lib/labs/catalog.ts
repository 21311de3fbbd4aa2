// The labs the server offers. Loaded once in production; re-read on access in development so authors see edits.
import { loadLabs, type LabLoadResult } from './loader';
import type { Lab, LabProblem } from './schema';

export class LabCatalog {
  private current: LabLoadResult = { labs: [], problems: [] };
  private loading?: Promise<LabLoadResult>;

  constructor(
    private readonly labsDir: string,
    private readonly reloadOnAccess: boolean,
  ) {}

  async load(): Promise<LabLoadResult> {
    this.loading ??= loadLabs(this.labsDir).finally(() => (this.loading = undefined));
    this.current = await this.loading;
    return this.current;
  }

  private async fresh(): Promise<LabLoadResult> {
    return this.reloadOnAccess ? this.load() : this.current;
  }

  async list(): Promise<Lab[]> {
    return (await this.fresh()).labs;
  }

  async problems(): Promise<LabProblem[]> {
    return (await this.fresh()).problems;
  }

  async get(slug: string): Promise<Lab | undefined> {
    return (await this.fresh()).labs.find((l) => l.slug === slug);
  }
}
