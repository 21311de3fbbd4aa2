'use client';
// Captures: a bounded tcpdump on the lab's interfaces (optionally with a short test transfer), summarised as payload
// vs control packets per flow; the latest capture in each state (acceleration off / on) side by side.
import { useCallback, useEffect, useState } from 'react';
import { api } from '@/components/common/api';
import { ApiErrorView } from '@/components/common/api-error';
import { useApiError } from '@/components/common/use-api-error';
import { readableCaptureLines } from './capture-lines';
import { compareCaptures, comparisonPair, type CaptureResult } from '@/lib/datapath/capture';
import { compact } from '@/lib/datapath/view';

const time = (iso: string) => new Date(iso).toLocaleTimeString();
const title = (c: CaptureResult) => `${time(c.at)}${c.state ? ` · ${c.state}` : ''}`;

/**
 * What to do before the second capture: the lab's own note (lab.yaml `capture.note`); else, where captures record
 * the lab's state (Lab 2: acceleration on or off), a change of that state; else any change.
 */
function captureAgainText(note: string | undefined, first: CaptureResult): string {
  if (note) return note;
  if (first.state) return 'Change something (for example, turn acceleration on) and capture again to compare.';
  return 'Change something in the lab and capture again to compare.';
}

export function CapturePanel({ lab, interfaces, pod, traffic, note }: { lab: string; interfaces: string[]; pod: string; traffic?: string; note?: string }) {
  const [captures, setCaptures] = useState<CaptureResult[]>([]);
  const [running, setRunning] = useState(false);
  const [withTraffic, setWithTraffic] = useState(!!traffic);
  const { error, fail, clear } = useApiError();
  const url = `/api/labs/${encodeURIComponent(lab)}/capture`;

  useEffect(() => {
    api<{ captures: CaptureResult[] }>(url).then((body) => setCaptures(body.captures), () => undefined);
  }, [url]);

  const run = useCallback(async () => {
    setRunning(true);
    clear();
    const body = await api<{ captures: CaptureResult[] }>(url, { method: 'POST', body: JSON.stringify({ traffic: withTraffic }) }).catch(fail);
    if (body) setCaptures(body.captures);
    setRunning(false);
  }, [url, withTraffic, fail, clear]);

  const pair = comparisonPair(captures);
  const latest = captures[0];
  return (
    <section className="dp-capture" data-testid="dp-capture">
      <div className="dp-capture-actions">
        <button type="button" className="button button-small" disabled={running} onClick={() => void run()}>
          {running ? 'Capturing…' : 'Capture'}
        </button>
        <span className="muted">
          tcpdump on {interfaces.join(' and ')} in the {pod} pod, a few seconds at most
        </span>
        {traffic ? (
          <label className="dp-capture-traffic">
            <input type="checkbox" checked={withTraffic} onChange={(e) => setWithTraffic(e.target.checked)} /> with test traffic{' '}
            <code>{traffic}</code>
          </label>
        ) : null}
      </div>
      {error ? <ApiErrorView error={error} /> : null}
      {pair ? <Comparison before={pair[0]} after={pair[1]} /> : latest && captures.length === 1 ? (
        <p className="muted">{captureAgainText(note, latest)}</p>
      ) : null}
      {latest ? <CaptureView capture={latest} /> : null}
    </section>
  );
}

function Comparison({ before, after }: { before: CaptureResult; after: CaptureResult }) {
  const rows = compareCaptures(before, after);
  return (
    <table className="dp-table" data-testid="dp-compare">
      <caption>
        Before: {title(before)} → after: {title(after)}
      </caption>
      <thead>
        <tr>
          <th>interface</th>
          <th>payload packets</th>
          <th>control packets</th>
          <th>payload bytes</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name} data-testid={`dp-compare-${r.name}`} data-before={r.before.payloadPackets} data-after={r.after.payloadPackets}>
            <td>{r.name}</td>
            <td>
              {compact(r.before.payloadPackets)} → {compact(r.after.payloadPackets)}
            </td>
            <td>
              {compact(r.before.controlPackets)} → {compact(r.after.controlPackets)}
            </td>
            <td>
              {compact(r.before.payloadBytes)} → {compact(r.after.payloadBytes)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CaptureView({ capture }: { capture: CaptureResult }) {
  return (
    <div className="dp-capture-result" data-testid="dp-capture-result" data-state={capture.state ?? ''}>
      <h3>Latest capture: {title(capture)}</h3>
      {capture.interfaces.map((i) => (
        <details key={i.name} open data-testid={`dp-capture-${i.name}`} data-payload={i.payloadPackets} data-control={i.controlPackets}>
          <summary>
            <strong>{i.name}</strong>: {i.packets} packets, {i.payloadPackets} with payload ({compact(i.payloadBytes)} bytes),{' '}
            {i.controlPackets} control
            {i.hitLimit ? ` · stopped at the ${capture.limit}-packet limit` : ''}
            {i.dropped ? ` · ${i.dropped} dropped by the kernel` : ''}
          </summary>
          {i.flows.length ? (
            <table className="dp-table">
              <thead>
                <tr>
                  <th>flow</th>
                  <th>payload</th>
                  <th>control</th>
                  <th>bytes</th>
                </tr>
              </thead>
              <tbody>
                {i.flows.map((f) => (
                  <tr key={f.flow}>
                    <td>
                      <code>{f.flow}</code>
                    </td>
                    <td>{f.payloadPackets}</td>
                    <td>{f.controlPackets}</td>
                    <td>{compact(f.payloadBytes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">No TCP packets on {i.name}.</p>
          )}
          {i.firstLines.length ? <pre className="dp-lines">{readableCaptureLines(i.firstLines).join('\n')}</pre> : null}
        </details>
      ))}
    </div>
  );
}
