// A lab: its steps, the learner's sandbox and terminals (components/lab/lab-workspace.tsx).
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { LabWorkspace, type LabView } from '@/components/lab/lab-workspace';
import { getServices } from '@/lib/services';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const lab = await getServices().labs.get((await params).slug);
  return { title: lab?.meta.title ?? 'Lab not found' };
}

export default async function LabPage({ params }: Props) {
  const lab = await getServices().labs.get((await params).slug);
  if (!lab) notFound();
  const view: LabView = {
    slug: lab.slug,
    title: lab.meta.title,
    tabs: lab.meta.terminals.map((t) => ({ name: t.name, title: t.title, pod: t.pod })),
    steps: lab.steps.map((s) => ({ id: s.id, title: s.title, html: s.html, terminal: s.terminal, hints: s.hints })),
  };
  return <LabWorkspace lab={view} />;
}
