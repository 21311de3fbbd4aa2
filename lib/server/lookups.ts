// What route handlers look up, once per request, with errors that say what to do: the lab, its step, the learner's
// running sandbox, a benchmark run of theirs. Domain code below gets the objects, never the keys.
import type { BenchStore } from '../bench/store';
import type { RunRecord } from '../bench/types';
import { AppError } from '../errors';
import type { LabCatalog } from '../labs/catalog';
import type { Lab, Step } from '../labs/schema';
import type { SandboxManager } from '../sandbox/manager';
import type { SandboxInfo } from '../sandbox/types';

export async function labOrThrow(labs: LabCatalog, slug: string): Promise<Lab> {
  const lab = await labs.get(slug);
  if (!lab) throw new AppError('lab_not_found', `There is no lab "${slug}".`, { status: 404, hint: 'Pick a lab from the catalog.' });
  return lab;
}

export function stepOrThrow(lab: Lab, id: string): Step {
  const step = lab.steps.find((s) => s.id === id);
  if (!step) throw new AppError('step_not_found', `The lab "${lab.meta.title}" has no step "${id}".`, { status: 404, hint: 'Reload the page: the lab may have changed.' });
  return step;
}

/** The learner's running sandbox for the lab, or a 409 saying to start it. */
export async function runningSandboxOrThrow(sandboxes: SandboxManager, learner: string, lab: Lab): Promise<SandboxInfo> {
  const sandbox = await sandboxes.find(learner, lab.slug);
  if (!sandbox) {
    throw new AppError('no_sandbox', 'Your sandbox for this lab is not running.', { status: 409, hint: 'Start it with "Start sandbox".' });
  }
  return sandbox;
}

/** One of the learner's own benchmark runs, or a 404 (another learner's run does not exist for them). */
export function ownRunOrThrow(store: BenchStore, learner: string, id: string): RunRecord {
  const run = store.getRun(id);
  if (!run || run.learner !== learner) {
    throw new AppError('run_not_found', 'There is no such benchmark run.', { status: 404, hint: 'It may have been deleted.' });
  }
  return run;
}
