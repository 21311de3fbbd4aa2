// The catalog: every lab under labs/, with the learner's sandbox controls; broken labs are listed, not hidden.
import Link from 'next/link';
import { DisplayNameForm } from '@/components/catalog/display-name-form';
import { SandboxControls } from '@/components/catalog/sandbox-controls';
import { EngineProblem } from '@/components/common/engine-problem';
import { proxyName, withProxyNamed } from '@/components/common/proxy-name';
import { formatProblem } from '@/lib/labs/loader';
import { learnerOnPage } from '@/lib/server/http';
import { getServices } from '@/lib/server/services';

export const dynamic = 'force-dynamic';

export default async function CatalogPage() {
  const services = getServices();
  const learner = await learnerOnPage(services.secret);
  const [labs, problems, engine] = await Promise.all([
    services.labs.list(),
    services.labs.problems(),
    services.engine.check(),
  ]);
  // Titles name the proxy the sandbox runs (a title written for Envoy reads HAProxy where HAProxy stands in).
  const proxy = engine.ok ? engine.ready.proxy : undefined;
  const titles = new Map(labs.map((l) => [l.slug, withProxyNamed(l.meta.title, proxy)]));
  return (
    <div className="page catalog">
      <section className="hero">
        <h1>eBPF networking labs</h1>
        <p>
          Each lab gives you a real Linux sandbox with clang, bpftool and a transparent proxy. Follow the steps, type in
          the terminal, and the page checks your work as you go.
        </p>
        {engine.ok ? (
          <p className="muted" data-testid="engine-info">
            Kernel {engine.ready.info.kernel} · Docker {engine.ready.info.version} · cgroup {engine.ready.info.cgroupVersion} ·
            proxy in the sandbox: <strong data-testid="proxy-kind">{proxyName(proxy) ?? 'image not built'}</strong>
          </p>
        ) : null}
        {/* A name is asked for only where someone runs a class: a server with an instructor view. */}
        {services.config.adminToken ? <DisplayNameForm initial={learner ? services.progress.displayName(learner) ?? null : null} /> : null}
      </section>
      {engine.ok ? null : <EngineProblem message={engine.error.message} hint={engine.error.hint} />}
      <ul className="lab-list">
        {labs.map((lab) => {
          const progress = services.progress.forLab(learner, lab);
          return (
          <li key={lab.slug} className="lab-card" data-testid={`lab-${lab.slug}`}>
            <h2>
              <Link href={`/labs/${lab.slug}`}>{titles.get(lab.slug)}</Link>
            </h2>
            <p>{withProxyNamed(lab.meta.summary, proxy)}</p>
            <p className="lab-facts">
              <span>{lab.meta.duration} min</span>
              <span>{lab.meta.difficulty}</span>
              <span>
                {lab.steps.length} step{lab.steps.length === 1 ? '' : 's'}
              </span>
              {lab.meta.requires.length ? (
                <span data-testid={`requires-${lab.slug}`}>
                  after:{' '}
                  {lab.meta.requires.map((slug, i) => (
                    <span key={slug}>
                      {i ? ', ' : null}
                      {titles.has(slug) ? <Link href={`/labs/${slug}`}>{titles.get(slug)}</Link> : slug}
                    </span>
                  ))}
                </span>
              ) : null}
              <span data-testid={`progress-${lab.slug}`} className={progress.complete ? 'status-text-ok' : undefined}>
                {progress.complete ? '✓ completed' : `${progress.doneCount}/${lab.steps.length} done`}
              </span>
            </p>
            <div className="lab-card-actions">
              <Link className="button button-primary" href={`/labs/${lab.slug}`}>
                {progress.doneCount ? 'Continue' : 'Open lab'}
                <span className="sr-only">: {titles.get(lab.slug)}</span>
              </Link>
              {engine.ok ? <SandboxControls slug={lab.slug} /> : null}
            </div>
          </li>
          );
        })}
      </ul>
      {labs.length === 0 ? <p className="muted">No labs found in labs/.</p> : null}
      {problems.length ? (
        <section className="notice notice-warn" data-testid="lab-problems">
          <h2>Labs with problems</h2>
          <p>These labs are not offered until their files are fixed:</p>
          <ul>
            {problems.map((p) => (
              <li key={formatProblem(p)}>
                <code>{formatProblem(p)}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
