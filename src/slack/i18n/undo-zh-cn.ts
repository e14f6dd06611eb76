import type { undoEn } from './undo-en.js';

/** 撤销相关文字（简体中文）。 */
export const undoZhCN: typeof undoEn = {
  button: '撤销',
  title: '撤销一项更改',
  submit: '撤销',
  doneTitle: '已撤销',
  intro: (what, accid, who, at) => `*撤销* ${who} 于 ${at} 对 ${accid} 的${what}`,
  willSet: '将设置为：',
  setLine: (field, now, undo) => `• ${field}：${now} → *${undo}*`,
  remuteFor: (minutes) => `禁言持续 ${minutes} 分钟（被解除的禁言剩余的时间），到时自动解除。`,
  remuteForever: '禁言没有结束时间：被解除的禁言已没有剩余时间可恢复。',
  changedSince: '此后有人改过这里。除非你选择覆盖，否则不会发送该字段。',
  undoes: (id) => `撤销 ${id}`,
  undoneBy: (who, at, id) => `:leftwards_arrow_with_hook: 已由 ${who} 于 ${at} 撤销（${id}）`,
  alreadyUndone: (who, at) => `已由 ${who} 于 ${at} 撤销。撤销那次撤销即可重做。`,
  alreadyAsBefore: '无需撤销：账号已是那次更改之前的状态。',
  keptTheirs: '未发送：你保留了当前的值。',
  changedAgain: '你打开之后它又被改过，因此未发送任何内容。请再次点击“撤销”查看当前状态。',
  notUndoable: {
    refusal: '被拒绝的操作没有改动任何内容，无需撤销。',
    not_applied: '那次更改没有生效（失败或结果未知），无需撤销。',
    before_unknown: '那次更改之前的值没有读取到（QChat 服务器过大），无法恢复。',
    nothing_set: '那次更改没有可由撤销恢复的内容。',
  },
  unknownEntry: '审计记录中没有这条记录。',
  protectedNow: (accid: string) => `${accid} 是受保护账号（IM_PROTECTED_ACCIDS）：从不在 Slack 中被禁言或封禁。`,
  accountGone: '账号（或其在该 QChat 服务器的成员身份）已不存在，无需撤销。',
  notReached: '在该 QChat 服务器中未能找到该成员，未发送任何内容。',
  done: (accid, id) => `已撤销 ${accid} 的更改。审计记录 ${id}。`,
  failed: '撤销未生效。',
  movedSince: (values) => `申请撤销之后账号已被更改（${values}）。请再次点击“撤销”查看当前状态。`,
};
