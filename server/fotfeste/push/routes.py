"""HTTP for Web Push: the server's key, subscriptions, and a test notification."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.exceptions import TooManyRequestsException
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from fotfeste.accounts.service import requires_account
from fotfeste.push import outbox, store
from fotfeste.push.logic import check_endpoint, check_keys
from fotfeste.push.models import PublicKey, SubscriptionCreate, SubscriptionCreated, TestQueued
from fotfeste.push.service import Push
from fotfeste.push.texts import notification
from fotfeste.web.deps import DB, AppClock, AppSettings, CurrentAccount
from fotfeste.web.throttle import public

MAX_QUEUED_TESTS = 20


class PushController(Controller):
    path = "/api/push"
    tags = ["push"]

    @get("/key", operation_id="getPushKey", guards=[public])
    async def key(self, push: Push) -> PublicKey:
        """The VAPID applicationServerKey to pass to pushManager.subscribe()."""
        return PublicKey(public_key=push.key.application_server_key)

    @post(
        "/subscriptions",
        status_code=HTTP_201_CREATED,
        operation_id="savePushSubscription",
        guards=[requires_account],
    )
    async def subscribe(
        self,
        data: JSONBody[SubscriptionCreate],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        settings: AppSettings,
    ) -> SubscriptionCreated:
        """Save this browser's push subscription (send it again at every app start)."""
        endpoint = check_endpoint(data.endpoint, settings.push_hosts)
        check_keys(data.keys.p256dh, data.keys.auth)
        subscription_id = await store.save_subscription(
            db, clock, account.id, endpoint, data.keys.p256dh, data.keys.auth
        )
        return SubscriptionCreated(id=subscription_id)

    @delete(
        "/subscriptions/{subscription_id:str}",
        status_code=HTTP_204_NO_CONTENT,
        operation_id="deletePushSubscription",
        guards=[requires_account],
    )
    async def unsubscribe(
        self, subscription_id: FromPath[str], account: CurrentAccount, db: DB
    ) -> None:
        """Forget a subscription: no more notifications to that browser."""
        await store.delete_subscription(db, account.id, subscription_id)

    @post(
        "/test",
        status_code=HTTP_202_ACCEPTED,
        operation_id="sendTestPush",
        guards=[requires_account],
    )
    async def test(
        self, account: CurrentAccount, db: DB, clock: AppClock, push: Push
    ) -> TestQueued:
        """Queue a test notification to every subscription of the account."""
        # Tests not yet delivered pile up only when something is wrong: don't add to the pile.
        if await outbox.queued_for(db, account.id, "test") >= MAX_QUEUED_TESTS:
            raise TooManyRequestsException(
                "Test notifications are still on their way. Please wait a minute.",
                headers={"Retry-After": "60"},
            )
        payload = notification(
            "test", account.locale, discreet=account.discreet, url="/#/reminders"
        )
        queued = await outbox.enqueue(
            db,
            clock,
            outbox.Notification(account.id, payload, topic="test", urgency="normal", ttl=600),
        )
        push.wake()
        return TestQueued(queued=queued)
