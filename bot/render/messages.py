"""Every user-facing Chinese text, in one place (the message catalogue).

Handlers, the digest and the CLI's Chinese tables take their words from here, so wording is changed
once and reviewed once.
"""

from __future__ import annotations

from bot.core.vocab import (
    BindOutcome,
    BulletinPeriod,
    ChaseOutcome,
    ChaseTarget,
    DigestScope,
    ExtensionStatus,
    FileRequest,
    InviteProblem,
    Light,
    MessageKind,
    PartProblem,
    Refusal,
    ReportedStatus,
    ReportOutcome,
    ReturnOutcome,
    Role,
    Status,
    StoreFault,
    TargetOutcome,
)

STATUS_LABELS = {
    Status.PENDING: "未报告",
    Status.IN_PROGRESS: "进行中",
    Status.BLOCKED: "受阻",
    Status.DONE: "已完成",
}

ROLE_LABELS = {Role.LEAD: "牵头", Role.RESPONSIBLE: "责任", Role.SUPERVISE: "督查"}

# --- prompts sent by the scheduler (rendered by bot.render.prompts) -----------------------------------------

PROMPT_HEADERS = {
    MessageKind.REMINDER: "【到期提醒】",
    MessageKind.PROMPT: "【进展询问】",
    MessageKind.OVERDUE: "【逾期催办】",
    MessageKind.ESCALATION: "【督办通报】",
}
PROMPT_BODY = (
    "{header}\n"
    "文件：{document}\n"
    "任务：{task} {task_title}\n"
    "本单位：{unit}（{role}单位）\n"
    "完成时限：{deadline}（{days}）"
)
PROMPT_ASK = "请点击下方按钮或直接回复本消息报告进展。"
ESCALATION_BODY = (
    "【督办通报】\n"
    "文件：{document}\n"
    "任务：{task} {task_title}\n"
    "责任单位：{unit}\n"
    "完成时限：{deadline}，已逾期{overdue_days}天，已催办{reminders}次仍未办结。"
)
DAYS_LEFT = "剩余{n}天"
DUE_TODAY = "今天到期"
DAYS_OVERDUE = "已逾期{n}天"
NO_DEADLINE = "长期"
BUTTONS = {"done": "已完成", "progress": "进行中", "blocked": "受阻", "extend": "申请延期"}

# --- the 督办单: one message per unit per send moment (bot/render/sheet.py) ---------------------------------

SHEET_TITLE = "【督办单】{recipient}　{date}"
SHEET_COUNTS = "共{n}项：{parts}"
SHEET_COUNT_PART = "{label}{n}项"
SHEET_SECTIONS = {
    MessageKind.OVERDUE: "🔴 逾期",
    MessageKind.REMINDER: "🟡 即将到期",
    MessageKind.PROMPT: "📋 进展询问",
    MessageKind.ESCALATION: "📣 督办通报（逾期未办结）",
}
SHEET_SECTION_LABELS = {
    MessageKind.OVERDUE: "逾期",
    MessageKind.REMINDER: "即将到期",
    MessageKind.PROMPT: "进展询问",
    MessageKind.ESCALATION: "督办通报",
}
SHEET_DOCUMENT = "〔{short}〕{title}"
SHEET_LINE = "{n} {task} {title}（{deadline}，{days}）"
SHEET_ESCALATION_LINE = "{n} {task} {title}　{unit}：{days}，已催办{reminders}次"
SHEET_ITEM_MARK = "第{n}项"
SHEET_HOW_TO = (
    "报告方法：点下方编号按钮逐项报告；或直接回复本消息，一行一项，写本单编号（①②…或「第N项」）或任务号，"
    "如「① 已完成」「第2项 进展60%，12月底前完成」「{example} 受阻」。"
)
SHEET_BUTTON = "{n} {task}"
SHEET_PREVIOUS = "◀ 上一页"
SHEET_NEXT = "下一页 ▶"
SHEET_PAGE = "{page}/{pages}"
SHEET_RECIPIENT_COORDINATORS = "督办员"
MULTI_SAVED = "已记录「{unit}」{n}项进展："
MULTI_LINE = "{i}. {task}：{status}{percent}{expected}"
MULTI_PERCENT = " {percent}%"
MULTI_EXPECTED = "，预计{date}完成"
MULTI_NOT_SAVED = "未记录："
MULTI_PROBLEM = "· 「{named}」：{reason}"
MULTI_MORE_BUTTONS = "（按钮过多，只显示前{n}个；其余请逐项发送。）"
PART_PROBLEMS = {
    PartProblem.UNKNOWN: "本单位没有这项任务（请核对督办单编号或任务号）",
    PartProblem.AMBIGUOUS: "对应多项任务（{candidates}），未记录，请点击下方按钮选择",
    PartProblem.NOT_OWN: "这是其他单位的任务（督办通报），无需本单位报告",
    PartProblem.ITEM_OR_TASK: "既可能是督办单第{n}项，也可能是任务{n}（{candidates}），未记录，请点击下方按钮选择",
    PartProblem.CONFLICT: "同一任务写了{repeats}处、状态不一（{statuses}），未记录，请重新发送这一项",
    PartProblem.UNADDRESSED: "没有认出是本单位哪项任务，未记录（请写任务号，如督办单所列）",
}
PART_REPORT_PROBLEMS = {  # a part that named its task but whose text the store refuses (bot/chat/reports.py)
    ReportOutcome.EMPTY: "编号后没有写进展，未记录",
    ReportOutcome.TOO_LONG: "内容过长（{n}字），未记录，请精简后重新发送这一项",
}
MULTI_MERGED = "（{n}处合并为一条）"
PART_PICK_BUTTON = "「{named}」→ {task}"
MULTI_HINT = "如理解有误，请点击对应的「更正」。"
MULTI_CORRECT_BUTTON = "更正 {task}"

# --- conversations (handlers/, bot/chat/reports.py, bot/presenters/answers.py) ---------------------------------------
# Values put into these templates are HTML-escaped by the caller; the templates themselves are HTML.

PARSED_STATUS_LABELS = {
    ReportedStatus.DONE: "已完成",
    ReportedStatus.IN_PROGRESS: "进行中",
    ReportedStatus.BLOCKED: "受阻",
    ReportedStatus.NOT_STARTED: "尚未启动",
}
NOT_STATED = "未提及"
STATUS_KEPT = "未识别（保持「{status}」）"
ERROR_GENERIC = "抱歉，处理您的消息时出错，已记录。请稍后重试；如仍有问题，请联系督办员。"
NOT_BOUND = "本聊天尚未绑定单位。请打开督办员发给您的邀请链接（或发送 /start 邀请码）完成绑定。"
COORDINATORS_ONLY = "此命令仅限督办员使用。"
BUTTON_STALE = "按钮已失效，请发送 /mytasks 查看本单位当前任务。"
TOAST_SAVED = "已记录"
TOAST_DONE = "已处理"

# binding (/start CODE)
START_WELCOME = (
    "您好！这里是任务督办机器人。\n"
    "请打开督办员发给您的邀请链接完成绑定；绑定后，本单位的任务提醒会发到这里，"
    "您可以点击按钮或直接回复报告进展。"
)
START_COORDINATOR = (  # a coordinator needs no invite: the invites are theirs to make
    "您好！您是督办员，无需绑定。\n"
    "发送 /invite 单位名称 为各单位生成绑定邀请链接，/units 查看各单位绑定情况，/help 查看全部督办员命令。"
)
START_BOUND = "本聊天已绑定到「{unit}」。发送 /mytasks 查看待办任务，/help 查看使用说明。"
BIND_OK = (
    "绑定成功：本聊天已绑定到「{unit}」。\n"
    "今后本单位的任务提醒将发送到这里，点击按钮或直接回复即可报告进展。发送 /mytasks 查看本单位任务。"
)
BIND_REFUSED = {
    BindOutcome.UNKNOWN: "邀请码无效，请检查链接是否完整，或向督办员重新申请。",
    BindOutcome.USED: "该邀请码已被使用（每个邀请码只能使用一次），请向督办员重新申请。",
    BindOutcome.EXPIRED: "该邀请码已过期，请向督办员重新申请。",
    BindOutcome.ALREADY: "本聊天已绑定到「{unit}」，无需重复绑定。",
    BindOutcome.OTHER_UNIT: "本聊天已绑定到「{unit}」，一个聊天只能绑定一个单位。如需更换，请联系督办员。",
    BindOutcome.WRONG_KIND: (
        "该邀请码不能用于此类聊天：群组邀请请通过链接将机器人添加到本单位工作群，个人邀请请在与机器人的私聊中打开。"
    ),
}

