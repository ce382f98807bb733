"""The round-14 blind corpus (tests/data/extract/round14/, see its README, questions V1-V15): eight documents in
shapes the earlier corpora lack (a 政府工作报告 责任分解 with one table per report chapter headed by bold `<td>`s and
task cells quoting the report in 「」, a 招商引资 target allocation whose rows are townships with quantities only
and a 合计 row merged over 序号 and unit, a 督察整改方案 whose 问题 blocks put a numbered 整改措施 list before their
roles and time, a 主责 / 协同 / 督导 Word table under an empty diagonal header cell with "秋季开学前" dated in the
notice, a three-line PDF table with grey-banded rows and names wrapped mid-name, a task table only inside an
`<iframe srcdoc>`, a 分工 given per unit with each shared task listed under both units, a 台账 with an empty
"进展情况" row under every task row), written blind with expected YAML by someone who never read the extractor.
Each document is extracted with no registry and with the default registry (data/tasks.yaml) and compared field
by field; the bar is 0.95 per field. The expected files are never edited to match the output.

Mean per-document F1 over task, lead, responsible and deadline (no registry; a refused document counts 0),
measured with `python -m tests.extract.score_corpus tests/data/extract/round14`:

| extractor | mean | v01 | v02 | v03 | v04 | v05 | v06 | v07 | v08 |
|---|---|---|---|---|---|---|---|---|---|
| before (9bca0ee, round12 tuned), blind | 0.514 | 0.000 | 0.932 | 0.154 | 0.917 | 0.854 | 0.167 | 0.437 | 0.653 |
| before (89e5ef1, round13 tuned too), still blind | 0.523 | 0.000 | 1 | 0.154 | 0.917 | 0.854 | 0.167 | 0.442 | 0.653 |
| after this branch | 0.971 | 1 | 1 | 0.875 | 1 | 0.938 | 1 | 1 | 0.958 |

v03, v05 and v08 stay below the bar by the project's convention (BELOW_BAR): a unit missing from the registry is
proposed in the short form (县住房城乡建设局, 县发展改革局, 人力资源社会保障局), as heldout h04 / h12 and real r12 have
it, where this set keeps the document's spelling with 和. Every other field of theirs is right.

Only the "before" is a blind measurement: once the work started the set's failures guided it (by shape: no
rule is keyed to these documents' words), so the set became a development set; a fresh blind set measures
the "after".
"""

from __future__ import annotations

from tests.extract.support import corpus_tests

_SHORT_FORM = (
    "a unit missing from the registry is proposed in the short form ({short}), the project's convention (heldout "
    "h04 / h12, real r12, jiangxi_cgzh); the set keeps the document's spelling {written}"
)
BELOW_BAR: dict[str, str] = {
    "v03_yangwan_dczg": "lead: " + _SHORT_FORM.format(short="县住房城乡建设局", written="县住房和城乡建设局"),
    "v05_lanxi_fxrw": "lead, responsible: "
    + _SHORT_FORM.format(short="县住房城乡建设局, 县发展改革局", written="县住房和城乡建设局, 县发展和改革局"),
    "v08_yuheng_zdgz": "lead: " + _SHORT_FORM.format(short="人力资源社会保障局", written="人力资源和社会保障局"),
}


test_the_corpus_is_there, test_round14_document = corpus_tests("round14", 8, BELOW_BAR)
