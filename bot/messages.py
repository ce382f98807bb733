"""Every user-facing Chinese text, in one place (the message catalogue).

Handlers, the digest and the CLI's Chinese tables take their words from here, so wording is changed
once and reviewed once.
"""

from __future__ import annotations

from bot.models import BLOCKED, DONE, IN_PROGRESS, PENDING

STATUS_LABELS = {
    PENDING: "未报告",
    IN_PROGRESS: "进行中",
    BLOCKED: "受阻",
    DONE: "已完成",
}

ROLE_LABELS = {"lead": "牵头", "responsible": "责任"}

# --- prompts sent by the scheduler (rendered by bot.prompts) -----------------------------------------

PROMPT_HEADERS = {
    "reminder": "【到期提醒】",
    "prompt": "【进展询问】",
    "overdue": "【逾期催办】",
    "escalation": "【督办通报】",
}
PROMPT_BODY = (
    "{header}\n"
    "文件：{document}\n"
    "任务：{task_key} {task_title}\n"
    "本单位：{unit}（{role}单位）\n"
    "完成时限：{deadline}（{days}）"
)
PROMPT_ASK = "请点击下方按钮或直接回复本消息报告进展。"
ESCALATION_BODY = (
    "【督办通报】\n"
    "文件：{document}\n"
    "任务：{task_key} {task_title}\n"
    "责任单位：{unit}\n"
    "完成时限：{deadline}，已逾期{overdue_days}天，已催办{reminders}次仍未办结。"
)
DAYS_LEFT = "剩余{n}天"
DUE_TODAY = "今天到期"
DAYS_OVERDUE = "已逾期{n}天"
NO_DEADLINE = "长期"
BUTTONS = {"done": "已完成", "progress": "进行中", "blocked": "受阻", "extend": "申请延期"}

# --- notices to coordinators from the sender -----------------------------------------------------------

CHAT_BLOCKED = (
    "【送达失败】{unit}的聊天“{chat}”已屏蔽或移除机器人（{reason}），"
    "今后不再向该聊天发送，请联系该单位重新绑定。"
)

# --- the weekly digest (bot.digest) ---------------------------------------------------------------------

DIGEST_TITLE = "督办工作周报"
DIGEST_HEADLINE = "任务{total}项：已完成{done}，进行中{progress}，受阻{blocked}，未报告{pending}；逾期{overdue}项。"
DIGEST_LIGHTS = "单位亮灯：🔴{red} 🟡{yellow} 🟢{green}"
LIGHTS = {"red": "🔴红灯", "yellow": "🟡黄灯", "green": "🟢绿灯"}
DIGEST_RED_UNITS = "🔴 红灯单位："
DIGEST_YELLOW_UNITS = "🟡 黄灯单位："
DIGEST_OVERDUE = "逾期任务"
DIGEST_OVERDUE_ITEM = "· {unit}　{task} {title}　逾期{days}天"
DIGEST_OVERDUE_UNIT = "· {unit}：{n}项，最长逾期{days}天（{tasks}）"
DIGEST_MORE_UNITS = "……另有{n}个单位"
DIGEST_BLOCKED = "受阻任务"
DIGEST_BLOCKED_ITEM = "· {unit}　{task} {title}"
DIGEST_SILENT = "超过{days}天未报告的单位"
DIGEST_CHANGES = "上期以来的变化"
DIGEST_CHANGE = "· {unit}　{task} {title}：{old} → {new}"
DIGEST_LIGHT_CHANGE = "· {unit}：{old} → {new}"
DIGEST_TARGETS = "目标指标"
DIGEST_TARGET_ITEM = "· {text}：最新{latest}／目标{value}{measure}（{due}）"
DIGEST_NO_VALUE = "未报"
DIGEST_MORE = "……另有{n}项"

# --- the CLI's plan view --------------------------------------------------------------------------------

KIND_LABELS = {"reminder": "到期提醒", "prompt": "进展询问", "overdue": "逾期催办", "escalation": "督办通报",
               "digest": "周报", "broadcast": "通知", "notice": "系统通知"}
KIND_COORDINATORS = "督办员"
