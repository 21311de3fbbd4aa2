'use client';
// The lab page's live channel (/ws/lab): progress and check results pushed by the server, and the step on view.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CheckOutcome } from '@/lib/checks/outcome';
import type { BenchEvent } from '@/lib/bench/types';
import { wsUrl } from '@/components/common/ws-url';
import { DatapathChannel } from '@/components/datapath/datapath-channel';
import { LAB_EVENTS_PATH, type LabEvent } from '@/lib/lab-events/events';
import type { LabProgress } from '@/lib/progress/types';
import type { StopReason } from './use-sandbox';
import { RECONNECT_DELAYS_MS } from '@/lib/terminal/browser-connection';

export interface LabLive {
  progress: LabProgress;
  /** The step whose check is running now (a spinner), if any. */
  checking?: string;
  /** The latest outcome per step. */
  outcomes: Record<string, CheckOutcome>;
  connected: boolean;
  /** The latest benchmark event (progress, a new sample, the end of a run). */
  bench?: BenchEvent;
  /** Live datapath counters, for the Datapath pane. */
  datapath: DatapathChannel;
  /** When the server will stop the sandbox for want of use (ms since the epoch), while it has warned. */
  idleStopsAt?: number;
  /** Tells the server the sandbox is in use (the warning's Keep button). */
  keepAlive(): void;
  /** The instructor's latest message, until the learner dismisses it. */
  broadcast?: { message: string; at: number };
  dismissBroadcast(): void;
  /** When the instructor last gave this learner a fresh sandbox (ms since the epoch), until dismissed. */
  replacedAt?: number;
  dismissReplaced(): void;
  /** The instructor is watching one of this learner's terminals (read-only). */
  watched: boolean;
}

/** What the server may tell the page to do to its sandbox. */
export interface SandboxFollower {
  onStopped(stopped: StopReason): void;
  onReplaced(): void;
}

/** The `at` of the broadcast the learner dismissed: a reload does not show it again. */
const DISMISSED_BROADCAST_KEY = 'ebpf-labs:broadcast-dismissed';

function dismissedBroadcast(): number {
  try {
    return Number(localStorage.getItem(DISMISSED_BROADCAST_KEY)) || 0;
  } catch {
    return 0;
  }
}

/** The learner's keys, clicks and scrolls count as use of the sandbox; at most one report this often. */
const ACTIVITY_REPORT_MS = 60_000;

/** Every step back to "to do": what the server's progress is right after Reset lab. */
function cleared(p: LabProgress): LabProgress {
  return { ...p, steps: p.steps.map((s) => ({ step: s.step, status: 'todo', hintsShown: 0, hintsRevealed: [], solutionShown: false })), doneCount: 0, skippedCount: 0, complete: false };
}

