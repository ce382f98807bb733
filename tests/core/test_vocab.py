"""Every member of a vocabulary a person sees has its text in the message catalogue."""

from __future__ import annotations

from enum import StrEnum

import pytest

from bot.core import vocab
from bot.render import messages as m

SHOWN: list[tuple[type[StrEnum], dict, set[str]]] = [
    # (vocabulary, its texts, members that are never shown as such)
    (vocab.Status, m.STATUS_LABELS, set()),
    (vocab.ReportedStatus, m.PARSED_STATUS_LABELS, set()),
    (vocab.Role, m.ROLE_LABELS, set()),
    (vocab.MessageKind, m.KIND_LABELS, set()),
    (vocab.Light, m.LIGHTS, set()),
    (vocab.Light, m.LEDGER_LIGHTS, set()),
    (vocab.Refusal, m.REPORT_REFUSED, set()),
    (vocab.BindOutcome, m.BIND_REFUSED, {"bound", "throttled"}),  # BIND_OK and BIND_THROTTLED say those
    (vocab.StoreFault, m.STORE_FAULTS, set()),
    (vocab.DigestScope, m.DIGEST_TITLES, set()),
    (vocab.PartProblem, m.PART_PROBLEMS, set()),
    (vocab.ExtensionStatus, m.VERDICTS, {"pending"}),
    (vocab.ChaseTarget, m.CHASE_TARGET_LABELS, set()),
    (vocab.ChaseTarget, m.CHASE_TARGET_USAGE, set()),
    (vocab.ReturnOutcome, m.RETURN_REFUSED, {"ask", "returned"}),  # RETURN_ASK and RETURN_DONE say those
    (vocab.FileRequest, m.EXPORT_REFUSED, {"queued", "not_coordinator"}),  # EXPORT_QUEUED says that
    (vocab.FileRequest, m.CHART_REFUSED, {"queued", "not_coordinator"}),  # CHART_QUEUED says that
    (vocab.FileRequest, m.BULLETIN_REFUSED, {"queued", "empty", "not_lead", "unbound"}),  # coordinators only
    (vocab.BulletinPeriod, m.BULLETIN_PERIOD_LABELS, set()),
    (vocab.TargetOutcome, m.TARGET_REFUSED, {"recorded", "voided", "ask"}),  # TARGET_RECORDED … say those
]


@pytest.mark.parametrize(("vocabulary", "texts", "unshown"), SHOWN, ids=lambda v: getattr(v, "__name__", ""))
def test_every_member_has_its_text(vocabulary: type[StrEnum], texts: dict, unshown: set[str]) -> None:
    missing = [member for member in vocabulary if member not in texts and member not in unshown]
    assert missing == [], f"{vocabulary.__name__}: no text for {missing}"
    assert all(text.strip() for text in texts.values())


def test_members_are_their_stored_strings() -> None:
    """Rows written before the vocabularies existed read back as members."""
    assert vocab.Status("done") is vocab.Status.DONE and vocab.Status.DONE == "done"
    assert {kind.value for kind in vocab.MessageKind} >= {"reminder", "prompt", "overdue", "escalation", "digest"}
