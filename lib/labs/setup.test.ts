import { describe, expect, it } from 'vitest';
import { FakeDriver } from '@/tests/doubles/fake-driver';
import { testLab } from '@/tests/doubles/lab';
import { applySolutions, runSolution } from './setup';
import type { SandboxDriver } from '../sandbox/types';
import { SOLUTION_FILES_DIR } from './solution-files';

/** A fake driver that records, in order, what reaches the sandbox: copies (directory, paths) and scripts (stdin). */
function recordingDriver(): { driver: FakeDriver; seen: string[] } {
  const driver = new FakeDriver();
  const seen: string[] = [];
  const fakeExec = driver.exec.bind(driver);
  const copyIn: SandboxDriver['copyIn'] = async (_id, directory, files) => void seen.push(`copy ${directory}: ${files.map((f) => f.path).join(' ')}`);
  const exec: SandboxDriver['exec'] = async (id, argv, opts) => {
    seen.push(`run ${opts?.stdin?.toString().trim() ?? argv.join(' ')}`);
    return fakeExec(id, argv);
  };
  return { driver: Object.assign(driver, { copyIn, exec }), seen };
}

describe('reference solutions', () => {
  it('find the lab solution files in the sandbox before every solution runs', async () => {
    const lab = testLab('sol', { '01-a': 'exit 1', '02-b': 'exit 1' }, {}, [{ solution: 'cp /opt/ebpf-labs/solution-files/x.c /root/lab/' }, { solution: 'make' }]);
    lab.solutionFiles = [{ path: 'x.c', content: Buffer.from('int x;\n'), mode: 0o644 }];
    const { driver, seen } = recordingDriver();
    const { id } = await driver.create({ owner: 'o', lab: 'sol' });
    await applySolutions(driver, id, lab, '01-a');
    await runSolution(driver, id, lab, lab.steps[1]!);
    const copy = `copy ${SOLUTION_FILES_DIR}: x.c`;
    expect(seen).toEqual([copy, 'run cp /opt/ebpf-labs/solution-files/x.c /root/lab/', copy, 'run make']);
  });

  it('copy nothing for a lab without solution files', async () => {
    const lab = testLab('plain', { '01-a': 'exit 1' });
    const { driver, seen } = recordingDriver();
    const { id } = await driver.create({ owner: 'o', lab: 'plain' });
    await runSolution(driver, id, lab, lab.steps[0]!);
    expect(seen).toEqual(['run true']);
  });
});
