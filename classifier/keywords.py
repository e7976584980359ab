"""The keyword lists behind the safety rules and the keyword features.

Written from general knowledge of Indonesian emergency calls, operator shorthand and Banjar
(Samarinda), not fitted to any data. Terms are comma-separated; stems match the start of a
word, phrases whole words, fuzzy words also one-edit typos (see :mod:`classifier.lexicon`).

Precision matters as much as recall: a marker that fires on the wrong sense teaches the model
the wrong thing. So "putus" and "kosong" count as silence only in line phrases ("telepon
putus", "panggilan kosong"), not in "kabel putus" or "lahan kosong"; "info" and "pulsa" count
as questions only in request phrases ("minta info", "isi pulsa"), not in "info warga: asap" or
"penelepon tanpa pulsa"; and English "please" is politeness ("mohon"), not a cry for help.
These fixes came from reading misclassified reports; no term was copied from the held-out
templates.
"""

from __future__ import annotations

from classifier.lexicon import Lexicon, Scanner, terms

#: Fire, breathing, drowning, blood, weapons, violence, "tolong": band LOW whatever the model says.
LIFE_THREAT = Lexicon(
    "life_threat",
    stems=terms(
        """
        kebakar, terbakar, dibakar, membakar, pembakaran, kobaran, berkobar, meledak, ledakan,
        hangus, berasap, tenggelam, hanyut,
        tercebur, terseret arus, pingsan, kejang, sekarat, berdarah, darah, pendarahan, perdarahan,
        senjata, sajam, senpi, pisau, parang, mandau, celurit, clurit, golok, badik, pistol,
        ditembak, penembakan, tembakan, ditusuk, menusuk, penusukan, tertusuk, dibacok, membacok,
        pembacokan, ditikam, menikam, begal, dibegal, rampok, dirampok, perampok, sandera,
        disandera, diculik, penculikan, diperkosa, pemerkosaan, dianiaya, penganiayaan, dipukul,
        memukul, tertimpa, ketimpa, mengamuk, tolong, tertimbun, terjepit, terjebak, terperangkap,
        tersetrum, kesetrum, tersengat listrik, sesak, gantung diri, bunuh diri, overdosis,
        keracunan, ketelen, tertelan, keselek, tersedak, terperosok,
        tabrakan, kecelakaan, ditabrak, tertabrak, ketabrak, terlindas, kelindas, melahirkan, pecah
        ketuban, kdrt, longsor, ambruk, runtuh, roboh, korslet, konslet, korsleting, konsleting,
        banjir, bleeding, burning, drowning, drowned, stabbed, stabbing,
        robbery, explosion, unconscious, unresponsive, overdose, seizure, suicide
        """
    ),
    phrases=terms(
        """
        api, tidak bernapas, tidak napas, henti napas, sesak napas, susah napas, sulit bernapas,
        tidak sadar, tidak sadarkan diri, hilang kesadaran, serangan jantung, stroke, luka parah,
        luka berat, luka tusuk, luka bacok, patah tulang, asap tebal, kepulan asap, korban jiwa,
        meninggal, mayat, gawat, sekarat, laka, lakalantas, laka lantas, mau mati, mati lemas,
        tolong tolong, minta tolong, kabel putus, kabel listrik putus, tiang listrik roboh,
        tiang listrik tumbang, listrik menyambar, jatuh dari motor, jatuh dari pohon, jatuh
        dari tangga, jatuh dari atap, jatuh dari lantai, jatuh dari ketinggian, jatuh dari
        jembatan, terjatuh dari, jatuh ke sumur, jatuh ke sungai, jatuh ke got, jatuh ke parit,
        jatuh ke selokan, jatuh ke jurang, jatuh ke laut, tidak bergerak, tidak gerak,
        not moving, not breathing, blood, knife, gun,
        weapon, shot, shooting, smoke, trapped, crash, accident, heart attack, injured, attacked,
        kidnapped
        """
    ),
    fuzzy=terms(
        """
        kebakaran, terbakar, tenggelam, pingsan, berdarah, pendarahan, kecelakaan, tabrakan,
        perampokan, penusukan, pembacokan, ditusuk, dibacok, tertimbun, tersetrum, keracunan,
        tolong, dipukul, memukul, dianiaya, longsor, korsleting
        """
    ),
)

