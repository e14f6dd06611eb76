import { en } from './en.js';
import { zhCN } from './zh-cn.js';

/**
 * The one message catalog: every text a person sees, in English and Simplified Chinese. English is the reference;
 * its shape is the type, so a missing Chinese key does not compile.
 */
export type Locale = 'en' | 'zh-CN';
export type Messages = typeof en;

/**
 * Slack locales look like `en-US`, `zh-CN`, `zh-TW`. Every Chinese locale gets Simplified Chinese: a reader of
 * Traditional Chinese reads it far more easily than English, and there is no Traditional catalog yet. Anything
 * else, or no locale, is English.
 */
export function localeFromSlack(slackLocale: string | undefined): Locale {
  return slackLocale !== undefined && /^zh(?:[-_]|$)/i.test(slackLocale.trim()) ? 'zh-CN' : 'en';
}

export function messages(locale: Locale): Messages {
  return locale === 'zh-CN' ? zhCN : en;
}
