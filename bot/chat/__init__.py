"""The service layer: one module per use case (a report, a 退回, 延期, 办结, a 催办, /target, a file, a login link).

handlers/, the 看板's actions (bot/web/actions.py), the scheduler and the CLI call these; a use case takes a
session and plain values, changes the store with its audit row in that session's transaction, queues what it
sends in the outbox, and returns a result that bot/presenters/ turns into the answer. Below it lie the store's
reads and writes, the reply parser and the renderers whose messages it queues; above it nothing but the
presenters and the entry points (README "Layout").
"""
