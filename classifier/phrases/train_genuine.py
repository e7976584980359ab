# ruff: noqa: E501  (one template per line reads better than wrapped strings)
"""Family ``train``: the genuine emergency templates, by category (split from
:mod:`classifier.phrases.family_train` to keep modules short)."""

from __future__ import annotations

GENUINE: dict[str, tuple[str, ...]] = {
    "kebakaran": (
        "Pelapor melaporkan kebakaran rumah warga di {place}. Api sudah membesar dan asap hitam terlihat dari jalan, mohon damkar segera.",
        "Terjadi kebakaran gudang di {place}, diduga korsleting listrik, warga mencoba memadamkan dengan ember.",
        "Lahan semak di {place} terbakar, api merambat mendekati permukiman karena angin kencang.",
        "Rumah kayu di {place} terbakar, penghuni {n} orang sudah keluar, api menjalar ke rumah sebelah.",
        "Tabung gas di dapur warung makan di {place} bocor dan menyala, pemilik panik.",
        "kebakaran rmh warga {place}, api msh besar",
        "gudang kayu kebakar dkt {landmark}",
    ),
    "kecelakaan_lalu_lintas": (
        "Kecelakaan lalu lintas antara {vehicle} dan {vehicle2} di {place}, {n} korban luka, satu tidak sadar.",
        "Pengendara {vehicle} jatuh sendiri di {place} karena menghindari lubang, kaki korban tidak bisa digerakkan.",
        "Tabrakan beruntun di tanjakan {place}, truk rem blong, jalan macet total.",
        "{vehicle} terperosok ke parit di {place}, pengemudi terjepit di dalam.",
        "laka {vehicle} di {place}, 2 korban",
        "tabrakan {vehicle} vs {vehicle2} dpn {landmark}",
    ),
    "medis": (
        "Pelapor minta ambulans, {victim} di {place} tiba-tiba sesak napas dan bibirnya membiru.",
        "Ibu hamil di {place} sudah pecah ketuban dan mau melahirkan, tidak ada kendaraan ke rumah sakit.",
        "{victim} jatuh di kamar mandi di {place}, kepala berdarah, masih sadar tapi lemas.",
        "Anak umur {age} tahun kejang dan demam tinggi di {place}, orang tua panik.",
        "Lansia di {place} tidak merespons saat dibangunkan keluarga, minta bantuan segera.",
        "Pelapor menemukan orang tergeletak di pinggir jalan {place}, masih bernapas, tidak ada identitas.",
        "{victim} di {place} mengeluh nyeri dada hebat dan keringat dingin sejak setengah jam lalu.",
        "org pingsan di masjid {kel}",
        "ybs sesak, minta ambulan ke {place}",
        "nenek jatuh, kepala bocor, {place}",
    ),
    "kriminal": (
        "Pelapor menjadi korban jambret di {place}, tas berisi HP dan dompet dibawa pelaku bermotor.",
        "Maling masuk rumah di {place}, pelaku masih di dalam, pemilik bersembunyi di kamar.",
        "Warga menangkap terduga pencuri motor di {place}, massa mulai berkumpul, minta polisi datang.",
        "Korban dipepet dan diancam senjata tajam oleh dua orang di jalan sepi {place}.",
        "maling di rmh ybs, {place}",
        "jambret di {landmark}, korban perempuan",
    ),
    "kekerasan": (
        "Pelapor perempuan mengaku dipukuli suaminya di rumah di {place}, sekarang mengunci diri di kamar.",
        "Terdengar keributan dan teriakan dari rumah tetangga di {place}, pelapor khawatir ada KDRT.",
        "Perkelahian antar pemuda di {place}, satu orang luka di kepala.",
        "Menurut tetangga, seorang anak di {place} sering dianiaya orang tuanya dan sekarang menangis terus.",
    ),
    "banjir": (
        "Banjir setinggi pinggang di {place}, air terus naik, ada lansia dan bayi yang belum bisa keluar rumah.",
        "Air {river} meluap ke permukiman {place}, warga minta perahu untuk evakuasi.",
        "Banjir masuk rumah di {place} sementara listrik masih menyala, warga takut kesetrum.",
        "banjir sepaha di {place}, warga minta evakuasi",
    ),
    "tanah_longsor": (
        "Tanah longsor di belakang rumah di {place} setelah hujan deras, dapur tertimbun, penghuni sempat keluar.",
        "Longsor menutup jalan di {place}, ada motor yang tertimbun, belum tahu ada korban atau tidak.",
        "Tebing di {place} retak dan mulai runtuh sedikit demi sedikit, lima rumah di bawahnya.",
    ),
    "orang_tenggelam": (
        "Anak umur {age} tahun tenggelam saat berenang di {river} dekat {place}, belum ditemukan.",
        "Seorang pria terseret arus saat memancing di {river}, temannya yang melapor.",
        "Remaja hilang di {river} di {place}, warga sudah mencari {n} jam.",
    ),
    "pohon_tumbang": (
        "Pohon besar tumbang menutup Jl. {street} setelah angin kencang, kendaraan tidak bisa lewat.",
        "Pohon tumbang menimpa rumah dan kabel listrik di {place}, kabel masih menyala di jalan.",
        "Dahan besar patah dan menimpa mobil yang parkir di {place}, tidak ada orang di dalam.",
        "pohon tumbang jln {street}",
        "pohon roboh timpa rumah di {kel}",
    ),
    "hewan_berbahaya": (
        "Ular kobra masuk ke rumah di {place}, bersembunyi di bawah lemari, ada anak kecil di rumah.",
        "Buaya terlihat di tepi {river} dekat permukiman {place}, warga resah.",
        "Sarang tawon besar di plafon rumah di {place}, {n} anggota keluarga sudah disengat.",
        "Ular piton sepanjang {n} meter memangsa ayam warga di {place}.",
        "ular di dapur ybs, {place}",
        "ada biawak besar masuk rumah di {kel}",
    ),
    "gangguan_ketertiban": (
        "Orang dengan gangguan jiwa mengamuk di {place} dan melempari rumah warga dengan batu.",
        "Sekelompok pemuda mabuk membuat keributan di {place} dan menantang warga.",
        "Tawuran pelajar di dekat {landmark}, beberapa membawa kayu dan batu.",
        "ribut2 org mabuk di {place}",
    ),
    "lainnya": (
        "Kabel listrik putus dan menjuntai ke jalan di {place}, terlihat percikan.",
        "Cincin tersangkut di jari anak di {place}, jari membengkak dan membiru, minta bantuan damkar.",
        "Anak kecil terkunci di dalam mobil di parkiran {landmark}, kunci tertinggal di dalam.",
        "Lansia pikun pergi dari rumah sejak pagi di {place} dan belum kembali, keluarga sudah mencari.",
    ),
}
