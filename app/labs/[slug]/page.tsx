// A lab: its steps, the learner's progress, sandbox and terminals (components/lab/lab-workspace.tsx).
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { EngineProblem } from '@/components/common/engine-problem';
import { LabWorkspace, type LabView } from '@/components/lab/lab-workspace';
import type { SandboxState } from '@/components/lab/use-sandbox';
import { statusToJson } from '@/lib/sandbox/manager';
import { learnerOnPage } from '@/lib/server/http';
import { getServices } from '@/lib/server/services';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const lab = await getServices().labs.get((await params).slug);
  return { title: lab?.meta.title ?? 'Lab not found' };
}

export default async function LabPage({ params }: Props) {
  const services = getServices();
  const lab = await services.labs.get((await params).slug);
  if (!lab) notFound();
  const learner = await learnerOnPage(services.secret);
  const progress = services.progress.forLab(learner, lab);
  const engine = await services.engine.check();
  let sandbox: SandboxState = { state: 'none' };
  if (engine.ok) {
    const manager = await services.sandboxes();
    await manager.find(learner, lab.slug);
    sandbox = statusToJson(manager.status(learner, lab.slug)) as SandboxState;
  }
  const view: LabView = {
    slug: lab.slug,
    title: lab.meta.title,
    tabs: lab.meta.terminals.map((t) => ({ name: t.name, title: t.title, pod: t.pod })),
    steps: lab.steps.map((s) => ({
      id: s.id,
      title: s.title,
      html: s.html,
      terminal: s.terminal,
      hintCount: s.hints.length,
      hintReasons: s.hints.map((h) => h.when),
    })),
    benchmark: !!lab.meta.benchmark,
    datapath: lab.meta.datapath,
    editor: !!lab.meta.editor && !!lab.meta.workspace,
  };
  const hints = Object.fromEntries(
    progress.steps.map((p) => [p.step, p.hintsRevealed.map((i) => lab.steps.find((s) => s.id === p.step)!.hints[i]?.text ?? '')]),
  );
  return (
    <>
      {engine.ok ? null : (
        <div className="page">
          <EngineProblem message={engine.error.message} hint={engine.error.hint} />
        </div>
      )}
      <LabWorkspace lab={view} initialProgress={progress} initialSandbox={sandbox} initialHints={hints} />
    </>
  );
}