# reports
REPORT_SAVED = (
    "已记录「{unit}」任务 {task} {task_title} 的进展：\n状态：{status}\n进度：{percent}\n预计完成：{expected}"
)
REPORT_NOT_UNDERSTOOD = "（未从原文识别出状态、进度或日期，原文已保存；可点击「更正」选择状态。）"
REPORT_EXTENSION_HINT = "原文提到延期：如需调整完成时限，请点击「申请延期」或发送 /extend。"
REPORT_CORRECT_HINT = "如理解有误，请点击「更正」。"
REPORT_DUPLICATE = "该进展已记录过，无需重复提交。"
REPORT_REFUSED = {
    Refusal.CLOSED: "任务 {task} 已办结，无需再报告。",
    Refusal.ARCHIVED: "任务 {task} 已调整或撤销，此按钮已失效。请发送 /mytasks 查看本单位当前任务。",
    Refusal.MISSING: "未找到该任务，按钮可能已失效。请发送 /mytasks 查看本单位当前任务。",
    Refusal.NOT_YOURS: "该任务不属于本单位，无法操作。",
    Refusal.SUPERVISING: "本单位是任务 {task} 的督查单位，无需报告进展；可发送 /status 任务号 查看各单位进展。",
    Refusal.UNBOUND: NOT_BOUND,
}
REPORT_EMPTY = "请写明进展内容，例如：/report 1.1 已完成60%，预计12月底完成"
REPORT_TOO_LONG = "进展内容过长（{n}字），请精简到{limit}字以内后重新发送，本次未记录。"
REPORT_PERCENT_OVER = "进度不能超过100%（识别到{percent}%），请更正后重新发送，本次未记录。"
REPORT_DATE_PAST = "预计完成时间 {date} 已经过去，请更正后重新发送，本次未记录。"
REPORT_NO_OPEN = "「{unit}」当前没有待报告的任务。"
REPORT_WHICH = "「{unit}」有{n}项待办任务，请选择这条进展对应的任务："
REPORT_VALUE_TOO_LARGE = "⚠️ 文中有数值过大，不像实际完成数，未计入指标（进展已记录）。"
REPORT_QUESTION = (
    "「{text}」读来是一个问题，未记录。"
    "如任务已完成，请回复「已完成」；如尚未完成，请写明进展，如「进展60%，12月底前完成」。"
)
REPORT_UNKNOWN_TASK = "本单位没有任务「{ref}」。本单位的任务号：{keys}"
REPORT_AMBIGUOUS_TASK = "任务号「{ref}」对应多项任务，请选择："
REPORT_RESEND = "未能找到原消息，请重新发送进展。"
CORRECT_PROMPT = "请更正任务 {task} {task_title} 的进展：点击按钮选择状态，或回复本消息发送更正后的内容。"
BUTTON_CORRECT = "更正"
BUTTON_EXTEND = "申请延期"
TASK_BUTTON = "{task} {title}"

# extensions (/extend, 申请延期)
EXTEND_USAGE = "申请延期请发送：/extend 任务号 新的完成日期 延期理由\n例如：/extend {task} {date} 资金尚未到位"
EXTEND_AMBIGUOUS = (
    "任务号「{ref}」对应本单位多项任务（{candidates}），请写明文件简称，例如：/extend {example} {date} 资金尚未到位"
)
EXTEND_UNKNOWN_TASK = "本单位没有任务「{ref}」。本单位未完成的任务：{keys}"
EXTEND_BAD_DATE = "未能识别新的完成日期「{text}」，请写成 2025-03-31 或 2025年3月31日。"
EXTEND_NOT_LATER = "新的完成日期应晚于现行完成时限（{deadline}）。"
EXTEND_PAST = "新的完成日期 {date} 已经过去，请重新填写。"
EXTEND_NO_REASON = "请写明延期理由。"
EXTEND_PENDING = "任务 {task} 已有待审批的延期申请（延期至 {date}），请等待督办员审批。"
EXTEND_SENT = "延期申请已提交督办员审批：任务 {task}，申请延期至 {date}。审批结果将通知本单位。"
EXTEND_NO_COORDINATORS = "延期申请已记录，但尚未配置督办员，请直接联系督办员。"
EXTEND_NOTICE = (
    "【延期申请】\n单位：{unit}\n任务：{task} {task_title}\n现行时限：{deadline}\n申请延期至：{date}\n理由：{reason}"
)
BUTTON_APPROVE = "同意延期"
BUTTON_REFUSE = "不同意"
EXTEND_APPROVED = "【延期审批】任务 {task} {task_title} 的延期申请已同意，完成时限调整为 {date}。"
EXTEND_REFUSED = "【延期审批】任务 {task} {task_title} 的延期申请未获同意，完成时限仍为 {deadline}。"
EXTEND_DECIDED = "已{verdict}：{unit} 任务 {task} 延期至 {date}。"
EXTEND_ALREADY = "该申请已处理（{verdict}）。"
VERDICTS = {ExtensionStatus.APPROVED: "同意", ExtensionStatus.REFUSED: "不同意"}

# leads (/status, 办结)
STATUS_USAGE = "用法：/status 任务号（牵头单位、督查单位查看各责任单位的进展）。本单位牵头或督查的任务：{keys}"
STATUS_NOT_LEAD = "本单位不是任务「{ref}」的牵头单位或督查单位，不能查看。"
STATUS_UNKNOWN = "没有找到任务「{ref}」。"
STATUS_HEADER = "<b>{task} {task_title}</b>\n文件：{document}\n完成时限：{deadline}"
STATUS_CLOSED = "（已于 {date} 办结）"
STATUS_SUPERVISORS = "督查单位：{units}"
STATUS_LINE = "· {unit}（{role}）：{status}{percent}{expected}，最近报告：{last}"
STATUS_PERCENT = "，{percent}%"
STATUS_EXPECTED = "，预计 {date} 完成"
BUTTON_CLOSE = "标记办结"
CLOSE_DONE = "任务 {task} {task_title} 已标记为办结。"
CLOSE_ALREADY = "任务 {task} 已于 {date} 办结。"
CLOSE_NOT_LEAD = "只有牵头单位可以将任务标记为办结。"

# /mytasks, /overdue, /units, /digest
MYTASKS_HEADER = "「{unit}」待办任务{n}项：{counts}"
MYTASKS_COUNT = "{label}{n}"
MYTASKS_URGENT = {"overdue": "逾期", "near": "{days}天内到期"}
MYTASKS_PAGE = "（第{page}/{pages}页）"
MYTASKS_DOCUMENT = "〔{short}〕"
MYTASKS_LINE = "· {key} {task_title}（{role}）　{deadline}，{days} · {status}{percent}"
MYTASKS_NONE = "「{unit}」当前没有待办任务。"
OVERDUE_HEADER = "逾期任务（{n}项）："
OVERDUE_BY_UNIT_HEADER = "逾期任务{n}项，涉及{units}个单位（点单位名查看明细）："
OVERDUE_UNIT_LINE = "· {unit}：{n}项，最长逾期{days}天"
OVERDUE_LINE = "· {unit}：{task} {task_title}，时限 {deadline}，已逾期{days}天，{status}"
OVERDUE_NONE = "目前没有逾期任务。"
UNITS_HEADER = "<b>各单位绑定与报告情况</b>（{n}个单位）"
UNITS_LINE = "· {unit}：{chats}个聊天{blocked}，待办{open}项，最近报告：{last}"
UNITS_BLOCKED = "（{n}个已屏蔽机器人）"
UNITS_UNBOUND = "<b>尚未绑定聊天的单位（{n}个）</b>"
UNITS_UNBOUND_LINE = "· {unit}"
NEVER = "无"
DIGEST_EMPTY = "没有可汇总的任务。"
DIGEST_FOR_UNIT = "「{unit}」任务汇总"
DIGEST_FOR_LEAD = "「{unit}」牵头任务汇总"
DIGEST_FOR_SUPERVISOR = "「{unit}」督查任务汇总"
DIGEST_FOR_OVERSEER = "「{unit}」牵头及督查任务汇总"

