'use client';
// Under the editor: a status line that is always in view (what the last Build or Load said, or what is running), and
// below it, in a bounded area that scrolls and can be hidden, the last Build's problems (click to jump) and output,
// or the last Load's output and, when the kernel refused a program, its verifier log with the reason and the source
// line it names. The output never takes the editor's room: the editor keeps its minimum height (editor.css).
import { useState, type ReactNode } from 'react';
import type { BuildResult, LoadResult } from './editor-api';

interface Props {
  build?: BuildResult;
  load?: LoadResult;
  busy?: 'build' | 'load';
  onReveal(path: string, line: number, column?: number): void;
}

export function EditorOutput({ build, load, busy, onReveal }: Props) {
  const [shown, setShown] = useState(true);
  const result = load ? loadResult(load, onReveal) : build ? buildResult(build, onReveal) : undefined;
  const status = busy === 'build' ? 'Building…' : busy === 'load' ? 'Loading…' : result?.status;
  return (
    <div
      className="editor-output"
      data-testid="editor-output"
      data-kind={load ? 'load' : build ? 'build' : undefined}
      data-ok={load ? load.ok : build ? build.ok : undefined}
    >
      <div className="editor-status">
        <p className={busy ? 'muted' : result ? (result.ok ? 'editor-ok' : 'editor-failed') : 'muted'} role="status" data-testid="editor-status">
          {status ?? 'Build compiles the workspace and marks what clang says; Load loads and attaches the programs.'}
        </p>
        {result ? (
          <button type="button" className="button button-small" aria-expanded={shown} aria-controls="editor-output-body" onClick={() => setShown(!shown)}>
            {shown ? 'Hide output' : 'Show output'}
          </button>
        ) : null}
      </div>
      {result ? (
        <div id="editor-output-body" className="editor-output-body" hidden={!shown}>
          {result.body}
        </div>
      ) : null}
    </div>
  );
}

type Reveal = Props['onReveal'];

function loadResult(load: LoadResult, onReveal: Reveal): { ok: boolean; status: ReactNode; body: ReactNode } {
  const v = load.verifier;
  const status = (
    <>
      {load.ok ? 'Loaded.' : v.reason ? `The verifier refused the program: ${v.reason}` : `Load failed (exit ${load.exitCode}).`}
      {v.at ? (
        <>
          {' '}
          <button type="button" className="link-button" onClick={() => v.at!.inWorkspace && onReveal(v.at!.path, v.at!.line)}>
            {v.at.path}:{v.at.line}
          </button>
        </>
      ) : null}
    </>
  );
  const body = (
    <>
      {v.log ? (
        <details open data-testid="verifier-log">
          <summary>Verifier log ({v.log.split('\n').length} lines; the last instructions before the refusal are at the end)</summary>
          <pre className="editor-log" tabIndex={0}>
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
        <pre className="editor-log" tabIndex={0}>{load.output || '(no output)'}</pre>
      </details>
    </>
  );
  return { ok: load.ok, status, body };
}

function buildResult(build: BuildResult, onReveal: Reveal): { ok: boolean; status: ReactNode; body: ReactNode } {
  // Errors first: they are why the build failed; warnings after, each group in file order.
  const problems = [...build.diagnostics.filter((d) => d.severity === 'error'), ...build.diagnostics.filter((d) => d.severity === 'warning')];
  const status = `${build.ok ? 'Build succeeded' : `Build failed (exit ${build.exitCode})`}${
    problems.length
      ? `: ${problems.filter((p) => p.severity === 'error').length} error(s), ${problems.filter((p) => p.severity === 'warning').length} warning(s)`
      : '.'
  }`;
  const body = (
    <>
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
        <pre className="editor-log" tabIndex={0}>{build.output || '(no output)'}</pre>
      </details>
    </>
  );
  return { ok: build.ok, status, body };
}