#: Someone is on a silent line: breathing, noise, crying, taps (call back first).
SIGNS_OF_LIFE = Lexicon(
    "signs_of_life",
    stems=terms(
        """
        napas, bernapas, terengah, engah, dengus, ngorok, gaduh, ribut, keributan, teriak,
        berteriak, jerit, menjerit, nangis, menangis, tangis, isak, terisak, rintih, merintih,
        erang, mengerang, batuk, bisik, berbisik, ketuk, ketukan, benturan, gedebuk, pukulan,
        bentak, membentak, tolong, tembakan, pecah, rintihan, dtmf, sesak, mengaduh, sakit,
        kesakitan, lirih, breathing, crying, scream, shout, moan, tapping, whisper, noise, sobbing
        """
    ),
    phrases=terms(
        """
        suara orang, suara laki, suara pria, suara perempuan, suara wanita, suara anak, suara bayi,
        suara ibu, orang bicara, orang berbicara, menekan tombol, tekan tombol, nada tombol, bunyi
        tombol, tombol ditekan, suara langkah, suara benda jatuh, minta tolong, terdengar suara,
        dengar suara, kedengaran suara, ada suara, suara pelan, suara lirih, bicara pelan,
        berbicara pelan, ngomong pelan, heard a voice, voice heard, benda jatuh, barang jatuh,
        sesuatu jatuh, barang dilempar, dibanting, something falling, something fell, something
        breaking
        """
    ),
    fuzzy=terms(
        """
        napasnya, bernapas, terengah, tangisan, menangis, teriakan, berteriak, jeritan, menjerit,
        rintihan, merintih, erangan, mengerang, berbisik, ketukan, kesakitan
        """
    ),
)

#: Questions and complaints that are not emergencies.
INFO_REQUEST = Lexicon(
    "info_request",
    stems=terms(
        """
        tanya, bertanya, menanyakan, informasi, token, samsat, jadwal, lowongan, pdam, tagihan, ktp,
        bpjs, sandi, password, pemadaman, disdukcapil, dukcapil, alamat kantor, walikota, wali kota,
        perpanjang, pengaduan, keluhan, komplain, berlubang, nanya, nanyain, menanya, harga, sinyal,
        internet, padam, syarat, biaya, pendaftaran, antrean, antrian, operasional, pajak, tilang,
        sampah, wifi, kuota
        """
    ),
    phrases=terms(
        """
        isi pulsa, beli pulsa, kirim pulsa, pulsa hilang, pulsa terpotong, paket data, minta info,
        mau info, cari info, tanya info, info nomor, info jadwal, info alamat, info harga, info
        lowongan, info soal, info tentang, cara, jam buka, nomor telepon, nomor hp, minta nomor,
        lupa pola, kartu keluarga, sim, mati lampu, listrik mati, lampu jalan, jalan rusak, bukan
        darurat, tidak darurat, mau tanya, numpang tanya, gimana cara, bagaimana cara, kantor,
        parkir sembarangan, parkir liar, berisik, bising, musik keras, suara musik
        """
    ),
)

#: What operators note about pranks: laughing, flirting, insults, shifting addresses.
PRANK_MARKER = Lexicon(
    "prank_marker",
    stems=terms(
        """
        tertawa, ketawa, tawa, haha, wkwk, kenalan, iseng, bercanda, becanda, prank, ngeprank,
        godain, menggoda, merayu, pacar, jomblo, mencaci, memaki, makian, cabul, nyanyi, bernyanyi,
        gabut, ngobrol, mainan, berubah ubah, cekikik, mengejek, ngeledek, kasar
        """
    ),
    phrases=terms(
        """
        tutup telepon, menutup telepon, dimatikan, tidak jelas, main main, salam kenal, sudah makan,
        lagi apa, coba coba, mencoba coba, tes nomor, test nomor, ngetes nomor, cuma tes, hanya tes,
        cuma ngetes, hanya ngetes, coba nomor, mencoba nomor, uji coba
        """
    ),
)