# coordinators (/broadcast, /promote)
BROADCAST_USAGE = "用法：/broadcast 通知内容"
BROADCAST_NO_RECIPIENTS = "目前没有已绑定的聊天，无法群发。"
BROADCAST_CONFIRM = "将向 {n} 个已绑定的聊天发送以下通知：\n\n{text}\n\n确认发送吗？"
BROADCAST_BODY = "【督办通知】\n{text}"
BROADCAST_QUEUED = "已加入发送队列：{n} 个聊天。"
BROADCAST_CANCELLED = "已取消，本通知不会发送。"
BROADCAST_ALREADY = "该通知已处理过，不会重复发送。"
BUTTON_SEND = "确认发送"
BUTTON_CANCEL = "取消"
PROMOTE_USAGE = "用法：/promote 用户ID（数字，对方可通过 @userinfobot 等查询）"
PROMOTE_OK = "已将用户 {user_id} 设为督办员。"
PROMOTE_ALREADY = "用户 {user_id} 已是督办员。"

# /help and the published command lists (setMyCommands)
HELP_UNBOUND = START_WELCOME
HELP_UNIT = (
    "<b>使用说明</b>（本聊天：{unit}）\n"
    "· 收到任务提醒后，点击「已完成 / 进行中 / 受阻 / 申请延期」，或直接回复提醒消息说明进展，"
    "例如「进展60%，预计12月底完成」。\n"
    "· /mytasks 本单位待办任务\n"
    "· /report 任务号 进展内容 —— 报告某项任务的进展\n"
    "· /extend 任务号 新日期 理由 —— 申请延期\n"
    "· /status 任务号 —— 牵头单位、督查单位查看各责任单位进展、退回报告；牵头单位标记办结（/reopen 任务号 恢复）\n"
    "· /target —— 牵头单位查看所牵头任务的指标；/target 文件简称 编号 数值 —— 记录指标数值\n"
    "· /overdue 逾期任务　/digest 进展汇总\n"
    "· /chart 进展图　/export 台账（Excel）—— 牵头单位、督查单位：所牵头、督查的任务"
)
COORDINATOR_ONLY_HELP = (
    "· /broadcast [目标] 通知内容 —— 群发通知（先确认）；不写目标发给所有已绑定的聊天，"
    "目标如 overdue、doc 简称，只发给这些单位\n"
    "· /remind 目标 —— 一键催办：overdue 逾期、silent 30 30天未报告、doc 简称、unit 单位、due 7 7天内到期\n"
    "· /promote 用户ID —— 添加督办员\n"
    "· /invite 单位名称 [group] [7d] —— 生成绑定邀请链接（私信发给您），转发给该单位联络员或工作群"
)
# A coordinator writing in a chat bound to a unit: HELP_UNIT, then only what HELP_UNIT does not list.
HELP_COORDINATOR_EXTRA = (
    "<b>督办员命令</b>（作为督办员，上面的查询、导出命令覆盖全部任务）\n"
    "· /units 各单位绑定与报告情况　/bulletin [月|周] 督办通报（Word）\n" + COORDINATOR_ONLY_HELP
)
HELP_COORDINATOR = (  # each command once (issue 22: /overdue, /digest, /status and /broadcast were listed twice)
    "<b>督办员命令</b>\n"
    "· /units 各单位绑定与报告情况\n"
    "· /overdue 全部逾期任务　/digest 全部任务汇总\n"
    "· /status 任务号 —— 查看任务进展、退回报告　/reopen 任务号 —— 恢复已办结任务\n"
    "· /export 全部任务台账（Excel）　/chart 全部任务进展图　/bulletin [月|周] 督办通报（Word）\n"
    "· /target —— 全部指标（按文件）；/target 文件简称 编号 数值 —— 记录指标数值（含不属于任何任务的指标）\n"
    + COORDINATOR_ONLY_HELP
)
COMMANDS_UNIT = {
    "mytasks": "本单位待办任务",
    "report": "报告进展：/report 任务号 内容",
    "status": "牵头、督查任务进展：/status 任务号",
    "overdue": "逾期任务",
    "digest": "进展汇总",
    "chart": "进展图（牵头、督查单位）",
    "export": "导出台账Excel（牵头、督查单位）",
    "extend": "申请延期：/extend 任务号 日期 理由",
    "reopen": "恢复已办结任务（牵头单位）：/reopen 任务号",
    "target": "指标进度（牵头单位）：/target 文件简称 编号 数值",
    "web": "督办看板登录链接（私聊）",
    "help": "使用说明",
}
COMMANDS_COORDINATOR = {
    **COMMANDS_UNIT,
    "units": "各单位绑定与报告情况",
    "invite": "绑定邀请：/invite 单位名称",
    "broadcast": "群发通知",
    "remind": "一键催办：/remind overdue",
    "bulletin": "督办通报Word：/bulletin 月|周",
    "promote": "添加督办员",
}

# --- notices to coordinators from the sender -----------------------------------------------------------

CHAT_BLOCKED = (
    "【送达失败】{unit}的聊天“{chat}”已屏蔽或移除机器人（{reason}），今后不再向该聊天发送，请联系该单位重新绑定。"
)

# --- the weekly digest (bot.reporting.digest) ---------------------------------------------------------------------

DIGEST_TITLE = "督办工作周报"
DIGEST_TITLES = {
    DigestScope.ALL: DIGEST_TITLE,
    DigestScope.LEAD: DIGEST_FOR_LEAD,
    DigestScope.OWN: DIGEST_FOR_UNIT,
    DigestScope.SUPERVISED: DIGEST_FOR_SUPERVISOR,
    DigestScope.OVERSEEN: DIGEST_FOR_OVERSEER,
}
DIGEST_HEADLINE = "任务{total}项：已完成{done}，进行中{progress}，受阻{blocked}，未报告{pending}；逾期{overdue}项。"
DIGEST_LIGHTS = "单位亮灯：🔴{red} 🟡{yellow} 🟢{green}"
LIGHTS = {Light.RED: "🔴红灯", Light.YELLOW: "🟡黄灯", Light.GREEN: "🟢绿灯"}
DIGEST_RED_UNITS = "🔴 红灯单位："
DIGEST_YELLOW_UNITS = "🟡 黄灯单位："
DIGEST_OVERDUE = "逾期任务"
DIGEST_ITEM = "· {unit}　{task} {title}"
DIGEST_DAYS_LATE = "　逾期{days}天"
DIGEST_UNIT_ITEMS = "· {unit}：{n}项{late}（{tasks}）"
DIGEST_WORST_LATE = "，最长逾期{days}天"
DIGEST_MORE_UNITS = "……另有{n}个单位"
DIGEST_BLOCKED = "受阻任务"
DIGEST_SILENT = "超过{days}天未报告的单位"
DIGEST_CHANGES = "上期以来的变化"
DIGEST_CHANGE = "· {unit}　{task} {title}：{old} → {new}"
DIGEST_LIGHT_CHANGE = "· {unit}：{old} → {new}"
DIGEST_TARGETS = "目标指标"
DIGEST_TARGET_ITEM = "· {text}：最新{latest}／目标{value}{measure}（{due}）"
DIGEST_NO_VALUE = "未报"
DIGEST_MORE = "……另有{n}项"

# --- the CLI's plan view --------------------------------------------------------------------------------

KIND_LABELS = {
    MessageKind.REMINDER: "到期提醒",
    MessageKind.PROMPT: "进展询问",
    MessageKind.OVERDUE: "逾期催办",
    MessageKind.ESCALATION: "督办通报",
    MessageKind.DIGEST: "周报",
    MessageKind.BROADCAST: "通知",
    MessageKind.NOTICE: "系统通知",
    MessageKind.ANSWER: "回复",
    MessageKind.SHEET: "督办单",
    MessageKind.CHART: "周报图表",
    MessageKind.DOCUMENT: "文件",
}
KIND_COORDINATORS = "督办员"

# --- the review sheet (任务分解表) of `taskbot extract --xlsx`, read back by `taskbot import`/`validate` ----------
# The labels are the sheet's format: the writer (bot/extract/review_writer.py) puts them in and the reader
# (bot/tasksfile/review_book.py) finds the cells by them, so a label changed here changes both.

