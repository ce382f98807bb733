"""Chinese numerals as policy documents and replies write them: 十二, 二十, 一百零五, 两; and a quantity as
the bot writes it back (`plain`).

One reader for the extractor (section numbers, 文号 dates) and the reply parser (percentages, 六成,
months), so both read 两 and 〇 the same way.
"""

from __future__ import annotations

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "零〇一二两三四五六七八九十百"  # the characters of a numeral up to 百 (for regex classes; 千 is read too)


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105, 百 → 100, 一千 → 1000, "12" → 12; None when it is not one."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total = current = 0
    for char in text:
        if char in CN_DIGITS:
            current = CN_DIGITS[char]
        elif char in CN_UNITS:
            total, current = total + (current or 1) * CN_UNITS[char], 0
        else:
            return None
    return total + current


def to_cn(number: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十, 105 → 一百零五 (for generated test documents and benchmarks)."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number - 10] if number > 10 else "")
    if number < 100:
        tens, ones = divmod(number, 10)
        return digits[tens] + "十" + (digits[ones] if ones else "")
    hundreds, rest = divmod(number, 100)
    if rest == 0:
        tail = ""
    elif rest < 10:
        tail = "零" + digits[rest]
    else:
        tail = to_cn(rest) if rest >= 20 else "一" + to_cn(rest)
    return digits[hundreds] + "百" + tail


def plain(value: float) -> str:
    """A target's value or goal as people write it: 12 (not 12.0), 0.32, 3.2."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
