"""What callers say, as a call-taker would type it (Indonesian, written for this simulator).

Genuine calls are grouped by category with the injuries typically reported; false calls by
kind. The texts are plain and varied on purpose: most genuine calls carry no life-threat
keyword, so a classifier cannot lean on one.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.taxonomy import Category


@dataclass(frozen=True)
class Scene:
    """One kind of genuine emergency: its category, how callers describe it, who is hurt."""

    category: Category
    weight: float  # relative frequency among genuine calls (an assumption, see docs)
    descriptions: tuple[str, ...]
    injuries: tuple[int | None, ...]  # drawn uniformly; None = the caller does not know


SCENES: tuple[Scene, ...] = (
    Scene(
        Category.KEBAKARAN,
        0.18,
        (
            "Rumah terbakar di gang sebelah, asap hitam tebal",
            "Kios di pasar terbakar, warga mencoba memadamkan",
            "Kebakaran gudang dekat jalan utama, api makin besar",
            "Dapur rumah tetangga terbakar, penghuni sudah keluar",
        ),
        (None, 0, 0, 1),
    ),
    Scene(
        Category.KECELAKAAN_LALU_LINTAS,
        0.24,
        (
            "Tabrakan motor dengan mobil di simpang, satu orang tergeletak",
            "Motor jatuh sendiri di turunan, pengendara luka di kaki",
            "Truk menabrak pembatas jalan, sopir terjepit",
            "Dua motor bertabrakan, pengendara berdarah di kepala",
        ),
        (1, 1, 2, None),
    ),
    Scene(
        Category.MEDIS,
        0.22,
        (
            "Bapak tiba-tiba pingsan di rumah, sesak napas",
            "Ibu hamil pendarahan, minta ambulans",
            "Anak kejang dan demam tinggi",
            "Kakek jatuh di kamar mandi, tidak bisa bangun",
        ),
        (1, 1, 1, None),
    ),
    Scene(
        Category.KEKERASAN,
        0.08,
        (
            "Suami memukul istri, terdengar teriakan dari rumah",
            "Perkelahian di depan warung, ada yang terluka",
        ),
        (1, None),
    ),
    Scene(
        Category.KRIMINAL,
        0.08,
        (
            "Rumah dibobol maling, pelaku masih di sekitar",
            "Jambret merampas tas, pelaku kabur naik motor",
        ),
        (0, None),
    ),
    Scene(
        Category.BANJIR,
        0.06,
        (
            "Air masuk rumah setinggi lutut, warga lansia perlu dievakuasi",
            "Banjir di jalan, mobil mogok dan orang terjebak",
        ),
        (0, None),
    ),
    Scene(
        Category.ORANG_TENGGELAM,
        0.03,
        ("Anak hanyut di sungai Mahakam dekat dermaga", "Orang jatuh ke sungai dari perahu"),
        (1,),
    ),
    Scene(
        Category.POHON_TUMBANG,
        0.05,
        ("Pohon besar tumbang menutup jalan", "Pohon tumbang menimpa rumah warga"),
        (0, None),
    ),
    Scene(
        Category.HEWAN_BERBAHAYA,
        0.03,
        ("Ular sanca masuk ke dapur rumah", "Sarang tawon besar di teras rumah"),
        (0,),
    ),
    Scene(
        Category.GANGGUAN_KETERTIBAN,
        0.03,
        ("Sekelompok pemuda mabuk membuat keributan", "Balap liar di jalan raya tengah malam"),
        (0,),
    ),
)

# What a call-taker types for each false-call kind (category, description).
PRANK = (
    (Category.KEBAKARAN, "Ada kebakaran di rumah saya hahaha"),
    (Category.MEDIS, "Teman saya sakit jiwa, bawa saja ke RSJ"),
    (Category.LAINNYA, "Halo mbak, lagi apa? Kenalan dong"),
    (Category.KRIMINAL, "Ada perampokan, pelakunya kamu"),
)
NON_EMERGENCY = (
    (Category.LAINNYA, "Menanyakan nomor telepon PLN untuk listrik padam"),
    (Category.LAINNYA, "Tanya jadwal buka kantor Dukcapil"),
    (Category.LAINNYA, "Melaporkan lampu jalan mati sejak kemarin"),
    (Category.GANGGUAN_KETERTIBAN, "Tetangga menyalakan musik keras, minta ditegur"),
)
SILENT = (
    (Category.LAINNYA, "Tidak ada suara"),
    (Category.LAINNYA, "Hening, tidak ada yang bicara"),
    (Category.LAINNYA, ""),
)
ACCIDENTAL = (
    (Category.LAINNYA, "Penelepon bilang kepencet, tidak ada kejadian"),
    (Category.LAINNYA, "Anak kecil bermain telepon orang tua"),
    (Category.LAINNYA, "Suara gesekan kantong, telepon terputus"),
)
