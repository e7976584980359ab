"""Turning log-odds contributions into 2–4 plain reasons, in Indonesian and English."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from classifier.compiled import Scored
from classifier.features import UNKNOWN_LABELS, FeatureValue
from classifier.score import Reason
from domain.taxonomy import Category, Channel, LocationSource

MIN_REASONS = 2
MAX_REASONS = 4
#: Beyond the first two, only contributions at least this large (log-odds) are shown.
MIN_EXTRA_WEIGHT = 0.2

Record = Mapping[str, FeatureValue]
Texts = tuple[str, str]

# Words for the codes a reason names, so no code shows in either language.
SOURCE_WORDS: dict[str, Texts] = {
    LocationSource.AML.value: ("AML", "AML"),
    LocationSource.DEVICE.value: ("perangkat", "device"),
    LocationSource.OPERATOR_MAP.value: ("klik peta", "map click"),
    LocationSource.TYPED.value: ("diketik", "typed"),
    LocationSource.KELURAHAN.value: ("pusat kelurahan", "kelurahan centre"),
    LocationSource.CELL.value: ("BTS", "cell tower"),
}
CHANNEL_WORDS: dict[str, Texts] = {
    Channel.VOICE.value: ("telepon", "voice call"),
    Channel.SMS.value: ("SMS", "SMS"),
    Channel.APP.value: ("aplikasi", "app"),
    Channel.AML.value: ("telepon dengan AML", "call with AML"),
    Channel.WALK_IN.value: ("datang langsung", "walk-in"),
    Channel.RADIO.value: ("radio", "radio"),
}


def model_reasons(scored: Scored, record: Record, limit: int = MAX_REASONS) -> list[Reason]:
    """The strongest contributions, strongest first (weight > 0 pushes towards false).

    A group that contributes nothing (an unknown value takes the reference value) is never a
    reason: ``unknown_reason`` lists what the report left unknown instead.
    """
    candidates = [(group, weight) for group, weight in scored.groups.items() if weight != 0.0]
    candidates += [
        (f"word:{word}", weight)
        for word, weight in scored.words.items()
        if len(word) >= 3 and not word.isdigit()
    ]
    candidates.sort(key=lambda item: abs(item[1]), reverse=True)
    chosen = [
        c for i, c in enumerate(candidates) if i < MIN_REASONS or abs(c[1]) >= MIN_EXTRA_WEIGHT
    ][: max(limit, 0)]
    return [_reason(code, weight, record) for code, weight in chosen]


def unknown_reason(record: Record) -> Reason | None:
    """One neutral reason naming what the report left unknown (None when nothing is)."""
    value = record.get("unknown")
    groups = [g for g in value.split(",") if g in UNKNOWN_LABELS] if isinstance(value, str) else []
    if not groups:
        return None
    text_id = ", ".join(UNKNOWN_LABELS[g][0] for g in groups)
    text_en = ", ".join(UNKNOWN_LABELS[g][1] for g in groups)
    return Reason(
        code="unknown",
        text_id=f"Tidak diketahui: {text_id} (bukan bukti panggilan palsu)",
        text_en=f"Unknown: {text_en} (not evidence of a false call)",
        weight=0.0,
    )


def _reason(code: str, weight: float, record: Record) -> Reason:
    if code.startswith("word:"):
        word = code[5:]
        text_id, text_en = f"Kata '{word}' dalam keterangan", f"The word '{word}' in the summary"
    else:
        text_id, text_en = group_texts(code, record)
    if weight >= 0:
        text_id, text_en = f"{text_id} → cenderung palsu", f"{text_en} → points to a false call"
    else:
        text_id, text_en = f"{text_id} → cenderung asli", f"{text_en} → points to a genuine call"
    return Reason(code=code, text_id=text_id, text_en=text_en, weight=round(weight, 4))


def group_texts(code: str, record: Record) -> Texts:
    """What a feature group says about this report, in Indonesian and English."""
    return _DESCRIBE.get(code, _unknown(code))(record)


def _unknown(code: str) -> Callable[[Record], Texts]:
    return lambda _: (f"Faktor {code}", f"Factor {code}")


def _num(record: Record, key: str) -> float:
    value = record.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _duration(r: Record) -> Texts:
    d = r.get("call_duration_s")
    if not isinstance(d, int | float):
        return "Durasi panggilan tidak diketahui", "Call duration unknown"
    return f"Durasi panggilan {d:.0f} detik", f"Call lasted {d:.0f} s"


def _speech(r: Record) -> Texts:
    s = r.get("first_speech_s")
    if r.get("silent") and r.get("channel") in ("sms", "app"):
        return "Pesan tanpa isi", "Message with nothing in it"
    if r.get("silent"):
        return "Panggilan tanpa suara (dicatat)", "Silent call (as recorded)"
    if not isinstance(s, int | float):
        return "Penelepon bicara, waktunya tidak diketahui", "Caller spoke, time unknown"
    return f"Penelepon mulai bicara setelah {s:.0f} detik", f"Caller spoke after {s:.0f} s"


def _location(r: Record) -> Texts:
    if not r.get("has_location"):
        return "Lokasi tidak diketahui", "Location unknown"
    code, accuracy = r.get("location_source"), r.get("location_accuracy_m")
    source_id, source_en = (
        SOURCE_WORDS.get(code, ("?", "?")) if isinstance(code, str) else ("?", "?")
    )
    acc = f", ±{accuracy:.0f} m" if isinstance(accuracy, int | float) else ""
    return f"Lokasi tersedia ({source_id}{acc})", f"Location available ({source_en}{acc})"


def _channel(r: Record) -> Texts:
    code = r.get("channel")
    words = CHANNEL_WORDS.get(code) if isinstance(code, str) else None
    channel_id, channel_en = words or ("saluran tak dikenal", "an unknown channel")
    return f"Laporan lewat {channel_id}", f"Reported via {channel_en}"


def _category(r: Record) -> Texts:
    value = r.get("category")
    if not isinstance(value, str):
        return "Tanpa kategori", "No category"
    category = Category(value)
    return f"Kategori: {category.label_id}", f"Category: {category.label_en}"


def _persons(r: Record) -> Texts:
    if _num(r, "persons_involved") or _num(r, "injuries") or r.get("hazards"):
        return "Ada orang terlibat, korban atau bahaya dicatat", "People, injuries or hazards noted"
    return "Tidak ada korban atau bahaya dicatat", "No people, injuries or hazards noted"


def _time(r: Record) -> Texts:
    hour = _num(r, "hour_local")
    clock = f"{int(hour):02d}:{round(hour % 1 * 60) % 60:02d} WITA"
    if r.get("night"):
        return f"Panggilan malam hari ({clock})", f"Night-time call ({clock})"
    return f"Waktu panggilan {clock}", f"Call at {clock}"


def _disaster(r: Record) -> Texts:
    if r.get("disaster_context"):
        return "Sedang ada status bencana", "Disaster alert active"
    return "Tidak ada status bencana", "No disaster alert"


def _repeat(r: Record) -> Texts:
    h1, h24, d30 = int(_num(r, "calls_1h")), int(_num(r, "calls_24h")), int(_num(r, "calls_30d"))
    if not (h1 or h24 or d30):
        return "Tidak ada panggilan sebelumnya dari nomor ini", "No earlier calls from this number"
    return (
        f"Nomor ini menelepon {h1}× dalam 1 jam, {h24}× dalam 24 jam, {d30}× dalam 30 hari",
        f"This number called {h1}× in 1 h, {h24}× in 24 h, {d30}× in 30 days",
    )


def _history(key: str, id_label: str, en_label: str) -> Callable[[Record], Texts]:
    def describe(r: Record) -> Texts:
        n = int(_num(r, key))
        return f"{n} laporan sebelumnya {id_label}", f"{n} earlier reports {en_label}"

    return describe


def _keywords(
    key: str, id_label: str, en_label: str, id_none: str, en_none: str
) -> Callable[[Record], Texts]:
    def describe(r: Record) -> Texts:
        terms = r.get(f"{key}_terms")
        suffix = f": {terms}" if isinstance(terms, str) else ""
        if r.get(f"kw_{key}"):
            return f"{id_label}{suffix}", f"{en_label}{suffix}"
        return id_none, en_none

    return describe


def _context(r: Record) -> Texts:
    found = r.get("life_threat_discounted")
    if isinstance(found, str):
        return f"Kata ancaman jiwa bukan laporan kejadian: {found}", f"Not reported: {found}"
    return "Tidak ada kata ancaman jiwa dalam konteks lain", "No life-threat word out of context"


def _hoax(r: Record) -> Texts:
    if r.get("hoax_observed"):
        return (
            "Petugas mencatat penelepon tertawa / mengaku bercanda",
            "The call-taker observed laughter / an admitted joke",
        )
    return "Petugas tidak mencatat tanda bercanda", "The call-taker observed no hoax"


def _nothing_heard(r: Record) -> Texts:
    terms = r.get("background_terms")
    if r.get("silent_background") and isinstance(terms, str):
        return (
            f"Hanya suara latar terdengar ({terms}), tanpa tanda orang",
            f"Only background sound heard ({terms}), no sign of anyone",
        )
    if r.get("silent_no_signs"):
        return "Hening, tidak terdengar tanda orang", "Silent, no sign of anyone heard"
    return "Tidak hening atau ada tanda orang", "Not silent, or signs of someone"


_DESCRIBE: dict[str, Callable[[Record], Texts]] = {
    "context": _context,
    "nothing_heard": _nothing_heard,
    "hoax": _hoax,
    "duration": _duration,
    "speech": _speech,
    "location": _location,
    "channel": _channel,
    "category": _category,
    "persons": _persons,
    "time": _time,
    "disaster": _disaster,
    "repeat_calls": _repeat,
    "prior_false": _history("prior_false", "ditutup sebagai tidak asli", "closed as not genuine"),
    "prior_genuine": _history("prior_genuine", "berupa darurat asli", "were genuine emergencies"),
    "prior_silent": _history("prior_silent", "tanpa suara", "were silent calls"),
    "kw_life_threat": _keywords(
        "life_threat",
        "Ada kata ancaman jiwa",
        "Life-threat words",
        "Tidak ada kata ancaman jiwa",
        "No life-threat words",
    ),
    "kw_signs_of_life": _keywords(
        "signs_of_life",
        "Ada tanda orang di telepon",
        "Signs of someone on the line",
        "Tidak ada tanda orang di telepon",
        "No sign of anyone on the line",
    ),
    "kw_info_request": _keywords(
        "info_request",
        "Berisi permintaan informasi",
        "Looks like an information request",
        "Bukan permintaan informasi",
        "Not an information request",
    ),
    "kw_prank_marker": _keywords(
        "prank_marker",
        "Ada tanda iseng (tertawa, minta kenalan, dll.)",
        "Prank markers (laughing, chatting up, ...)",
        "Tidak ada tanda iseng",
        "No prank markers",
    ),
    "kw_awaiting_help": _keywords(
        "awaiting_help",
        "Penelepon menunggu bantuan yang sudah diminta",
        "The caller is waiting for help already asked for",
        "Tidak menunggu bantuan",
        "Not waiting for help",
    ),
    "kw_accidental_marker": _keywords(
        "accidental_marker",
        "Ada tanda tidak sengaja (kepencet)",
        "Signs of an accidental call (pocket dial)",
        "Tidak ada tanda tidak sengaja",
        "No sign of an accidental call",
    ),
}
