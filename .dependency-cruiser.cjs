// Import rules, checked by `npm run lint:imports` (and scripts/test.sh). The shape they hold:
//   lib/<domain>/ and the shared base files (config, errors, log, db, stats) never reach for the wiring in lib/server/;
//   lib/ never imports the UI (components/, app/); the browser bundle (components/) never reaches server-only code;
//   only tests import tests/; and no import cycles anywhere.
// scripts/import-rules.test.ts runs this config on the trees under tests/fixtures/import-rules/ to prove that each
// rule fires.
const { builtinModules } = require('node:module');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// Node core modules as dependency-cruiser names them: `fs`, `node:fs`, `fs/promises`.
const NODE_CORE = `^(node:)?(${builtinModules.map(escape).join('|')})$`;

// npm packages that only run on the server: the Docker engine client, SQLite, the pty, the WebSocket server, tar
// archives for copying into sandboxes, and Next's request-scoped headers()/cookies(). Not anchored at the start: a
// tree cruised below the repository root (the rule test's fixtures) reaches them as ../../node_modules/...
const SERVER_PACKAGES = `(^|/)node_modules/(${['dockerode', 'better-sqlite3', 'node-pty', 'ws', 'tar-stream'].map(escape).join('|')})/`;
const NEXT_HEADERS = '(^|/)node_modules/next/headers(\\.js|\\.d\\.ts|/|$)';

const TEST_FILE = '\\.test\\.tsx?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and hide which module owns what. Break the cycle: move the ' +
        'shared piece into its own module, or pass the dependency in.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-adapters',
      severity: 'error',
      comment: 'lib/server/ is the edge: wiring (services.ts), HTTP helpers, origin checks, the learner cookie, ' +
        'WebSocket endpoints, lookups. Domain modules receive their dependencies; they never look up the wiring.',
      from: { path: '^lib/', pathNot: '^lib/server/' },
      to: { path: '^lib/server/' },
    },
    {
      name: 'lib-not-ui',
      severity: 'error',
      comment: 'lib/ is below the UI: it never imports components/ or app/.',
      from: { path: '^lib/' },
      to: { path: '^(components|app)/' },
    },
    {
      name: 'components-not-server',
      severity: 'error',
      comment: 'components/ is the browser bundle: it must not reach lib/server/, Node core modules or server-only ' +
        'packages (dockerode, better-sqlite3, node-pty, ws, tar-stream, next/headers), directly or through lib/. ' +
        'Type-only imports count: move the shared type into a module of its own (as lib/sandbox/types.ts).',
      // Its tests run in Node and may use Node.
      from: { path: '^components/', pathNot: TEST_FILE },
      to: { reachable: true, path: ['^lib/server/', NODE_CORE, SERVER_PACKAGES, NEXT_HEADERS] },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      comment: 'tests/ (helpers, test doubles such as the fake driver) is for tests only: app code never imports it.',
      from: { pathNot: ['^tests/', TEST_FILE] },
      to: { path: '^tests/' },
    },
    {
      // Not a layer rule: it keeps the others honest. An import the cruiser cannot resolve (a broken @/ alias, a
      // file moved without its importers) is an edge that no rule above can see.
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'This import does not resolve to a file or package.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Kept in the graph as leaves (so rules can name them), never analysed.
    doNotFollow: { path: 'node_modules' },
    // Build output, data, the sandbox image (C and shell), and the deliberately broken fixture trees.
    exclude: { path: '^(\\.next|data|coverage|test-results|bench-results|sandbox|tests/fixtures)/|^next-env\\.d\\.ts$' },
    moduleSystems: ['es6', 'cjs'],
    // Type-only imports count: a type pulled from a server module is still a dependency on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
