"""Synthetic tasks.yaml of any size, for benchmarks: D documents of T tasks each over U units."""

from __future__ import annotations

import random
from pathlib import Path


def generate(
    path: Path, documents: int = 200, tasks_per_doc: int = 50, units: int = 300, seed: int = 7, title_suffix: str = ""
) -> Path:
    rng = random.Random(seed)
    names = [f"单位{i:03d}" for i in range(units)]
    lines = ["version: 1", "timezone: Asia/Shanghai", "units:"]
    for i, name in enumerate(names):
        lines.append(f"  - name: {name}")
        lines.append(f"    aliases: [{name}别名, 江门市{name}]")
        if i % 50 == 0 and i:
            lines.append(f"  - name: 组{i:03d}")
            lines.append(f"    members: [{', '.join(names[i - 5 : i])}]")
    lines.append("documents:")
    for d in range(documents):
        year = 2023 + d % 3
        lines += [
            f"  - id: doc-{d:04d}",
            f"    title: 第{d}号工作方案",
            f"    issuer: {names[d % units]}",
            f"    issued: {year}-0{1 + d % 9}-15",
            "    tasks:",
        ]
        for t in range(tasks_per_doc):
            lead = rng.choice(names)
            resp = rng.sample(names, 4)
            lines += [
                f'      - id: "{t // 10 + 1}.{t % 10 + 1}"',
                f"        section: ({t // 10 + 1})第{t // 10 + 1}部分",
                f"        title: 任务{d}-{t}推进科技成果转化{title_suffix}",
                f"        body: 加快推进第{d}号文件第{t}项任务,建立健全工作机制,定期报送进展情况。",
                f"        lead: [{lead}]",
                f"        responsible: [{', '.join(resp)}]",
                f"        deadline: {year + 2}年底前",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    import sys

    out = generate(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-tasks.yaml"))
    print(out, out.stat().st_size)
