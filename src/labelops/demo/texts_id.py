"""Indonesian templates for the demo texts, in the informal register people post in.

`{emoji}`, `{meh}`, `{mad}` and `{link}` are shared slots filled by `labelops.demo.texts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

LANGUAGE: Final = "id"

SLOTS: Final[Mapping[str, tuple[str, ...]]] = {
    "name": (
        "Rina",
        "Budi",
        "Dewi",
        "Andi",
        "Sari",
        "Fajar",
        "Putri",
        "Agus",
        "Intan",
        "Rizky",
        "Maya",
        "Dimas",
    ),
    "place": ("alun-alun", "pasar lama", "taman kota", "Kampung Melati", "Sukamaju", "pusat kota"),
    "food": (
        "nasi goreng",
        "sate ayam",
        "bakso",
        "martabak manis",
        "soto",
        "es teler",
        "gado-gado",
        "mi ayam",
    ),
    "team": ("Rajawali FC", "Persikota", "tim kampung kita", "Garuda Muda", "Macan Kota"),
    "when": ("hari ini", "tadi pagi", "malam ini", "akhir pekan ini"),
    "day": ("besok", "hari Sabtu", "Jumat depan", "akhir pekan ini"),
    "topic": (
        "maraton kota",
        "pameran buku",
        "bazar amal",
        "konser di taman",
        "aksi bersih pantai",
        "turnamen catur",
    ),
    # Made-up or generic groups only.
    "group": (
        "orang-orang dari utara",
        "para pendatang itu",
        "orang Valdoria",
        "warga kampung sebelah",
        "orang Zentar",
        "orang-orang dari timur",
    ),
    "insult": ("badut", "bego", "pecundang", "tukang pamer"),
    "amount": ("Rp500.000", "Rp1 juta", "200 USDT", "Rp250 ribu", "0,5 BTC"),
    "number": ("10 ribu", "5.000", "50rb", "1.000"),
}

TEMPLATES: Final[Mapping[str, tuple[str, ...]]] = {
    "none.no_violation": (
        "Akhirnya nyobain {food} di {place} {when}. Worth banget ngantrinya {emoji}",
        "Macet parah di {place} {when}, mending berangkat lebih awal.",
        "Pertandingan seru {when}, {team} mainnya keren banget {emoji}",
        "Pengingat: {topic} mulai {day}. Sampai jumpa di sana!",
        "Hujan seharian di {place}. Pas banget buat rebahan sambil baca buku {emoji}",
        "Selamat ulang tahun, {name}! Semoga tahun ini penuh hal baik {emoji}",
        "Ada yang punya resep {food} yang enak? Punyaku selalu gagal",
        "Bilang {group} itu pemalas cuma prasangka. Nilai orang dari perbuatannya, "
        "bukan dari asalnya.",
        "Lagi-lagi ada yang nyebar kebencian soal {group}. Kita bukan begitu, stop ya.",
        "Jalan-jalan sama {name} keliling {place} {when}, cuacanya pas banget {emoji}",
        "Makasih banyak buat relawan yang bersih-bersih {place} {when} {emoji}",
        "Siapa yang mau ke {topic} {day}? Bareng yuk {emoji}",
        "{food} di {place} murah banget, buruan ke sana sebelum harganya naik",
    ),
    "none.needs_context": (
        "Wah hebat, {team} kalah lagi. Kaget banget aku 🙃",
        "{name} awas ya, ketemu nanti langsung kubunuh 😂 kamu tau salahmu apa",
        "{day} kita hajar mereka habis-habisan, gak ada ampun 😤",
        "Wow {name}, kerja bagus seperti biasa. Jenius banget deh 🙄",
        "Rapat 'sebentar' lagi, cuma tiga jam. Bahagia banget hidupku",
        "Kalau {name} bawa {food} lagi ke pesta, aku pindah negara",
        "wkwk {name} kamu tau apa yang kamu lakuin. Satu grup tau 👀",
        "Iya dong, soalnya {topic} kan hal paling penting di dunia sekarang 🙃",
    ),
    "harass.insult": (
        "Gak ada yang suka sama kamu, {name}. Dasar {insult} {mad}",
        "Pergi sana, {name}. Gak ada yang nanya pendapatmu.",
        "{name} si {insult} beraksi lagi {mad}",
        "Berhenti posting, {name}, dasar {insult}.",
        "Tiap komen {name} makin membuktikan: {insult} sejati.",
        "Jujur ya {name}, kamu {insult} paling parah di grup ini.",
        "Lihat tuh {name} sok pinter. Malu-maluin aja {mad}",
    ),
    "harass.threat": (
        "Kamu bakal nyesel, {name}. Tunggu aja.",
        "Ngomong terus aja, {name}. Nanti kamu lihat sendiri akibatnya.",
        "Aku tau kamu biasa nongkrong di mana, {name}. Sampai ketemu.",
        "Hati-hati kamu, {name}. Urusan kita belum selesai.",
        "Ulangi sekali lagi, nanti kamu tau aku bisa apa.",
        "Ingat hari ini, {name}. Kamu bakal bayar semuanya.",
        "Sekali lagi posting soal aku, kamu bakal nyesel {mad}",
    ),
    "hate.stereotype": (
        "{group} itu pemalas semua, semua orang juga tau.",
        "Jangan pernah kerja bareng {group}, gak ada yang becus.",
        "Khas banget. {group} selalu ngeluh soal apa aja {mad}",
        "Jujur aja, {group} memang gak sepintar kita.",
        "Pasti {group} lagi yang bikin kacau. Semuanya sama aja.",
        "{group} gak bisa dipercaya pegang uang. Fakta.",
        "Kenapa {group} selalu berisik sih? Gak punya sopan santun.",
    ),
    "hate.exclusion": (
        "{group} mending pulang aja ke tempat asalnya.",
        "Kita gak mau {group} di {place}. Usir aja.",
        "Keluarkan {group} dari grup ini. Simpel.",
        "Larang {group} jualan di pasar, mereka bikin rusak semuanya.",
        "{group} gak pantas tinggal di sini. Suruh pergi.",
        "Pemilik kos di {place} jangan mau nyewain kamar ke {group}.",
        "Jangan kasih kerjaan ke {group}, biar mereka pergi dari sini.",
    ),
    "violence.glorification": (
        "Siapa pun yang ngehajar orang itu di {place} semalam pantas dapat medali 🔥",
        "Serangan itu hal terbaik tahun ini. Salut buat pelakunya 🔥",
        "Akhirnya ada yang bikin mereka bayar. Pahlawan semua.",
        "Kerusuhan di {place} kemarin keren banget. Lagi dong 🔥",
        "Terserah kalian mau bilang apa, yang bakar mobil itu legenda.",
        "Kekerasan satu-satunya bahasa yang mereka ngerti. Bangga sama pelakunya.",
        "Yang mulai tawuran pas lawan {team} itu pahlawan sih",
    ),
    "self_harm.disclosure": (
        "Akhir-akhir ini rasanya pengen nyerah aja {meh}",
        "Gak tau buat apa aku terus nyoba. Gak ada yang berubah {meh}",
        "Capek sama semuanya. Kadang cuma pengen menghilang.",
        "Gak bisa tidur lagi. Gak tau bisa bertahan kayak gini berapa lama lagi {meh}",
        "Kadang aku mikir semua orang bakal baik-baik aja tanpa aku.",
        "Senyum terus di kantor, tapi dalamnya kosong. Aku udah capek banget.",
        "Kalau aku berhenti muncul juga gak bakal ada yang sadar {meh}",
    ),
    "spam.spam": (
        "🔥 Dapatkan {number} followers dalam 24 jam! 100% asli, klik {link}",
        "GIVEAWAY KRIPTO 🚀 100 orang pertama dapat {amount} gratis, info di {link}",
        "Dapat {amount} per hari dari rumah, tanpa pengalaman!!! {link}",
        "Follow back? Follow aku, langsung aku follow balik 💯 {link}",
        "PROMO!!! Jam tangan branded diskon 90% hari ini aja ➡️ {link}",
        "Mau viral? Beli likes dan views murah di {link} 📈",
        "DM 'INFO' buat gabung grup trading cuan {amount} per minggu 💰💰 {link}",
    ),
    "fraud.scam": (
        "Akun kamu diblokir karena aktivitas mencurigakan. "
        "Balas dengan password kamu untuk membukanya kembali.",
        "Pemberitahuan keamanan: verifikasi kartu kamu di {link} dalam 24 jam "
        "atau akun akan ditutup.",
        "Selamat {name}! Kamu menang voucher {amount}. Bayar biaya admin kecil untuk klaim: {link}",
        "Halo, kami dari tim support. Tolong kirim kode OTP 6 digit yang barusan kami kirim "
        "supaya akunmu bisa diperbaiki.",
        "Paket kamu tertahan. Konfirmasi alamat dan data kartu di sini: {link}",
        "Penting: ada login dari perangkat baru. Masuk lewat {link} supaya akunmu tetap aman.",
        "Halo {name}, aku lagi di luar negeri dan dompetku hilang. "
        "Bisa transfer {amount} ke rekening ini? Besok aku ganti",
    ),
}

MIXED_SLOTS: Final[Mapping[str, tuple[str, ...]]] = {}
MIXED_TEMPLATES: Final[Mapping[str, tuple[str, ...]]] = {}
