// The lab authoring CLI as an author uses it, on the real engine: scaffold a lab, test it, break it in two typical
// ways and see the self-test say so, then run one step's check and solution on a kept sandbox.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const labsDir = mkdtempSync(path.join(os.tmpdir(), 'lab-cli-'));
const kept: string[] = [];

async function lab(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/lab.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, LABS_DIR: labsDir, NEXT_TELEMETRY_DISABLED: '1' },
      timeout: 240_000,
    });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const file = (rel: string) => path.join(labsDir, 'scaffolded', rel);

afterAll(async () => {
  if (kept.length) await lab('rm', ...kept);
});

describe('npm run lab', () => {
  it('scaffolds a lab that passes validate and test at once', async () => {
    const made = await lab('new', 'scaffolded');
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/created .*scaffolded\/lab\.yaml/);
    expect(made.out).toMatch(/Next:/);
    expect((await lab('validate', 'scaffolded')).out).toMatch(/1 lab\(s\) valid/);
    const tested = await lab('test', 'scaffolded');
    expect(tested.out).toMatch(/scaffolded: PASS/);
    expect(tested.out).toMatch(/01-pin-a-map mistake array-map/);
    expect(tested.code).toBe(0);
  });

  it('fails a check that passes before its solution, and a solution that hangs, saying "timed out after"', async () => {
    const check = readFileSync(file('checks/01-pin-a-map.sh'), 'utf8');
    const solution = readFileSync(file('solutions/01-pin-a-map.sh'), 'utf8');
    writeFileSync(file('checks/01-pin-a-map.sh'), 'echo "all good"\n'); // a lax check
    const lax = await lab('test', 'scaffolded', '--no-mistakes');
    expect(lax.code).toBe(1);
    expect(lax.out).toMatch(/its check passes in the lab's initial state/);
    expect(lax.out).toMatch(/its check passes before its solution: "all good"/);

    writeFileSync(file('checks/01-pin-a-map.sh'), check);
    const step = readFileSync(file('steps/01-pin-a-map.md'), 'utf8');
    writeFileSync(file('steps/01-pin-a-map.md'), step.replace('terminal: sandbox', 'terminal: sandbox\nsolutionTimeout: 3'));
    writeFileSync(file('solutions/01-pin-a-map.sh'), 'sleep 60\n');
    const hung = await lab('test', 'scaffolded', '--no-mistakes');
    expect(hung.code).toBe(1);
    expect(hung.out).toMatch(/solution of 01-pin-a-map timed out after 3 s \(solutionTimeout\)/);
    writeFileSync(file('solutions/01-pin-a-map.sh'), solution);
    writeFileSync(file('steps/01-pin-a-map.md'), step);
  });

  it('runs one step check and solution on a kept sandbox', async () => {
    const first = await lab('check', 'scaffolded', '01');
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/01-pin-a-map check: fails \(exit 1, [\d.]+ s, reason no-map\)/);
    const id = /sandbox (ebpf-labs-[0-9a-f]+) is kept/.exec(first.out)?.[1];
    expect(id).toBeDefined();
    kept.push(id!);
    expect(first.out).toContain(`npm run lab -- rm ${id}`);
    // A solution finds the lab's solutions/files/ in the sandbox, and validate refuses one that names a missing file.
    const solution = readFileSync(file('solutions/01-pin-a-map.sh'), 'utf8');
    mkdirSync(file('solutions/files'), { recursive: true });
    writeFileSync(file('solutions/files/answer.txt'), 'the reference answer\n');
    writeFileSync(file('solutions/01-pin-a-map.sh'), `${solution}cat /opt/ebpf-labs/solution-files/answer.txt\n`);
    const solved = await lab('solve', 'scaffolded', '01', '--sandbox', id!);
    expect(solved.out).toMatch(/01-pin-a-map solution: passes/);
    expect(solved.out).toContain('| the reference answer');
    writeFileSync(file('solutions/01-pin-a-map.sh'), `${solution}cat /opt/ebpf-labs/solution-files/answr.txt\n`);
    expect((await lab('validate', 'scaffolded')).out).toMatch(/solutions\/01-pin-a-map\.sh:\d+.*answr\.txt is not a file of solutions\/files\//);
    writeFileSync(file('solutions/01-pin-a-map.sh'), solution);
    const after = await lab('check', 'scaffolded', '01', '--sandbox', id!);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/the learner reads: "A hash map is pinned at/);
  });
});
