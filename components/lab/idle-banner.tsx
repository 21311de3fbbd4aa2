'use client';
// The server's warning that the sandbox will be stopped for want of use, with the time left and a Keep button.
import { useEffect, useState } from 'react';

function left(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function IdleBanner({ stopsAt, onKeep }: { stopsAt: number; onKeep(): void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="notice notice-warn idle-banner" role="alert" data-testid="idle-banner">
      Your sandbox has not been used for a while: it will be stopped in {left(stopsAt - now)} to free it for others (your
      progress is kept).{' '}
      <button type="button" className="button button-small button-primary" onClick={onKeep}>
        Keep my sandbox
      </button>
    </div>
  );
}
