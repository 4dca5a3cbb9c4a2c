"""HTTP for supporters: invite with a one-time code, accept it, see, encourage, end."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.exceptions import NotFoundException, TooManyRequestsException
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from fotfeste.accounts.service import requires_account
from fotfeste.clock import isoformat_utc
from fotfeste.motivation import supporters as store
from fotfeste.motivation.models import (
    Accepted,
    AcceptIn,
    EncouragementIn,
    EncouragementOut,
    Encouragements,
    Invitation,
    InvitationIn,
    NextMilestoneShared,
    People,
    PersonShared,
    Share,
    SupporterOut,
    Supporters,
)
from fotfeste.motivation.texts import encouragement
from fotfeste.push.service import Notification, Push, enqueue
from fotfeste.recovery.service import progress_for_account
from fotfeste.reminders.service import after_quiet_hours
from fotfeste.web.deps import DB, AppClock, CurrentAccount
from fotfeste.web.throttle import throttled

LinkId = Annotated[str, PathParameter(max_length=64, description="The link's id")]
_GONE = "No such link, or it has ended"


def _shares(text: str) -> list[Share]:
    return ["milestones", "streak"] if text == "milestones,streak" else ["milestones"]


class SupportersController(Controller):
    """The person's side: invite, see who supports, end a link, read encouragements."""

    path = "/api"
    tags = ["supporters"]
    guards = [requires_account]

    @post("/supporters/invitations", status_code=HTTP_201_CREATED, operation_id="inviteSupporter")
    async def invite(
        self, data: JSONBody[InvitationIn], account: CurrentAccount, db: DB, clock: AppClock
    ) -> Invitation:
        """A one-time code, valid 48 hours, for a supporter to enter in their own Fotfeste.
        The supporter sees milestones, and the current streak only if `shares` says so."""
        shares = "milestones,streak" if "streak" in data.shares else "milestones"
        code, expires = await store.create_invitation(db, clock, account.id, shares)
        return Invitation(code=code, expires_at=isoformat_utc(expires), shares=_shares(shares))

    @get("/supporters", operation_id="listSupporters")
    async def list_supporters(self, account: CurrentAccount, db: DB) -> Supporters:
        """My supporters: what each may see, since when, and whether the link has ended."""
        return Supporters(
            supporters=[
                SupporterOut(
                    id=r["id"],
                    shares=_shares(r["shares"]),
                    since=r["created_at"],
                    ended=bool(r["ended"]),
                )
                for r in await store.supporters(db, account.id)
            ]
        )

    @delete(
        "/supporters/{link_id:str}", status_code=HTTP_204_NO_CONTENT, operation_id="endSupporter"
    )
    async def end_supporter(
        self, link_id: LinkId, account: CurrentAccount, db: DB, clock: AppClock
    ) -> None:
        """End a supporter's link at once; they see that it ended, nothing more."""
        if not await store.end_as_person(db, clock, account.id, link_id):
            raise NotFoundException(_GONE)

    @get("/me/encouragements", operation_id="listEncouragements")
    async def received(self, account: CurrentAccount, db: DB) -> Encouragements:
        """Encouragements my supporters sent, newest first."""
        return Encouragements(
            encouragements=[
                EncouragementOut(kind=r["kind"], at=r["at"])
                for r in await store.encouragements(db, account.id)
            ]
        )


class SupportingController(Controller):
    """The supporter's side: accept a code, see the people I support, encourage, end."""

    path = "/api/supporting"
    tags = ["supporters"]
    guards = [requires_account]

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        operation_id="acceptSupporterCode",
        guards=[throttled("recover")],
    )
    async def accept(
        self, data: JSONBody[AcceptIn], account: CurrentAccount, db: DB, clock: AppClock
    ) -> Accepted:
        """Enter a person's code to become their supporter. Unknown or expired codes are 404;
        tries are limited per address like recovery codes."""
        row = await store.accept(db, clock, account.id, data.code)
        if row is None:
            raise NotFoundException("This code is not valid (wrong, used or older than 48 hours)")
        return Accepted(id=row["id"], shares=_shares(row["shares"]))

    @get("/", operation_id="listSupporting")
    async def people(self, account: CurrentAccount, db: DB, clock: AppClock) -> People:
        """The people I support, each with only what they chose to share."""
        out = []
        for row in await store.supporting(db, account.id):
            shares = _shares(row["shares"])
            if row["ended"]:
                out.append(PersonShared(id=row["id"], shares=shares, ended=True))
                continue
            progress = await progress_for_account(db, clock, row["person"], row["timezone"])
            shared = PersonShared(
                id=row["id"],
                shares=shares,
                ended=False,
                milestones_reached=progress.milestones_reached,
                next_milestone=None
                if progress.next_milestone is None
                else NextMilestoneShared(
                    days=progress.next_milestone.days,
                    date=progress.next_milestone.date.isoformat(),
                ),
            )
            if "streak" in shares:
                shared.current_streak_days = progress.current_streak_days
            out.append(shared)
        return People(people=out)

    @delete("/{link_id:str}", status_code=HTTP_204_NO_CONTENT, operation_id="endSupporting")
    async def end(self, link_id: LinkId, account: CurrentAccount, db: DB, clock: AppClock) -> None:
        """Stop supporting someone, at once."""
        if not await store.end_as_supporter(db, clock, account.id, link_id):
            raise NotFoundException(_GONE)

    @post(
        "/{link_id:str}/encouragements",
        status_code=HTTP_202_ACCEPTED,
        operation_id="sendEncouragement",
    )
    async def encourage(
        self,
        link_id: LinkId,
        data: JSONBody[EncouragementIn],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        push: Push,
    ) -> None:
        """Send one of a few fixed encouragements; it reaches the person as a push (discreet
        mode respected) and in the app. No free text between accounts."""
        person = await store.live_person(db, account.id, link_id)
        if person is None:
            raise NotFoundException(_GONE)
        if not await store.add_encouragement(db, clock, person["person"], data.kind):
            raise TooManyRequestsException(
                "This person has had many encouragements today. Try again tomorrow.",
                headers={"Retry-After": "3600"},
            )
        payload = encouragement(data.kind, person["locale"], discreet=bool(person["discreet"]))
        # In the app at once; on the phone after the person's quiet hours, like any notification.
        after = await after_quiet_hours(db, person["person"], person["timezone"], clock.now())
        await enqueue(
            db,
            clock,
            Notification(
                person["person"], payload, topic="encouragement", urgency="normal", ttl=86_400
            ),
            after,
        )
        push.wake()
