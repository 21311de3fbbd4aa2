// Looking labs and steps up for route handlers, with errors that say what to do.
import { AppError } from '../errors';
import { getServices } from '../services';
import type { Lab, Step } from './schema';

export async function labOrThrow(slug: string): Promise<Lab> {
  const lab = await getServices().labs.get(slug);
  if (!lab) throw new AppError('lab_not_found', `There is no lab "${slug}".`, { status: 404, hint: 'Pick a lab from the catalog.' });
  return lab;
}

export function stepOrThrow(lab: Lab, id: string): Step {
  const step = lab.steps.find((s) => s.id === id);
  if (!step) throw new AppError('step_not_found', `The lab "${lab.meta.title}" has no step "${id}".`, { status: 404, hint: 'Reload the page: the lab may have changed.' });
  return step;
}

/** The learner's running sandbox for the lab, or a 409 saying to start it. */
export async function runningSandboxOrThrow(learner: string, lab: Lab) {
  const manager = await getServices().sandboxes();
  const sandbox = await manager.find(learner, lab.slug);
  if (!sandbox) {
    throw new AppError('no_sandbox', 'Your sandbox for this lab is not running.', { status: 409, hint: 'Start it with "Start sandbox".' });
  }
  return sandbox;
}