REVIEW_TITLE = "《{title}》任务分解表"
REVIEW_LEGEND = "黄色：提取时推断的内容，请核对；红色：单位库中没有的单位，请核对名称（或在「单位表」中补充）。"
REVIEW_FIELDS = {  # the document's header above the table: tasks.yaml key → label in column A
    "id": "文件编号",
    "title": "文件标题",
    "short": "简称",
    "issuer": "发文单位",
    "number": "文号",
    "issued": "发文日期",
    "period": "实施期限",
    "addressees": "主送单位",
    "source": "来源文件",
    "archived": "到期归档",
}
REVIEW_COLUMNS = {  # the task table: tasks.yaml key (or a column only shown) → header
    "id": "序号",
    "section": "章节",
    "title": "任务",
    "body": "任务内容",
    "lead": "牵头单位",
    "responsible": "责任单位",
    "supervise": "督查单位",
    "deadline": "完成时限",
    "recurrence": "周期",
    "targets": "指标",
    "notes": "提取说明",
}
REVIEW_TARGET_COLUMNS = {
    "id": "指标编号",
    "text": "指标",
    "value": "目标值",
    "unit": "计量单位",
    "due": "完成时限",
    "task": "所属任务",
}
REVIEW_UNITS_SHEET = "单位表"
REVIEW_UNIT_COLUMNS = {"name": "单位", "aliases": "别名", "members": "成员", "note": "说明"}
REVIEW_UNIT_NEW = "新单位：单位库中没有"
REVIEW_YES = "是"
REVIEW_NO = "否"
REVIEW_ARCHIVED_HINT = "留空：实施期限结束满一年自动归档；是：归档；否：不归档"
REVIEW_PERIOD_TO = "至"
REVIEW_DEADLINE_NOTE = "完成时限：{note}"
REVIEW_PROSE_NOTE = "文件未标注单位：发文单位牵头、主送单位负责"

# --- the 台账 export (bot.reporting.ledger) -------------------------------------------------------------------------

LEDGER_TITLE = "督办任务台账"
LEDGER_SHEET = "台账"
LEDGER_SUMMARY_SHEET = "单位汇总"
LEDGER_AS_OF = "截至{date}"
LEDGER_HEADERS = (
    "序号",
    "文件",
    "任务",
    "牵头单位",
    "责任单位",
    "承办单位",
    "角色",
    "完成时限",
    "状态",
    "进度",
    "最新进展",
    "更新时间",
    "亮灯",
)
LEDGER_SUMMARY_HEADERS = ("单位", "牵头", "责任", "已完成", "进行中", "受阻", "未报告", "逾期", "亮灯")
LEDGER_LIGHTS = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}
LEDGER_CLOSED = "已办结"
PERSONA_LABELS = {"prompt": "按时", "late": "拖延", "blocked": "受阻", "silent": "沉默"}

# --- the 督办通报 (bot/reporting/bulletin.py) and the ranking in /units -----------------------------------

BULLETIN_MASTHEAD = "督办通报"
BULLETIN_NUMBER = "〔{year}〕第X期"  # the 期号 is filled in by hand before it is issued
BULLETIN_ISSUER = "××××督查室"  # the issuing office, likewise
BULLETIN_DATE = "{year}年{month}月{day}日"
BULLETIN_DAY = "{month}月{day}日"
BULLETIN_PERIOD_LABELS = {BulletinPeriod.WEEK: "{year}年第{week}周", BulletinPeriod.MONTH: "{year}年{month}月"}
BULLETIN_TITLE = "关于{period}督办工作落实情况的通报"
BULLETIN_ADDRESSEE = "各有关单位："
BULLETIN_OPENING = "现将{period}（{start}至{end}）督办工作落实情况通报如下。"
BULLETIN_HEADINGS = ("一、总体情况", "二、进展较好的单位", "三、进展滞后的单位", "四、下步工作")
BULLETIN_OVERALL = (
    "截至{date}，纳入督办的任务{tasks}项、单位分工{assignments}项。其中已完成{done}项，"
    "推进中{progress}项，受阻{blocked}项，未报告{pending}项；逾期未完成{overdue}项。"
)
BULLETIN_FIGURES = (
    "本期到期的单位分工{due}项，按期完成{on_time}项，按时完成率{on_time_rate}；向各单位发出督办提示"
    "{prompted}项，按时回复{answered}项，督办回复率{reply_rate}。"
)
BULLETIN_COMPARE = (
    "与上期（{start}至{end}）相比，已完成事项{done}，逾期未完成事项{overdue}，按时完成率{on_time}，督办回复率{reply}。"
)
BULLETIN_MORE = "增加{n}项"
BULLETIN_FEWER = "减少{n}项"
BULLETIN_UP = "上升{n}个百分点"
BULLETIN_DOWN = "下降{n}个百分点"
BULLETIN_SAME = "持平"
BULLETIN_NOT_COMPARABLE = "无可比数据"
BULLETIN_NO_RATE = "—"
BULLETIN_GOOD = "以下单位本期无逾期事项，按时完成率、督办回复率较高，予以通报表扬：{names}{more}。"
BULLETIN_GOOD_UNIT = "{unit}（{rates}）"
BULLETIN_ON_TIME = "按时完成率{rate}"
BULLETIN_REPLY = "督办回复率{rate}"
BULLETIN_RATE_SEP = "、"
BULLETIN_AND_MORE = "等{n}个单位"
BULLETIN_GOOD_NONE = "本期暂无无逾期事项且得分在{score}分以上的单位。"
BULLETIN_SLOW_INTRO = "以下单位存在逾期未完成或督办回复不及时等问题，请高度重视、抓紧整改："
BULLETIN_SLOW_UNIT = "{n}. {unit}：{what}。"
BULLETIN_SLOW_OVERDUE = "逾期未完成{count}项（{refs}），最长逾期{longest}天"
BULLETIN_SLOW_MORE_REFS = "等"
BULLETIN_PART_SEP = "；"
BULLETIN_SLOW_NONE = "本期暂无进展滞后的单位。"
BULLETIN_SLOW_MORE = "另有{n}个单位进展滞后，详见附件。"
BULLETIN_NEXT_STEPS = (
    "（一）抓紧整改落实。进展滞后的单位要对照逾期事项逐项分析原因，明确整改措施和完成时限，"
    "于5个工作日内向督办部门报送整改情况。",
    "（二）及时报送进展。各单位收到督办提示后要及时报送工作进展；确因客观原因无法按期完成的，"
    "应在到期前申请延期并说明理由。",
    "（三）加强跟踪督办。督办部门将持续跟踪各项任务落实情况，对长期滞后的事项加大督办力度，有关情况纳入年度绩效考核。",
)
BULLETIN_ANNEX_NOTE = "附件：各单位督办落实情况排名表"
BULLETIN_ANNEX = "附件"
BULLETIN_ANNEX_TITLE = "各单位督办落实情况排名表"
BULLETIN_TABLE_HEADERS = ("单位", "按时完成率", "督办回复率", "逾期项数", "逾期天数", "得分", "排名")
BULLETIN_TABLE_NOTE = (
    "注：满分100分。按时完成率每低1个百分点扣0.3分，督办回复率每低1个百分点扣0.2分，每逾期1项扣5分、"
    "每逾期1天扣0.2分（逾期扣分最多50分）；得分相同的排名相同，按逾期项数、逾期天数先后列出。督办提示按其7日回复期"
    "届满所在的期间统计，发出后7日内报送进展的视为按时回复。本期无到期事项、无督办提示且无逾期事项的单位不参与排名。"
)
BULLETIN_NO_UNITS = "本期无参与排名的单位。"
BULLETIN_FILENAME = "督办通报-{label}.docx"
UNITS_RANK_HEADER = "<b>本月排名</b>（{start}至{end}，{n}个单位参与）"
UNITS_RANK_TOP = "前{n}名："
UNITS_RANK_BOTTOM = "后{n}名："
UNITS_RANK_LINE = "{rank}. {unit}：{score}分（按时{on_time}，回复{reply}，逾期{overdue}项）"
UNITS_RANK_NONE = "<b>本月排名</b>：本月暂无到期事项、督办提示或逾期事项。"

# --- CLI tables ----------------------------------------------------------------------------------------

CLI_DOCUMENTS_TITLE = "文件 documents"
CLI_DOCUMENT_COLUMNS = ("文件", "标题", "任务数")
CLI_UNITS_TITLE = "各单位任务 tasks per unit"
CLI_UNIT_COLUMNS = ("单位", "牵头", "责任", "督查")
CLI_PLAN_COLUMNS = ("时间", "督办单", "发送给", "任务")
CLI_PLAN_SHEET = "{n}项：{what}"
TASK_LINE_PREFIX = "任务："  # the line of a prompt that names the task (PROMPT_BODY)

# --- guessing invite codes (bot.chat.binding.guess_wait) -----------------------------------------------------

BIND_THROTTLED = "邀请码错误次数过多，请{minutes}分钟后再试；如链接无法使用，请向督办员重新申请。"

# --- the store refusing writes (handlers.errors, handlers.common.retry_busy) -------------------------------

