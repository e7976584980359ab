"""/publik and its open data: aggregates only, small cells suppressed, nothing personal."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from console_ui.security import CONTENT_SECURITY_POLICY
from replay.kpi_facts import Facts
from replay.kpi_targets import Targets
from replay.public_data import render_csv
from replay.public_figures import SUPPRESSED, figures, iso_week, suppress
from replay.public_page import render_page
from tests.support import Tokens, auth, report_json

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)


def facts_in(kecamatan: str, count: int, *, disposition: str | None = None) -> list[Facts]:
    return [
        Facts(
            f"SMD-20261124-{i:04d}",
            NOW - timedelta(hours=1),
            "kebakaran",
            kecamatan,
            "P1",
            disposition=disposition,
        )
        for i in range(count)
    ]


def test_a_kecamatan_with_fewer_than_five_calls_in_a_week_is_shown_as_under_five() -> None:
    facts = facts_in("Sungai Pinang", 3) + facts_in("Samarinda Ulu", 7) + facts_in("Palaran", 9)
    published = figures(facts, NOW, WITA, Targets.from_rules())
    week = iso_week(NOW, WITA)
    cells = {c.kecamatan: c.calls for c in published.calls if c.week == week}
    # 3 is suppressed; the week's total (19) is published, so the next smallest (7) goes too.
    assert cells == {"Sungai Pinang": SUPPRESSED, "Samarinda Ulu": SUPPRESSED, "Palaran": 9}
    assert published.week_totals[week] == 19
    page = render_page(published)
    assert "<td>Sungai Pinang</td>" in page and "<td>3</td>" not in page
    exported = {
        r["kecamatan"]: r["value"]
        for r in csv.DictReader(io.StringIO(render_csv(published)))
        if r["dataset"] == "calls_by_week_kecamatan" and r["week"] == week
    }
    assert exported == {"Palaran": "9", "Samarinda Ulu": "<5", "Sungai Pinang": "<5"}


def test_two_small_cells_hide_each_other_and_a_large_one_stays() -> None:
    assert suppress({"a": 2, "b": 4, "c": 30}, total_published=True) == {
        "a": SUPPRESSED,
        "b": SUPPRESSED,
        "c": 30,
    }
    assert suppress({"a": 0, "c": 30}, total_published=False) == {"a": SUPPRESSED, "c": 30}


def test_false_call_kinds_under_five_carry_no_number_and_no_percentage() -> None:
    facts = facts_in("Palaran", 20, disposition="genuine") + facts_in(
        "Palaran", 2, disposition="prank"
    )
    kinds = {k.kind: k for k in figures(facts, NOW, WITA, Targets.from_rules()).kinds}
    assert (kinds["prank"].incidents, kinds["prank"].percent) == (SUPPRESSED, None)
    assert kinds["genuine"].incidents == 20


SECRETS = {
    "caller": "+6281199887766",
    "description": "Kebakaran ZAMRUDKHATULISTIWA di rumah",
    "address": "Gang Kenari Ungu nomor sembilan",
    "reason": "penelepon OKTARINAJINGGA tertawa",
}


def test_the_public_page_and_exports_carry_nothing_personal(
    client: TestClient, tokens: Tokens
) -> None:
    lat, lon = -0.483917, 117.154283
    seeded = []
    for i in range(6):
        body = report_json(
            caller_number=SECRETS["caller"],
            description=SECRETS["description"],
            address_text=SECRETS["address"],
            location={"lat": lat, "lon": lon, "accuracy_m": 7, "source": "aml"},
        )
        made = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
        assert made.status_code == 201, made.text
        seeded.append(made.json()["incident"])
        if i % 2:
            closed = client.post(
                f"/api/incidents/{seeded[-1]['id']}/close",
                json={"disposition": "prank", "reason": SECRETS["reason"]},
                headers=auth(tokens, "operator"),
            )
            assert closed.status_code == 200, closed.text

    page = client.get("/publik")  # no token: the page is public
    data_csv = client.get("/publik/data.csv")
    data_json = client.get("/publik/data.json")
    assert [r.status_code for r in (page, data_csv, data_json)] == [200, 200, 200]
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    week_rows = [
        r
        for r in data_json.json()["rows"]
        if r["dataset"] == "week_total" and r["value"] != SUPPRESSED
    ]
    assert [r["value"] for r in week_rows] == [6]  # the figures are there …

    forbidden = [
        *SECRETS.values(),
        "81199887766",
        "ZAMRUDKHATULISTIWA",
        "Kenari",
        "OKTARINAJINGGA",
        f"{lat:.4f}",
        f"{lon:.4f}",
        "SMD-",
    ]
    for incident in seeded:
        forbidden += [incident["id"], incident["number"], uuid.UUID(incident["id"]).hex]
    for text in (page.text, data_csv.text, data_json.text):
        leaked = [f for f in forbidden if f.lower() in text.lower()]
        assert leaked == []  # … and nothing of the callers or their reports


def test_the_public_page_states_its_rules_and_links_its_open_data(client: TestClient) -> None:
    page = client.get("/publik").text
    assert "<html lang='id'>" in page and "Kapan menelepon 112" in page
    assert "kurang dari 5 insiden" in page and "/publik/data.json" in page
    dictionary = client.get("/publik/data.json").json()["data_dictionary"]
    assert set(dictionary) >= {"dataset", "week", "kecamatan", "value"}
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page


def test_response_times_are_published_from_five_incidents_and_hidden_below() -> None:
    def dispatched(count: int, after_s: float) -> list[Facts]:
        made = facts_in("Palaran", count)
        for f in made:
            f.dispatched_at["fire"] = f.received_at + timedelta(seconds=after_s)
        return made

    def first_unit(facts: list[Facts]) -> tuple[object, object, object]:
        times = figures(facts, NOW, WITA, Targets.from_rules()).response_times
        row = next(t for t in times if (t.agency, t.measure) == ("all", "processing"))
        return row.incidents, row.mean_s, row.p90_s

    assert first_unit(dispatched(4, 30)) == (SUPPRESSED, None, None)
    assert first_unit(dispatched(4, 30) + dispatched(1, 80)) == (5, 40.0, 80.0)


def test_the_screening_figures_are_published_per_band_with_small_cells_hidden() -> None:
    flagged_false = facts_in("Palaran", 6, disposition="prank")
    flagged_genuine = facts_in("Palaran", 2, disposition="genuine")
    for f in flagged_false + flagged_genuine:
        f.band = "high"
    rows = {
        r.band: r
        for r in figures(flagged_false + flagged_genuine, NOW, WITA, Targets.from_rules()).screening
    }
    high = rows["high"]
    assert (high.turned_false, high.turned_genuine, high.percent_false) == (6, SUPPRESSED, None)
    assert rows["low"].turned_false == SUPPRESSED
