"""The round-5 blind corpus (tests/data/extract/round5/, see its README, questions L1-L23): ten documents in
shapes the earlier corpora lack (a work-group chat message with （牵头） marks and 4.10前 / 本月底前 / 本周五前,
a province's prose 分工 naming officials before the units, Word's automatic numbering, a cell merged across
牵头科室 and 责任科室, an .xlsx with a two-row header, month-formatted date cells and a 合计 row, a PDF of
key–value 督办通知单 forms, a 会议纪要's 议定事项, a web table built of <div>s, a TAB table whose "*" marks the
lead), written blind with expected YAML by someone who never read the extractor. Each document is extracted
with no registry and with the default registry (data/tasks.yaml) and compared field by field; the bar is 0.95
per field. The expected files are never edited to match the output.

Mean per-document F1 over task, lead, responsible and deadline (no registry; a refused document counts 0),
measured with /work/wt/tools/score.py:

| extractor | mean | l01 | l02 | l03 | l04 | l05 | l06 | l07 | l08 | l09 | l10 |
|---|---|---|---|---|---|---|---|---|---|---|---|
| before (81a78f3), blind | 0.391 | 0.321 | 0.426 | 0 | 0.750 | 1 | 0 | refused | 0.716 | refused | 0.694 |
| after this branch | 0.996 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 0.958 | 1 | 1 |

Only the "before" is a blind measurement: once the work started the set's failures guided it (by shape: no
rule is keyed to these documents' words), so the set became a development set; a fresh blind set measures
the "after".
"""

from __future__ import annotations

from tests.extract.support import corpus_tests

BELOW_BAR: dict[str, str] = {
    "l08_rongtang_hyjy": (
        "a 议定事项 whose only time is a season in brackets, 汛期（5月至9月）每日巡查, is read with no deadline; "
        "the corpus takes the season's end (2026-09-30)"
    ),
}


test_the_corpus_is_there, test_round5_document = corpus_tests("round5", 10, BELOW_BAR)