STORE_BUSY = (
    "系统正忙（数据库被占用），您刚才的内容<b>未能保存</b>。请一分钟后重新发送或再点一次按钮；"
    "收到「已记录」回复才表示保存成功。"
)
STORE_DOWN = (
    "系统暂时无法保存数据，您刚才的内容<b>未能保存</b>，已通知督办员处理。请稍后重新发送；"
    "收到「已记录」回复才表示保存成功。"
)
STORE_AWAY = (
    "已收到您的消息。数据库暂时连接不上，恢复后系统会自动处理并另行回复，<b>无需重新发送</b>；"
    "收到「已记录」回复才表示保存成功。"
)
STORE_FAULTS = {
    StoreFault.BUSY: "数据库被占用",
    StoreFault.FULL: "磁盘空间已满（或数据库达到容量上限）",
    StoreFault.READ_ONLY: "数据库为只读状态（文件、磁盘或只读备库）",
}
STORE_ALERT = (
    "⚠️ <b>督办机器人无法写入数据库</b>：{fault}。\n"
    "此期间的进展报告、提醒和通知均无法保存或发出；已收到「已记录」回复的报告不受影响。\n"
    "请尽快处理（清理磁盘、检查文件与目录权限或数据库主备状态），恢复后无需重启，机器人自动继续。\n"
    "详情：{detail}"
)

# --- binding at scale: /invite in chat, taskbot invite --all --xlsx, /units (issue 12 item 5) ----------------

INVITE_KINDS = {False: "个人", True: "群组"}
INVITE_PRIVATE = (
    "<b>「{unit}」的绑定邀请</b>（{kind}，一次有效，{until}前有效）\n链接：{link}\n邀请码：<code>{code}</code>\n{how}"
)
INVITE_HOW = {
    False: "请把链接发给该单位联络员：在与机器人的私聊中打开链接（或发送 /start 邀请码）即完成绑定。",
    True: "请把链接发给该单位工作群的管理员：打开链接并选择本单位工作群，机器人入群即完成绑定"
    "（或在群内发送 /start 邀请码）。",
}
INVITE_NO_LINK = "（未取得机器人用户名，请使用邀请码）"
INVITE_SENT_PRIVATELY = "已将「{unit}」的邀请链接私信发给您。"
# a coordinator's file or /units asked for in a group goes to their private chat; the group is told
FILE_SENT_PRIVATELY = "{what}\n（涉及全部单位，已私信发给您，不在本群发送。若未收到，请先私聊机器人发送 /start。）"
UNITS_SENT_PRIVATELY = "各单位绑定与报告情况涉及全部单位，已私信发给您，不在本群发送。"
PRIVATE_NOT_DELIVERED = "无法私信发给您：请先私聊机器人发送 /start，再重新发送该命令。"
INVITE_NOT_DELIVERED = (
    "无法私信发送邀请链接：请先打开与机器人的私聊并发送 /start，然后重新发送 /invite。本次生成的邀请码已作废。"
)
INVITE_REFUSED = {
    InviteProblem.USAGE: (
        "用法：/invite 单位名称 [group] [有效期]\n"
        "例如：/invite 市财政局（个人邀请，7天有效）\n"
        "　　　/invite 市财政局 group 14d（工作群邀请，14天有效）\n"
        "有效期写数字加 m、h、d、w（分钟、小时、天、周）或 分钟、小时、天、周，最长365天。"
    ),
    InviteProblem.BAD_EXPIRY: (
        "有效期「{text}」无法识别：请写数字加 m、h、d 或 w（分钟、小时、天、周），例如 7d 或 12h，最长365天。"
    ),
    InviteProblem.UNKNOWN_UNIT: "没有名为「{text}」的单位。{hint}",
    InviteProblem.GROUP_UNIT: "「{text}」是由多个成员单位组成的单位组，请分别邀请各成员单位。",
    InviteProblem.AMBIGUOUS_UNIT: "「{text}」可能指以下{n}个单位，请选择要邀请的单位：",
}
CHASE_AMBIGUOUS_UNIT = "「{name}」可能指多个单位：{names}。请写单位全称。"
INVITE_CLOSEST = "您是否要找「{unit}」？"
INVITE_NO_CLOSEST = "发送 /units 查看全部单位。"
INVITE_SHEET = "绑定邀请"
INVITE_SHEET_TITLE = "单位绑定邀请（{date}生成，共{n}个单位）"
INVITE_SHEET_HEADERS = ("单位", "邀请链接", "邀请码", "有效期至", "类型")
UNITS_COUNTS = "未绑定{unbound}个 · 有聊天屏蔽机器人{blocked}个 · 已绑定{bound}个"
UNITS_INVITE_HINT = "发送 /invite 单位名称 生成邀请链接。"
UNITS_BLOCKED_HEADER = "<b>有聊天屏蔽了机器人的单位（{n}个）</b>"
UNITS_BOUND_HEADER = "<b>已绑定的单位（{n}个）</b>"

# --- reliability, second round (issue 14): the calendar horizon (scheduler/horizon.py) --------------------

CALENDAR_HORIZON = (
    "⚠️ <b>{year}年节假日安排尚未录入督办机器人</b>\n"
    "机器人目前不知道{year}年的法定节假日和调休上班日，{year}年将按周一至周五发送提醒"
    "（节假日也会提醒，调休上班的周末则不提醒）。\n"
    "国务院办公厅发布《关于{year}年部分节假日安排的通知》后，请把放假日期和调休上班日期加入 tasks.yaml 的 "
    "<code>calendar:</code> 一节，再运行 <code>taskbot import</code>（或升级 chinesecalendar 软件包）。格式示例：\n"
    "<pre>calendar:\n"
    "  holidays: [{year}-01-01, {year}-02-06..{year}-02-14, {year}-10-01..{year}-10-07]\n"
    "  workdays: [{year}-02-15, {year}-10-10]</pre>\n"
    "（示例日期仅示意格式，请以国务院通知为准。）录入后本提示不再发送；此前每周提醒一次。"
)

# --- issue 16: hostile and careless input ------------------------------------------------------------------

BROADCAST_TOO_LONG = "通知过长（{n}字），加上标题须在{limit}字以内，请精简后重新发送，本次未发送。"
REPORT_PERCENT_NEGATIVE = "进度不能为负数（识别到「{text}」），请更正后重新发送，本次未记录。"
REPORT_DATE_INVALID = "日期「{text}」不存在，请更正后重新发送，本次未记录。"
REPORT_DATE_FAR = (
    "预计完成时间「{text}」在{years}年以后，晚于任务的完成时限，请核对年份后重新发送，本次未记录。"
    "如确需延期，请发送 /extend。"
)
EXTEND_DATE_INVALID = "日期「{text}」不存在，请写成 2025-03-31 或 2025年3月31日。"
EXTEND_DATE_FAR = "新的完成日期「{text}」在{years}年以后，请核对年份后重新发送。"

# 办结: asked first, told to everyone, and /reopen
BUTTON_CLOSE_CONFIRM = "确认办结"
CLOSE_CONFIRM = (
    "确认将任务 {task} {task_title} 标记为办结吗？\n"
    "办结后各单位不再收到该任务的提醒，也不能再报告进展；如有需要，可发送 /reopen {task_key} 恢复。"
)
CLOSE_CONFIRM_UNFINISHED = "尚未完成的单位（{n}个）：{units}"
CLOSE_CANCELLED = "已取消，任务未标记办结。"
CLOSE_NOTICE = (
    "【任务办结】{unit}已将任务 {task} {task_title} 标记为办结，今后不再提醒，也无需再报告进展。"
    "如有异议，请联系牵头单位或督办员。"
)
REOPEN_USAGE = "用法：/reopen 任务号（牵头单位或督办员恢复已办结的任务）"
REOPEN_DONE = "任务 {task} {task_title} 已恢复为未办结，各单位将继续收到提醒并报告进展。"
REOPEN_NOT_CLOSED = "任务 {task} 未办结，无需恢复。"
REOPEN_NOT_ALLOWED = "只有该任务的牵头单位或督办员可以恢复已办结的任务。"
REOPEN_AMBIGUOUS = "任务号「{ref}」对应多项任务，请写成 文件编号/任务号，例如 {example}。"
REOPEN_BY_COORDINATOR = "督办员"
REOPEN_NOTICE = "【任务恢复】任务 {task} {task_title} 已由{who}恢复为未办结，请继续按要求报告进展。"

