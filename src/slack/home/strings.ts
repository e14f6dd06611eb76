import type { Locale } from '../i18n/catalog.js';

/** The App Home's texts, English and Simplified Chinese. English is the reference: its shape is the type. */
const homeEn = {
  title: 'im-admin',
  intro: 'Look up NetEase IM accounts, and for moderators, the sanctions made through im-admin that still stand.',
  lookupLabel: 'Account IDs — the cards arrive in your messages with im-admin',
  lookupPlaceholder: 'accid1 accid2 … (up to 50)',
  lookupButton: 'Look up',
  standingTitle: 'Sanctions made through im-admin that stand',
  standingNone: 'None: no timed mute is waiting to lift, and no mute without end or block made here stands.',
  standingNote: 'From the audit trail: a sanction lifted outside im-admin still shows until im-admin next changes that account.',
  timed: (accid: string, when: string, utc: string) => `*Muted* ${accid} — lifts ${when} (${utc})`,
  untimedMute: (accid: string) => `*Muted without end* ${accid}`,
  blocked: (accid: string) => `*Blocked* ${accid}`,
  by: (who: string, at: string) => `by ${who} at ${at}`,
  reason: (reason: string) => `reason: ${reason}`,
  liftNow: 'Lift now',
  extend: 'Extend…',
  page: (page: number, pages: number) => `Page ${page} of ${pages}`,
  previous: '← Newer',
  next: 'Older →',
  approvalsTitle: 'Waiting for approval',
  approval: (action: string, who: string, expires: string) => `${action} requested by ${who} — expires ${expires}`,
  mineTitle: 'Your recent actions',
  mineNone: 'Nothing yet.',
  help: 'Commands: `/im-user`, `/im-mute-status`, `/im-mute`, `/im-unmute`, `/im-block`, `/im-unblock`, `/im-audit`, `/qchat-member`, `/qchat-nick` — add `help` to any of them. On a message: ⋮ → *Look up IM accounts*.',
  refused: 'You may not look up NetEase accounts in this workspace.',
  storeDown: 'The audit store cannot be read right now, so the sanctions and your actions are not shown. Try again shortly.',
  relative: {
    due: 'any moment now',
    underMinute: 'in less than a minute',
    minutes: (m: number) => `in ${m} min`,
    hours: (h: number, m: number) => (m === 0 ? `in ${h} h` : `in ${h} h ${m} min`),
    days: (d: number, h: number) => (h === 0 ? `in ${d} d` : `in ${d} d ${h} h`),
  },
  action: {
    mute: 'Mute',
    unmute: 'Unmute',
    block: 'Block',
    unblock: 'Unblock',
    update_user_card: 'Card edit',
    qchat_update_member: 'QChat nickname',
    rollback: 'Rollback',
  },
  outcome: {
    applied: 'applied',
    applied_confirmed_by_read_back: 'applied (confirmed)',
    failed: 'failed',
    not_applied: 'not applied',
    unknown: 'outcome unknown',
    in_flight: 'in flight',
    refused: 'refused',
  },
};

export type HomeStrings = typeof homeEn;

const homeZhCN: HomeStrings = {
  title: 'im-admin',
  intro: '查询网易云信 IM 账号；版主还能看到经 im-admin 做出、仍然有效的处罚。',
  lookupLabel: '账号 ID —— 名片会发到你与 im-admin 的私信中',
  lookupPlaceholder: 'accid1 accid2 …（最多 50 个）',
  lookupButton: '查询',
  standingTitle: '经 im-admin 做出、仍然有效的处罚',
  standingNone: '没有：没有等待解除的定时禁言，也没有在这里做出的永久禁言或封禁。',
  standingNote: '来自审计记录：在 im-admin 之外解除的处罚会一直显示，直到 im-admin 下次修改该账号。',
  timed: (accid, when, utc) => `*禁言* ${accid} — ${when}解除（${utc}）`,
  untimedMute: (accid) => `*永久禁言* ${accid}`,
  blocked: (accid) => `*封禁* ${accid}`,
  by: (who, at) => `由 ${who} 于 ${at}`,
  reason: (reason) => `原因：${reason}`,
  liftNow: '立即解除',
  extend: '延长…',
  page: (page, pages) => `第 ${page} / ${pages} 页`,
  previous: '← 较新',
  next: '较早 →',
  approvalsTitle: '等待审批',
  approval: (action, who, expires) => `${who} 请求 ${action} —— ${expires}过期`,
  mineTitle: '你最近的操作',
  mineNone: '暂无。',
  help: '命令：`/im-user`、`/im-mute-status`、`/im-mute`、`/im-unmute`、`/im-block`、`/im-unblock`、`/im-audit`、`/qchat-member`、`/qchat-nick` —— 在任一命令后加 `help` 查看用法。在消息上：⋮ → *Look up IM accounts*。',
  refused: '你在此工作区无权查询网易云信账号。',
  storeDown: '暂时无法读取审计存储，因此不显示处罚和你的操作。请稍后再试。',
  relative: {
    due: '即将',
    underMinute: '不到 1 分钟后',
    minutes: (m) => `${m} 分钟后`,
    hours: (h, m) => (m === 0 ? `${h} 小时后` : `${h} 小时 ${m} 分钟后`),
    days: (d, h) => (h === 0 ? `${d} 天后` : `${d} 天 ${h} 小时后`),
  },
  action: {
    mute: '禁言',
    unmute: '解除禁言',
    block: '封禁',
    unblock: '解除封禁',
    update_user_card: '修改名片',
    qchat_update_member: '圈组昵称',
    rollback: '回滚',
  },
  outcome: {
    applied: '已生效',
    applied_confirmed_by_read_back: '已生效（已回读确认）',
    failed: '失败',
    not_applied: '未生效',
    unknown: '结果未知',
    in_flight: '进行中',
    refused: '被拒绝',
  },
};

export function homeStrings(locale: Locale): HomeStrings {
  return locale === 'zh-CN' ? homeZhCN : homeEn;
}

/** How long until `liftAt`, as a person says it: "in 1 h 20 min", "2 天 3 小时后". Rounded up to the minute. */
export function untilText(strings: HomeStrings, liftAt: number, now: number): string {
  const ms = liftAt - now;
  const r = strings.relative;
  if (ms <= 0) return r.due;
  if (ms < 60_000) return r.underMinute;
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return r.minutes(minutes);
  if (minutes < 24 * 60) return r.hours(Math.floor(minutes / 60), minutes % 60);
  const hours = Math.floor(minutes / 60);
  return r.days(Math.floor(hours / 24), hours % 24);
}
