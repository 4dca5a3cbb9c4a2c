"""HTTP for the personal plan and the treatment status that drives waiting-list mode."""

from __future__ import annotations

from litestar import Controller, delete, get, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from fotfeste.accounts.service import requires_account
from fotfeste.clock import isoformat_utc, local_today
from fotfeste.db import Database, Row
from fotfeste.plan import logic, store
from fotfeste.plan.models import (
    ClientIdPath,
    Contact,
    ContactWrite,
    Plan,
    PlanEntry,
    PlanPerson,
    PlanWrite,
    SectionEntry,
    SectionEntryWrite,
    TreatmentStatus,
    TreatmentStatusWrite,
)
from fotfeste.plan.programmes import switch_programme
from fotfeste.web.deps import DB, AppClock, CurrentAccount, Quota


async def _plan(db: Database, account_id: str) -> Plan:
    entry_rows, people_rows = (
        await store.entries(db, account_id),
        await store.people(db, account_id),
    )
    sections: dict[str, list[PlanEntry]] = {name: [] for name in logic.SECTIONS}
    for row in entry_rows:
        sections[row["section"]].append(PlanEntry(id=row["id"], text=row["text"]))
    stamps = [row["updated_at"] for row in (*entry_rows, *people_rows)]
    return Plan(
        **sections,
        people=[
            PlanPerson(
                id=r["id"], name=r["name"], phone=r["phone"], dial=logic.dial_string(r["phone"])
            )
            for r in people_rows
        ],
        updated_at=max(stamps) if stamps else None,
    )


def _section_entry(row: Row) -> SectionEntry:
    return SectionEntry(
        id=row["id"],
        section=row["section"],
        position=row["position"],
        text=row["text"],
        updated_at=row["updated_at"],
    )


def _contact(row: Row) -> Contact:
    return Contact(
        id=row["id"],
        position=row["position"],
        name=row["name"],
        phone=row["phone"],
        dial=logic.dial_string(row["phone"]),
        updated_at=row["updated_at"],
    )


