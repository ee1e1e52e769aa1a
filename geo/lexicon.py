"""Word lists the recogniser needs besides the gazetteer (German and English).

Small, closed lists live here with their reason; the one large list, first names, comes from
the `gender-guesser` package's name dictionary (nam_dict.txt, GNU FDL; about 40,000 given
names from many countries), read once on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "STOPWORDS", "DETERMINERS", "LOCATIVE", "ARABIC_ARTICLES", "PERSON_TITLES", "ORG_WORDS", "ORG_NOUNS", "LIST_CUES", "LIST_JOINERS",
    "PLACE_PREDICATES", "REGION_NOUNS", "STRONG_LOCATIVE", "VILLAGE_NOUNS", "FEATURE_NOUNS",
    "ASSEMBLIES", "BUILDING_CUES", "MONTHS", "VESSEL_HEADS",
    "NOT_PLACES", "NEARBY_WORDS", "SWISS_CANTON_CODES", "QUANTIFIERS", "AMOUNT_WORDS", "CURRENCY_WORDS", "ORG_HEADS", "DIRECTIONS", "PLACE_CUES", "LIST_CUE_KINDS", "GENERIC_FACILITIES", "STREET_SUFFIXES", "THOROUGHFARES",
    "first_names", "common_english_words", "curated_acronyms", "word_frequencies",
]

# Function words that are also names of places somewhere (Die, Of, And …): never places alone.
STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber als auch auf aus bei
    bis da dann doch durch für gegen hat hatte ich ihr im in ist kein man mit nach nicht noch nun
    ob so um uns von vor was weil wenn wer wie wir zu zum zur am an es er sie wo sein seit sind
    war wird werden über unter ab hier dort dies diese dieser laut mehr viel alle allen
    dass daß dazu dabei damit daher deshalb deswegen denn dennoch darum darauf daran davon dafür
    dagegen danach davor dahin doch jedoch zwar sowie sodass obwohl während nachdem bevor seitdem
    sobald solange falls indem wobei womit wofür worauf wozu weshalb warum wann wohin woher
    jetzt heute gestern morgen immer nie oft schon bereits erst nur sehr ganz gar eben etwa fast
    kaum mal wieder weiter zudem ferner außerdem ausserdem allerdings trotzdem also somit sogar
    selbst sonst zuletzt zuerst später bald gleich gleichzeitig zugleich freilich nämlich
    ja nein nicht nichts etwas alles jeder jede jedes manche mancher viele wenige einige mehrere
    andere anderen beide beiden ihm ihn ihnen mich mir dich dir sich uns euch wem wen wessen
    hatten haben habe hätte wäre waren wurden wurde worden kann können konnte könnte muss müssen
    musste soll sollen sollte will wollen wollte darf dürfen mag möchte
    the a an and or but of to in on at by for from with as is are was were be been it its this
    that these those he she they we you i his her their our my your not no yes so if then than
    up down out over under about after before into onto upon via per all any some one two
    also although because while when where which who whom whose what why how here there
    however meanwhile moreover furthermore nevertheless therefore thus hence yet still even
    just only now today yesterday tomorrow later earlier since until unless whether both
    each every many much more most other others such same own few several another
    """.split()
)