# 退办: a lead of the task or a coordinator sends a report back (bot/chat/returns.py, bot/chat/lead_notices.py)
BUTTON_RETURN = "退回"
BUTTON_RETURN_UNIT = "退回 {unit}"
BUTTON_RETURN_NUMBER = "退回 {i}"
LEAD_REPORTS_HEADER = "【报告审核】您牵头的任务自上一工作日以来有{n}条报告称已完成或受阻："
LEAD_REPORTS_LINE = "{i}. {unit} · {task}：{status}。「{text}」"
LEAD_REPORTS_MORE = "……另有{n}条，请发送 /status 任务号 查看。"
LEAD_REPORTS_HINT = "如报告不实或依据不足，请点击对应编号的「退回」并说明理由，该单位将被要求重新报告。"
STATUS_REPORT = "　最新报告（{date}）：「{text}」"
RETURN_ASK = (
    "退回「{unit}」关于任务 {task} 的报告（{date}）：\n「{text}」\n"
    "请<b>回复本消息</b>写明退回理由，该单位将收到理由并被要求重新报告；不退回请点「取消」。"
)
RETURN_DONE = (
    "已退回「{unit}」关于任务 {task} 的报告，理由已通知该单位。该单位的状态恢复为「{status}」，下一次督办单将再次询问。"
)
RETURN_NOTICE = (
    "【报告退回】{who}退回了本单位关于任务 {task} {task_title} 的报告（{date}）：\n「{text}」\n"
    "退回理由：{reason}\n"
    "请按要求重新报告：点击下方按钮，或回复本消息说明进展。"
)
RETURN_BY_COORDINATOR = "督办员"
RETURN_HOW = "如需退回报告，请点击对应的「退回」按钮，再按提示回复退回理由。本条回复未作为进展记录。"
RETURN_REFUSED = {
    ReturnOutcome.CANCELLED: "已取消，报告未退回。",
    ReturnOutcome.ALREADY: "该报告已于 {date} 退回，无需重复退回。",
    ReturnOutcome.SUPERSEDED: "「{unit}」此后已重新报告任务 {task}，请发送 /status {key} 查看并处理最新的报告。",
    ReturnOutcome.CLOSED: "任务 {task} 已办结，不能退回报告；如确需退回，请先发送 /reopen {key} 恢复任务。",
    ReturnOutcome.NOT_ALLOWED: "只有该任务的牵头单位或督办员可以退回报告。",
    ReturnOutcome.OWN: "这是本单位自己的报告，无需退回，直接重新报告即可：/report {key} 新的进展。",
    ReturnOutcome.UNBOUND: NOT_BOUND,
    ReturnOutcome.MISSING: "未找到该报告，按钮可能已失效。请发送 /status 任务号 查看。",
    ReturnOutcome.NO_REASON: "请写明退回理由：回复上面那条「退回」消息，写明理由。",
    ReturnOutcome.TOO_LONG: "退回理由过长（{n}字），请精简到{limit}字以内后重新回复。",
}

# --- coordinators' 催办 on demand and targeted broadcasts (issue 17: /remind, /broadcast <target>) -------

CHASE_TARGET_WORDS = {  # the Chinese words for the targets (overdue, silent N, doc X, unit X, due N)
    "逾期": ChaseTarget.OVERDUE,
    "未报告": ChaseTarget.SILENT,
    "沉默": ChaseTarget.SILENT,
    "文件": ChaseTarget.DOC,
    "单位": ChaseTarget.UNIT,
    "到期": ChaseTarget.DUE,
    "临期": ChaseTarget.DUE,
}
CHASE_TARGETS_HELP = (
    "目标可以是：\n"
    "· overdue（逾期）—— 有逾期任务的单位\n"
    "· silent 30（未报告 30）—— 30天未报告进展的单位\n"
    "· doc 简称（文件 简称）—— 某文件有未完成任务的全部单位\n"
    "· unit 单位名称（单位 名称）—— 一个单位\n"
    "· due 7（到期 7）—— 7天内有任务到期的单位"
)
CHASE_USAGE = "用法：/remind 目标\n" + CHASE_TARGETS_HELP
CHASE_TARGET_USAGE = {
    ChaseTarget.OVERDUE: "用法：/remind overdue",
    ChaseTarget.SILENT: "请写天数，例如：silent 30（30天未报告进展的单位）。",
    ChaseTarget.DOC: "请写文件简称，例如：doc 成果转化。",
    ChaseTarget.UNIT: "请写单位名称，例如：unit 市财政局。",
    ChaseTarget.DUE: "请写天数，例如：due 7（7天内有任务到期的单位）。",
}
CHASE_TARGET_LABELS = {
    ChaseTarget.OVERDUE: "有逾期任务的单位",
    ChaseTarget.SILENT: "{days}天未报告进展的单位",
    ChaseTarget.DOC: "《{name}》有未完成任务的单位",
    ChaseTarget.UNIT: "{name}",
    ChaseTarget.DUE: "{days}天内有任务到期的单位",
}
CHASE_UNKNOWN_DOCUMENT = "没有简称或编号为「{name}」的文件。现有文件：{known}"
CHASE_UNKNOWN_UNIT = "没有名为「{name}」的单位。{hint}"
CHASE_NOBODY = "目标「{target}」目前不涉及任何有未完成任务且已绑定聊天的单位，未发送任何消息。"
CHASE_PREVIEW = "将向{target}催办：{units}个单位，{chats}个聊天。\n{names}"
CHASE_NAME_LINE = "· {unit}（{n}项）"
CHASE_MORE = "…… 等{n}个单位"
CHASE_UNBOUND = "另有{n}个单位未绑定聊天，收不到催办：{names}"
CHASE_NAMES_CUT = "{names}等"  # a list of names cut short
CHASE_WARN_TODAY = "⚠️ 今天已催办过：{names}。"
CHASE_CONFIRM = "每个聊天将收到一份【督办员催办】督办单，只列出上述任务。确认发送吗？"
CHASE_HEADER = "【督办员催办】"
CHASE_NOTE = "督办员留言：{text}"
CHASE_QUEUED = "已催办：{units}个单位，{chats}个聊天。"
CHASE_CANCELLED = "已取消，本次催办不会发送。"
CHASE_ALREADY = "该催办已处理过，不会重复发送。"
CHASE_CHASED_TODAY = "⚠️ {names}今天已被催办过。仍要再次催办吗？"
CHASE_NOBODY_NOW = "这些单位的任务已办结或聊天已解除绑定，未发送任何消息。"
BUTTON_CHASE_AGAIN = "仍然催办"
BUTTON_CHASE_SKIP = "取消（只跳过这些单位）"  # at CHASE_CHASED_TODAY: the others still get theirs
CHASE_SKIPPED_ALL = "已取消：目标单位今天都已被催办过，本次未发送。"
CLI_CHASE_UNBOUND = "未绑定"  # `taskbot remind --dry-run`: a late unit that no chat reaches
CLI_CHASE_TODAY = "今天已催办"  # `taskbot remind --dry-run`: a unit chased today already
BROADCAST_NOBODY_NOW = "目标单位已不再符合条件（如已办结），本通知未发送。"
CHASE_WEEK = "本周催办{n}次"
DIGEST_CHASED = "本周催办"
DIGEST_CHASED_UNHEARD = "⚠️ 催办{n}次以上仍未报告："
BROADCAST_TARGET_USAGE = (
    "用法：/broadcast [目标] 通知内容，例如 /broadcast overdue 请于周五前报送。\n" + CHASE_TARGETS_HELP
)
BROADCAST_TARGET_CONFIRM = (
    "将向{target}（{units}个单位，{chats}个聊天）发送以下通知：\n{names}\n\n{text}\n\n确认发送吗？"
)

# --- leads and coordinators (issue 15): targets, the digest's wording, the chart ----------------------------