class PlanController(Controller):
    path = "/api/plan"
    tags = ["plan"]
    guards = [requires_account]

    @get("/", operation_id="getPlan")
    async def show(self, account: CurrentAccount, db: DB) -> Plan:
        """My relapse-prevention plan, each list in the order I chose."""
        return await _plan(db, account.id)

    @put("/", operation_id="replacePlan")
    async def replace(
        self,
        data: JSONBody[PlanWrite],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        quota: Quota,
    ) -> Plan:
        """Save the whole plan at once (what the app sends after an edit, online or replayed)."""
        quota.spend("plan", account.id)
        new_entries = [
            (entry.id, section, position, logic.clean_text(entry.text, field=f"{section}.text"))
            for section in logic.SECTIONS
            for position, entry in enumerate(getattr(data, section))
        ]
        new_people = [
            (
                p.id,
                position,
                logic.clean_text(p.name, field="people.name", limit=logic.MAX_NAME),
                logic.clean_phone(p.phone, field="people.phone"),
            )
            for position, p in enumerate(data.people)
        ]
        logic.check_unique_ids([e[0] for e in new_entries], field="id")
        logic.check_unique_ids([p[0] for p in new_people], field="people.id")
        now = isoformat_utc(clock.now())
        await store.replace_plan(db, account.id, new_entries, new_people, now)
        return await _plan(db, account.id)

    @delete("/", status_code=HTTP_204_NO_CONTENT, operation_id="clearPlan")
    async def clear(self, account: CurrentAccount, db: DB, quota: Quota) -> None:
        """Empty my plan."""
        quota.spend("plan", account.id)
        await store.clear_plan(db, account.id)

    @get("/entries/{entry_id:str}", operation_id="getPlanEntry")
    async def entry(self, entry_id: FromPath[str], account: CurrentAccount, db: DB) -> SectionEntry:
        """One line of my plan."""
        return _section_entry(await store.entry(db, account.id, entry_id))

    @put("/entries/{entry_id:str}", operation_id="putPlanEntry")
    async def put_entry(
        self,
        entry_id: ClientIdPath,
        data: JSONBody[SectionEntryWrite],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        quota: Quota,
    ) -> SectionEntry:
        """Add or change one line (warning sign, high-risk situation, coping action, reason)."""
        quota.spend("plan", account.id)
        await store.put_entry(
            db,
            account.id,
            entry_id,
            section=data.section,
            text=logic.clean_text(data.text, field="text"),
            position=data.position,
            now=isoformat_utc(clock.now()),
        )
        return _section_entry(await store.entry(db, account.id, entry_id))

    @delete(
        "/entries/{entry_id:str}", status_code=HTTP_204_NO_CONTENT, operation_id="deletePlanEntry"
    )
    async def delete_entry(
        self, entry_id: FromPath[str], account: CurrentAccount, db: DB, quota: Quota
    ) -> None:
        """Remove one line."""
        quota.spend("plan", account.id)
        await store.delete_entry(db, account.id, entry_id)

    @get("/people/{person_id:str}", operation_id="getPlanPerson")
    async def person(self, person_id: FromPath[str], account: CurrentAccount, db: DB) -> Contact:
        """One person I can contact."""
        return _contact(await store.person(db, account.id, person_id))

    @put("/people/{person_id:str}", operation_id="putPlanPerson")
    async def put_person(
        self,
        person_id: ClientIdPath,
        data: JSONBody[ContactWrite],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
        quota: Quota,
    ) -> Contact:
        """Add or change a person to contact; the number is kept for me and never used here."""
        quota.spend("plan", account.id)
        await store.put_person(
            db,
            account.id,
            person_id,
            name=logic.clean_text(data.name, field="name", limit=logic.MAX_NAME),
            phone=logic.clean_phone(data.phone),
            position=data.position,
            now=isoformat_utc(clock.now()),
        )
        return _contact(await store.person(db, account.id, person_id))

    @delete(
        "/people/{person_id:str}", status_code=HTTP_204_NO_CONTENT, operation_id="deletePlanPerson"
    )
    async def delete_person(
        self, person_id: FromPath[str], account: CurrentAccount, db: DB, quota: Quota
    ) -> None:
        """Remove a person from my plan."""
        quota.spend("plan", account.id)
        await store.delete_person(db, account.id, person_id)


class TreatmentController(Controller):
    path = "/api/treatment"
    tags = ["plan"]
    guards = [requires_account]

    @get("/", operation_id="getTreatmentStatus")
    async def show(self, account: CurrentAccount, db: DB) -> TreatmentStatus:
        """What I said about treatment: none, waiting, in treatment, or after treatment."""
        row = await store.treatment_status(db, account.id)
        if row is None:
            return TreatmentStatus(status="none", since=None, waiting_mode=False)
        return TreatmentStatus(
            status=row["status"], since=row["since"], waiting_mode=row["status"] == "waiting"
        )

    @put("/", operation_id="setTreatmentStatus")
    async def update(
        self,
        data: JSONBody[TreatmentStatusWrite],
        account: CurrentAccount,
        db: DB,
        clock: AppClock,
    ) -> TreatmentStatus:
        """Say I'm waiting for treatment (waiting-list mode), or that it has started or ended."""
        today = local_today(clock, account.timezone)
        since = logic.check_since(data.since or today, today)
        previous = await store.set_treatment_status(
            db,
            account.id,
            status=data.status,
            since=since.isoformat(),
            now=isoformat_utc(clock.now()),
        )
        programme = logic.programme_after(previous, data.status)
        switched = programme is not None and await switch_programme(
            db, account.id, programme, since
        )
        return TreatmentStatus(
            status=data.status,
            since=since.isoformat(),
            waiting_mode=data.status == "waiting",
            programme_switched_to=programme if switched else None,
        )
