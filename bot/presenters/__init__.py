"""The presentation of the services' results: what the bot answers a user, rendered from what bot/chat/ returned.

A layer of its own, above bot/chat/ and below handlers/: these modules read chat's result types (a stored report,
a 退回, a 催办's preview, a target value's 更正), so they cannot sit in bot/render/, which chat itself uses to
write the messages it queues (the catalogue, button data, the 督办单). Pure: HTML text (escaped) and button JSON.
"""
