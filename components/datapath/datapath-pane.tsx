'use client';
// The Datapath pane: the lab's packet path with live rates and counters from the sandbox's sampler, and captures.
// The pane watches only while it is shown and the page is visible; the server stops the sampler otherwise.
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { DatapathChannel } from './datapath-channel';
import type { DatapathFrame } from '@/lib/datapath/frame';
import { counterState } from '@/lib/datapath/view';
import type { Datapath } from '@/lib/labs/schema';
import { CapturePanel } from './capture-panel';
import { DatapathDiagram } from './datapath-diagram';

/** No frame for this long: the stream is stale (say so rather than show old numbers as live). */
const STALE_MS = 3000;

function onVisibilityChange(notify: () => void): () => void {
  document.addEventListener('visibilitychange', notify);
  return () => document.removeEventListener('visibilitychange', notify);
}

/** The browser tab is shown (on the server, and until hydrated, it counts as shown). */
function usePageVisible(): boolean {
  return useSyncExternalStore(onVisibilityChange, () => document.visibilityState === 'visible', () => true);
}

export function DatapathPane({ lab, topology, channel }: { lab: string; topology: Datapath; channel: DatapathChannel }) {
  const [frame, setFrame] = useState<DatapathFrame | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [receivedAt, setReceivedAt] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const visible = usePageVisible();

  useEffect(
    () =>
      channel.subscribe((e) => {
        if (e.type === 'datapath') {
          setFrame(e.frame);
          setError(undefined);
          setReceivedAt(Date.now());
        } else setError(e.message);
      }),
    [channel],
  );
  useEffect(() => {
    channel.watch(visible);
    return () => channel.watch(false);
  }, [channel, visible]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const stale = !!frame && now - receivedAt > STALE_MS;
  const status = error ? 'error' : !frame ? 'connecting' : stale ? 'stale' : 'live';
  return (
    <div className="dp-pane" data-testid="datapath-pane" data-status={status}>
      <div className="dp-status">
        <span className={`badge ${status === 'live' ? 'badge-ok' : status === 'error' ? 'badge-error' : 'badge-warn'}`}>
          {status === 'live' ? 'live' : status === 'connecting' ? 'starting the sampler…' : status === 'stale' ? 'no new counters' : 'stopped'}
        </span>
        {error ? (
          <>
            <span className="dp-error">{error}</span>
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setError(undefined);
                channel.watch(false);
                channel.watch(visible);
              }}
            >
              Retry
            </button>
          </>
        ) : null}
        <span className="muted">Rates per second from counters in your sandbox, sampled twice a second. Only connections opened after a program attaches take its path.</span>
      </div>
      <DatapathDiagram topology={topology} frame={frame} />
      {topology.edges.some((e) => e.userSpace) ? (
        <p className="muted dp-note" data-testid="dp-legend-user-space">
          Sparse grey dashes, &ldquo;no payload through user space&rdquo;: traffic crosses the proxy, but its user space
          read none of it (the kernel moved the bytes).
        </p>
      ) : null}
      {topology.counters.length ? (
        <table className="dp-table dp-counters">
          <tbody>
            {topology.counters.map((c) => {
              const s = counterState(c, frame);
              return (
                <tr key={c.metric} data-testid={`dp-counter-${c.metric}`} data-value={s.value ?? ''} className={s.missing ? 'dp-missing' : undefined}>
                  <th scope="row" title={c.metric}>
                    {c.label}
                  </th>
                  <td>{s.missing ? <span className="muted">{s.missing}</span> : s.text}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {frame?.values['bpf.stats_enabled'] ? (
        <p className="muted dp-note">BPF run counts are on while this view is open (a few nanoseconds per program run).</p>
      ) : null}
      {topology.capture ? (
        <CapturePanel lab={lab} pod={topology.capture.pod} interfaces={topology.capture.interfaces} traffic={topology.capture.traffic} />
      ) : null}
    </div>
  );
}
