"""The words of the KPI report in Indonesian (default) and English: no raw code reaches a reader.

Category and agency names come from ``domain.taxonomy``; dispositions and escalation reasons use
the console's words (console_ui/static/js/i18n.js), so a supervisor reads the same terms in both.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from domain.taxonomy import Agency, Category

Lang = Literal["id", "en"]
LANGS: tuple[Lang, ...] = ("id", "en")

_WORDS: dict[str, tuple[str, str]] = {
    # dispositions
    "genuine": ("darurat asli", "genuine emergency"),
    "prank": ("iseng / prank", "prank"),
    "silent": ("hening", "silent"),
    "accidental": ("tidak sengaja", "accidental"),
    "non_emergency": ("bukan darurat / informasi", "non-emergency / information"),
    "duplicate": ("duplikat", "duplicate"),
    "test": ("uji coba", "test"),
    # escalation reasons
    "not_acknowledged": ("belum dikonfirmasi instansi", "not acknowledged by the agency"),
    "no_unit_dispatched": ("belum ada unit dikirim", "no unit dispatched"),
    "no_unit_available": ("tidak ada unit tersedia", "no unit available"),
    # measures
    "processing": ("Pemrosesan panggilan", "Call processing"),
    "acknowledgement": ("Konfirmasi instansi", "Agency acknowledgement"),
    "on_scene": ("Tiba di lokasi", "Arrival on scene"),
    # agencies rows
    "all": ("Semua instansi (unit pertama)", "All agencies (first unit)"),
    "none": ("tanpa instansi", "no agency"),
    "(tidak diketahui)": ("(tidak diketahui)", "(unknown)"),
    # screening bands
    "high": ("kemungkinan palsu tinggi", "high likelihood of a false call"),
    "medium": ("kemungkinan palsu sedang", "medium likelihood of a false call"),
    "low": ("kemungkinan palsu rendah", "low likelihood of a false call"),
    # statuses
    "pass": ("LULUS", "PASS"),
    "fail": ("GAGAL", "FAIL"),
    "no_data": ("tidak ada data", "no data"),
}

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Laporan KPI Siaga112", "Siaga112 KPI report"),
    "period": ("Periode", "Period"),
    "calls": ("panggilan", "calls"),
    "incidents": ("insiden", "incidents"),
    "seconds": ("detik", "seconds"),
    "source": (
        "Dihitung ulang dari log peristiwa sampai posisi {head}.",
        "Rebuilt from the event log up to position {head}.",
    ),
    "source_projection": (
        "Dibaca dari proyeksi kpis pada posisi {position} (log sampai posisi {head}).",
        "Read from the kpis projection at position {position} (event log up to {head}).",
    ),
    "behind": (
        "PERHATIAN: proyeksi tertinggal {behind} peristiwa dari log; angka ini belum mencakup "
        "peristiwa sejak posisi {first}.",
        "WARNING: the projection is {behind} events behind the log; these figures do not yet "
        "include the events from position {first} on.",
    ),
    "summary": (
        "{total} insiden diterima dalam periode ini; semuanya dihitung.",
        "{total} incidents received in this period; every one is counted.",
    ),
    "measures": ("Ukuran NFPA 1225 dan target", "NFPA 1225 measures and targets"),
    "agency": ("Instansi", "Agency"),
    "measure": ("Ukuran", "Measure"),
    "counted": ("Dihitung", "Counted"),
    "missed": ("Gagal (tanpa unit / tanpa konfirmasi)", "Missed (no unit / never acknowledged)"),
    "pending": ("Masih berjalan", "Still running"),
    "target": ("Target", "Target"),
    "within": ("Dalam target", "Within target"),
    "result": ("Hasil (≥ 90 %)", "Result (≥ 90 %)"),
    "no_arrival": ("tanpa catatan tiba", "no arrival recorded"),
    "escalations": ("Eskalasi menurut alasan dan instansi", "Escalations by reason and agency"),
    "no_escalations": ("Tidak ada eskalasi dalam periode ini.", "No escalations in this period."),
    "reason": ("Alasan", "Reason"),
    "count": ("Jumlah", "Count"),
    "share": ("Persentase", "Share"),
    "dispositions": ("Disposisi insiden yang ditutup", "Dispositions of closed incidents"),
    "disposition": ("Disposisi", "Disposition"),
    "open": ("Masih terbuka: {open}", "Still open: {open}"),
    "queue": (
        "Antrean verifikasi (ditandai → diverifikasi atau ditutup)",
        "Verification queue (flagged → verified or closed)",
    ),
    "handoffs": ("Pelimpahan antarinstansi", "Hand-offs between agencies"),
    "no_handoffs": ("Tidak ada pelimpahan dalam periode ini.", "No hand-offs in this period."),
    "week": ("Minggu", "Week"),
    "pair": ("Dari → ke", "From → to"),
    "def_handoffs": (
        "Pelimpahan: instansi yang tidak ada di rute pertama yang akhirnya mengonfirmasi; waktu "
        "hilang = rute pertama → konfirmasi itu.",
        "Hand-off: an agency not in the first routing acknowledged in the end; time lost = "
        "first routing → that acknowledgement.",
    ),
    "screening": ("Kinerja penyaringan panggilan palsu", "How the false-call screening performs"),
    "band": ("Tingkat", "Band"),
    "turned_false": ("Ternyata palsu", "Turned out false"),
    "turned_genuine": ("Ternyata asli", "Turned out genuine"),
    "not_known": ("Belum diketahui", "Not known yet"),
    "def_screening": (
        "Tingkat terakhir yang dilihat operator (model atau koreksi operator) dibandingkan hasil "
        "telepon balik, atau disposisi saat ditutup.",
        "The band the operator saw last (model or override) against the call-back's verdict, "
        "else the closing disposition.",
    ),
    "queue_name": ("Antrean", "Queue"),
    "queue_all": ("semua yang ditandai", "all flagged"),
    "queue_first": ("telepon balik dulu", "call back first"),
    "still_waiting": ("Masih menunggu: {n}", "Still waiting: {n}"),
    "kecamatan": ("Kecamatan", "Kecamatan"),
    "category": ("Kategori", "Category"),
    "hour": ("Jam", "Hour"),
    "charts": ("Grafik", "Charts"),
    "definitions": ("Definisi", "Definitions"),
    "def_processing": (
        "laporan diterima → unit pertama dikirim; insiden yang membutuhkan unit tetapi tidak "
        "pernah mendapatkannya dihitung gagal",
        "report received → first unit dispatched; an incident that needed a unit and never got "
        "one counts as a miss",
    ),
    "def_acknowledgement": (
        "insiden dirutekan ke instansi → dikonfirmasi; target menurut prioritas, yang tidak "
        "pernah dikonfirmasi dihitung gagal",
        "routed to the agency → acknowledged; the target depends on the priority, never "
        "acknowledged counts as a miss",
    ),
    "def_on_scene": (
        "unit pertama dikirim → unit pertama tiba di lokasi",
        "first unit dispatched → first unit on scene",
    ),
    "def_rule": (
        "Lulus bila ≥ 90 % insiden yang dihitung berada dalam target (NFPA 1225: 90 %).",
        "Passes when ≥ 90 % of the counted incidents are within the target (NFPA 1225: 90 %).",
    ),
    "chart_by_hour": ("Panggilan per jam (WITA)", "Calls by hour (WITA)"),
    "chart_by_category": ("Panggilan per kategori", "Calls by category"),
    "chart_dispositions": ("Insiden ditutup per disposisi", "Closed incidents by disposition"),
    "chart_escalations": ("Eskalasi per alasan", "Escalations by reason"),
    "chart_measure": (
        "{measure}: p90 per instansi (target {target})",
        "{measure}: p90 by agency (target {target})",
    ),
}


def word(code: str, lang: Lang) -> str:
    """The reader's word for a code: category, agency, disposition, reason, measure, status."""
    index = 0 if lang == "id" else 1
    for enum in (Category, Agency):
        try:
            member = enum(code)
        except ValueError:
            continue
        return member.label_id if index == 0 else member.label_en
    if code in _WORDS:
        return _WORDS[code][index]
    return code


def text(key: str, lang: Lang, **values: object) -> str:
    """A sentence of the report, filled in."""
    return _TEXT[key][0 if lang == "id" else 1].format(**values)


def percent(value: float | None, lang: Lang) -> str:
    """``93,3 %`` (Indonesian decimal comma) or ``93.3 %``; ``–`` for none."""
    if value is None:
        return "–"
    shown = f"{value:.1f}"
    return (shown.replace(".", ",") if lang == "id" else shown) + " %"


def seconds(value: float | None, lang: Lang) -> str:
    """A duration: ``45 s``, ``2 min 05 s``."""
    if value is None:
        return "–"
    whole = round(value)
    if whole < 60:
        return f"{whole} s" if lang == "en" else f"{whole} dtk"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest:02d} s" if lang == "en" else f"{minutes} mnt {rest:02d} dtk"


_MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def local_time(moment: datetime, lang: Lang) -> str:
    """``22 Nov 2026 09:30`` in the zone the moment carries."""
    month = _MONTHS[lang][moment.month - 1]
    return f"{moment.day} {month} {moment.year} {moment:%H:%M}"
