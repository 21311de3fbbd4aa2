'use client';
// The class as the instructor view holds it: the snapshot from /api/admin/class, fetched again when the live feed
// (/ws/admin) says something happened (at most once a second) and every 10 s for the sandboxes' CPU and memory.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, apiErrorOf, type ApiError } from '@/components/common/api';
import { wsUrl } from '@/components/common/ws-url';
import type { FeedItem } from '@/lib/class/feed';
import { ADMIN_FEED_PATH, type AdminFeedMessage } from '@/lib/class/feed-messages';
import type { ClassSnapshot } from '@/lib/class/report';

const REFRESH_MS = 10_000;
const FEED_DEBOUNCE_MS = 1_000;
const RECONNECT_MS = 3_000;
const FEED_SHOWN = 50;

export function useClass(initial: ClassSnapshot | undefined) {
  const [snapshot, setSnapshot] = useState(initial);
  const [error, setError] = useState<ApiError>();
  const [feed, setFeed] = useState<FeedItem[]>([]);
  const [live, setLive] = useState(false);
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);

  const refresh = useCallback(async () => {
    try {
      setSnapshot(await api<ClassSnapshot>('/api/admin/class'));
      setError(undefined);
    } catch (e) {
      const err = apiErrorOf(e);
      // The session ended (12 hours, or the token changed): back to the login form.
      if (err.code === 'instructor_only') location.reload();
      setError(err);
    }
  }, []);

  useEffect(() => {
    // Without a server-rendered snapshot (the engine was starting), the first one is fetched straight away.
    const first = initial ? undefined : setTimeout(() => void refresh(), 0);
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [initial, refresh]);

  useEffect(() => {
    let ws: WebSocket | undefined;
    let disposed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(pending.current);
      pending.current = setTimeout(() => void refresh(), FEED_DEBOUNCE_MS);
    };
    const open = () => {
      ws = new WebSocket(wsUrl(ADMIN_FEED_PATH));
      ws.onopen = () => setLive(true);
      ws.onmessage = (ev) => {
        const m = JSON.parse(String(ev.data)) as AdminFeedMessage;
        if (m.type === 'history') setFeed(m.items.slice(-FEED_SHOWN).reverse());
        else {
          setFeed((f) => [m.item, ...f].slice(0, FEED_SHOWN));
          soon();
        }
      };
      ws.onclose = (ev) => {
        setLive(false);
        if (disposed) return;
        if (ev.code === 4401) return location.reload();
        retry = setTimeout(open, RECONNECT_MS);
      };
    };
    open();
    return () => {
      disposed = true;
      clearTimeout(retry);
      clearTimeout(pending.current);
      ws?.close();
    };
  }, [refresh]);

  return { snapshot, error, feed, live, refresh };
}
