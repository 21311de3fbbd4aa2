'use client';
// What the instructor tells a learner's lab page: a message to the class, a fresh sandbox they were given, and that
// one of their terminals is being watched (read-only). Each is a line above the panes; the first two can be closed.
import type { LabLive } from './use-lab-events';

type Notices = Pick<LabLive, 'broadcast' | 'dismissBroadcast' | 'replacedAt' | 'dismissReplaced' | 'watched'>;

export function ClassNotices({ broadcast, dismissBroadcast, replacedAt, dismissReplaced, watched }: Notices) {
  if (!broadcast && !replacedAt && !watched) return null;
  return (
    <div className="class-notices">
      {broadcast ? (
        // A message the learner should hear without losing their place: polite, not an alert.
        <div className="notice class-notice" role="status" data-testid="broadcast">
          <strong>From your instructor:</strong> <span className="class-notice-text">{broadcast.message}</span>{' '}
          <button type="button" className="button button-small" onClick={dismissBroadcast}>
            Close
          </button>
        </div>
      ) : null}
      {replacedAt ? (
        <div className="notice notice-warn class-notice" role="status" data-testid="sandbox-replaced">
          Your instructor gave you a fresh sandbox: what you had in the old one (files, shells, loaded programs) is gone;
          your progress is kept. Terminals and tools are now on the new sandbox.{' '}
          <button type="button" className="button button-small" onClick={dismissReplaced}>
            Close
          </button>
        </div>
      ) : null}
      {watched ? (
        <div className="notice class-notice" role="status" data-testid="watched">
          Your instructor is viewing your terminal (read-only: they see it, they cannot type in it).
        </div>
      ) : null}
    </div>
  );
}