REPORT_TARGET_LINE = "📈 指标「{text}」记为{value}{measure}（目标{goal}{measure}）"
MULTI_TARGET = "；指标{value}/{goal}{measure}"
# a value stated by a unit that does not lead the task: its own contribution, never the target's figure
REPORT_TARGET_CONTRIBUTION = (
    "📈 指标「{text}」：记录本单位完成{value}{measure}（目标{goal}{measure}的总数以牵头单位或督办员填报为准）"
)
MULTI_TARGET_CONTRIBUTION = "；本单位完成{value}{measure}（指标总数以牵头单位填报为准）"
DIGEST_TARGET_OTHERS = "（各单位填报：{units}）"
DIGEST_TARGET_OTHER = "{unit}{value}{measure}"
DIGEST_TARGET_OTHERS_MORE = "等{n}个单位"
DIGEST_HEADLINE_UNITS = (
    "任务{tasks}项（{assignments}个单位分工）。分工进展：已完成{done}，进行中{progress}，"
    "受阻{blocked}，未报告{pending}；逾期{overdue}个。"
)
DIGEST_TARGET_PACE = "· {ref}{text}：{latest}/{goal}{measure}{pace}"
DIGEST_TARGET_EXPECTED = "，应达{expected}{measure}"
DIGEST_TARGET_BEHIND = " ⚠️"
DIGEST_TARGET_DUE = "（{due}）"
DIGEST_RED_REASON = "· {unit}：{reason}"
DIGEST_REASON_OVERDUE = "逾期{n}项"
DIGEST_REASON_LONGEST = "最长{days}天"
DIGEST_REASON_BLOCKED = "受阻{n}项"
DIGEST_REASON_SEP = "，"
DIGEST_AND_MORE_UNITS = "等{n}个单位"
CHART_TITLE = "督办进展图（{date}）"
CHART_LIGHTS_TITLE = "各单位红黄绿灯（按文件）"
CHART_TREND_TITLE = "近几周任务进展（单位分工数）"
CHART_LIGHT_LABELS = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}
CHART_NO_TREND = "暂无往期周报"
CHART_UNITS_AXIS = "单位数"
CHART_CAPTION = "督办工作周报图表（{date}）"
CHART_FILE = "督办进展图_{date}.png"
CHART_LIGHTS_TITLE_WORST = "各单位红黄绿灯（红灯最多的{n}个文件，另有{more}个未列出）"
CHART_CAPTION_LEAD = "「{unit}」牵头任务进展图（{date}）"
CHART_QUEUED = "📊 进展图已生成，即将发送。"
BUTTON_CHART = "📊 查看进展图"
CHART_REFUSED = {
    FileRequest.EMPTY: "没有可绘制的任务。",
    FileRequest.NOT_LEAD: (
        "进展图供牵头单位、督查单位和督办员使用：本单位没有牵头或督查的任务。本单位任务请用 /mytasks 或 /digest 查看。"
    ),
    FileRequest.UNBOUND: NOT_BOUND,
}
BULLETIN_CAPTION = "督办通报（{period}，截至{date}）：期号和发文单位请在印发前填写。"
BULLETIN_PERIOD_NAMES = {BulletinPeriod.WEEK: "本周", BulletinPeriod.MONTH: "本月"}
BULLETIN_QUEUED = "📄 督办通报已生成，即将发送。"
BULLETIN_USAGE = "用法：/bulletin [月|周] —— 本月（默认）或本周的督办通报（Word），含各单位排名。"
BULLETIN_REFUSED = {FileRequest.NOT_COORDINATOR: "督办通报仅供督办员使用。"}
EXPORT_FILE = "督办任务台账_{date}.xlsx"
EXPORT_FILE_LEAD = "督办任务台账_{unit}_{date}.xlsx"
EXPORT_CAPTION = "督办任务台账（截至{date}，{rows}行）"
EXPORT_CAPTION_LEAD = "「{unit}」牵头任务台账（截至{date}，{rows}行）"
EXPORT_QUEUED = "📎 台账已生成（{rows}行），即将发送。"
EXPORT_REFUSED = {
    FileRequest.EMPTY: "没有可导出的任务。",
    FileRequest.NOT_LEAD: (
        "台账导出供牵头单位、督查单位和督办员使用：本单位没有牵头或督查的任务。本单位任务请用 /mytasks 查看。"
    ),
    FileRequest.UNBOUND: NOT_BOUND,
}

# --- target values: 更正 under an answer, and /target (issue 15) ---------------------------------------------

BUTTON_TARGET_CORRECT = "更正指标：{value}{measure}"
BUTTON_TARGET_VOID = "不是这个指标"
TARGET_VALUE_QUESTION = (
    "指标「{text}」（{ref}）记为{value}{measure}（目标{goal}{measure}）。\n"
    "请<b>回复本消息</b>写出正确的数值，如「15{measure}」；"
    "若这不是该指标的数值，请点「不是这个指标」。"
)
TARGET_VALUE_CORRECTED = (
    "✅ 已更正：指标「{text}」（{ref}）由{old}{measure}改为{value}{measure}（目标{goal}{measure}），原数值留痕备查。"
)
TARGET_VALUE_VOIDED = "✅ 已撤销：指标「{text}」（{ref}）的数值{old}{measure}不再计入，留痕备查。"
TARGET_RECORDED = "📈 已记录指标「{text}」（{ref}）：{value}{measure}（目标{goal}{measure}）{pace}"
TARGET_PACE = "，按进度应达{expected}{measure}"
TARGET_BEHIND = "，落后于进度 ⚠️"
TARGET_REFUSED = {
    TargetOutcome.UNBOUND: NOT_BOUND,
    TargetOutcome.NOT_ALLOWED: "只有报送该数值的单位或督办员可以更正这个数值。",
    TargetOutcome.MISSING: "这个数值已不存在，请发送 /target 查看指标。",
    TargetOutcome.ALREADY: "这个数值已更正或撤销过，无需再次处理。",
    TargetOutcome.NO_NUMBER: "没有读到数值。请写一个数值，如「15{measure}」。",
    TargetOutcome.WRONG_MEASURE: "「{written}」是{kind}，指标「{text}」以{measure}计，未记录。",
    TargetOutcome.NEGATIVE: (
        "「{written}」是负数，未记录：指标值是累计达到的数，不会小于0。如要改正已记录的数值，请写新的累计数，或点原数值下的「更正」。"
    ),
    TargetOutcome.TOO_LARGE: "「{written}」数值过大，不像是实际完成数，未记录。请核对后重新发送。",
    TargetOutcome.UNKNOWN_DOCUMENT: "没有找到文件「{name}」。有指标的文件：{known}",
    TargetOutcome.UNKNOWN_TARGET: "《{document}》没有指标「{which}」。其指标编号：{numbers}（见 /target）",
    TargetOutcome.AMBIGUOUS: "「{which}」对应《{document}》的多个指标（编号{numbers}），请写编号。",
}
TARGET_NOT_LEAD = "本单位不是任务「{ref}」的牵头单位，不能记录其指标。"
TARGET_NOT_ISSUER = "指标「{text}」属于整个《{document}》，只有发文单位或督办员可以记录。"
TARGET_USAGE = (
    "用法：/target 文件简称 编号 数值，例如 /target {example}\n"
    "编号是 /target 列表中的 [ ]；也可写指标代号或任务编号（该任务只有一个指标时）。"
    "数值带单位时按指标的单位换算（如 3200万元 → 0.32亿元），不带单位按指标的单位计。"
)
TARGET_MEASURE_KINDS = {"money": "金额", "count": "数量", "percent": "比例", "": "数值"}
TARGET_LIST_TITLE_ALL = "全部指标"
TARGET_LIST_TITLE_UNIT = "{unit}负责的指标"
TARGET_LIST_HEADER = "<b>{title}</b>（{date}）：{n}项{behind}"
TARGET_LIST_BEHIND = "，落后于进度{n}项 ⚠️"
TARGET_LIST_DOCUMENT = "\n<b>《{document}》</b>"
TARGET_LIST_LINE = "[{number}] {line}"
TARGET_LIST_HINT = "记录数值：/target 文件简称 编号 数值（如 /target {example}）"
TARGET_LIST_EMPTY = "{who}没有需要跟踪的指标（指标属于本单位牵头的任务，或本单位印发的文件）。"
TARGET_LIST_EMPTY_ALL = "目前没有指标。"

# --- the web 督办看板 (bot/web): every word its pages show ---------------------------------------------

