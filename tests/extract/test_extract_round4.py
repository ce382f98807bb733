"""The round-4 blind corpus (tests/data/extract/round4/, see its README, questions K1-K19): eleven documents in
layouts the earlier corpora lack (a ruled PDF table over two pages with a repeated header, prose paragraphs
holding several tasks each closed by its own role bracket, a web table with a two-row header and <p>/<br> in
its cells, a workbook split into one sheet per 牵头单位 with a hidden column, a WPS .docx whose task table is
nested in a layout table, restarting 序号, holiday deadlines, merged 项目 cells, one 序号 over two rows, a PDF
copied as text in layout mode, marker lines ending in 。), written blind with expected YAML by someone who
never read the extractor. Each document is extracted with no registry and with the default registry
(data/tasks.yaml) and compared field by field; the bar is 0.95 per field. The expected files are never
edited to match the output.

Mean per-document F1 over task, lead, responsible and deadline (no registry; a refused document counts 0),
measured with /work/wt/tools/score.py:

| extractor | mean | k01 | k02 | k03 | k04 | k05 | k06 | k07 | k08 | k09 | k10 | k11 |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
| before (61e415f), blind | 0.489 | 0.534 | 0 | 0.956 | 0.077 | refused | 1 | 0.875 | 0.768 | refused | 0.417 | 0.752 |
| after this branch | 0.984 | 1 | 1 | 1 | 0.893 | 1 | 1 | 1 | 1 | 1 | 0.933 | 1 |

Only the "before" is a blind measurement: once the work started the set's failures guided it (by shape: no
rule is keyed to these documents' words), so the set became a development set; a fresh blind set measures
the "after".
"""

from __future__ import annotations

from tests.extract.support import corpus_tests

# K8 asks the canonical name of a unit missing from the registry to be the fuller written form; the project
# proposes the short form (区发展改革局 for 区发展和改革局, as jiangxi_cgzh and test_unit_normalisation expect).
_SHORT_FORM = (
    "a unit missing from the registry is proposed in the project's short form ({short} for {written}); "
    "the corpus (K8) keeps the written, fuller spelling"
)
BELOW_BAR: dict[str, str] = {
    "k04_weitang_csjs": _SHORT_FORM.format(short="县住房城乡建设局", written="县住房和城乡建设局"),
    "k10_luwan_dqzl": _SHORT_FORM.format(short="市住房城乡建设局", written="市住房和城乡建设局"),
}


test_the_corpus_is_there, test_round4_document = corpus_tests("round4", 11, BELOW_BAR)
