import type { KnownBlock } from '@slack/types';

/** A rendered message: Block Kit plus the plain `text` fallback Slack uses for notifications and screen readers. */
export type SlackMessage = {
  text: string;
  blocks: KnownBlock[];
};
