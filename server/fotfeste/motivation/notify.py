"""A push producer: tell supporters when the person they support reaches a milestone.

Run by the push scheduler's loop beside the reminders. Each live link remembers the highest
milestone its supporter was told of; a higher one is queued to the supporter's devices, after
their quiet hours, in their language (discreet mode respected). A relapse lowers the mark, so the
next milestones are news again. Each link's news has its own push topic, so what still waits in
the outbox goes when the link ends. One link that fails is logged and skipped; others go on.
"""

from __future__ import annotations

import logging

from fotfeste.clock import Clock
from fotfeste.db import Conn, Database, Row
from fotfeste.motivation.supporters import news_topic
from fotfeste.motivation.texts import supporter_milestone
from fotfeste.push.service import INSERT_FOR_ACCOUNT, Notification
from fotfeste.recovery.service import progress_for_account
from fotfeste.reminders.service import after_quiet_hours

log = logging.getLogger(__name__)
TTL = 3 * 24 * 3600


async def supporter_milestones(db: Database, clock: Clock) -> int:
    """Queue milestone news for supporters; returns how many outbox rows were queued."""
    links = await db.fetchall(
        "SELECT l.id, l.account_id AS person, p.timezone AS person_zone, l.notified_milestone,"
        " s.account_id AS supporter, a.locale, a.timezone, a.discreet"
        " FROM supporter_links l JOIN supporting s ON s.link_id = l.id"
        " JOIN accounts p ON p.id = l.account_id JOIN accounts a ON a.id = s.account_id"
        " WHERE l.ended_at IS NULL"
    )
    queued = 0
    for link in links:
        try:
            queued += await _one(db, clock, link)
        except Exception as exc:  # one link's bad data never stops the others
            log.warning("supporter milestone: one link skipped (%s)", type(exc).__name__)
    return queued


async def _one(db: Database, clock: Clock, link: Row) -> int:
    progress = await progress_for_account(db, clock, link["person"], link["person_zone"])
    top = max(progress.milestones_reached, default=0)
    known = link["notified_milestone"]
    if known is not None and top == known:
        return 0
    now = clock.now()
    news: dict[str, object] | None = None  # the outbox row's parameters, when there is news
    if known is not None and top > known:
        after = await after_quiet_hours(db, link["supporter"], link["timezone"], now)
        payload = supporter_milestone(top, link["locale"], discreet=bool(link["discreet"]))
        news = Notification(
            link["supporter"], payload, topic=news_topic(link["id"]), urgency="normal", ttl=TTL
        ).params(now, after)
    link_id = link["id"]

    def queue(conn: Conn) -> int:
        queued = 0
        if news is not None:
            queued = max(conn.execute(INSERT_FOR_ACCOUNT, news).rowcount, 0)
        conn.execute(
            "UPDATE supporter_links SET notified_milestone = ? WHERE id = ?", (top, link_id)
        )
        return queued

    return await db.write(queue)
