"""Bilingual (English + Indonesian) diplomatic-incident lexicon typed by CAMEO class.

Tokens are lowercased, *unstemmed* words (inner hyphens/apostrophes as kept by
``detectors.text`` are fine: see ``entities.canonical_tokens``).  Inflected
English forms and Indonesian affixed forms (me-/di-/pe-an/-nya) are spelled
out explicitly instead of relying on a stemmer, because Indonesian stemmers
conflate words we must keep apart (``menarik`` "interesting" vs ``tarik``
"withdraw").

A cue is a small *set* of words; it matches when every word occurs anywhere in
the post (order and adjacency are ignored).  When one matched cue's words are a
strict subset of another matched cue's words, only the more specific cue
counts.  Cues may carry "unless" words that cancel them ("lifts export ban").

Goldstein values follow the standard CAMEO-Goldstein table.  CONSULAR and
OTHER are not state-to-state interactions, so their Goldstein is 0.0: callers
must not rank CONSULAR alerts by Goldstein.

>>> t, conf = classify("indonesia summons australian ambassador over spying row".split())
>>> t.code, conf >= 0.8
('114', True)
>>> classify("i love chinese food and korean dramas".split())
(None, 0.0)
>>> severe_news_trigger("china expels two dutch diplomats".split()).code
'161'
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .entities import canonical_tokens, find_countries

__all__ = [
    "BACKGROUND_SEED_EN",
    "BACKGROUND_SEED_ID",
    "CONCEPTS",
    "CONCEPT_MARK",
    "DIPLOMATIC_SEED_EN",
    "DIPLOMATIC_SEED_ID",
    "TYPES",
    "IncidentType",
    "classify",
    "concepts_in",
    "is_concept",
    "severe_news_trigger",
]


@dataclass(frozen=True, slots=True)
class IncidentType:
    code: str  # CAMEO code, or "CONSULAR" / "OTHER"
    label: str
    goldstein: float  # -10 (most conflictual) .. +10


TYPES: dict[str, IncidentType] = {
    t.code: t
    for t in (
        IncidentType("11", "disapprove / diplomatic row", -2.0),
        IncidentType("111", "criticize or denounce", -2.0),
        IncidentType("114", "complain officially: summon ambassador, protest note", -2.0),
        IncidentType("12", "reject (claim, demand, proposal)", -4.0),
        IncidentType("13", "threaten", -4.4),
        IncidentType("1312", "threaten sanctions, boycott or embargo", -5.8),
        IncidentType("14", "protest (flag burning, hunger strike)", -6.5),
        IncidentType("141", "demonstrate or rally (e.g. at an embassy)", -6.5),
        IncidentType("15", "exhibit military posture (incursion, warships)", -7.2),
        IncidentType("16", "reduce relations (freeze cooperation, suspend talks)", -4.0),
        IncidentType("161", "expel or withdraw diplomats / break relations", -4.0),
        IncidentType("163", "impose embargo, sanctions, trade ban or tariff", -8.0),
        IncidentType("17", "coerce: arrest, detain, deport or seize citizens/vessels abroad", -7.0),
        IncidentType("18", "assault: embassy attacked, diplomat harmed", -9.0),
        IncidentType("19", "fight: border or maritime armed clash", -10.0),
        IncidentType("20", "mass violence", -10.0),
        IncidentType("CONSULAR", "crisis abroad needing consular help (disaster, attack, evacuation)", 0.0),
        IncidentType("OTHER", "diplomatic but untyped", 0.0),
    )
}

# ---------------------------------------------------------------------------
# Word-form slots.  "|" separates alternatives; an alternative with spaces
# contributes all its words ("duta besar" -> {"duta", "besar"}).
# ---------------------------------------------------------------------------

# English
_SUMMON = "summon|summons|summoned|summoning"
_AMB = "ambassador|ambassadors|envoy|envoys|affaires|daffaires"  # charge d'affaires
_DIPLOMATS = "diplomat|diplomats|attache|attaches|consul"
_EMBASSY = "embassy|embassies|consulate|consulates"
_EXPEL = "expel|expels|expelled|expelling|expulsion|expulsions"
_RECALL = "recall|recalls|recalled|recalling|withdraw|withdraws|withdrew|withdrawn"
_SEVER = "sever|severs|severed|severing|cut|cuts|cutting|break|breaks|broke|suspend|suspends|suspended"
_TIES = "ties|relations"
_RESTORE = "!restore|restores|restored|restoring|resume|resumes|resumed|normalise|normalize"
_IMPOSE = (
    "impose|imposes|imposed|imposing|slap|slaps|slapped|announce|announces|announced|"
    "extend|extends|extended|expand|expands|expanded|tighten|tightens|tightened|new|fresh"
)
_IMPOSE_STRICT = "impose|imposes|imposed|imposing|slap|slaps|slapped|slapping"
_SANCTION = "sanction|sanctions|embargo|embargoes"
_TRADE = "export|exports|import|imports"
_BAN = (
    "ban|bans|banned|banning|halt|halts|halted|curb|curbs|curbed|restrict|restricts|restricted|"
    "restriction|restrictions|quota|quotas|suspend|suspends|suspended|suspension"
)
_LIFT = "!lift|lifts|lifted|lifting|scrap|scraps|scrapped|ease|eases|eased|cabut|mencabut|dicabut|pencabutan"
_HIKE = "hike|hikes|hiked|raise|raises|raised|raising|increase|increases|increased|doubles|doubled"
_THREATEN = "threaten|threatens|threatened|threatening|threat|threats"
_DETAIN = (
    "arrest|arrests|arrested|arresting|detain|detains|detained|detaining|detention|jail|jails|"
    "jailed|imprison|imprisons|imprisoned|abduct|abducts|abducted|kidnap|kidnaps|kidnapped|seize|"
    "seizes|seized|seizure|deport|deports|deported|deporting|deportation|sentenced|executed|executes"
)
_NATIONALS = (
    "citizen|citizens|national|nationals|fisherman|fishermen|crew|crewmen|sailors|seafarers|"
    "worker|workers|migrant|migrants|maid|maids|indonesian|indonesians|journalist|journalists|"
    "tourist|tourists|boat|boats|vessel|vessels|trawler|trawlers"
)
_ATTACK = (
    "attack|attacks|attacked|attacking|storms|stormed|storming|bomb|bombs|bombed|bombing|"
    "firebomb|firebombed|ransack|ransacked|vandalise|vandalised|vandalize|vandalized|torch|torched|"
    "besiege|besieged|overrun|overran"
)
_HARM = "assaulted|stabbed|shot|killed|beaten|injured|wounded|murdered|assassinated|assassination"
_CLASH = (
    "clash|clashes|clashed|skirmish|skirmishes|firefight|gunfight|gunfire|shootout|"
    "exchanged fire|exchange fire|shelling|shelled"
)
_FORCES = "troops|soldiers|navy|naval|military|army|militants|forces"
_CASUALTY = "killed|dead|died|dies|casualties|wounded|injured|deaths|toll"
_CROWD = (
    "protesters|protestors|demonstrators|demonstration|demonstrations|demonstrate|demonstrated|"
    "rally|rallies|rallied|picket|picketed|marchers|mob"
)
_BURN = "burn|burns|burned|burnt|burning|stomp|stomped|trample|trampled"
_SYMBOL = "flag|flags|effigy|effigies"
_DISASTER = (
    "earthquake|earthquakes|quake|tsunami|flood|floods|flooding|hurricane|typhoon|cyclone|"
    "wildfire|wildfires|bushfire|bushfires|eruption|volcano|landslide|landslides|avalanche|"
    "shooting|shootings|stabbing|terror|terrorist|riot|riots|unrest|coup|crash|capsized|sank|"
    "stampede|outbreak|heatwave|tornado|tornadoes|blizzard|mudslide|mudslides|drought|famine|epidemic|"
    "derailed|derailment|bombing|bombings|hostage|hostages|gunman|gunmen|massacre"
)
_BLAST = "explosion|explosions|blast|blasts"
_CONS_NATIONALS = "citizens|nationals|indonesians|expats|expatriates|diaspora|wni|tourists"
_EVACUATE = (
    "evacuate|evacuated|evacuates|evacuating|evacuation|repatriate|repatriated|repatriation|"
    "airlift|airlifted|stranded|trapped|missing"
)
_SAFE = "safe|unharmed|accounted"

# Indonesian
_PANGGIL = "panggil|memanggil|dipanggil|pemanggilan"
_DUBES = "dubes|dubesnya|duta besar|duta besarnya|dutabesar|kuasa usaha"
_DIPLOMAT_ID = "diplomat|diplomatnya|atase|staf diplomatik|staf kedutaan|staf kedubes"
_KEDUBES = "kedubes|kedubesnya|kedutaan|kedutaannya|kbri|kjri|konsulat|konjen"
_USIR = "usir|mengusir|diusir|pengusiran"
_TARIK = (
    "tarik|ditarik|penarikan|menarik pulang|tarik pulang|memulangkan|dipulangkan|pulangkan|"
    "memanggil pulang|panggil pulang|recall"
)
_PUTUS = "putus|putuskan|memutus|memutuskan|diputus|diputuskan|pemutusan"
# A condition makes a demand, not an act: "usir aja dubesnya kalo terbukti nyadap" (expel him if it is proven).
# Posts' cues only: a news article's "jika" may be anywhere in its body (the severe path has its own vetoes).
_IF_ID = "!kalo|kalau|jika|bila|apabila|seandainya|andai"
_RESTORE_ID = "!pulihkan|memulihkan|dipulihkan|pemulihan|normalisasi|kembali"
_BEKUKAN = (
    "bekukan|membekukan|dibekukan|pembekuan|tangguhkan|menangguhkan|ditangguhkan|penangguhan|"
    "hentikan|menghentikan|dihentikan|penghentian"
)
_LARANG = (
    "larang|melarang|dilarang|larangan|stop|setop|hentikan|menghentikan|dihentikan|penghentian|"
    "batasi|membatasi|dibatasi|pembatasan|moratorium|tangguhkan|menangguhkan|ditangguhkan"
)
_EKSPOR = "ekspor|impor|ekspornya|impornya"
_SANKSI_IMPOSE = (
    "jatuhkan|menjatuhkan|dijatuhkan|kenakan|mengenakan|dikenakan|terapkan|menerapkan|"
    "diterapkan|berlakukan|memberlakukan|diberlakukan|umumkan|mengumumkan|perluas|"
    "memperluas|baru|tambahan"
)
_SANKSI_STRICT = (
    "jatuhkan|menjatuhkan|dijatuhkan|kenakan|mengenakan|dikenakan|terapkan|menerapkan|"
    "diterapkan|berlakukan|memberlakukan|diberlakukan"
)
_NAIK = (
    "naik|naikkan|menaikkan|dinaikkan|kenaikan|baru|tambahan|berlakukan|memberlakukan|"
    "diberlakukan|kenakan|mengenakan|dikenakan|tinggi"
)
_ANCAM = "ancam|mengancam|diancam|ancaman"
_TAHAN = (
    "tahan|ditahan|menahan|penahanan|tangkap|ditangkap|menangkap|penangkapan|sandera|disandera|"
    "menyandera|penyanderaan|culik|diculik|menculik|penculikan|deportasi|dideportasi|"
    "mendeportasi|penjara|dipenjara|dipenjarakan|divonis|dihukum|sita|disita|menyita|penyitaan|"
    "razia|dirazia"
)
# WNI-like nouns for coercion.  "pmi" (pekerja migran) is fine here, but NOT in
# consular cues: PMI is also Palang Merah Indonesia, present at every disaster.
_WNI = (
    "wni|tki|tkw|pmi|nelayan|abk|pekerja migran|warga negara indonesia|warga indonesia|"
    "mahasiswa indonesia|turis indonesia|wisatawan indonesia"
)
_WNI_CONS = "wni|tki|tkw|abk|pekerja migran|warga negara indonesia|warga indonesia|mahasiswa indonesia|diaspora"
_SERANG = (
    "serang|menyerang|diserang|serangan|serbu|menyerbu|diserbu|penyerbuan|bom|dibom|pengeboman|"
    "bakar|membakar|dibakar|pembakaran|rusak|merusak|dirusak|perusakan|lempari|melempari|dilempari"
)
_BAKAR = "bakar|membakar|dibakar|pembakaran|injak|menginjak|diinjak|sobek|menyobek|disobek"
_SIMBOL = "bendera|foto|poster|patung"
_BENTROK = "bentrok|bentrokan|baku tembak|kontak senjata|tembak menembak|saling tembak|pertempuran|tembakan"
_MILITER = "tentara|prajurit|militer|pasukan|tni|kapal perang"
_KORBAN = "tewas|meninggal|gugur|korban|luka|terluka|cedera"
_DEMO_STRONG = (
    "demo|demonstrasi|demonstran|pendemo|berdemo|unjuk rasa|berunjuk rasa|pengunjuk rasa|geruduk|menggeruduk|digeruduk"
)
_BENCANA = (
    "gempa|gempabumi|tsunami|banjir|topan|badai|siklon|kebakaran|letusan|erupsi|longsor|"
    "penembakan|penusukan|teror|kerusuhan|kudeta|perang|kecelakaan|tenggelam|terbalik|karam|"
    "wabah|gelombang panas"
)
_PERWAKILAN = "kbri|kjri|konjen|kemlu|kemenlu|perwakilan ri"

# (code, weight, *slots).  Slot starting with "!" lists "unless" words.
# Weights are the standalone probability that a post matching only this cue is
# of this type; single generic words stay below 0.5 on purpose.
_CUE_SPECS: tuple[tuple, ...] = (
    # --- 114 complain officially ---------------------------------------------
    ("114", 0.85, _SUMMON, _AMB),
    ("114", 0.8, _SUMMON, _DIPLOMATS),
    ("114", 0.8, "formal|official|diplomatic", "protest|complaint"),
    ("114", 0.8, "protest", "note"),
    ("114", 0.65, "lodge|lodges|lodged|lodging|filed|delivered|issued", "protest|complaint"),
    ("114", 0.85, _PANGGIL, _DUBES, "!wni|warga|masyarakat|diaspora|mahasiswa"),
    ("114", 0.8, _PANGGIL, _DIPLOMAT_ID, "!wni|warga|masyarakat|diaspora|mahasiswa"),
    ("114", 0.9, "nota", "protes"),
    ("114", 0.75, "protes", "resmi|diplomatik"),
    ("114", 0.65, "protes", "keras"),
    ("114", 0.65, "layangkan|melayangkan|dilayangkan", "protes"),
    # --- 111 criticize / denounce ----------------------------------------------
    ("111", 0.55, "condemn|condemns|condemned|condemning|condemnation|denounce|denounces|denounced"),
    (
        "111",
        0.45,
        ("criticise|criticises|criticised|criticize|criticizes|criticized|slams|slammed|rebuke|rebukes|rebuked"),
    ),
    ("111", 0.55, "kecam|mengecam|dikecam|kecaman"),
    ("111", 0.4, "kritik|mengkritik|dikritik|kritikan"),
    ("111", 0.45, "sesalkan|menyesalkan|disesalkan|sayangkan|menyayangkan|disayangkan"),
    # --- 11 disapprove (generic) ---------------------------------------------------
    ("11", 0.5, "diplomatic|diplomatik|diplomasi", "row|spat|rift|tension|tensions|ketegangan|perselisihan"),
    ("11", 0.45, "spying|espionage|wiretapping|eavesdropping|penyadapan|spionase|disadap|menyadap"),
    ("11", 0.4, "deplore|deplores|deplored|disapprove|disapproves|disapproved"),
    ("11", 0.4, "expressed|expresses|voiced|voices", "concern|concerns"),
    ("11", 0.4, "menyatakan|sampaikan|menyampaikan", "keprihatinan"),
    ("11", 0.55, "hak", "jawab"),  # "right of reply" at the UN
    # --- 12 reject -----------------------------------------------------------------
    (
        "12",
        0.6,
        "reject|rejects|rejected|rejecting|rejection|rebuff|rebuffs|rebuffed|dismisses|dismissed",
        (
            "claim|claims|demand|demands|request|requests|proposal|accusation|accusations|allegation|"
            "allegations|ultimatum|plan|offer|protest|note"
        ),
    ),
    ("12", 0.35, "reject|rejects|rejected|rejecting|rejection|rebuffs|rebuffed"),
    (
        "12",
        0.6,
        "tolak|menolak|ditolak|penolakan|tepis|menepis|ditepis",
        "klaim|tuntutan|permintaan|tuduhan|usulan|usul|protes|nota|ultimatum|tawaran|rencana",
    ),
    ("12", 0.3, "tolak|menolak|ditolak|penolakan"),
    # --- 13 threaten / 1312 threaten sanctions ---------------------------------------
    ("13", 0.45, _THREATEN + "|ultimatum"),
    (
        "13",
        0.6,
        "warn|warns|warned|warning|" + _THREATEN + "|vows|vowed",
        "retaliation|retaliate|retaliatory|consequences|countermeasures",
    ),
    ("13", 0.45, "retaliate|retaliation|retaliatory"),
    ("13", 0.45, _ANCAM),
    ("13", 0.6, _ANCAM + "|peringatkan|memperingatkan", "balasan|membalas|balas|retaliasi|konsekuensi"),
    ("1312", 0.8, _THREATEN, "sanction|sanctions|embargo|boycott|tariff|tariffs|blacklist"),
    ("1312", 0.8, _THREATEN, _BAN, _TRADE),
    (
        "1312",
        0.6,
        "mulls|mull|considers|considering|weighs|weighing|eyes|eyeing",
        "sanction|sanctions|embargo|tariffs|tariff",
    ),
    ("1312", 0.8, _ANCAM, "sanksi|embargo|boikot|tarif"),
    ("1312", 0.6, "pertimbangkan|mempertimbangkan|wacanakan|mewacanakan|berencana", "sanksi|embargo|boikot"),
    # --- 14 protest / 141 demonstrate ----------------------------------------------
    ("14", 0.4, "protest|protests|protested|protesting"),
    ("14", 0.7, _BURN, _SYMBOL),
    ("14", 0.92, _BURN, _SYMBOL, _EMBASSY),
    ("14", 0.6, "hunger", "strike"),
    ("14", 0.5, "boycott|boycotts|boycotted|boycotting", "products|goods|brands"),
    ("14", 0.35, "protes|memprotes|diprotes"),
    ("14", 0.7, _BAKAR, _SIMBOL),
    ("14", 0.92, _BAKAR, _SIMBOL, _KEDUBES),
    ("14", 0.6, "mogok", "makan"),
    ("14", 0.5, "boikot|memboikot|diboikot", "produk|barang|merek"),
    ("141", 0.4, "protesters|protestors|demonstrators|demonstration|demonstrations|marchers"),
    ("141", 0.85, _CROWD, _EMBASSY),
    ("141", 0.7, "protest|protests|protested|protesting", _EMBASSY),
    ("141", 0.55, "unjuk", "rasa"),
    ("141", 0.5, "berunjuk", "rasa"),
    ("141", 0.45, "demonstrasi|demonstran|pendemo|berdemo"),
    ("141", 0.35, "demo"),
    ("141", 0.85, _DEMO_STRONG, _KEDUBES),
    ("141", 0.6, "aksi|massa|protes|memprotes", _KEDUBES),
    # --- 15 military posture ---------------------------------------------------------
    (
        "15",
        0.6,
        "incursion|incursions|intrusion|intrusions|violated|violation|violates|trespass|trespassing",
        "waters|airspace|eez|border|territory",
    ),
    (
        "15",
        0.6,
        "warship|warships|destroyer|frigate|frigates|coastguard|coast guard",
        "deployed|deploys|entered|enters|spotted|shadowing|sailed|intrusion|incursion",
    ),
    ("15", 0.5, "missile|missiles", "test|tests|launch|launched|launches|fired|fires"),
    ("15", 0.35, "military|naval", "drills|exercise|exercises|buildup"),
    (
        "15",
        0.65,
        "kapal perang|coast guard|penjaga pantai|kapal patroli|kapal riset|kapal survei",
        "masuk|memasuki|menerobos|melanggar|pelanggaran|terdeteksi|berlayar|zee|natuna",
    ),
    ("15", 0.6, "pelanggaran|melanggar|menerobos|memasuki", "zee|wilayah udara|perairan indonesia|kedaulatan"),
    ("15", 0.6, "natuna", "kapal", "asing"),
    ("15", 0.5, "uji|peluncuran|meluncurkan|luncurkan", "rudal"),
    ("15", 0.35, "latihan", "militer|perang"),
    # --- 16 reduce relations / 161 expel, withdraw, break ------------------------------
    ("16", 0.75, "downgrade|downgrades|downgraded|downgrading|scales back|scaled back", _TIES + "|diplomatic"),
    (
        "16",
        0.65,
        "suspend|suspends|suspended|suspending|suspension|freeze|freezes|froze|frozen|halt|halts|halted",
        "cooperation|talks|negotiations|dialogue|ties|relations|visits|aid",
        _RESTORE,
    ),
    ("16", 0.45, "close|closes|closed|closing|shut|shuts|shuttered", _EMBASSY),
    ("16", 0.7, _BEKUKAN, "kerja sama|kerjasama|hubungan|perundingan|negosiasi|dialog|bantuan", _RESTORE_ID),
    ("16", 0.7, "turunkan|menurunkan|diturunkan|penurunan", "hubungan", "diplomatik"),
    ("16", 0.45, "tutup|menutup|ditutup|penutupan", _KEDUBES),
    ("16", 0.65, "moratorium", "pengiriman|pmi|tki"),
    ("161", 0.9, _EXPEL, _DIPLOMATS + "|" + _AMB + "|staff"),
    ("161", 0.9, "persona", "non", "grata"),
    ("161", 0.85, _RECALL, _AMB),
    ("161", 0.85, _SEVER, "diplomatic", _TIES, _RESTORE),
    ("161", 0.6, "sever|severs|severed|severing|cut|cuts", "ties", _RESTORE),
    ("161", 0.9, _USIR, _DIPLOMAT_ID + "|" + _DUBES, _IF_ID),
    ("161", 0.85, _TARIK, _DUBES, _RESTORE_ID),
    ("161", 0.85, _PUTUS, "hubungan", "diplomatik", _RESTORE_ID),
    ("161", 0.6, "putus|pemutusan|diputus", "hubungan", _RESTORE_ID),
    # --- 163 embargo, sanctions, trade bans, tariffs --------------------------------------
    ("163", 0.55, "sanction|sanctions|sanctioned|sanctioning", _LIFT),
    ("163", 0.8, _IMPOSE, _SANCTION, _LIFT),
    ("163", 0.5, "embargo|embargoes|embargoed", _LIFT),
    ("163", 0.8, "arms|oil|trade|weapons|grain", "embargo", _LIFT),
    ("163", 0.8, _TRADE, _BAN, _LIFT),
    ("163", 0.8, _IMPOSE_STRICT, "tariff|tariffs|duty|duties|levy|levies", _LIFT),
    (
        "163",
        0.75,
        "tariff|tariffs",
        "import|imports|export|exports|goods|products|trade|steel|retaliatory|reciprocal|punitive",
        _LIFT,
    ),
    ("163", 0.5, _HIKE, "tariff|tariffs", _LIFT),
    ("163", 0.7, "new|fresh|additional|higher", "tariff|tariffs", _LIFT),
    ("163", 0.4, "tariff|tariffs", _LIFT),
    ("163", 0.65, "antidumping|anti dumping|countervailing|safeguard duty|safeguard duties", _LIFT),
    ("163", 0.45, "boycott|boycotts|boycotted|boycotting|blacklist|blacklists|blacklisted", _LIFT),
    ("163", 0.6, "travel", "ban", _LIFT),
    ("163", 0.55, "sanksi", _LIFT),
    ("163", 0.8, _SANKSI_IMPOSE, "sanksi|embargo", _LIFT),
    ("163", 0.5, "embargo", _LIFT),
    ("163", 0.8, "embargo", "senjata|minyak|perdagangan|dagang", _LIFT),
    ("163", 0.8, _LARANG, _EKSPOR, _LIFT),
    ("163", 0.65, "tarif|bea", "impor|ekspor", _LIFT),
    ("163", 0.75, "tarif|bea", _NAIK, "impor|ekspor|dagang|perdagangan|produk", _LIFT),
    ("163", 0.7, "tarif", "resiprokal|balasan", _LIFT),
    ("163", 0.65, "antidumping|anti dumping|bmad|safeguard", _LIFT),
    ("163", 0.45, "boikot|memboikot|diboikot|pemboikotan", _LIFT),
    # --- 17 coerce -------------------------------------------------------------------------
    ("17", 0.75, _DETAIN, _NATIONALS),
    ("17", 0.35, "detained|arrested|detention|deported|deportation|abducted|kidnapped|hostage|hostages|jailed"),
    ("17", 0.6, "death", "row|sentence|sentenced|penalty"),
    ("17", 0.8, _TAHAN, _WNI),
    (
        "17",
        0.35,
        (
            "ditahan|ditangkap|penahanan|penangkapan|disandera|penyanderaan|diculik|penculikan|"
            "dideportasi|deportasi|dipenjara|divonis"
        ),
    ),
    ("17", 0.8, "hukuman mati|vonis mati|eksekusi mati|dieksekusi|dihukum mati|divonis mati|eksekusi", _WNI),
    ("17", 0.65, "kapal", "ditangkap|ditahan|disita|disandera|diamankan"),
    ("17", 0.55, "kapal ikan asing|illegal fishing|pencurian ikan"),
    # --- 18 assault ------------------------------------------------------------------------
    ("18", 0.9, _ATTACK, _EMBASSY),
    ("18", 0.9, _HARM, "diplomat|diplomats|ambassador|envoy|consul|attache"),
    ("18", 0.8, _BLAST + "|gunmen|gunman|grenade|arson", _EMBASSY),
    ("18", 0.7, "water", "cannon|cannons|cannoned"),
    ("18", 0.9, _SERANG, _KEDUBES),
    (
        "18",
        0.9,
        "dianiaya|dipukul|ditusuk|ditembak|dibunuh|dikeroyok|diserang",
        "diplomat|dubes|duta besar|konsul|atase",
    ),
    ("18", 0.8, "ledakan|granat", _KEDUBES),
    ("18", 0.7, "meriam", "air"),
    # --- 19 fight ----------------------------------------------------------------------------
    ("19", 0.85, _CLASH, "border|borders|frontier"),
    ("19", 0.75, _CLASH, _FORCES),
    ("19", 0.55, "airstrike|airstrikes|invasion|invade|invades|invaded|shelling|shelled"),
    ("19", 0.85, _BENTROK, "perbatasan"),
    ("19", 0.75, _BENTROK, _MILITER),
    ("19", 0.5, "baku tembak|kontak senjata"),
    # Maritime clashes: a state vessel ramming boats is a clash at sea, not mere posture (15).
    (
        "19",
        0.8,
        "rammed|rams|ramming|slammed|slamming|collided|collision",
        "boat|boats|ship|ships|vessel|vessels|trawler|trawlers|fishing",
    ),
    ("19", 0.8, "tabrak|ditabrak|menabrak|tabrakan|ditubruk|menubruk|bertabrakan", "kapal|perahu|nelayan"),
    ("19", 0.55, "serangan udara|invasi|menginvasi|diinvasi|agresi"),
    # --- 20 mass violence --------------------------------------------------------------------
    ("20", 0.75, "massacre|massacres|massacred|genocide|genocidal|pembantaian|genosida|dibantai"),
    ("20", 0.75, "ethnic|etnis", "cleansing|pembersihan"),
    ("20", 0.6, "war|perang", "crimes|crime|kejahatan"),
    ("20", 0.7, "mass", "killing|killings|graves|grave|murder"),
    ("20", 0.65, "crimes", "against", "humanity"),
    # --- CONSULAR ---------------------------------------------------------------------------
    ("CONSULAR", 0.8, _DISASTER + "|" + _BLAST, _CONS_NATIONALS),
    ("CONSULAR", 0.75, _DISASTER, _EMBASSY),
    ("CONSULAR", 0.35, _DISASTER + "|" + _BLAST),
    ("CONSULAR", 0.85, _EVACUATE, _CONS_NATIONALS),
    ("CONSULAR", 0.7, _SAFE, _CONS_NATIONALS),
    ("CONSULAR", 0.8, "consular", "assistance|help|support|services|hotline|protection"),
    ("CONSULAR", 0.7, "hotline|helpline", _EMBASSY),
    ("CONSULAR", 0.6, "urges|urged|advises|advised", _CONS_NATIONALS),
    ("CONSULAR", 0.6, "travel", "advisory|warning"),
    ("CONSULAR", 0.85, _BENCANA + "|ledakan", _WNI_CONS),
    ("CONSULAR", 0.8, _BENCANA, _PERWAKILAN),
    ("CONSULAR", 0.35, _BENCANA + "|ledakan"),
    (
        "CONSULAR",
        0.9,
        ("evakuasi|dievakuasi|mengevakuasi|pemulangan|repatriasi|terdampak|terjebak|terlantar|telantar"),
        _WNI_CONS,
    ),
    ("CONSULAR", 0.75, "selamat|aman|hilang|korban|tewas|meninggal|luka|terluka", _WNI_CONS),
    ("CONSULAR", 0.7, "hotline|call center|nomor darurat", _PERWAKILAN + "|wni"),
    ("CONSULAR", 0.75, "perlindungan", "wni"),
    ("CONSULAR", 0.6, "imbau|mengimbau|imbauan|himbau|menghimbau", "wni"),
)

# Diplomatic actor cues ("OTHER").  They also boost a typed match that does not
# already contain them, and act as the actor requirement of severe_news_trigger.
_ACTOR_SPECS: tuple[tuple, ...] = (
    ("OTHER", 0.3, _AMB + "|" + _DIPLOMATS + "|" + _EMBASSY + "|diplomatic|diplomacy|bilateral|mofa"),
    ("OTHER", 0.3, "foreign", "ministry|minister|office|affairs|secretary"),
    ("OTHER", 0.3, "state", "department"),
    ("OTHER", 0.3, _DUBES + "|" + _KEDUBES + "|kemlu|kemenlu|menlu|diplomat|diplomatik|diplomasi|bilateral|atase"),
    ("OTHER", 0.3, "kementerian|menteri", "luar", "negeri"),
    ("OTHER", 0.3, "perwakilan", "ri"),
)
_OTHER_CAP = 0.45  # "diplomatic but untyped" never reaches the 0.5 incident bar

# Extra state actors that count for the severe path only (governments impose
# sanctions and fight border clashes without any diplomatic noun).
_STATE_ACTOR_SPECS: tuple[tuple, ...] = (
    (
        "OTHER",
        1.0,
        (
            "government|govt|ministry|minister|president|premier|parliament|cabinet|treasury|"
            "pemerintah|kementerian|menteri|presiden|parlemen|kabinet"
        ),
    ),
    ("OTHER", 1.0, "prime|perdana", "minister|menteri"),
)

# Severe, unambiguous events: one credible report is enough.  Weights only
# break ties between types.
_SEVERE_SPECS: tuple[tuple, ...] = (
    ("161", 0.95, _EXPEL, _DIPLOMATS + "|" + _AMB + "|staff"),
    ("161", 0.95, "persona", "non", "grata"),
    ("161", 0.9, "recall|recalls|recalled|recalling", _AMB),
    ("161", 0.95, "sever|severs|severed|severing|cut|cuts|break|breaks|broke", "diplomatic", _TIES, _RESTORE),
    ("161", 0.95, _USIR, _DIPLOMAT_ID + "|" + _DUBES),
    ("161", 0.9, "tarik|ditarik|penarikan|menarik pulang|memulangkan|dipulangkan|pulangkan", _DUBES, _RESTORE_ID),
    ("161", 0.95, _PUTUS, "hubungan", "diplomatik", _RESTORE_ID),
    ("163", 0.9, _IMPOSE_STRICT, "sanction|sanctions|embargo", _LIFT),
    ("163", 0.85, "sanctions", "new|fresh|sweeping", _LIFT),
    ("163", 0.9, _TRADE, "ban|bans|banned|banning", _LIFT),
    ("163", 0.9, "arms|oil|trade|weapons", "embargo", _LIFT),
    ("163", 0.9, _SANKSI_STRICT, "sanksi|embargo", _LIFT),
    ("163", 0.85, "sanksi", "baru", _LIFT),
    ("163", 0.9, "larang|melarang|dilarang|larangan", _EKSPOR, _LIFT),
    ("163", 0.9, "embargo", "senjata|minyak|perdagangan|dagang", _LIFT),
    # A bare explosion "near" an embassy is not enough for the severe path.
    (
        "18",
        0.95,
        (
            "attack|attacks|attacked|storms|stormed|storming|bombed|bombing|firebombed|ransacked|"
            "torched|besieged|overran|overrun"
        ),
        _EMBASSY,
    ),
    ("18", 0.85, "grenade|gunmen", _EMBASSY),
    ("18", 0.95, "diserang|serangan|diserbu|penyerbuan|menyerbu|menyerang|dibom|pengeboman", _KEDUBES),
    ("18", 0.9, "dibakar|pembakaran", _KEDUBES, "!bendera|foto|poster|patung|flag|flags|effigy"),
    ("114", 0.9, _SUMMON, _AMB),
    ("114", 0.9, _PANGGIL, _DUBES, "!wni|warga|masyarakat|diaspora|mahasiswa"),
    ("19", 0.9, "border|frontier", _CLASH, _CASUALTY),
    ("19", 0.9, "perbatasan", _BENTROK, _KORBAN),
)

# Any of these vetoes the severe path: sport/fiction contexts, denials,
# hypotheticals and threats (a threat is not the event itself).
_SEVERE_VETO: frozenset[str] = frozenset(
    {
        # sport / fiction
        "fifa",
        "uefa",
        "afc",
        "aff",
        "pssi",
        "ioc",
        "olympic",
        "olympics",
        "olimpiade",
        "wada",
        "doping",
        "club",
        "klub",
        "league",
        "liga",
        "timnas",
        "match",
        "pertandingan",
        "film",
        "movie",
        "series",
        "trailer",
        "novel",
        "game",
        "games",
        "gim",
        # denial / rumour
        "denies",
        "denied",
        "deny",
        "bantah",
        "membantah",
        "dibantah",
        "hoax",
        "hoaks",
        "rumor",
        "rumour",
        # threat / hypothetical
        "threaten",
        "threatens",
        "threatened",
        "threatening",
        "ancam",
        "mengancam",
        "mulls",
        "considering",
        "considers",
        "weighs",
        "pertimbangkan",
        "mempertimbangkan",
        "plans",
        "berencana",
        "wacana",
        "could",
    }
)


# ---------------------------------------------------------------------------
# Cue compilation
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cue:
    words: frozenset[str]
    code: str
    weight: float
    unless: frozenset[str]
    order: int  # stable id: makes float combination order independent of set iteration


def _expand(specs: Iterable[tuple]) -> list[_Cue]:
    best: dict[tuple[frozenset[str], str], tuple[float, frozenset[str]]] = {}
    for code, weight, *slots in specs:
        assert code in TYPES, code
        unless: frozenset[str] = frozenset()
        alternatives: list[list[tuple[str, ...]]] = []
        for slot in slots:
            if slot.startswith("!"):
                unless |= frozenset(slot[1:].replace("|", " ").split())
            else:
                alternatives.append([tuple(alt.split()) for alt in slot.split("|")])
        for combo in itertools.product(*alternatives):
            words = frozenset(w for alt in combo for w in alt)
            key = (words, code)
            if key not in best or weight > best[key][0]:
                best[key] = (weight, unless)
    ordered = sorted(best.items(), key=lambda kv: (kv[0][1], sorted(kv[0][0])))
    return [_Cue(words, code, w, unless, i) for i, ((words, code), (w, unless)) in enumerate(ordered)]


class _CueIndex:
    """Cues keyed by an anchor word, so a post only checks cues whose anchor it contains."""

    __slots__ = ("anchors", "by_anchor", "cues")

    def __init__(self, cues: list[_Cue]) -> None:
        self.cues = cues
        df: dict[str, int] = {}
        for cue in cues:
            for w in cue.words:
                df[w] = df.get(w, 0) + 1
        by_anchor: dict[str, list[_Cue]] = {}
        for cue in cues:
            # Rarest word within the cue table (then longest) is the most selective key.
            anchor = min(cue.words, key=lambda w: (df[w], -len(w), w))
            by_anchor.setdefault(anchor, []).append(cue)
        self.by_anchor: dict[str, tuple[_Cue, ...]] = {k: tuple(v) for k, v in by_anchor.items()}
        self.anchors = frozenset(by_anchor)

    def match(self, tset: set[str]) -> list[_Cue]:
        out: list[_Cue] = []
        by_anchor = self.by_anchor
        for w in self.anchors.intersection(tset):  # in C: most posts hold no anchor at all
            for cue in by_anchor[w]:
                if cue.words <= tset and (not cue.unless or cue.unless.isdisjoint(tset)):
                    out.append(cue)
        out.sort(key=lambda c: c.order)
        return out


_TYPED_CUES = _expand(_CUE_SPECS)
_ACTOR_CUES = _expand(_ACTOR_SPECS)
_INDEX = _CueIndex(
    _TYPED_CUES + [_Cue(c.words, c.code, c.weight, c.unless, c.order + len(_TYPED_CUES)) for c in _ACTOR_CUES]
)
_SEVERE_INDEX = _CueIndex(_expand(_SEVERE_SPECS))
_SEVERE_ACTOR_INDEX = _CueIndex(_expand(_ACTOR_SPECS + _STATE_ACTOR_SPECS))

#: Number of expanded (concrete word-set) cues, for diagnostics.
CUE_COUNT: int = len(_TYPED_CUES) + len(_ACTOR_CUES)
SEVERE_CUE_COUNT: int = len(_SEVERE_INDEX.cues)


def _most_specific(cues: list[_Cue]) -> list[_Cue]:
    # Drop a cue when another matched cue strictly contains its words: "expels
    # diplomats" beats bare "diplomats"; "burn flag at embassy" beats "burn embassy".
    return [c for c in cues if not any(c.words < d.words for d in cues)]


def _noisy_or(cues: Iterable[_Cue]) -> float:
    miss = 1.0
    for cue in cues:
        miss *= 1.0 - cue.weight
    return 1.0 - miss


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
# Concepts: the words an event of one kind is first reported by, in English and Indonesian.  Early
# witnesses each use their own ("two explosions", "something exploded", "a blast"); no one word adds up,
# while the concept does.  A post carrying any of the words also carries the concept's term, marked "~".
# The words themselves stay terms: a story is still named by them.

_CONCEPT_FAMILIES: dict[str, str] = {
    "~explosion": "explosion explosions exploded explode explodes exploding blast blasts ledakan meledak ledak",
    "~bombing": "bomb bombs bombed bombing bombings bomber bombers bom pengeboman",
    "~shooting": "shooting shootings gunman gunmen gunfire penembakan",
    "~earthquake": "earthquake earthquakes quake quakes tremor tremors gempa",
    "~flood": "flood floods flooding flooded banjir",
    "~storm": "hurricane hurricanes typhoon typhoons cyclone cyclones tornado tornadoes tornados badai topan",
    "~wildfire": "wildfire wildfires bushfire bushfires kebakaran",
}
CONCEPTS: dict[str, str] = {word: concept for concept, words in _CONCEPT_FAMILIES.items() for word in words.split()}
_CONCEPT_WORDS = frozenset(CONCEPTS)


def concepts_in(tokens: Sequence[str]) -> tuple[str, ...]:
    """The concepts a post's (lower-case, unstemmed) words report, each once, in the order first met.

    >>> concepts_in("two explosions and a blast at the marathon".split())
    ('~explosion',)
    >>> concepts_in("ledakan di dekat kedutaan".split()), concepts_in("lovely weather".split())
    (('~explosion',), ())
    """
    if _CONCEPT_WORDS.isdisjoint(tokens):
        return ()
    return tuple(dict.fromkeys(CONCEPTS[t] for t in tokens if t in _CONCEPT_WORDS))


CONCEPT_MARK = "~"  # no word holds it: the tokeniser keeps letters, digits and inner hyphens or apostrophes


def is_concept(term: str) -> bool:
    """Whether a term is a concept ("~flood"), not a word."""
    return term[:1] == CONCEPT_MARK


def classify(tokens: Sequence[str]) -> tuple[IncidentType | None, float]:
    """Best incident type for a post and a confidence in [0, 1].

    Returns ``(None, 0.0)`` when no cue matches.  OTHER (diplomatic actors but
    no incident cue) is capped at 0.45, so a 0.5 threshold keeps only typed
    incidents.

    >>> classify(["kemlu", "memanggil", "dubes", "australia"])[0].code
    '114'
    >>> classify([])
    (None, 0.0)
    """
    return classify_set(set(canonical_tokens(tokens)))


def classify_set(tset: set[str]) -> tuple[IncidentType | None, float]:
    """:func:`classify` of the set of a post's canonical tokens (see ``canonical_tokens``)."""
    matched = _INDEX.match(tset)
    if not matched:
        return None, 0.0
    matched = _most_specific(matched)
    by_type: dict[str, list[_Cue]] = {}
    for cue in matched:
        by_type.setdefault(cue.code, []).append(cue)
    actors = by_type.pop("OTHER", [])
    if not by_type:
        return TYPES["OTHER"], round(min(_noisy_or(actors), _OTHER_CAP), 4)

    def rank(item: tuple[str, list[_Cue]]) -> tuple[float, int, float, str]:
        code, cues = item
        # confidence, then specificity, then severity, then code (total order => deterministic)
        return (_noisy_or(cues), max(len(c.words) for c in cues), -TYPES[code].goldstein, code)

    code, cues = max(by_type.items(), key=rank)
    conf = _noisy_or(cues)
    if actors:  # an independent diplomatic actor makes the reading more credible
        conf = 1.0 - (1.0 - conf) * 0.75
    return TYPES[code], round(conf, 4)


