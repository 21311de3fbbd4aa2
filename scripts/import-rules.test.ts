// The import rules in .dependency-cruiser.cjs can fail: each fixture tree under tests/fixtures/import-rules/ breaks
// one rule on purpose (clean/ breaks none), and the real config, run through dependency-cruiser's API the way the
// CLI runs it, must report exactly those violations. Each tree has its own tsconfig.json mapping @/* onto itself, so
// the @/ imports in the fixtures resolve there, as the app's do in the repository.
import path from 'node:path';
import { cruise, type ICruiseOptions } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/import-rules');

let options: ICruiseOptions;

beforeAll(async () => {
  options = await extractDepcruiseOptions(path.join(ROOT, '.dependency-cruiser.cjs'));
});

async function cruiseFixture(fixture: string) {
  const baseDir = path.join(FIXTURES, fixture);
  // The tsconfig the config names (tsconfig.json), taken from the fixture's root as the CLI takes it from the repo's.
  const tsConfigName = options.tsConfig?.fileName;
  if (!tsConfigName) throw new Error('.dependency-cruiser.cjs names no tsconfig: the @/ imports would not resolve');
  const tsConfigFile = path.join(baseDir, tsConfigName);
  const { output } = await cruise(
    ['.'],
    { ...options, baseDir, tsConfig: { fileName: tsConfigFile } },
    {},
    { tsConfig: extractTSConfig(tsConfigFile) },
  );
  if (typeof output === 'string') throw new Error(`expected a cruise result, got: ${output.slice(0, 200)}`);
  return output;
}

/** `rule: from → to`, sorted; packages reached from a fixture (../../../../node_modules/x) named from node_modules. */
async function violations(fixture: string): Promise<string[]> {
  const { summary } = await cruiseFixture(fixture);
  return summary.violations
    .map((v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^(\.\.\/)+/, '')}`)
    .sort();
}

describe('import rules (.dependency-cruiser.cjs)', () => {
  it('finds nothing in a tree that keeps every rule, with the @/ alias resolved and type-only imports counted', async () => {
    const result = await cruiseFixture('clean');
    expect(result.summary.violations).toEqual([]);
    const terminalView = result.modules.find((m) => m.source === 'components/terminal/terminal-view.tsx');
    expect(terminalView?.dependencies.map((d) => d.resolved).sort()).toEqual([
      'lib/sandbox/types.ts', // import type { ... } from '@/lib/sandbox/types'
      'lib/terminal/protocol.ts',
    ]);
  });

  it('domain-not-adapters: a domain module or a shared base file importing lib/server/', async () => {
    expect(await violations('domain-imports-server')).toEqual([
      'domain-not-adapters: lib/checks/scheduler.ts → lib/server/services.ts',
      'domain-not-adapters: lib/config.ts → lib/server/http.ts',
    ]);
  });

  it('no-circular: two modules importing each other (one of the imports type-only)', async () => {
    const found = (await cruiseFixture('cycle')).summary.violations;
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(v.rule.name).toBe('no-circular');
      expect(v.cycle?.map((step) => step.name).sort()).toEqual(['lib/labs/catalog.ts', 'lib/labs/loader.ts']);
    }
  });

  it('lib-not-ui: lib/ importing components/ or app/', async () => {
    expect(await violations('lib-imports-ui')).toEqual([
      'lib-not-ui: lib/bench/report.ts → components/bench/bench-chart.tsx',
      'lib-not-ui: lib/labs/markdown.ts → app/page.tsx',
    ]);
  });

  it('components-not-server: a component importing lib/server/ (type-only)', async () => {
    expect(await violations('component-imports-server')).toEqual([
      'components-not-server: components/lab/lab-workspace.tsx → lib/server/services.ts',
    ]);
  });

  it('components-not-server: a component reaching node:fs or dockerode through lib/ (its test may use Node)', async () => {
    expect(await violations('component-reaches-server-only')).toEqual([
      'components-not-server: components/datapath/datapath-pane.tsx → fs/promises',
      'components-not-server: components/editor/editor-pane.tsx → node_modules/dockerode/lib/docker.js',
    ]);
  });

  it('not-to-tests: app code or a script importing tests/', async () => {
    expect(await violations('imports-tests')).toEqual([
      'not-to-tests: lib/sandbox/manager.ts → tests/doubles/fake-driver.ts',
      'not-to-tests: scripts/bench-terminal.ts → tests/helpers/server.ts',
    ]);
  });

  it('not-to-unresolvable: an import of a module that is not there', async () => {
    expect(await violations('unresolvable')).toEqual([
      'not-to-unresolvable: lib/checks/scheduler.ts → @/lib/checks/runner',
    ]);
  });
});
