// The instructor view's socket (ADMIN_FEED_PATH): what the server sends (no Node dependencies). The view sends
// nothing but pings.
import type { FeedItem } from './feed';

export const ADMIN_FEED_PATH = '/ws/admin';

export type AdminFeedMessage = { type: 'history'; items: FeedItem[] } | { type: 'item'; item: FeedItem };

/**
 * The instructor's read-only view of a learner's terminal (?learner=&lab=&tab=): the terminal protocol's hello, screen
 * restore and output frames; input frames are refused (the socket closes with CLOSE.FORBIDDEN).
 */
export const ADMIN_TERMINAL_PATH = '/ws/admin/terminal';
