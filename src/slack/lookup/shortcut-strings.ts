import type { Locale } from '../i18n/catalog.js';

/** Texts of the lookup entry points other than the commands (the message shortcut, the Home's lookup box). */
const en = {
  nothingFound: 'No NetEase account IDs found in that message (IDs in `backticks`, after "accid" or "账号", or tokens like `user2024`).',
  truncated: (n: number) => `The first ${n} account IDs found are looked up; the message names more.`,
};
type ShortcutStrings = typeof en;
const zhCN: ShortcutStrings = {
  nothingFound: '该消息中没有找到网易云信账号 ID（`反引号`中的 ID、"accid" 或 "账号" 之后的 ID，或 `user2024` 这样的词）。',
  truncated: (n) => `只查询了找到的前 ${n} 个账号 ID；消息中还有更多。`,
};

export function shortcutStrings(locale: Locale): ShortcutStrings {
  return locale === 'zh-CN' ? zhCN : en;
}