def severe_news_trigger(tokens: Sequence[str]) -> IncidentType | None:
    """Strict matcher for the sparse-news path: a severe, unambiguous diplomatic event.

    Requires an action cue (diplomats expelled, sanctions imposed / embargo /
    export ban, embassy attacked, ambassador summoned or recalled, relations
    severed, border clash with casualties) AND a diplomatic or state actor: a
    diplomatic/state actor word (it may be the action's object, as "diplomats" in
    "expels diplomats") or a country mention.  Denials, threats, hypotheticals
    and sport/fiction contexts veto.

    >>> severe_news_trigger("malaysia larang ekspor pasir".split()).code
    '163'
    >>> severe_news_trigger("russia threatens to expel diplomats".split()) is None
    True
    """
    if not tokens:
        return None
    return severe_news_trigger_set(set(canonical_tokens(tokens)), lambda: bool(find_countries(tokens)))


def severe_news_trigger_set(tset: set[str], names_country: Callable[[], bool]) -> IncidentType | None:
    """:func:`severe_news_trigger` of the set of a post's canonical tokens; ``names_country`` says whether it
    names a country (asked only when no diplomatic actor word is found)."""
    if not _SEVERE_VETO.isdisjoint(tset):
        return None
    matched = _SEVERE_INDEX.match(tset)
    if not matched:
        return None
    if not _SEVERE_ACTOR_INDEX.match(tset) and not names_country():
        return None
    best = max(matched, key=lambda c: (c.weight, len(c.words), -TYPES[c.code].goldstein, c.code))
    return TYPES[best.code]