# German determiners and contracted prepositions: a city name does not follow them alone.
DETERMINERS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen kein keine keiner keines keinem
    keinen mein meine meinem meinen meiner meines sein seine seinem seinen seiner seines ihr ihre
    ihrem ihren ihrer ihres unser unsere unserem unseren unserer dieser diese dieses diesem diesen
    jener jene jenes jenem jenen jeder jede jedes jedem jeden welcher welche welches zum zur im
    am vom beim ins ans aufs durchs fürs ums übers
    """.split()
)

# Prepositions that typically precede a place (in Minsk, nach Moskau, from Kyiv, near Lviv).
LOCATIVE = frozenset(
    """
    in nach aus bei von über gegen zwischen um vor ab bis durch nahe nähe richtung
    at from to near outside across into toward towards around throughout between via inside
    within off through past beyond
    """.split()
)

# The Arabic article before a name's word, with its hyphen: «Deir al-Balah», «Gouverneur al-Bakur».
ARABIC_ARTICLES = frozenset("al el ad as ash at az ar an".split())

# Words before a person's name (Präsident Wladimir Putin, Mr. Jordan, Herr Essen).
PERSON_TITLES = frozenset(
    """
    herr frau präsident präsidentin kanzler kanzlerin minister ministerin premier premierminister
    premierministerin bundesrat bundesrätin bundesrätin diktator machthaber sprecher sprecherin
    general oberst papst könig königin prinz prinzessin dr prof professor botschafter botschafterin
    mr mrs ms miss sir lord lady dame president vice senator sen rep representative gov governor
    freiherr graf gräfin fürst fürstin herzog herzogin baron baronin abg abgeordneter v
    gouverneur gouverneurin bürgermeister bürgermeisterin landrat landrätin abgeordnete marschall feldmarschall
    mayor judge justice secretary chancellor king queen prince princess pope gen col capt lt
    sgt officer detective coach father rev bishop archbishop cardinal dean chief
    """.split()
)

# A capitalised word after a place name that makes it an organisation (Washington Post).
ORG_WORDS = frozenset(
    """
    post times journal herald tribune gazette news daily press chronicle observer examiner
    university college school institute academy hospital clinic airlines airways bank group
    corporation corp inc ltd fc united rovers wanderers athletic county-based records studios workers
    zeitung allgemeine rundschau anzeiger kurier nachrichten tagblatt universität hochschule
    bahn bahnen verkehrsbetriebe
    """.split()
)


# Organisation nouns right before a name: «die US-Universität Yale», «der Konzern Bayer»,
# «die Firma Linde», «der Verein Hertha» name an organisation, not a place.
ORG_NOUNS = frozenset(
    """
    universität hochschule uni konzern firma unternehmen verein club klub partei bank stiftung
    verlag brauerei reederei gruppe holding marke label team mannschaft fussballclub sender
    zeitung magazin agentur nachrichtenagentur airline fluggesellschaft autobauer hersteller modehaus
    detailhändler feuerwehr polizei ff ffw thw rettung löschzug löschgruppe
    """.split()
)
# Last parts of German compounds that name an organisation: «die Kantonspolizei Graubünden», «die
# Wasserrettung St. Gilgen», «das Bezirksgericht Zürich», «die Gebäudeversicherung Bern», «die
# Arbeiterkammer Wien», «die Verkehrsbetriebe Zürich», «die Feuerwehrleitstelle Feldkirch», «die
# Polizeiinspektion Kramsach», «die Bezirkshauptmannschaft Bludenz», «der Rettungsdienst Lienz»;
# after a name too: «das Berliner Tageblatt», «das Wiener Fremdenblatt», «die Zürcher
# Kantonalbank», «das Deutsche Nachrichtenbüro» (Büreau in old spelling).
ORG_HEADS = tuple(
    """
    polizei feuerwehr rettung wacht zentrale verband kommando direktion gericht ministerium behörde
    verwaltung amt revier zeitung blatt anzeiger kurier rundschau bank gesellschaft verein werke büro büreau
    agentur versicherung kasse kammer betriebe bahnen genossenschaft stiftung institut akademie gewerkschaft
    partei leitstelle inspektion hauptmannschaft wache dienst meisterei schule
    """.split()
)
# Kin and partners before a first name name a person: "her daughter, Brittany", «ihr Sohn Florian».
KIN_NOUNS = frozenset(
    """
    daughter son wife husband mother father brother sister grandson granddaughter grandmother grandfather
    niece nephew cousin fiancee fiancé fiance girlfriend boyfriend widow widower stepdaughter stepson
    tochter sohn ehefrau ehemann gattin gatte mutter vater bruder schwester enkel enkelin nichte neffe
    cousine witwe witwer verlobte lebensgefährtin lebensgefährte stieftochter stiefsohn
    """.split()
)
# German number words, and words for an amount that stand before a unit or currency:
# «drei Franken», «80 Millionen Franken», «2,5 Mio. Franken».
NUMBER_WORDS = frozenset(
    "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig dreissig dreißig hundert tausend".split()
)
AMOUNT_WORDS = NUMBER_WORDS | frozenset("million millionen milliarde milliarden mio mrd".split())
# German names of currencies and their coins that are place names too: «der starke Franken» is
# the Swiss franc far more often than Franconia, «Real» a Brazilian real more often than a town.
CURRENCY_WORDS = frozenset(
    """
    franken rappen euro cent dollar pfund rubel griwna hrywnja lira kronen krone zloty forint yen yuan
    won rupie rupien rand real peso pesos dinar dirham rial schilling
    """.split()
)
# Words before a German plural noun: «mehrere Keller», «zahlreiche Muren» (a town takes none).
QUANTIFIERS = NUMBER_WORDS | frozenset(
    "mehrere einige etliche zahlreiche viele wenige sämtliche manche unzählige diverse weitere".split()
)

# Assemblies whose building bears their name: «der Reichstag hat beschlossen», «die Sitzung des
# Reichstags» name the parliament; only a word of the building («vor dem Reichstag», «die Kuppel
# des Reichstags», «im Reichstagsgebäude») makes it the place.
ASSEMBLIES = frozenset("reichstag knesset".split())
# Words beside such a name that make it the building: before it (across an article) or after it.
BUILDING_CUES = frozenset("vor vorm hinter neben gegenüber gebäude kuppel building outside".split())

# Nouns for a ship, and the heads of their compounds, before its name: «das Panzerschiff
# „Deutschland“», «der Dampfer Bremen», "the liner Normandie" name the ship.
VESSEL_HEADS = (
    "schiff", "schiffes", "schiffs", "dampfer", "dampfers", "kreuzer", "kreuzers", "fregatte", "korvette",
    "jacht", "yacht", "boot", "bootes", "boots", "ship", "vessel", "cruiser", "liner", "frigate", "steamer",
)

# Nouns that introduce a list of places: «in den Gemeinden A, B und C», «die Orte A und B».
LIST_CUES = frozenset(
    """
    gemeinden orte ortschaften dörfer städte kantone bezirke landkreise kreise regionen länder
    staaten bundesländer provinzen täler weiler
    orten dörfern städten kantonen bezirken landkreisen kreisen ländern bundesländern
    tälern weilern ortsteile ortsteilen stadtteile stadtteilen gemeindeteile gemeindeteilen vororte vororten
    gebiete gebieten fraktionen
    gemeinde ortschaft ortsteil stadtteil raum
    towns villages cities counties states countries provinces communities
    """.split()
)
# Compound nouns for a small place, before its name: «in der Marktgemeinde Wang», «im Kurort
# Bad Ischl». Each is a city cue (PLACE_CUES) and opens a list (LIST_CUES), as «Gemeinde» does.
VILLAGE_NOUNS = frozenset(
    """
    marktgemeinde stadtgemeinde ortsgemeinde nachbargemeinde heimatgemeinde wohngemeinde
    berggemeinde grenzgemeinde standortgemeinde marktflecken bergdorf nachbardorf heimatdorf
    nachbarort heimatort wohnort kurort ferienort urlaubsort skiort wintersportort wallfahrtsort
    """.split()
)
LIST_CUES = LIST_CUES | VILLAGE_NOUNS
# Words that join the items of a list.
LIST_JOINERS = frozenset("und oder sowie bzw and or".split())
# Verbs that state where a place lies: «Lingenau liegt im Bregenzerwald», "Troy lies on the Hudson".
PLACE_PREDICATES = frozenset(
    """
    liegt lag liegen grenzt grenzte gehört gehörte befindet befand zählt
    lies lay borders bordered
    """.split()
)
# Swiss canton abbreviations after a town's name, the Swiss way to tell namesakes apart («Buchs SG»,
# «Wil ZH», «Kaiserstuhl OW»): code → the key of the canton's name.
SWISS_CANTON_CODES = {
    "AG": "aargau", "AR": "appenzell ausserrhoden", "AI": "appenzell innerrhoden", "BL": "basel landschaft",
    "BS": "basel stadt", "BE": "bern", "FR": "fribourg", "GE": "geneve", "GL": "glarus", "GR": "graubunden",
    "JU": "jura", "LU": "luzern", "NE": "neuchatel", "NW": "nidwalden", "OW": "obwalden", "SG": "st gallen",
    "SH": "schaffhausen", "SZ": "schwyz", "SO": "solothurn", "TG": "thurgau", "TI": "ticino", "UR": "uri",
    "VS": "valais", "VD": "vaud", "ZG": "zug", "ZH": "zurich",
}
# Words before a name that say it is a place near another: «im nahe gelegenen Wattenberg», «im
# benachbarten Kufstein», "in nearby Troy".
NEARBY_WORDS = frozenset(
    """
    gelegene gelegenen gelegenes nahegelegene nahegelegenen benachbarte benachbarten benachbartes
    angrenzende angrenzenden nearby neighbouring neighboring
    """.split()
)
# Prepositions of place strong enough to make a noun-first word a place: «in Essen», «nach Hof»
# (but «vor Regen», «von Strassen», «bei Regen» are the nouns).
STRONG_LOCATIVE = frozenset("in nach aus zwischen nahe nähe richtung".split())
# Words between «in» and a region that say what the region is: «im US-Bundesstaat Alabama».
REGION_NOUNS = frozenset(
    """
    bundesstaat bundesland kanton land region provinz bezirk kreis landkreis departement staat
    county state province
    """.split()
)

# Capitalised words that are places somewhere but, in news text, almost always something else:
# organisations, agencies, weekdays and months, directions.
NOT_PLACES = frozenset(
    """
    nato uno un osze opec who iwf imf hamas hisbollah hezbollah taliban ap afp dpa reuters
    montag dienstag mittwoch donnerstag freitag samstag sonntag monday tuesday wednesday thursday
    friday saturday sunday januar februar märz april mai juni juli august september oktober
    november dezember january february march may june july october december
    gott god christ jesus allah xinhua tass interfax ria novosti efe ansa kyodo yonhap
    jan feb mar apr jun jul aug sep sept oct nov dec arab arabs
    """.split()
)
MONTHS = frozenset(
    """
    januar jänner februar feber märz april mai juni juli august september oktober november dezember
    january february march may june july october december
    jan feb mar apr jun jul aug sep sept okt oct nov dez dec
    """.split()
)
DIRECTIONS = frozenset(
    "norden süden osten westen nord süd ost west north south east west "
    # German compass points between («von Südwest nach Nordost»); English "the Northeast" is a US region
    "nordost nordwest südost südwest nordosten nordwesten südosten südwesten".split()
)

# Cue nouns next to a name that say which kind of place it is.
PLACE_CUES = {
    "city": frozenset(
        "stadt hauptstadt city town village dorf gemeinde ortschaft metropole capital "
        "kleinstadt grossstadt kreisstadt hafenstadt grenzstadt nachbarstadt heimatstadt "
        "millionenstadt landeshauptstadt bezirkshauptstadt provinzhauptstadt "
        # the parts and settlements of a place: «des Ortes Dworitschna», «der Ortsteil Hochfügen»
        "ort ortes orts ortsteil ortsteils stadtteil stadtteils gemeindeteil gemeindeteils weiler weilers "
        "vorort vororts vorstadt dorfes dorfs hamlet suburb "
        # a town's territory: «im Gemeindegebiet von Sellrain», «im Stadtgebiet von Graz»
        "gemeindegebiet gemeindegebiets stadtgebiet stadtgebiets ortsgebiet "
        # road junctions named after the place they lead to: «ab Abzweigung Büelen», «Ausfahrt Wil»
        "abzweigung kreuzung einmündung ausfahrt anschlussstelle".split()
    ) | VILLAGE_NOUNS,
    "region": frozenset(
        "region oblast gebiet kanton canton bundesland provinz province county bezirk district "
        "kreis landkreis departement state gov governor bundesstaat gouverneur gouverneurin border grenze land "
        # «der Regionalgouverneur von Dnipropetrowsk», «die Grenzregion Brjansk»
        "regionalgouverneur regionalgouverneurin gebietsgouverneur provinzgouverneur militärgouverneur grenzregion "
        "landeshauptmann landeshauptfrau".split()
    ),
    # "the country of Georgia"; a border is a state's or a country's, never a town's (the New York border)
    "country": frozenset("country nation border grenze land".split()),
}

# Plural cue nouns before a list that say the kind of every name in it: «in den Provinzen
# Salaheddin, Kirkuk und Anbar», «die Städte Mandalay und Sagaing».
LIST_CUE_KINDS = {
    "city": frozenset(
        "städte städten dörfer dörfern gemeinden ortschaften towns cities villages".split()
    ),
    "region": frozenset(
        "regionen provinzen kantone kantonen bezirke bezirken landkreise landkreisen bundesländer "
        "bundesländern bundesstaaten oblaste gouvernements gebiete gebieten provinces counties states regions "
        "oblasts districts".split()
    ),
}

# Generic nouns for facility types, by language, to the gazetteer feature they refer to.
GENERIC_FACILITIES = {
    "AIRP": ("flughafen", "flugplatz", "airport", "airfield", "airbase"),
    "NUCLEAR_PLANT": ("akw", "atomkraftwerk", "kernkraftwerk", "kkw", "atomkraftwerks",
                      "kernkraftwerks", "nuclear plant", "nuclear power plant", "nuclear power station", "reactor"),
}


# Named places no offline gazetteer holds (streets, buildings): recognised, left unresolved.
STREET_SUFFIXES = {
    "en": frozenset(
        "street road avenue boulevard lane drive highway parkway square bridge park museum hospital "
        "cathedral church mosque synagogue stadium arena airport station university college "
        "school palace castle tower prison".split()
    ),
    "de": frozenset(
        "straße strasse str gasse weg allee platz ring damm ufer chaussee brücke bahnhof kirche "
        "dom kathedrale moschee synagoge stadion schloss burg palast gefängnis".split()
    ),
}

# Words that make any name before them a street, however big the place (Washington Drive,
# Texas Avenue). Not "Highway" or "Park": "Florida Highway Patrol" and "Ohio Park Service" name states.
THOROUGHFARES = {
    "en": frozenset("street road avenue boulevard lane drive parkway ave blvd".split()),
    "de": frozenset("straße strasse str gasse allee chaussee".split()),
}


def _normalised(words: frozenset[str]) -> frozenset[str]:
    from geo.normalize import normalize

    return frozenset(normalize(w) for w in words)


STOPWORDS = _normalised(STOPWORDS)
DETERMINERS = _normalised(DETERMINERS)
LOCATIVE = _normalised(LOCATIVE)
PERSON_TITLES = _normalised(PERSON_TITLES)
KIN_NOUNS = _normalised(KIN_NOUNS)
ORG_WORDS = _normalised(ORG_WORDS)
ORG_NOUNS = _normalised(ORG_NOUNS)
BUILDING_CUES = _normalised(BUILDING_CUES)
LIST_CUES = _normalised(LIST_CUES)
PLACE_PREDICATES = _normalised(PLACE_PREDICATES)
REGION_NOUNS = _normalised(REGION_NOUNS)
STRONG_LOCATIVE = _normalised(STRONG_LOCATIVE)
NEARBY_WORDS = _normalised(NEARBY_WORDS)
QUANTIFIERS = _normalised(QUANTIFIERS)
AMOUNT_WORDS = _normalised(AMOUNT_WORDS)
CURRENCY_WORDS = _normalised(CURRENCY_WORDS)
ORG_HEADS = tuple(sorted(_normalised(ORG_HEADS)))
NOT_PLACES = _normalised(NOT_PLACES)
DIRECTIONS = _normalised(DIRECTIONS)
MONTHS = _normalised(MONTHS)
PLACE_CUES = {kind: _normalised(words) for kind, words in PLACE_CUES.items()}
LIST_CUE_KINDS = {kind: _normalised(words) for kind, words in LIST_CUE_KINDS.items()}
STREET_SUFFIXES = {lang: _normalised(words) for lang, words in STREET_SUFFIXES.items()}
THOROUGHFARES = {lang: _normalised(words) for lang, words in THOROUGHFARES.items()}


@lru_cache(maxsize=1)
def curated_acronyms() -> frozenset[str]:
    """All-caps aliases a curator listed (USA, UK, U.S., UdSSR, DDR): the only short
    all-caps words recognised as places; GeoNames codes (AP, IT, II) are not."""
    import csv

    from geo.config import DATA_DIR

    try:
        with open(DATA_DIR / "curated" / "aliases.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError:
        return frozenset()
    return frozenset(
        r["alias"] for r in rows
        if r.get("type", "alt") == "alt" and sum(ch.isupper() for ch in r["alias"]) >= 2
    )


@lru_cache(maxsize=4)
def word_frequencies(lang: str) -> dict[str, float]:
    """Matching key → Zipf frequency (wordfreq, see data/README.md); empty if unknown."""
    from geo.config import DATA_DIR

    path = DATA_DIR / f"word-frequency-{lang}.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    table = {}
    values: dict[str, float] = {}  # one float object per distinct figure (a few hundred), not per word
    for line in lines:
        key, _, zipf = line.partition("\t")
        value = values.get(zipf)
        if value is None:
            value = values[zipf] = float(zipf)
        table[key] = value
    return table


@lru_cache(maxsize=1)
def common_english_words() -> frozenset[str]:
    """Lower-case English words (SCOWL word list, see data/README.md)."""
    from geo.config import DATA_DIR

    path = DATA_DIR / "common-words-en.txt"
    try:
        return frozenset(path.read_text(encoding="utf-8").split())
    except OSError:
        return frozenset()


_RARE_NAME = 3  # nam_dict frequency (1-13, per country): this rare everywhere, a name counts less than a word
_WORD_ZIPF = 4.0  # … than a word this frequent in the article's language (Linie, Wies, Paris)
_NOUNS_CAPITALISED = frozenset({"de"})  # languages whose capitals are no evidence of a name


FIRST_NAME_FILE = "first-name-popularity.tsv"  # data/: `parse_name_popularity` of the package's file


def parse_name_popularity(data: bytes) -> dict[str, int]:
    """Given name (case-folded) → its highest frequency in any country of gender-guesser's
    nam_dict.txt (1 rare … 13 very common)."""
    popularity: dict[str, int] = {}
    pattern = re.compile(rb"^[MF?=1][ MF?]\s+(\S+)")
    for line in data.split(b"\n"):
        match = pattern.match(line)
        if match:
            # nam_dict uses '+' for hyphenated names and iso-8859-1 bytes; columns 30-85 hold
            # one frequency digit (hexadecimal, 1-D) per country.
            name = match.group(1).decode("latin-1").replace("+", "-").casefold()
            counts = [int(c, 16) for c in line[30:86].decode("latin-1") if c in "123456789ABCDabcd"]
            popularity[name] = max(popularity.get(name, 0), max(counts, default=0))
    return popularity


@lru_cache(maxsize=1)
def _name_popularity() -> dict[str, int]:
    """`parse_name_popularity` of nam_dict.txt, as `make data` keeps it in data/ (read in ~30 ms
    where parsing takes ~0.3 s of every process); parsed from the package if the file is
    missing; empty if neither is there."""
    from geo.config import DATA_DIR

    try:
        lines = (DATA_DIR / FIRST_NAME_FILE).read_text(encoding="utf-8").rstrip("\n").split("\n")  # not splitlines: a name may hold \x85
    except OSError:
        lines = None
    if lines is not None:
        counts = {str(n): n for n in range(14)}  # small ints are shared objects anyway
        popularity = {}
        for line in lines:
            name, _, count = line.partition("\t")
            popularity[name] = counts.get(count) or int(count)
        return popularity
    try:
        from importlib.resources import files

        return parse_name_popularity(files("gender_guesser").joinpath("data/nam_dict.txt").read_bytes())
    except (ModuleNotFoundError, FileNotFoundError):
        return {}


# German nouns for a kind of natural feature, which stand before its name as a title stands before
# a person's: «der Vulkan Ätna», «das Kap Arkona», «im Tal Safien». Some are given names somewhere.
FEATURE_NOUNS = frozenset(
    """
    vulkan berg gipfel insel halbinsel fluss see stausee gletscher pass tal kap bucht meerenge kanal
    wald gebirge massiv wüste oase hügel küste mine
    """.split()
)


@lru_cache(maxsize=4)
def first_names(lang: str | None = None) -> frozenset[str]:
    """Given names (case-folded) from gender-guesser's nam_dict.txt; empty if not installed.

    In German, where every noun is capitalised, a name rare in every country (`_RARE_NAME`) that
    is a frequent German word (`_WORD_ZIPF`) is left out: «auf der Linie Giswil» is a railway
    line, not a person; so is a noun for a kind of feature (`FEATURE_NOUNS`: «der Vulkan Ätna»).
    English keeps them: a capitalised Johnson or Jones is a surname there.
    """
    popularity = _name_popularity()
    if lang not in _NOUNS_CAPITALISED:
        return frozenset(popularity)
    frequencies = word_frequencies(lang)
    return frozenset(name for name, count in popularity.items()
                     if (count > _RARE_NAME or frequencies.get(name, 0.0) < _WORD_ZIPF) and name not in FEATURE_NOUNS)
