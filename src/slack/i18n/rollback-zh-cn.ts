import type { rollbackEn } from './rollback-en.js';

/** 回滚相关文字（简体中文）。 */
export const rollbackZhCN: typeof rollbackEn = {
  title: '回滚',
  button: '回滚…',
  preview: '预览',
  submit: '回滚',
  workingTitle: '正在回滚',
  doneTitle: '已回滚',
  sinceIntro: (who) => `撤销 ${who} 自以下时间起做的每一项更改：`,
  period: '起始',
  periods: { '1h': '最近 1 小时', '24h': '最近 24 小时', '7d': '最近 7 天' },
  at: '或自此日期和时间起',
  atInFuture: '请选择过去的时间。',
  progress: (settled, total) => `已完成 ${settled} / ${total}……`,
  again: '此回滚已确认过：只会执行一次。',
  summary: (changes, accounts, who, since) => `${who} 自 ${since} 起的 *${changes}* 项更改，涉及 *${accounts}* 个账号，最新的在前：`,
  nothing: (who, since) => `${who} 自 ${since} 起没有做过更改：没有可回滚的内容。`,
  line: (at, what, accid, effect) => `• ${at} · ${what} · ${accid}：${effect}`,
  willSet: (fields) => `将设置 ${fields}`,
  setField: (field, value) => `${field} → *${value}*`,
  skip: {
    changed_since: '_跳过：此后有其他人改过_',
    already: '_跳过：已是之前的状态_',
    already_undone: '_跳过：已被撤销_',
    not_found: '_跳过：账号已不存在_',
    not_undoable: '_跳过：之前的值未知_',
    protected: '_跳过：受保护账号_',
  },
  counts: (undo, skipped) => `将撤销 ${undo} 项，跳过 ${skipped} 项。`,
  notShown: (count) => `……另有 ${count} 项未在此显示（同样会被回滚）。`,
  report: {
    undone: (id) => `已撤销（${id}）`,
    skipped_changed_since: '_跳过：此后有其他人改过_',
    skipped: (why) => `_跳过：${why}_`,
    protected_account: '_跳过：受保护账号_',
    failed: (why) => `*失败* ${why}`,
  },
  reportCounts: (undone, changedSince, skipped, failed) =>
    `已撤销 ${undone} · 跳过（此后被改过）${changedSince} · 跳过 ${skipped} · 失败 ${failed}`,
  approvedBy: (who) => `由 ${who} 批准`,
  requestLine: (changes, accounts, who, since) => `*回滚* ${who} 自 ${since} 起的 ${changes} 项更改，涉及 ${accounts} 个账号`,
  approvedRuns: (who) => `你已批准此回滚：现在开始执行，${who} 会收到进度和报告。`,
  approvedHead: (who) => `你的回滚已由 ${who} 批准：`,
  channel: (lead, who, since, id) => `:rewind: *回滚* ${lead} 回滚了 ${who} 自 ${since} 起的更改（${id}）`,
  channelRunning: (settled, total) => `进行中：${settled} / ${total} 项已处理…`,
  channelInterrupted: (settled, total) => `:warning: 在 ${settled} / ${total} 处中断：有人继续之前不会再撤销任何更改。`,
  replyHead: (from, to, total) => `第 ${from}–${to} 项更改（共 ${total} 项）：`,
  notReached: '_未处理_',
  interrupted: (who, settled, total, counts) =>
    `:warning: 对 ${who} 的更改的回滚已中断：im-admin 在 ${settled} / ${total} 处停止（${counts}）。已撤销的保持撤销。按“继续”撤销其余更改，每项仅在此后无人改动时撤销；在有人继续之前不会再发送任何更改。`,
  continue: '继续',
  channelPaused: (settled, total) =>
    `:double_vertical_bar: 因 im-admin 关闭，在 ${settled} / ${total} 处暂停：已撤销的保持不变。下次启动时会提示继续其余部分。`,
  pausedByShutdown: (settled, total) =>
    `:double_vertical_bar: im-admin 正在关闭：回滚在 ${settled} / ${total} 处暂停。已撤销的保持不变；下次启动时会发给你“继续”按钮以完成其余部分。`,
  continuing: (left) => `继续回滚：还剩 ${left} 项更改，每项先重新读取。`,
  cannotContinue: '此回滚无法继续：已完成、正在进行，或已有人继续。',
  continueNeedsApproval:
    'IM_APPROVAL_FOR 现在涵盖此回滚，而它开始时未经批准：不予继续，未发送任何更改。请从 /im-audit 重新回滚以申请批准。',
};
