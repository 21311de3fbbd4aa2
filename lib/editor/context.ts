// What every editor route needs: the lab (with an editor), the learner's running sandbox and the service on it.
import { currentLearner } from '../http';
import { labOrThrow, runningSandboxOrThrow } from '../labs/lookup';
import { getServices } from '../services';
import { editorOf, EditorService } from './service';

export async function editorContext(slug: string) {
  const lab = await labOrThrow(slug);
  editorOf(lab); // a lab without an editor: 404 before anything else
  const learner = await currentLearner();
  const sandbox = await runningSandboxOrThrow(learner, lab);
  const services = getServices();
  const { driver } = await services.engine.get();
  return {
    lab,
    learner,
    sandbox,
    service: new EditorService(driver),
    /** Saving and building can complete a step: check now rather than at the next poll. */
    checkSoon: () => void services.checks.onCommandDone(sandbox.id).catch((err) => services.log.warn('check after editor action failed', err)),
    revealed: (step: string) =>
      services.progress.get(learner, lab.slug, lab.steps.map((s) => s.id)).steps.some((s) => s.step === step && s.solutionShown),
  };
}
