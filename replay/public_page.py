"""``/publik`` as HTML (Bahasa Indonesia, no script, no external asset) and as open data.

Everything here is drawn from a ``PublicFigures``: aggregates that carry nothing personal.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date, timedelta

from replay.kpi_labels import seconds, word
from replay.public_figures import MIN_CELL, SUPPRESSED, Cell, PublicFigures

MEASURE_NAMES = {
    "processing": "Laporan diterima → unit pertama dikirim",
    "acknowledgement": "Dirutekan → dikonfirmasi instansi",
    "on_scene": "Unit dikirim → tiba di lokasi",
}
KIND_NAMES = {
    "genuine": "Darurat asli",
    "prank": "Iseng / prank",
    "silent": "Hening (tidak ada suara)",
    "accidental": "Tidak sengaja",
    "non_emergency": "Bukan darurat / informasi",
    "duplicate": "Laporan ganda atas kejadian yang sama",
}
BAND_NAMES = {
    "high": "Kemungkinan palsu tinggi",
    "medium": "Kemungkinan palsu sedang",
    "low": "Kemungkinan palsu rendah",
}
RULES = (
    "Hanya angka gabungan: tidak ada nomor penelepon, isi laporan, lokasi persis, jam kejadian, "
    "nomor insiden atau identitas apa pun.",
    "Satuan terkecil adalah satu kecamatan dan satu minggu (minggu ISO, WITA).",
    f"Setiap sel yang berisi kurang dari {MIN_CELL} insiden (termasuk nol) ditampilkan sebagai "
    f"“{SUPPRESSED}”, tidak pernah sebagai angka. Bila satu-satunya sel tersembunyi dapat "
    "dihitung dari totalnya, sel terkecil berikutnya ikut disembunyikan.",
    f"Waktu (rata-rata, persentil ke-90) hanya ditampilkan bila sedikitnya {MIN_CELL} insiden "
    "diukur.",
    "Semua angka dihitung dari log peristiwa sistem Siaga112; periode: 12 minggu terakhir.",
)
GUIDE = (
    (
        "Telepon 112 bila",
        (
            "ada kebakaran, asap atau bau gas;",
            "ada kecelakaan dengan korban, orang pingsan, sesak napas atau berdarah hebat;",
            "ada orang tenggelam atau terseret arus Sungai Mahakam;",
            "kejahatan atau kekerasan sedang terjadi;",
            "banjir, tanah longsor atau pohon tumbang mengancam orang;",
            "ada ular, buaya, lebah atau hewan berbahaya lain di dekat orang.",
        ),
    ),
    (
        "Saat menelepon",
        (
            "sebutkan di mana (nama jalan, gang, patokan, kelurahan), apa yang terjadi, dan berapa "
            "orang yang terluka;",
            "jangan menutup telepon sampai petugas memintanya;",
            "bila tidak bisa bicara, tetap di saluran dan buat suara: kami akan menelepon balik.",
        ),
    ),
    (
        "Jangan telepon 112 untuk",
        (
            "pertanyaan, keluhan atau informasi umum — hubungi kantor layanan terkait;",
            "iseng atau coba-coba: setiap panggilan palsu membuat orang lain yang butuh bantuan "
            "menunggu.",
        ),
    ),
)


def week_label(week: str) -> str:
    """``2026-W47`` → ``16–22 Nov 2026`` (Monday to Sunday)."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    sunday = monday + timedelta(days=6)
    months = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
    return f"{monday.day} {months[monday.month - 1]}–{sunday.day} {months[sunday.month - 1]}"