# ---------------------------------------------------------------------------
# Seed sentences for the online relevance classifier (original text).
# ---------------------------------------------------------------------------

DIPLOMATIC_SEED_EN: tuple[str, ...] = (
    "Jakarta summons Australian ambassador after leaked spying documents",
    "Foreign ministry lodges formal protest over Chinese coast guard vessel in Natuna waters",
    "Beijing expels two Dutch diplomats in tit-for-tat row",
    "Protesters gather outside the US embassy in Jakarta, police close the road",
    "Malaysia bans sand exports to Singapore, shipping firms scramble",
    "Indonesian fishermen detained by Australian border patrol near Ashmore Reef",
    "Embassy stormed by armed men in Khartoum, staff moved to safety",
    "Thai and Cambodian troops clash at disputed border, two soldiers killed",
    "Strong earthquake hits Turkey, embassy says all Indonesian citizens accounted for",
    "Canberra recalls its envoy to Jakarta for consultations",
    "EU imposes new sanctions on Russian banks over the war in Ukraine",
    "India hikes import tariffs on palm oil, Indonesian exporters worried",
    "Philippines condemns water cannon attack on its supply boat",
    "Myanmar junta rejects ASEAN peace plan",
    "Washington threatens sanctions on firms trading with Iran",
    "Hundreds rally at the Myanmar embassy demanding an end to airstrikes",
    "Indonesian migrant worker sentenced to death in Saudi Arabia, ministry seeks clemency",
    "Netherlands downgrades diplomatic ties after envoy insult",
    "Chinese warships spotted inside Indonesia's exclusive economic zone near Natuna",
    "Evacuation of Indonesian citizens from Sudan begins as fighting spreads",
    "Floods in Malaysia: consulate opens hotline for stranded Indonesians",
    "Ambassador declared persona non grata after election meddling claims",
    "Papua New Guinea lodges complaint over border incursion near Jayapura",
    "Vietnam detains Indonesian fishing boat crew near Natuna",
    "Explosion near the Australian embassy, no Indonesian casualties reported",
    "Seoul condemns North Korean missile launch, warns of consequences",
    "Beijing warns Manila of retaliation over shoal resupply mission",
    "Shooting at a Bangkok mall, embassy urges Indonesians to avoid the area",
    "Kuwait deports dozens of undocumented Indonesian workers",
    "Jakarta condemns massacre of civilians in Gaza",
    "Mob attacks consulate after viral video, diplomats evacuated",
    "Qatar and Bahrain sever diplomatic ties amid Gulf dispute",
)