WEB_LINK = (
    "🔑 <b>督办看板登录链接</b>\n{url}\n\n链接{minutes}分钟内有效，只能使用一次；登录后{hours}小时内无需再次登录。"
    "请勿转发给他人。"
)
WEB_LINK_REFUSED = "看板仅对督办员和已绑定单位的联络员开放。请先用邀请码绑定本单位。"
WEB_LINK_PRIVATE = "为安全起见，登录链接只在与机器人的私聊中发送。请私聊机器人发送 /web。"
WEB = {
    "title": "督办看板",
    "overview": "总览",
    "documents": "文件",
    "units": "单位",
    "targets": "指标",
    "audit": "审计",
    "downloads": "下载",
    "logout": "退出",
    "login": "登录",
    "login_title": "登录督办看板",
    "login_ask": "点击下方按钮登录。此链接只能使用一次。",
    "login_refused": "登录链接无效、已使用或已过期。请在机器人私聊中发送 /web 重新获取。",
    "logged_out": "已退出。需要时请在机器人私聊中发送 /web 获取新的登录链接。",
    "need_login": "请先登录：在机器人私聊中发送 /web 获取登录链接。",
    "forbidden": "无权查看或操作此内容。",
    "not_found": "未找到。",
    "bad_form": "表单已失效，请返回后刷新页面重试。",
    "coordinator": "督办员",
    "counts": "按状态统计",
    "tasks": "任务",
    "assignments": "单位分工",
    "unit_lights": "各单位亮灯",
    "document_lights": "各文件亮灯（单位数）",
    "more_units": "其余{n}个单位",
    "more_documents": "其余{n}个文件",
    "overdue": "逾期",
    "overdue_days": "逾期{days}天",
    "trend": "每周趋势",
    "trend_alt": "红黄绿灯与每周趋势图",
    "ranking": "本月排名",
    "rank": "名次",
    "score": "得分",
    "on_time_rate": "按时办结率",
    "reply_rate": "回复率",
    "overdue_count": "逾期项",
    "pace": "指标进度",
    "target": "指标",
    "value": "当前值",
    "goal": "目标值",
    "expected": "应达",
    "behind": "落后进度",
    "pace_more": "共{total}项指标，这里列出落后最多的{shown}项。",
    "all_targets": "全部指标",
    "ranking_ends": "共{total}个单位，这里列出前{n}名和后{n}名；完整排名见督办通报。",
    "overdue_more": "这里列出逾期最久的{shown}项。",
    "reported_by": "报送单位",
    "reported_at": "报送时间",
    "coordinator_value": "督办员录入",
    "none": "无",
    "document": "文件",
    "task": "任务",
    "unit": "单位",
    "role": "角色",
    "status": "状态",
    "light": "亮灯",
    "deadline": "完成时限",
    "no_deadline": "无时限",
    "latest_report": "最新报告",
    "no_report": "尚无报告",
    "timeline": "报告记录",
    "said": "原文",
    "read": "识别结果",
    "percent": "进度",
    "expected_date": "预计完成",
    "who": "报告人",
    "when": "时间",
    "source": "方式",
    "returned": "已退办",
    "returned_by": "退办人",
    "return_reason": "退办理由",
    "return": "退办",
    "return_reason_ask": "退办理由（必填）",
    "corrected": "已更正",
    "voided": "已作废",
    "closed": "已办结",
    "close": "标记办结",
    "reopen": "重新打开",
    "only_own": "仅显示本单位的分工。",
    "bound": "已绑定",
    "unbound": "未绑定",
    "blocked_chat": "已屏蔽机器人",
    "open_tasks": "在办任务",
    "last_report": "最近报告",
    "chased_week": "本周催办{n}次",
    "chats": "绑定",
    "extension": "延期申请",
    "approve": "批准",
    "refuse": "不批准",
    "new_date": "申请延至",
    "reason": "理由",
    "chase": "一键催办",
    "chase_preview": "预览催办",
    "chase_confirm": "确认发送",
    "chase_units": "将催办{units}个单位（{items}项）",
    "chase_none": "没有可催办的单位。",
    "chase_sent": "已发送催办：{units}个单位，{chats}个聊天。",
    "chase_target": "催办对象",
    "chase_argument": "天数 / 文件简称 / 单位名称",
    "chase_note": "附言（可选）",
    "chase_unbound": "未绑定、收不到催办的单位",
    "chase_today": "今天已催办过",
    "chase_again": "今天已催办的也发送",
    "cancel": "取消",
    "extract": "文件提取",
    "extract_ask": "上传工作方案（.txt .html .docx .xlsx .pdf），查看提取出的任务及其原文所在行。",
    "extract_how": (
        "提取结果即任务分解表（taskbot extract --xlsx）：在文件信息和下表中修改后点击“检查”，"
        "问题会显示在对应单元格下；没有问题时点击“导入”，该文件将与系统中的其他文件并存。"
    ),
    "extract_check": "检查",
    "extract_import": "导入",
    "extract_document": "文件信息",
    "extract_problems": "表中其他位置的问题（需在任务分解表中修改）",
    "extract_ok": "检查通过，可以导入。",
    "extract_known": "文件编号 {doc_id} 已在系统中：导入将按此表更新该文件。",
    "extract_file": "上传的文件：{name}",
    "imported": "已导入。",
    "extract_upload": "上传并提取",
    "extract_none": "请选择要上传的文件。",
    "extract_too_big": "文件过大，不像是一份工作方案。",
    "extract_source": "原文",
    "extract_warnings": "提示",
    "supervise_units": "督查单位",
    "lead_units": "牵头单位",
    "responsible_units": "责任单位",
    "new_units": "登记册中没有的单位（待审核）",
    "tg_user": "Telegram用户（尾号{tail}）",
    "invite": "生成邀请链接",
    "invite_made": "「{unit}」的邀请（{days}天内有效，只能使用一次）。请发给该单位联络员：",
    "invite_code": "或在机器人私聊中发送：/start {code}",
    "invite_group": "该单位是单位组，请邀请其成员单位。",
    "report": "报告进展",
    "report_text": "进展情况",
    "report_sent": "报告已提交。",
    "ledger": "工作台账（.xlsx）",
    "bulletin_month": "本月督办通报（.docx）",
    "bulletin_week": "本周督办通报（.docx）",
    "filter": "筛选",
    "action": "操作",
    "actor": "操作人",
    "entity": "对象",
    "detail": "详情",
    "since": "起",
    "until": "止",
    "older": "更早",
    "done_ok": "已完成操作。",
    "refused": "未能完成：{reason}",
    "nothing": "暂无内容。",
    "as_of": "截至{date}",
    "skip": "跳到正文",
    "wall": "大屏模式",
    "wall_on": "大屏模式：每{minutes}分钟自动刷新",
    "wall_off": "退出大屏",
}
WEB_SOURCES = {"button": "按钮", "reply": "回复", "command": "命令", "text": "消息", "import": "导入", "web": "看板"}
WEB_LIGHTS = {Light.RED: "红灯", Light.YELLOW: "黄灯", Light.GREEN: "绿灯"}
WEB_REFUSALS = {  # why an action of the 看板 changed nothing (the outcome's value → its reason)
    "already": "已处理过，无需重复操作。",
    "superseded": "该单位此后已重新报告，请处理最新的报告。",
    "closed": "任务已办结，请先重新打开。",
    "not_allowed": "只有该任务的牵头单位或督办员可以退办。",
    "own": "这是本单位自己的报告，直接重新报告即可。",
    "unbound": "本账号未绑定单位。",
    "missing": "未找到，可能已变更。",
    "no_reason": "请写明退办理由。",
    "too_long": "理由过长，请精简。",
    "not_lead": "只有牵头单位可以办结任务。",
    "not_closed": "任务未办结，无需重新打开。",
    "ambiguous": "任务编号不唯一，请在机器人中使用 /reopen。",
}
WEB_REPORT_REFUSALS = {
    ReportOutcome.DUPLICATE: "与上一次报告内容相同，未重复记录。",
    ReportOutcome.PROBLEM: "报告内容有误（如日期晚于时限或百分比超出范围），请检查后重新填写。",
    ReportOutcome.EMPTY: "请填写进展情况。",
    ReportOutcome.TOO_LONG: "报告过长，请精简到4096字以内。",
    Refusal.ARCHIVED: "该任务已不在任务清单中。",
    Refusal.CLOSED: "任务已办结，无需再报告。",
    Refusal.MISSING: "未找到该任务。",
}
WEB_CHASE_KINDS = {
    ChaseTarget.OVERDUE: "有逾期任务的单位",
    ChaseTarget.SILENT: "N天未报告进展的单位（填天数）",
    ChaseTarget.DUE: "N天内有任务到期的单位（填天数）",
    ChaseTarget.DOC: "某文件有未完成任务的单位（填文件简称）",
    ChaseTarget.UNIT: "某个单位（填单位名称）",
}
WEB_CHASE_OUTCOMES = {
    ChaseOutcome.CANCELLED: "已取消，未发送催办。",
    ChaseOutcome.ALREADY: "该催办已发送或已取消。",
    ChaseOutcome.MISSING: "未找到该催办草稿。",
    ChaseOutcome.CHASED_TODAY: "以下单位今天已催办过：{units}。如仍要发送，请勾选「今天已催办的也发送」。",
    ChaseOutcome.NOBODY: "目标单位现在都没有可发送的聊天或未完成事项，未发送。",
}
WEB_LINK_OFF = "督办看板未启用（未设置 WEB_BASE_URL，也未以 --web 运行）。请联系管理员。"
