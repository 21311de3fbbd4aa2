// What every editor route needs, looked up once: the lab (with an editor), the learner, their running sandbox, and
// the editor service on the engine's driver.
import { EditorService, editorOf } from '../editor/service';
import { currentLearner } from './http';
import { labOrThrow, runningSandboxOrThrow } from './lookups';
import type { Services } from './services';

export async function editorContext(app: Services, slug: string) {
  const lab = await labOrThrow(app.labs, slug);
  editorOf(lab); // a lab without an editor: 404 before anything else
  const learner = await currentLearner(app.secret);
  const sandbox = await runningSandboxOrThrow(await app.sandboxes(), learner, lab);
  const { driver } = await app.engine.get();
  return {
    lab,
    learner,
    sandbox,
    service: new EditorService(driver),
    /** Saving and building can complete a step: check now rather than at the next poll. */
    checkSoon: () =>
      void app.checks.check({ learner, lab, sandbox }, 'command').catch((err) => app.log.warn('check after editor action failed', err)),
    revealed: (step: string) => app.progress.forLab(learner, lab).steps.some((s) => s.step === step && s.solutionShown),
  };
}
