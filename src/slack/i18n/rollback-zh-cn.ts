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
  },
  counts: (undo, skipped) => `将撤销 ${undo} 项，跳过 ${skipped} 项。`,
  notShown: (count) => `……另有 ${count} 项未在此显示（同样会被回滚）。`,
  report: {
    undone: (id) => `已撤销（${id}）`,
    skipped_changed_since: '_跳过：此后有其他人改过_',
    skipped: (why) => `_跳过：${why}_`,
    failed: (why) => `*失败* ${why}`,
  },
  reportCounts: (undone, changedSince, skipped, failed) =>
    `已撤销 ${undone} · 跳过（此后被改过）${changedSince} · 跳过 ${skipped} · 失败 ${failed}`,
  channel: (lead, who, since, id) => `:rewind: *回滚* ${lead} 回滚了 ${who} 自 ${since} 起的更改（${id}）`,
};
