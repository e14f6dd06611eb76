import type { ModerationMessages } from './moderation-en.js';

/** 禁言、解除禁言、封禁、解除封禁的文案（简体中文）。 */
export const moderationZhCN: ModerationMessages = {
  verb: { mute: '禁言', unmute: '解除禁言', block: '封禁', unblock: '解除封禁' },
  formTitle: { mute: '禁言账号', unmute: '解除禁言', block: '封禁账号', unblock: '解除封禁' },
  confirmTitle: '确认',
  workingTitle: '处理中……',
  doneTitle: '完成',
  problemsTitle: '完成，但有问题',
  failedTitle: '未完成',
  stoppedTitle: '中途停止',
  review: '检查',
  accountsLabel: '账号',
  accountsHint: (max) => `网易云信账号 ID，用空格、逗号或换行分隔；最多 ${max} 个。`,
  fileLabel: '或附上名单',
  fileHint: (kb) => `.txt（账号 ID 用空格、逗号或换行分隔）或 .csv（取第一列，跳过表头）；最多 ${kb} KB。`,
  scopeLabel: '范围',
  scopeHint: '“全部”即网易云信的全局禁言（单聊、群、聊天室）；也可以只选择部分场景。',
  scopeEverywhere: '全部',
  durationLabel: '时长',
  durationHint: '30m、2h、7d、1w……最长 365d，或 forever（永久）。到期后 im-admin 会自动解除。',
  reasonLabel: '原因',
  reasonHint: (max) => `说明原因，记入审计记录（最多 ${max} 个字符）。`,
  reasonOptionalLabel: '原因',
  needkickLabel: '设备',
  needkickOption: '让其所有设备下线',
  kickNotifyExtLabel: '发给其设备的消息',
  kickNotifyExtHint: (max) => `发送到被踢下线的设备；最多 ${max} 个字符。`,
  summary: {
    mute: (n, where, howLong, reason) => `*${where}禁言 ${n} 个账号，${howLong}* — 原因：${reason}`,
    unmute: (n, reason) =>
      `*解除 ${n} 个账号的禁言* ：解除其全部禁言（全局及各场景），并取消待执行的定时解除${reason ? ` — 原因：${reason}` : ''}`,
    block: (n, kick, reason) =>
      `*封禁 ${n} 个账号* ${kick ? '，并让其所有设备下线' : '（已登录的设备保持登录，直到其退出）'} — 原因：${reason}`,
    unblock: (n, reason) => `*解除 ${n} 个账号的封禁*${reason ? ` — 原因：${reason}` : ''}`,
  },
  whereEverywhere: '全部范围',
  whereIn: (places) => `在${places}`,
  forHowLongFromConfirm: (amount, unit) => `时长 ${amount} ${{ m: '分钟', h: '小时', d: '天', w: '周' }[unit]}（从你确认时起算）`,
  forHowLongFromApproval: (amount, unit) => `时长 ${amount} ${{ m: '分钟', h: '小时', d: '天', w: '周' }[unit]}（从获批时起算）`,
  forHowLong: (amount, unit, until) => `时长 ${amount} ${{ m: '分钟', h: '小时', d: '天', w: '周' }[unit]}，到 ${until}`,
  forever: '永久（直到有人解除）',
  deviceMessage: (text) => `发给其设备的消息：${text}`,
  accountList: (list) => `账号：${list}`,
  confirmNote: '按下按钮后才会调用网易云信；每个账号都会记入审计记录。',
  progress: (done, total) => `:hourglass_flowing_sand: 已完成 ${done}/${total}……`,
  reportTitle: {
    mute: (n) => `禁言：${n} 个账号`,
    unmute: (n) => `解除禁言：${n} 个账号`,
    block: (n) => `封禁：${n} 个账号`,
    unblock: (n) => `解除封禁：${n} 个账号`,
  },
  reportSummary: (done, already, notFound, failed, stopped = 0) =>
    [
      `${done} 个完成`,
      already ? `${already} 个本已如此` : '',
      notFound ? `${notFound} 个未找到` : '',
      failed ? `${failed} 个失败或结果未知` : '',
      stopped ? `已停止：${stopped} 个未发送` : '',
    ]
      .filter(Boolean)
      .join(' · '),
  liftsAt: (until) => `im-admin 将于 ${until} 自动解除。`,
  status: {
    done: ':white_check_mark: 完成',
    doneConfirmed: ':white_check_mark: 完成（已回读确认）',
    already: ':ballot_box_with_check: 本已如此，未发送请求',
    not_found: ':grey_question: 网易云信中不存在',
    failed: (code) => `:x: 失败（${code}）`,
    rateLimited: (seconds) => `:x: 未发送：网易云信限流，请 ${seconds} 秒后重试`,
    unknown: ':grey_question: 结果未知：网易云信没有明确答复，回读也失败了',
  },
  nowState: (state) => `当前：${state}`,
  stateUnread: '无法读取状态',
  notMuted: '未禁言',
  mutedIn: (places) => `已禁言：${places}`,
  blocked: '已封禁',
  notBlocked: '未封禁',
  tooManyToConfirm: '一次确认的内容太多（账号和原因放不下）。请减少账号或缩短原因。',
  readFailed: '无法先从网易云信读取这些账号，因此没有发送任何请求。',
  problems: {
    accidsNone: '请至少填写一个账号。',
    fileTooBig: (name, kb) => `${name} 超过 ${kb} KB（名单的上限）。请拆分，或附上更小的文件。`,
    fileTimeout: (name, seconds) => `${seconds} 秒内未能从 Slack 取得 ${name}。请重新提交。`,
    fileUnreadable: (name) => `无法从 Slack 读取 ${name}。请重新附上。`,
    fileBad: (name, accid) => `${name}：${accid} 不是有效的账号 ID（只能包含字母、数字和 _ @ . -，最多 32 个字符）。`,
    accidsTooMany: (max, n) => `一次最多 ${max} 个账号；当前为 ${n} 个。`,
    accidBad: (accid) => `不是有效的账号 ID：${accid}（只能包含字母、数字和 _ @ . -，最多 32 个字符）。`,
    reasonRequired: '请填写原因：原因会记入审计记录。',
    reasonTooLong: (max, n) => `最多 ${max} 个字符；当前为 ${n} 个。`,
    scope: '请选择“全部”，或至少一个场景。',
    duration: '请输入时长，如 30m、2h、7d 或 1w（1 分钟到 365 天），或 forever。',
    notADuration: (typed) =>
      `时长：${typed} 不是有效的时长。请输入 0–9 数字组成的整数加 m、h、d 或 w（如 30m、2h、7d、1w；1 分钟到 365 天），或 forever。`,
    accidIsDuration: (typed) => `${typed} 是时长，不是账号 ID：请填在时长一栏（30m、2h、7d、1w 或 forever；数字 0–9）。`,
    kickNotifyExtTooLong: (max, n) => `最多 ${max} 个字符（网易云信的限制）；当前为 ${n} 个。`,
    kickNotifyExtNeedsLogout: '网易云信只会把这条消息发给被下线的设备。请勾选“让所有设备下线”，或留空此消息。',
    reasonTooLongTyped: (max, n) => `原因：最多 ${max} 个字符；当前为 ${n} 个。请缩短（详细经过请写在工单里并附上链接）。`,
  },
  audit: {
    scope: '范围',
    liftsAt: '解除时间',
    never: '永不（永久）',
    devices: '设备',
    loggedOut: '所有设备已下线',
    staySignedIn: '保持登录',
    deviceMessage: '发给设备的消息',
    timedLift: (setter, sanctionId, lateSeconds) =>
      `im-admin 代 ${setter} 定时解除（处置 ${sanctionId}）${lateSeconds > 60 ? `，晚了 ${lateSeconds} 秒（到期时没有进程在运行）` : ''}。`,
  },
  noScheduleAhead: ':warning: 本部署尚无解除计划（其审计存储不保存计划），不会自动解除此禁言：结果中会写明应在何时手动解除。',
  noSchedule: (until) => `:warning: 本部署尚无解除计划（其审计存储不保存计划），不会自动解除此禁言：请在 ${until} 手动解除。`,
  info: {
    mutedHere: (actor, at) => `由 ${actor} 于 ${at} 通过 im-admin 禁言`,
    blockedHere: (actor, at) => `由 ${actor} 于 ${at} 通过 im-admin 封禁`,
    reason: (reason) => ` — 原因：${reason}`,
    lifts: (at) => ` · im-admin 将于 ${at} 自动解除`,
    noEnd: ' · 未设结束时间',
    mutedOutside: '已禁言：在 im-admin 之外设置（这里没有记录操作人和原因）',
    blockedOutside: '已封禁：在 im-admin 之外设置（这里没有记录操作人和原因）',
  },
  batch: {
    duplicatesFolded: (n: number) => `${n} 个重复的账号已合并。`,
    invalidSetAside: (n: number, shown: string) => `${n} 项不是账号 ID，已略过：${shown}`,
    confirmNote: '按网易云信的限速在后台执行，这里显示进度并可随时停止。每个账号都记入审计日志；审计频道只为整个操作发一条消息。',
    counts: (c: {
      settled: number;
      total: number;
      done: number;
      already: number;
      not_found: number;
      failed: number;
      unknown: number;
      stopped: number;
    }) =>
      [
        `${c.settled} / ${c.total}`,
        `${c.done} 个完成`,
        c.already ? `${c.already} 个本已如此` : '',
        c.not_found ? `${c.not_found} 个不存在` : '',
        c.failed ? `${c.failed} 个失败` : '',
        c.unknown ? `${c.unknown} 个结果未知` : '',
        c.stopped ? `${c.stopped} 个未发送（已停止）` : '',
      ]
        .filter(Boolean)
        .join(' — '),
    state: {
      draft: '未开始',
      running: ':hourglass_flowing_sand: 进行中',
      stopped: ':octagonal_sign: 已停止',
      finished: ':white_check_mark: 已完成',
      interrupted: ':warning: 已中断',
    },
    stop: '停止',
    continue: '继续',
    auditTitle: (action: string, n: number) =>
      `${({ mute: '禁言', unmute: '解除禁言', block: '封禁', unblock: '解封' } as Record<string, string>)[action] ?? action}：${n} 个账号`,
    batchId: (id: string) => `批次 ${id}`,
    approvedBy: (who: string) => `由 ${who} 批准`,
    approvedStarted: (who: string, n: number) => `你对 ${n} 个账号的操作已由 ${who} 批准，现在开始执行；审计频道的消息显示其进度。`,
    replyTitle: (from: number, to: number, total: number) => `账号 ${from}–${to}（共 ${total} 个）`,
    status: {
      done: ':white_check_mark: 完成',
      already: ':ballot_box_with_check: 本已如此',
      not_found: ':grey_question: 不存在',
      failed: ':x: 失败',
      unknown: ':grey_question: 结果未知',
      stopped: ':black_square_for_stop: 未发送',
    },
    interrupted: (n: number, counts: string) =>
      `:warning: 你对 ${n} 个账号的操作被中断：im-admin 中途停止（${counts}）。已完成的保持不变。按“继续”完成其余部分；在你按下之前不会再发送任何请求。`,
    pausedByShutdown: ':double_vertical_bar: 因 im-admin 关闭而暂停：已完成的保持不变。下次启动时会提示继续其余部分。',
    ended: (how, action, n, counts) =>
      `${{ finished: ':white_check_mark: 已完成', stopped: ':octagonal_sign: 已停止', failed: ':x: 中途失败' }[how]}：对 ${n} 个账号的${
        ({ mute: '禁言', unmute: '解除禁言', block: '封禁', unblock: '解封' } as Record<string, string>)[action] ?? action
      }（${counts}）。${how === 'failed' ? '其余部分稍后会提示继续。' : ''}`,
    auditMessageLink: (link: string) => `审计频道：${link}`,
    auditMessageLabel: '此操作的消息',
    stopped: '已停止：已完成的保持不变，不再发送。',
    notRunningHere: '此操作已不在这里运行（已完成，或由另一个 im-admin 进程运行）。',
    cannotContinue: '此操作无法继续：已完成，或已有人继续。',
    notYours: '只有发起人或管理员可以停止或继续。',
    linkedBatch: (link: string) => `属于一次批量操作：${link}`,
  },
  buttons: { mute: '禁言…', unmute: '解除禁言', block: '封禁…', unblock: '解除封禁' },
  usageTitle: (command) => `${command}：账号处置`,
  usageBody: {
    mute: '禁言账号：`/im-mute <账号 ID…> <时长> <原因…>`。时长为 `30m`、`2h`、`7d`、`1w`……或 `forever`；时长之前是账号 ID，之后的全部内容是原因。没有时长或原因时会打开预填的表单。默认最多 1,000 个账号（超过 50 个在后台执行，可停止）；发送前需确认一次，审计频道对整个操作只发一条消息。',
    unmute: '解除这些账号的全部禁言：`/im-unmute <账号 ID…>`。会先打开确认窗口。',
    block: '封禁账号：`/im-block <账号 ID…>` 打开表单（原因、让其所有设备下线、发给其设备的消息）。',
    unblock: '解除封禁：`/im-unblock <账号 ID…>`。会先打开确认窗口。',
  },
};
