// The instructor view's socket (ADMIN_FEED_PATH): what the server sends (no Node dependencies). The view sends
// nothing but pings.
import type { FeedItem } from './feed';

export const ADMIN_FEED_PATH = '/ws/admin';

export type AdminFeedMessage = { type: 'history'; items: FeedItem[] } | { type: 'item'; item: FeedItem };
