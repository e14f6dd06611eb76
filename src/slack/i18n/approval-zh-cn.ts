import type { ApprovalMessages } from './approval-en.js';

/** 审批（IM_APPROVAL_FOR）的文案（简体中文）。 */
export const approvalZhCN: ApprovalMessages = {
  request: '申请审批',
  needsNote: '此操作需要第二人审批：提交后会发布带“批准”和“拒绝”按钮的申请；在他人批准之前不会发送任何操作。',
  requestedTitle: '已申请审批',
  requested: (where: string, minutes: number) => `你的申请已发布在 ${where}。其他有权限的人可在 ${minutes} 分钟内批准；结果会通知你。`,
  heading: (who: string) => `:raised_hand: ${who} *申请审批*`,
  expires: (at: string) => `请在 ${at} 之前批准或拒绝。申请人不能批准自己的申请。`,
  approve: '批准',
  reject: '拒绝',
  approvedBy: (who: string, at: string) => `:white_check_mark: ${who} 于 ${at} 批准：已执行。`,
  rejectedBy: (who: string, at: string) => `:no_entry_sign: ${who} 于 ${at} 拒绝：未发送任何操作。`,
  expiredAt: (at: string) => `:hourglass: 已于 ${at} 过期：未发送任何操作。`,
  ownRequest: '这是你自己的申请，你不能批准：须由其他有权限的人批准。（“拒绝”可撤回申请。）',
  already: '此申请已被处理或已过期：不再执行任何操作。',
  unknown: '找不到此申请（可能已被删除）：不执行任何操作。',
  tellApproved: (who: string) => `你的申请已由 ${who} 批准并执行：`,
  tellRejected: (who: string, what: string) => `你的申请被 ${who} 拒绝：未发送任何操作。（${what}）`,
  tellExpired: (what: string) => `你的申请在无人批准前已过期：未发送任何操作。（${what}）`,
  rollbackNeedsApproval:
    '已设置 IM_APPROVAL_FOR，而本版本的回滚无法申请审批（其中的撤销可能属于需审批的操作）：未发送任何操作。请用对应命令逐一撤销。',
  approvedNotRun: (who: string, at: string, why: string) => `:warning: ${who} 于 ${at} 批准，但未执行：${why}未发送任何操作。`,
  tellNotRun: (who: string, why: string, what: string) => `你的申请已由 ${who} 批准，但未执行：${why}未发送任何操作。（${what}）`,
  approverNotRun: (why: string) => `已批准，但未执行：${why}未发送任何操作；已通知申请人。`,
  cardEditLine: (accid: string, fields: string) => `修改 ${accid} 的名片：${fields}`,
  qchatLine: (accid: string, serverId: string, fields: string) => `设置 ${accid} 在服务器 ${serverId} 中的圈组成员名片：${fields}`,
  changedSince: (fields: string) => `自申请以来已被更改（${fields}），审批从不覆盖他人的更改。请基于新值重新申请。`,
  readFailedSince: '审批时再次读取失败，无法核对。',
  goneSince: (accid: string) => `${accid} 已不存在（无此账号或成员）。`,
  noBatch: (max: number) => `本版本中一次审批申请最多包含 ${max} 个账号；此操作需要审批。请拆分名单。`,
};