DIPLOMATIC_SEED_ID: tuple[str, ...] = (
    "Kemlu memanggil Dubes Australia terkait kasus penyadapan",
    "Indonesia layangkan nota protes ke Tiongkok soal kapal penjaga pantai di Natuna",
    "Ratusan massa unjuk rasa di depan Kedubes Myanmar",
    "Malaysia larang ekspor pasir laut ke Singapura",
    "Dua WNI ditahan polisi Malaysia di Johor, KJRI beri pendampingan",
    "Gempa M7 guncang Turki, KBRI Ankara pastikan WNI selamat",
    "Pemerintah Belanda usir dua diplomat Rusia",
    "Bentrok di perbatasan Thailand Kamboja, tiga tentara tewas",
    "Evakuasi WNI dari Sudan tahap kedua tiba di Jakarta",
    "AS jatuhkan sanksi baru kepada perusahaan Tiongkok",
    "India naikkan tarif impor minyak sawit, eksportir RI khawatir",
    "Massa geruduk Kedubes Prancis, bakar bendera",
    "Nelayan Indonesia ditangkap kapal patroli Australia",
    "Menlu kecam serangan Israel ke kamp pengungsi di Gaza",
    "Korea Utara ancam balasan atas latihan militer gabungan",
    "Filipina tolak klaim Tiongkok di Laut China Selatan",
    "Banjir bandang di Jepang, KBRI Tokyo buka hotline untuk WNI terdampak",
    "Kedubes RI di Yangon diserang orang tak dikenal",
    "Arab Saudi eksekusi TKI asal Madura, Kemlu sampaikan protes keras",
    "Vanuatu kembali singgung Papua di sidang PBB, delegasi RI gunakan hak jawab",
    "Kapal perang Tiongkok masuk ZEE Indonesia di Laut Natuna Utara",
    "Australia tarik dubesnya dari Jakarta untuk konsultasi",
    "Ledakan di dekat KBRI Kabul, seluruh staf dan WNI aman",
    "Uni Eropa perpanjang embargo senjata ke Myanmar",
    "Puluhan PMI dideportasi dari Malaysia karena dokumen tidak lengkap",
    "Aksi solidaritas Palestina digelar di depan Kedubes AS",
    "Tiongkok bekukan kerja sama pertahanan dengan Filipina",
    "Tsunami di Jepang, KBRI Tokyo data WNI di wilayah terdampak",
    "Penembakan di Bangkok, KBRI imbau WNI hindari pusat perbelanjaan",
    "Kapal ikan asing berbendera Vietnam ditangkap di perairan Natuna",
    "Rusia ancam sanksi terhadap negara yang membantu Ukraina",
    "Pemerintah putuskan hubungan diplomatik setelah dubes dihina",
)

