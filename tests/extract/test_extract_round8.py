"""The round-8 blind corpus (tests/data/extract/round8/, see its README, questions P1-P15): eight documents in
shapes the earlier corpora lack (a 县委办 notice of "关于X。" items each with one long "请A牵头，B配合…于DATE前报送"
sentence, a portal page whose table sits in a former iframe with "X、Y（按职责分工）" leads, Word's automatic
numbering with one role line "牵头领导：…　牵头单位：…　配合单位：…　完成时限：…" under each item, a 政府工作要点
whose leads stand only in a 附表, a sheet of one row per task × unit with a 角色 column, a PDF 会议议定事项交办单, a
township table whose 工作任务 cells hold numbered sub-items "1.…<br>2.…", a 作战图 of 行动 blocks with a 牵头单位
line and several 时间节点), written blind with expected YAML by someone who never read the extractor. Each
document is extracted with no registry and with the default registry (data/tasks.yaml) and compared field by
field; the bar is 0.95 per field. The expected files are never edited to match the output.

Mean per-document F1 over task, lead, responsible and deadline (no registry; a refused document counts 0),
measured with `python -m tests.extract.score_corpus tests/data/extract/round8`:

| extractor | mean | p01 | p02 | p03 | p04 | p05 | p06 | p07 | p08 |
|---|---|---|---|---|---|---|---|---|---|
| before (30da487, round7 tuned), blind | 0.600 | 0.810 | 0.932 | 0.038 | 0.583 | 0.572 | 1.000 | 0.113 | 0.750 |
| after this branch | 0.823 | 1 | 1 | 0.000 | 0.583 | 1 | 1 | 1 | 1 |

Only the "before" is a blind measurement: once the work started the set's failures guided it (by shape: no
rule is keyed to these documents' words), so the set became a development set; a fresh blind set measures
the "after". p03's 0.038 before was a spurious task (its 工作要求 paragraph and signature read as a text table's
row "1" under a role line taken for a header) matching the expected id "1"; p03 and p04 stay under the bar on
their ids (P9's flat ids against the project's section.position convention, see BELOW_BAR).
"""

from __future__ import annotations

from tests.extract.support import corpus_tests

_FLAT_IDS = (
    "P9 asks for flat ids (1-6) for items numbered straight through 一、/二、, where the project's convention "
    "(b01, H16, L11: Word's automatic numbering in l03 too) gives section.position ids (1.1-2.3): the ids differ"
)
BELOW_BAR: dict[str, str] = {
    "p03_tongwan_xmtj": _FLAT_IDS,
    "p04_rongping_gzyd": _FLAT_IDS + "; P10: the 附表's 牵头单位 by 要点序号 is read as a task table of its own",
}


test_the_corpus_is_there, test_round8_document = corpus_tests("round8", 8, BELOW_BAR)
