// A lab: its steps, the learner's progress, sandbox and terminals (components/lab/lab-workspace.tsx), arranged as the
// learner left them (the layout cookie, components/lab/lab-layout.ts).
import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { notFound } from 'next/navigation';
import { EngineProblem } from '@/components/common/engine-problem';
import { withProxyNamed } from '@/components/common/proxy-name';
import { layoutCookieName, parseLabLayout } from '@/components/lab/lab-layout';
import { LabWorkspace, type LabView } from '@/components/lab/lab-workspace';
import type { SandboxState } from '@/components/lab/use-sandbox';
import { linkLabTitles } from '@/components/steps/link-lab-titles';
import { statusToJson } from '@/lib/sandbox/manager';
import { learnerOnPage } from '@/lib/server/http';
import { getServices } from '@/lib/server/services';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

/** The proxy the sandbox image carries, when the engine answers. */
async function imageProxy(): Promise<string | undefined> {
  const engine = await getServices().engine.check();
  return engine.ok ? engine.ready.proxy : undefined;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const lab = await getServices().labs.get((await params).slug);
  return { title: lab ? withProxyNamed(lab.meta.title, await imageProxy()) : 'Lab not found' };
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
  const proxy = sandbox.state === 'running' ? sandbox.sandbox.proxy : engine.ok ? engine.ready.proxy : undefined;
  const labs = await services.labs.list();
  const others = labs.filter((l) => l.slug !== lab.slug).map((l) => ({ slug: l.slug, title: l.meta.title, shown: withProxyNamed(l.meta.title, proxy) }));
  // The lab to do next: one that names this one as a prerequisite, else the next in the catalog.
  const next = labs.find((l) => l.meta.requires.includes(lab.slug)) ?? labs[labs.findIndex((l) => l.slug === lab.slug) + 1];
  const view: LabView = {
    slug: lab.slug,
    title: lab.meta.title,
    proxy: engine.ok ? engine.ready.proxy : undefined,
    labProxy: lab.meta.proxy,
    tabs: lab.meta.terminals.map((t) => ({ name: t.name, title: t.title, pod: t.pod })),
    steps: lab.steps.map((s) => ({
      id: s.id,
      title: s.title,
      html: linkLabTitles(s.html, others),
      terminal: s.terminal,
      hintCount: s.hints.length,
      hintReasons: s.hints.map((h) => h.when),
    })),
    benchmark: !!lab.meta.benchmark,
    benchmarkModes: lab.meta.benchmark?.modes?.map((m) => m.name),
    datapath: lab.meta.datapath,
    editor: !!lab.meta.editor && !!lab.meta.workspace,
    nextLab: next ? { slug: next.slug, title: withProxyNamed(next.meta.title, proxy) } : undefined,
  };
  const hints = Object.fromEntries(
    progress.steps.map((p) => [p.step, p.hintsRevealed.map((i) => lab.steps.find((s) => s.id === p.step)!.hints[i]?.text ?? '')]),
  );
  const layout = parseLabLayout((await cookies()).get(layoutCookieName(lab.slug))?.value);
  return (
    <>
      {engine.ok ? null : (
        <div className="page">
          <EngineProblem message={engine.error.message} hint={engine.error.hint} />
        </div>
      )}
      <LabWorkspace lab={view} initialProgress={progress} initialSandbox={sandbox} initialHints={hints} initialLayout={layout} />
    </>
  );
}
