'use client';
// Under the editor: the last Build's problems (click to jump) and output, or the last Load's output and, when the
// kernel refused a program, its verifier log with the reason and the source line it names.
import type { BuildResult, LoadResult } from './editor-api';

export function EditorOutput({ build, load, onReveal }: { build?: BuildResult; load?: LoadResult; onReveal(path: string, line: number, column?: number): void }) {
  if (load) {
    const v = load.verifier;
    return (
      <div className="editor-output" data-testid="editor-output" data-kind="load" data-ok={load.ok}>
        <p className={load.ok ? 'editor-ok' : 'editor-failed'}>
          {load.ok ? 'Loaded.' : v.reason ? `The verifier refused the program: ${v.reason}` : `Load failed (exit ${load.exitCode}).`}
          {v.at ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => v.at!.inWorkspace && onReveal(v.at!.path, v.at!.line)}>
                {v.at.path}:{v.at.line}
              </button>
            </>
          ) : null}
        </p>
        {v.log ? (
          <details open data-testid="verifier-log">
            <summary>Verifier log ({v.log.split('\n').length} lines; the last instructions before the refusal are at the end)</summary>
            <pre className="editor-log">
              {v.log.split('\n').map((l, i) => (
                <span key={i} className={l.startsWith(';') ? 'log-source' : l === v.reason ? 'log-reason' : undefined}>
                  {l}
                  {'\n'}
                </span>
              ))}
            </pre>
          </details>
        ) : null}
        <details open={!v.log}>
          <summary>Output</summary>
          <pre className="editor-log">{load.output || '(no output)'}</pre>
        </details>
      </div>
    );
  }
  if (!build) return null;
  // Errors first: they are why the build failed; warnings after, each group in file order.
  const problems = [...build.diagnostics.filter((d) => d.severity === 'error'), ...build.diagnostics.filter((d) => d.severity === 'warning')];
  return (
    <div className="editor-output" data-testid="editor-output" data-kind="build" data-ok={build.ok}>
      <p className={build.ok ? 'editor-ok' : 'editor-failed'}>
        {build.ok ? 'Build succeeded' : `Build failed (exit ${build.exitCode})`}
        {problems.length ? `: ${problems.filter((p) => p.severity === 'error').length} error(s), ${problems.filter((p) => p.severity === 'warning').length} warning(s)` : '.'}
      </p>
      {problems.length ? (
        <ul className="editor-problems" data-testid="editor-problems">
          {problems.map((d, i) => (
            <li key={i} className={`problem-${d.severity}`} data-testid="editor-problem" data-path={d.path} data-line={d.line} data-column={d.column}>
              <button type="button" className="link-button" disabled={!d.inWorkspace} onClick={() => onReveal(d.path, d.line, d.column)}>
                {d.path}:{d.line}:{d.column}
              </button>{' '}
              {d.severity}: {d.message}
            </li>
          ))}
        </ul>
      ) : null}
      <details open={!build.ok && !problems.length}>
        <summary>Output</summary>
        <pre className="editor-log">{build.output || '(no output)'}</pre>
      </details>
    </div>
  );
}