def _cell(value: Cell | float | None, *, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") + unit
    return f"{value}{unit}"


def _e(value: object) -> str:
    return html.escape(str(value))


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], caption: str) -> str:
    head = "".join(f"<th scope='col'>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><caption>{_e(caption)}</caption><tr>{head}</tr>{body}</table>"


def render_page(figures: PublicFigures) -> str:
    """The transparency page."""
    kecamatan = sorted({c.kecamatan for c in figures.calls})
    cells = {(c.week, c.kecamatan): c.calls for c in figures.calls}
    weeks = figures.weeks
    calls_rows = [(k, *(_cell(cells.get((w, k), SUPPRESSED)) for w in weeks)) for k in kecamatan]
    calls_rows.append(("Seluruh kota", *(_cell(figures.week_totals[w]) for w in weeks)))
    kinds = [
        (KIND_NAMES[k.kind], _cell(k.incidents), _cell(k.percent, unit=" %")) for k in figures.kinds
    ]
    times = [
        (
            word(t.agency, "id"),
            MEASURE_NAMES[t.measure],
            _cell(t.incidents),
            seconds(t.mean_s, "id"),
            seconds(t.p90_s, "id"),
            _target(t.target_s, t.measure),
            _cell(t.percent_within_target, unit=" %"),
        )
        for t in figures.response_times
    ]
    guide = "".join(
        f"<h3>{_e(title)}</h3><ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"
        for title, items in GUIDE
    )
    period = f"{figures.first_day:%d-%m-%Y} s.d. {figures.last_day:%d-%m-%Y}"
    parts = [
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>Siaga 112 Samarinda — Data Terbuka</title>",
        "<link rel='stylesheet' href='/static/css/publik.css'>",
        "<link rel='icon' href='/static/icon.svg'></head><body><main>",
        "<h1>Siaga 112 Samarinda — Data Terbuka</h1>",
        f"<p class='lead'>Angka layanan darurat 112 Kota Samarinda untuk periode {_e(period)} "
        "(12 minggu terakhir, WITA). Tidak perlu masuk; tidak ada data pribadi.</p>",
        "<section id='panduan'><h2>Kapan menelepon 112</h2>"
        "<p>112 gratis, bisa tanpa pulsa dan dari telepon terkunci.</p>" + guide + "</section>",
        "<section id='panggilan'><h2>Laporan per minggu dan kecamatan</h2>",
        _table(
            ("Kecamatan", *(week_label(w) for w in weeks)),
            calls_rows,
            "Jumlah laporan yang diterima per minggu",
        ),
        "</section><section id='jenis'><h2>Jenis panggilan</h2>",
        f"<p>Dari {_e(_cell(figures.closed))} laporan yang sudah ditutup dalam periode ini:</p>",
        _table(("Jenis", "Jumlah", "Persentase"), kinds, "Laporan yang ditutup menurut jenis"),
        "</section><section id='penyaringan'><h2>Kinerja penyaringan panggilan palsu</h2>",
        "<p>Sistem menandai setiap laporan dengan kemungkinan palsu (tinggi, sedang, rendah); "
        "penanda ini tidak pernah memutus atau menunda panggilan. Berikut hasil akhirnya "
        "menurut telepon balik atau saat laporan ditutup:</p>",
        _table(
            ("Penanda", "Ternyata palsu", "Ternyata asli", "Belum diketahui", "Persen palsu"),
            [
                (
                    BAND_NAMES[r.band],
                    _cell(r.turned_false),
                    _cell(r.turned_genuine),
                    _cell(r.not_known),
                    _cell(r.percent_false, unit=" %"),
                )
                for r in figures.screening
            ],
            "Penanda kemungkinan palsu dan hasil akhirnya",
        ),
        "</section><section id='waktu'><h2>Waktu tanggap per instansi</h2>",
        _table(
            (
                "Instansi",
                "Tahap",
                "Insiden",
                "Rata-rata",
                "Persentil ke-90",
                "Target",
                "Dalam target",
            ),
            times,
            "Waktu tanggap dibandingkan target",
        )
        if times
        else "<p>Belum ada insiden yang diukur dalam periode ini.</p>",
        f"<p>Target: pemrosesan panggilan {_e(seconds(figures.targets.processing_s, 'id'))} "
        "(NFPA 1225); konfirmasi instansi menurut prioritas ("
        + _e(", ".join(f"{p} {seconds(v, 'id')}" for p, v in figures.targets.ack_s.items()))
        + f"); tiba di lokasi {_e(seconds(figures.targets.on_scene_s, 'id'))}. "
        "Sedikitnya 90 % insiden harus dalam target. Laporan yang membutuhkan unit tetapi "
        "tidak pernah mendapatkannya dihitung di luar target.</p></section>",
        "<section id='aturan'><h2>Aturan data ini</h2><ul>"
        + "".join(f"<li>{_e(r)}</li>" for r in RULES)
        + "</ul></section>",
        "<section id='unduh'><h2>Data terbuka</h2><p>Angka yang sama, untuk evaluasi oleh "
        "perguruan tinggi dan masyarakat: <a href='/publik/data.csv'>data.csv</a> · "
        "<a href='/publik/data.json'>data.json</a> (dengan kamus data).</p></section>",
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"


def _target(target_s: float | None, measure: str) -> str:
    if target_s is not None:
        return seconds(target_s, "id")
    return "menurut prioritas" if measure == "acknowledgement" else "–"