BACKGROUND_SEED_EN: tuple[str, ...] = (
    "Best nasi goreng in town is the stall behind the train station",
    "Traffic on the toll road is terrible again this morning",
    "Can't believe Arsenal lost at home, what a match",
    "Just finished my korean drama marathon, crying at the ending",
    "New bubble tea place opened near campus, the queue is crazy",
    "It's so hot today, I need an iced coffee",
    "My daughter has a maths exam tomorrow and is panicking",
    "Flash sale at midnight, got new sneakers for half price",
    "The BTS concert tickets sold out in five minutes",
    "Rain again in the afternoon, forgot my umbrella as usual",
    "Trying a japanese ramen recipe tonight, wish me luck",
    "Who else is watching the badminton final on Sunday",
    "My cat knocked my phone off the table again",
    "Weekend plan: sleep, eat, repeat",
    "The thai iced tea at the mall food court is too sweet",
    "Finally passed my driving test after three attempts",
    "Morning run done, 5 km in the rain",
    "Our office coffee machine broke and everyone is grumpy",
    "Anyone know a good laptop repair shop in Bandung",
    "Grocery prices keep going up, eggs are so expensive now",
    "School holidays start next week, the kids are so excited",
    "Watching the new Marvel movie tonight with friends",
    "Just got my exam results, so relieved",
    "Planning a trip to Bali next month, any homestay tips",
    "My online order arrived with the wrong colour, so annoying",
    "Chinese new year decorations are up at the mall already",
    "Late night instant noodles hit different",
    "The new season of my favourite anime drops on Friday",
    "Learning to bake sourdough, first loaf was a brick",
    "Power went out for an hour, the whole street was dark",
)

