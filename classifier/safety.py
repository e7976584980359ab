"""Deterministic rules around the model (CONTEXT.md, research §3.4).

* A threat to life *reported* in the summary or the hazards (fire, not breathing, drowning,
  blood, weapons, "tolong" … with Banjar and typo variants), or reported injuries, bands the
  report LOW whatever the model says. A life-threat word that is asked about, denied, past,
  supposed or figurative (:mod:`classifier.context`) reports no event, and the rule does not
  apply to it. A reported threat yields only to the call-taker's own observation of a hoax
  (``hoax_observed``: "penelepon tertawa / mengaku bercanda" ticked), never to words alone.
  Whatever the band, the life-threat words stay visible in the reasons.
* Silence is not evidence of a false call. A call is silent here when it was recorded as
  silent, or when no silence flag was sent and the call-taker's summary says nobody spoke
  (these rules only lower a band, so a missing flag never removes them). A silent call with
  signs of life (breathing, noise, crying, taps, a voice heard) or a silent call from a number
  that called recently goes to the top of the call-back queue (``callback_first``). A silent
  call with signs of life is never banded HIGH (at most MEDIUM: someone is there, and a HIGH
  band would invite the operator to dismiss it), nor is a repeated silent call from a number
  with no silent or false call on record (someone new trying again). A number whose earlier
  calls were closed as silent or false keeps the band its report earns on its own
  (``history_alone`` still applies, so its record never lifts it to HIGH; a sign of life
  still caps it at MEDIUM), and is still called back first, whatever the band.
* The caller's past alone never makes a report HIGH: if the report would not be HIGH with the
  number's earlier calls taken out, it is banded MEDIUM (``history_alone``). A number known
  for pranks may one day report a real emergency (research §3.1, Penajam Paser Utara), and
  that report must be judged on what it says.
* Anything that prevents a trustworthy score (kill switch, no model, bad input, error,
  timeout) yields a score that treats the call as genuine: band LOW, ``p_false`` 0.0.

The score never routes, drops, blocks or delays a call; the bands only annotate.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier import context
from classifier.features import Extracted, FeatureValue
from classifier.score import GENUINE_ONLY, Reason, Score
from domain.taxonomy import ScoreBand

LIFE_THREAT = "life_threat_keywords"
INJURIES = "injuries_reported"
SILENT_SIGNS = "silent_with_signs_of_life"
SILENT_REPEAT = "silent_repeat_caller"
HISTORY_ALONE = "history_alone"
DISABLED = "disabled"
MODEL_UNAVAILABLE = "model_unavailable"
UNKNOWN_INPUT = "unknown_input"
SCORING_ERROR = "scoring_error"
TIMEOUT = "timeout"
# Every rule a score can name (its reason code is "rule:<name>"; clients translate the name).
RULES = (
    LIFE_THREAT,
    INJURIES,
    SILENT_SIGNS,
    SILENT_REPEAT,
    HISTORY_ALONE,
    DISABLED,
    MODEL_UNAVAILABLE,
    UNKNOWN_INPUT,
    SCORING_ERROR,
    TIMEOUT,
)

_FAIL_SAFE_TEXT: dict[str, tuple[str, str]] = {
    DISABLED: ("Penilaian otomatis dimatikan (kill switch)", "Automatic scoring is switched off"),
    MODEL_UNAVAILABLE: ("Model tidak tersedia", "No usable model is loaded"),
    UNKNOWN_INPUT: (
        "Data laporan tidak dikenali model",
        "The report has data the model does not know",
    ),
    SCORING_ERROR: ("Penilaian gagal karena kesalahan", "Scoring failed with an error"),
    TIMEOUT: ("Penilaian melebihi batas waktu", "Scoring took longer than its time budget"),
}
_TREATED_AS_GENUINE = Reason(
    code="treated_as_genuine",
    text_id="Diperlakukan sebagai laporan darurat asli; ikuti prosedur biasa",
    text_en="Treated as a genuine emergency; follow the normal procedure",
    weight=0.0,
)


@dataclass(frozen=True)
class Verdict:
    """What the rules made of a model band."""

    band: ScoreBand
    rule: str | None
    callback_first: bool
    reasons: tuple[Reason, ...]


def apply_rules(
    row: Extracted, injuries: int | None, band: ScoreBand, band_without_history: ScoreBand
) -> Verdict:
    """The band after the safety rules, the strongest rule that fired and its reasons.

    ``band_without_history`` is the model's band for the report with the caller's past taken
    out where it pointed towards false.
    """
    rule: str | None = None
    reasons: list[Reason] = []
    if row.life_threat and not row.hoax_observed:
        terms = ", ".join(row.life_threat[:4])
        rule, band = LIFE_THREAT, ScoreBand.LOW
        reasons.append(
            Reason(
                code=f"rule:{LIFE_THREAT}",
                text_id=f"Ada tanda ancaman jiwa ({terms}): diperlakukan sebagai darurat asli",
                text_en=f"Life-threat signal ({terms}): treated as a genuine emergency",
                weight=0.0,
            )
        )
    elif row.life_threat or row.discounted:
        reasons.append(_threat_words_seen(row))
    if rule is None and injuries:
        rule, band = INJURIES, ScoreBand.LOW
        reasons.append(
            Reason(
                code=f"rule:{INJURIES}",
                text_id=f"{injuries} korban luka dilaporkan: diperlakukan sebagai darurat asli",
                text_en=f"{injuries} injured reported: treated as a genuine emergency",
                weight=0.0,
            )
        )
    quiet = row.silent or row.quiet  # the summary says nobody spoke and no flag said otherwise
    callback_first = quiet and (bool(row.signs_of_life) or row.repeat_caller)
    if callback_first:
        silent_rule = SILENT_SIGNS if row.signs_of_life else SILENT_REPEAT
        rule = rule or silent_rule
        if band is ScoreBand.HIGH and (row.signs_of_life or not _record_explains_repeat(row)):
            band = ScoreBand.MEDIUM
        reasons.append(_silent_reason(silent_rule, row))
    if band is ScoreBand.HIGH and band_without_history is not ScoreBand.HIGH:
        rule, band = HISTORY_ALONE, ScoreBand.MEDIUM
        reasons.append(
            Reason(
                code=f"rule:{HISTORY_ALONE}",
                text_id="Hanya riwayat nomor ini yang membuatnya tinggi: nilai dari isi laporan",
                text_en="Only this number's past makes it high: judge the report on its content",
                weight=0.0,
            )
        )
    if band is ScoreBand.HIGH and row.framing and not (quiet or row.hoax_observed):
        band = ScoreBand.MEDIUM  # a reason, not a rule: it names no new rule for clients
        reasons.extend(_FRAMING[reading] for reading in row.framing)
    return Verdict(band, rule, callback_first, tuple(reasons))


#: Readings of :mod:`classifier.framing`: the marker may not be the caller's; never HIGH.
_FRAMING = {
    "third_party_joke": Reason(
        code="third_party_joke",
        text_id="Candaan orang lain yang melukai seseorang, bukan candaan penelepon: "
        "paling tinggi sedang",
        text_en="Someone else's horseplay that hurt a person, not the caller's joke: "
        "at most medium",
        weight=0.0,
    ),
    "present_danger_asked": Reason(
        code="present_danger_asked",
        text_id="Pertanyaan / info yang melaporkan bahaya yang ada sekarang: paling tinggi sedang",
        text_en="A question / information that reports a danger present now: at most medium",
        weight=0.0,
    ),
}


def _record_explains_repeat(row: Extracted) -> bool:
    """Earlier calls from the number were closed as silent or false calls."""
    prior = row.record.get("prior_silent"), row.record.get("prior_false")
    return any(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in prior)


def _threat_words_seen(row: Extracted) -> Reason:
    """Life-threat words the rule did not act on, named so the operator still sees them."""
    if row.life_threat:  # reported, but the call-taker observed a hoax
        terms = ", ".join(row.life_threat[:4])
        return Reason(
            code="life_threat_hoax_observed",
            text_id=f"Kata ancaman jiwa ({terms}); petugas mencatat penelepon tertawa / mengaku "
            "bercanda: pastikan dengan telepon balik",
            text_en=f"Life-threat words ({terms}); the call-taker observed laughter / an "
            "admitted joke: confirm by calling back",
            weight=0.0,
        )
    parts_id = [f"{t}: {context.CONTEXTS[c][0]}" for t, c in row.discounted[:3]]
    parts_en = [f"{t}: {context.CONTEXTS[c][1]}" for t, c in row.discounted[:3]]
    return Reason(
        code="life_threat_context",
        text_id=f"Kata ancaman jiwa tanpa kejadian yang dilaporkan ({'; '.join(parts_id)})",
        text_en=f"Life-threat words with no event reported ({'; '.join(parts_en)})",
        weight=0.0,
    )


def _silent_reason(rule: str, row: Extracted) -> Reason:
    if rule == SILENT_SIGNS:
        signs = ", ".join(row.signs_of_life[:3])
        return Reason(
            code=f"rule:{SILENT_SIGNS}",
            text_id=f"Panggilan tanpa suara dengan tanda kehidupan ({signs}): telepon balik dulu",
            text_en=f"Silent call with signs of life ({signs}): call back first",
            weight=0.0,
        )
    return Reason(
        code=f"rule:{SILENT_REPEAT}",
        text_id="Panggilan tanpa suara berulang dari nomor yang sama: telepon balik dulu",
        text_en="Repeated silent calls from the same number: call back first",
        weight=0.0,
    )


def fail_safe(
    rule: str,
    model_version: str,
    *,
    detail: str = "",
    features: dict[str, FeatureValue] | None = None,
) -> Score:
    """A score that treats the call as genuine because no trustworthy score exists."""
    text_id, text_en = _FAIL_SAFE_TEXT.get(rule, ("Tidak ada penilaian", "No assessment"))
    if detail:
        text_id, text_en = f"{text_id}: {detail}", f"{text_en}: {detail}"
    why = Reason(code=f"rule:{rule}", text_id=text_id, text_en=text_en, weight=0.0)
    return Score(
        model_version=model_version,
        p_false=0.0,
        band=ScoreBand.LOW,
        reasons=(why, _TREATED_AS_GENUINE),
        features=dict(features or {}),
        p_class=dict(GENUINE_ONLY),
        safety_rule=rule,
        callback_first=False,
    )