export function useLabEvents(
  slug: string,
  viewStep: string,
  initial: LabProgress,
  enabled: boolean,
  sandbox: SandboxFollower,
): LabLive & { clearProgress(): void } {
  const [progress, setProgress] = useState(initial);
  const [checking, setChecking] = useState<string | undefined>();
  const [outcomes, setOutcomes] = useState<Record<string, CheckOutcome>>({});
  const [connected, setConnected] = useState(false);
  const [bench, setBench] = useState<LabLive['bench']>();
  const [idleStopsAt, setIdleStopsAt] = useState<number | undefined>();
  const [broadcast, setBroadcast] = useState<LabLive['broadcast']>();
  const [replacedAt, setReplacedAt] = useState<number>();
  const [watched, setWatched] = useState(false);
  const sandboxRef = useRef(sandbox);
  useEffect(() => {
    sandboxRef.current = sandbox;
  }, [sandbox]);
  const wsRef = useRef<WebSocket | undefined>(undefined);
  const datapath = useMemo(() => new DatapathChannel(), []);
  // The step on view when the socket (re)opens; kept in a ref so that changing step does not reopen the socket.
  const viewRef = useRef(viewStep);

  // Before the socket's effect, so that a socket opened in the same commit already asks for this step.
  useEffect(() => {
    viewRef.current = viewStep;
    const ws = wsRef.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'view', step: viewStep }));
  }, [viewStep, connected]);

  useEffect(() => {
    if (!enabled) return;
    let disposed = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const ws = new WebSocket(wsUrl(LAB_EVENTS_PATH, { lab: slug, step: viewRef.current }));
      wsRef.current = ws;
      ws.onopen = () => {
        attempt = 0;
        setConnected(true);
        datapath.attach((m) => ws.send(m));
        if (document.hidden) ws.send(JSON.stringify({ type: 'visibility', visible: false }));
      };
      ws.onmessage = (ev) => {
        const event = JSON.parse(String(ev.data)) as LabEvent;
        if (event.type === 'progress') setProgress(event.progress);
        else if (event.type === 'checking') setChecking(event.step);
        else if (event.type === 'bench') setBench(event);
        else if (event.type === 'datapath' || event.type === 'datapath-error') datapath.emit(event);
        else if (event.type === 'idle') setIdleStopsAt(event.stopsAt ?? undefined);
        else if (event.type === 'sandbox-stopped') {
          setIdleStopsAt(undefined);
          setWatched(false);
          sandboxRef.current.onStopped(event.reason === 'idle' ? { reason: 'idle', idleMinutes: event.idleMinutes } : { reason: event.reason });
        }
        else if (event.type === 'broadcast') {
          if (event.at > dismissedBroadcast()) setBroadcast({ message: event.message, at: event.at });
        }
        else if (event.type === 'sandbox-replaced') {
          setReplacedAt(Date.now());
          setWatched(false);
          sandboxRef.current.onReplaced();
        }
        else if (event.type === 'watched') setWatched(event.watching);
        else if (event.type === 'check') {
          setChecking(undefined);
          setOutcomes((prev) => ({ ...prev, [event.step]: event }));
        }
      };
      ws.onclose = () => {
        setConnected(false);
        datapath.attach(undefined);
        setChecking(undefined);
        if (disposed) return;
        const delay = RECONNECT_DELAYS_MS[Math.min(attempt++, RECONNECT_DELAYS_MS.length - 1)]!;
        timer = setTimeout(open, delay);
      };
    };
    open();
    return () => {
      disposed = true;
      clearTimeout(timer);
      wsRef.current?.close();
      wsRef.current = undefined;
    };
  }, [slug, enabled, datapath]);

  const keepAlive = useCallback(() => {
    const ws = wsRef.current;
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'active' }));
  }, []);

  // A page in the background is not polled: the server checks it again when it comes back.
  useEffect(() => {
    if (!enabled) return;
    const onVisibility = () => {
      const ws = wsRef.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'visibility', visible: !document.hidden }));
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [enabled]);

  // Use of the page is use of the sandbox: report it, at most once a minute (a forgotten tab reports nothing).
  useEffect(() => {
    if (!enabled) return;
    let last = 0;
    const onUse = () => {
      if (Date.now() - last < ACTIVITY_REPORT_MS) return;
      last = Date.now();
      keepAlive();
    };
    const kinds = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const k of kinds) window.addEventListener(k, onUse, { capture: true, passive: true });
    return () => {
      for (const k of kinds) window.removeEventListener(k, onUse, { capture: true });
    };
  }, [enabled, keepAlive]);

  const clearProgress = useCallback(() => setProgress(cleared), []);
  const dismissBroadcast = useCallback(() => {
    setBroadcast((b) => {
      try {
        if (b) localStorage.setItem(DISMISSED_BROADCAST_KEY, String(b.at));
      } catch {
        // Storage refused (private mode, quota): dismissed for this page only.
      }
      return undefined;
    });
  }, []);
  const dismissReplaced = useCallback(() => setReplacedAt(undefined), []);

  return {
    progress,
    checking,
    outcomes,
    connected,
    bench,
    datapath,
    idleStopsAt,
    keepAlive,
    clearProgress,
    broadcast,
    dismissBroadcast,
    replacedAt,
    dismissReplaced,
    watched,
  };
}