BACKGROUND_SEED_ID: tuple[str, ...] = (
    "Macet parah di tol dalam kota pagi ini",
    "Nasi goreng langganan dekat kantor tutup hari ini",
    "Timnas menang 2-0 lawan Vietnam, mantap",
    "Tiket konser BTS ludes dalam lima menit",
    "Lagi belajar bahasa Inggris lewat aplikasi tiap malam",
    "Diskon akhir tahun di mall rame banget",
    "Hujan deras dari sore, jalan depan rumah banjir lagi",
    "Besok ujian matematika, belum belajar sama sekali",
    "Es kopi susu gula aren memang paling enak",
    "Drakor baru tayang minggu ini, pemainnya ganteng banget",
    "Anak-anak libur sekolah, rumah jadi ramai",
    "Harga cabai naik lagi di pasar",
    "Motor mogok di jalan, untung ada bengkel dekat",
    "Lagi nyobain resep ramen Jepang di rumah",
    "Jadwal KRL pagi ini telat lagi",
    "Akhirnya lulus sidang skripsi, alhamdulillah",
    "Main futsal bareng teman kantor tiap Jumat",
    "Paket dari toko online belum datang juga",
    "Cuaca panas banget hari ini, gerah",
    "Nonton film horor sendirian, nyesel",
    "Mau beli HP baru tapi bingung pilih yang mana",
    "Martabak manis keju cokelat favorit keluarga",
    "Antrean di bank panjang sekali pagi ini",
    "Kucing tetangga sering main ke rumah",
    "Resep rendang dari nenek memang juara",
    "Liburan ke Bandung akhir pekan, ada rekomendasi kuliner",
    "Lagu K-pop baru itu terus diputar di radio",
    "Pulang kerja langsung tidur, capek banget",
    "Belajar masak makanan Korea buat acara keluarga",
    "Listrik padam dua jam di kompleks kami",
)