#: A caller waiting for help already asked for: a question, but a genuine one ("kapan ambulans
#: datang?", "petugas belum sampai").
AWAITING_HELP = Lexicon(
    "awaiting_help",
    stems=(),
    phrases=terms(
        """
        kapan petugas, kapan bantuan, kapan ambulans, kapan pemadam, kapan polisi, kapan tim,
        kapan datang, kapan sampai, petugas belum, bantuan belum, ambulans belum, pemadam belum,
        polisi belum, belum datang, belum sampai, belum ada yang datang, masih menunggu bantuan,
        petugas datang, petugas sampai, bantuan datang, bantuan sampai, ambulans datang,
        ambulans sampai, pemadam datang, pemadam sampai, polisi datang, polisi sampai,
        where is the ambulance, when will help, still waiting, sudah jalan belum, sudah
        berangkat belum, sudah di jalan, masih lama, lama sekali, nunggu ambulans, menunggu
        ambulans, nunggu petugas, menunggu petugas, nunggu bantuan, ambulans sudah, petugas
        sudah, pemadam sudah, polisi sudah, ini nomor, bener nomor, benar nomor, betul nomor,
        ini 000, ini polisi, ini damkar, ini ambulans
        """
    ),
)

#: Asking verbs: an information request, unless what is asked about is help already asked for.
ASKING = frozenset(
    terms("tanya, bertanya, menanyakan, nanya, nanyain, menanya, mau tanya, numpang tanya")
)

#: Pocket dials and automatic SOS calls.
ACCIDENTAL_MARKER = Lexicon(
    "accidental_marker",
    stems=terms(
        """
        kepencet, kpencet, tertekan, tertindih, kantong, saku, gesekan, terduduki, kedudukan,
        accidentally, pocket
        """
    ),
    phrases=terms(
        """
        tidak sengaja, salah pencet, salah tekan, salah sambung, sos otomatis, tombol darurat,
        panggilan darurat otomatis, maaf salah, anak main hp, hp jatuh, dalam tas, di tas, power
        lima kali, pocket dial, butt dial
        """
    ),
)

#: How operators write that nobody spoke.
SILENCE_MARKER = Lexicon(
    "silence_marker",
    stems=terms("hening, sunyi, ghost, blank, terputus, bisu"),
    phrases=terms(
        """
        tanpa suara, tidak ada suara, tidak bersuara, no voice, silent, silent call, tidak ada
        respon, tidak merespon, tidak menjawab, tidak ada jawaban, diam saja, tidak bicara, tidak
        berbicara, tidak ada yang bicara, panggilan kosong, telepon kosong, telpon kosong, telp
        kosong, line kosong, suara kosong, telepon putus, telpon putus, telp putus, panggilan putus,
        sambungan putus, langsung putus, lalu putus, kemudian putus, terus putus, telepon ditutup,
        telpon ditutup, telp ditutup, langsung ditutup, lalu ditutup, pesan kosong, sms kosong,
        isi pesan kosong, formulir kosong, isian kosong, tanpa isi, tanpa teks, tidak diisi
        """
    ),
)

#: Sound from a device or the surroundings, not from a person on the line (a TV, a radio, a
#: mosque's speaker, an engine, wind, rain, traffic): on a silent line, it says the phone is
#: open somewhere, not that someone is there (see :mod:`classifier.sounds`).
BACKGROUND_SOUND = Lexicon(
    "background_sound",
    stems=terms(
        """
        televisi, television, sinetron, kartun, radio, musik, music, dangdut, speaker, pengeras
        suara, masjid, mesjid, musala, mushola, adzan, azan, pengajian, mengaji, ngaji, khotbah,
        ceramah, genset, generator, mesin, kipas, angin, hujan, kendaraan, lalu lalang, lalu
        lintas, traffic, jangkrik, dengung, youtube
        """
    ),
    phrases=terms(
        """
        tv, lagu, film, video, wind, rain, suara motor, bunyi motor, jalan raya, pasar ramai,
        suara pasar, suara ayam, suara burung, air mengalir, suara air
        """
    ),
)

SCANNER = Scanner(
    (
        LIFE_THREAT,
        SIGNS_OF_LIFE,
        BACKGROUND_SOUND,
        INFO_REQUEST,
        PRANK_MARKER,
        ACCIDENTAL_MARKER,
        SILENCE_MARKER,
        AWAITING_HELP,
    )
)

#: Hazard codes (free text from the intake form) that count as a threat to life.
LIFE_THREAT_HAZARDS = frozenset(
    terms(
        """
        api, asap, chemical, collapse, drowning, electrical, electrocution, explosion, explosive,
        fire, firearm, gas, hazmat, knife, ledakan, listrik, senjata, smoke, trapped, weapon
        """
    )
)
