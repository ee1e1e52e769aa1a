"""Recognition and resolution on short invented texts (German and English)."""

from __future__ import annotations

import pytest

from geo.gazetteer import haversine_km
from geo.pipeline import geoparse


def places(text, lang="auto"):
    return geoparse(text, lang=lang).places


def names(text, lang="auto"):
    return {m.text for p in places(text, lang) for m in p.mentions}


def place_named(text, surface, lang="auto"):
    for p in places(text, lang):
        if any(m.text == surface for m in p.mentions):
            return p
    return None


def place_near(text, surface, lat, lon, km, lang="de"):
    """The place named `surface` in `text`, asserted found within `km` of (lat, lon)."""
    place = place_named(text, surface, lang)
    assert place is not None, names(text, lang)
    assert haversine_km(lat, lon, place.candidate.lat, place.candidate.lon) < km
    return place


@pytest.mark.parametrize("text, absent, present", [
    ("Wladimir Putin traf Alexander Lukaschenko in Minsk.", {"Wladimir", "Alexander"}, {"Minsk"}),
    ("Vladimir Putin met Alexander Lukashenko in Moscow on Monday.", {"Vladimir", "Alexander"}, {"Moscow"}),
    ("Paris Hilton flew to London yesterday.", {"Paris"}, {"London"}),
    ("Präsident Macron sprach in Berlin mit Kanzler Scholz.", {"Macron", "Scholz"}, {"Berlin"}),
    ("Die Nato und die EU beraten in Brüssel. AP berichtet.", {"Nato", "AP", "Die"}, {"Brüssel"}),
])
def test_persons_organisations_and_common_words_are_not_places(text, absent, present):
    found = names(text)
    assert not found & absent, found
    assert present <= found, found


def test_determiner_keeps_the_noun_and_preposition_keeps_the_town():
    found = [m for p in places("Der Zug fährt nach Zug.", "de") for m in p.mentions]
    assert [m.start for m in found] == ["Der Zug fährt nach Zug.".rindex("Zug")]


@pytest.mark.parametrize("text, surface, lat, lon, lang", [
    ("Der Gipfel fand in Frankfurt am Main statt.", "Frankfurt am Main", 50.11, 8.68, "auto"),
    ("Die Konferenz in Den Haag begann.", "Den Haag", 52.08, 4.30, "auto"),
    ("Flights from Tel Aviv to New York resumed.", "Tel Aviv", 32.08, 34.78, "auto"),
    ("Flights from Tel Aviv to New York resumed.", "New York", 40.71, -74.01, "auto"),
    ("Die Delegation reiste nach St. Gallen.", "St. Gallen", 47.42, 9.38, "auto"),
    # Mt./Mount, Ft./Fort and Co./County are interchangeable
    ("Police in Mt. Pleasant, Iowa, said the road was closed.", "Mt. Pleasant", 40.96, -91.56, "en"),
    ("The team flew from Ft. Lauderdale to Boston.", "Ft. Lauderdale", 26.12, -80.14, "en"),
    ("Deputies in Loudon Co., Tenn., arrested two men.", "Loudon Co", 35.74, -84.31, "en"),
    # German link words abbreviated: a. d. = an der, i. = im, o. d. = ob der, a. = am
    ("Betroffen waren Kematen und Waidhofen a. d. Ybbs.", "Waidhofen a. d. Ybbs", 47.96, 14.77, "de"),
    ("Die Feuerwehr von Ried i. I. rückte aus.", "Ried i. I", 48.21, 13.49, "de"),
    ("Touristen kamen nach Rothenburg o. d. Tauber.", "Rothenburg o. d. Tauber", 49.38, 10.18, "de"),
    ("Die Messe in Frankfurt a. M. öffnet.", "Frankfurt a. M", 50.11, 8.68, "de"),
    # an airport by its city and its own name
    ("Der Flug nach London Gatwick war voll.", "London Gatwick", 51.15, -0.19, "de"),
    ("Pegasus fliegt nach Istanbul Sabiha Gökçen.", "Istanbul Sabiha Gökçen", 40.90, 29.31, "de"),
])
def test_multiword_and_abbreviated_names(text, surface, lat, lon, lang):
    place_near(text, surface, lat, lon, 20, lang)


@pytest.mark.parametrize("text, surface, expected", [
    ("Der Minsk-Besuch dauerte zwei Tage.", "Minsk", "Minsk"),
    ("Die Kertsch-Brücke wurde gesperrt.", "Kertsch", "Kerch"),
    ("Moskaus Einfluss wächst, Kiews Widerstand auch.", "Moskaus", "Moscow"),
    ("Moskaus Einfluss wächst, Kiews Widerstand auch.", "Kiews", "Kyiv"),
    ("Russia's army and Ukraine's defenders", "Russia's", "Russia"),
    ("Die Berliner Mauer fiel 1989.", "Berliner", "Berlin"),
])
def test_compounds_inflection_and_city_adjectives(text, surface, expected):
    place = place_named(text, surface)
    assert place is not None and place.name == expected, names(text)
    assert place.kind in ("city", "country"), place.id


def test_country_adjectives_link_to_the_country():
    place = place_named("Russische Truppen stehen an der Grenze.", "Russische")
    assert place is not None and place.id == "country:RU"
    assert all(m.form == "adjective" for m in place.mentions)


def test_airport_from_city_adjective_and_from_context():
    text = "Putin landete in Minsk. Lukaschenko wartete auf dem Flughafen."
    airport = place_named(text, "Flughafen")
    assert airport is not None and airport.kind == "facility"
    assert haversine_km(53.8825, 28.0307, airport.candidate.lat, airport.candidate.lon) < 10
    english = place_named("The plane landed at Zurich airport on time.", "Zurich airport")
    assert english is not None and english.kind == "facility"
    assert haversine_km(47.46, 8.55, english.candidate.lat, english.candidate.lon) < 10


def test_airport_named_after_its_city_in_german_word_order():
    text = "Die Delegation kam aus Brüssel. Am Flughafen Frankfurt landete sie am Abend."
    airport = place_named(text, "Flughafen Frankfurt", "de")
    assert airport is not None and airport.id == "airport:EDDF", names(text, "de")


def test_a_german_article_before_a_name_means_no_town():
    text = "Kiew meldet Erfolge bei Saporischschja: Truppen erreichten das Ostufer des Dnipro."
    river = place_named(text, "Dnipro", "de")
    assert river is not None and river.id == "physical:dnieper"


def test_a_well_known_region_starts_a_german_sentence():
    ids = {p.id for p in places("Die Kontrollen wurden verschärft. Bayern hatte bereits im Frühjahr kontrolliert.", "de")}
    assert "admin1:DE:bayern" in ids


def test_italian_cities_keep_their_german_names():
    ids = {p.id for p in places("Die Delegation reiste von Mailand nach Venedig und Neapel.", "de")}
    assert {"geonames:3173435", "geonames:3164603", "geonames:3172394"} <= ids


def test_swiss_cantons_by_their_german_names():
    ids = {p.id for p in places("Unwetter im Tessin und im Wallis; auch die Waadt meldet Schäden.", "de")}
    assert {"admin1:CH:ticino", "admin1:CH:valais", "admin1:CH:vaud"} <= ids


def test_german_compass_compounds_name_a_part_of_a_country():
    found = {p.id: [(m.text, m.form) for m in p.mentions]
             for p in places("Raketen aus dem Südlibanon trafen Nordisrael; Kämpfe in Nordsyrien.", "de")}
    assert found.get("country:LB") == [("Südlibanon", "adjective")]
    assert "country:IL" in found and "country:SY" in found
    # Only countries and first-level regions: Westberlin is no second Berlin (the city), and
    # Ostfriesland no Dutch Friesland (it is a landscape of its own, East Frisia).
    found = {p.id for p in places("In Westberlin und Ostfriesland regnete es.", "de")}
    assert not any(i.startswith("geonames:") or "friesland" in i and i != "physical:ostfriesland" for i in found), found


def test_german_compass_and_height_compounds_name_a_part_of_a_state():
    found = {p.id: [(m.text, m.form) for m in p.mentions]
             for p in places("In der Obersteiermark schneite es, in Nordhessen und Unterkärnten regnete es.", "de")}
    assert found.get("admin1:AT:steiermark") == [("Obersteiermark", "adjective")], found
    assert "admin1:DE:hessen" in found and "admin1:AT:karnten" in found, found
    # a district (ADM2) or a town has no such parts: «Oberhausen» stays the town
    assert "geonames:2860410" in {p.id for p in places("In Oberhausen regnete es.", "de")}


def test_german_territory_compounds_name_their_country():
    found = {p.id: [m.text for m in p.mentions]
             for p in places("Die Truppen zogen aus dem Kamerungebiet ab; im Stadtgebiet blieb es ruhig.", "de")}
    assert found == {"country:CM": ["Kamerungebiet"]}, found


def test_places_of_current_news_in_german():
    text = ("Aus Chan Junis flohen Tausende nach Rafah. Die Reederei meidet den Suezkanal. "
            "Aserbaidschan eroberte Bergkarabach.")
    ids = {p.id for p in places(text, "de")}
    assert {"geonames:281124", "physical:suez-canal", "physical:nagorno-karabakh", "country:AZ"} <= ids


def test_border_between_countries_in_play():
    text = "Polen verstärkt die Grenze zu Weissrussland."
    border = next(p for p in places(text) if p.kind == "border")
    assert border.id == "border:BY-PL"


def test_each_border_mention_takes_the_countries_around_it():
    text = ("Österreich kontrolliert wieder an der Grenze zu Ungarn. In Graz demonstrierten Hunderte. "
            "Bayern hatte bereits im Frühjahr an der Grenze bei Passau kontrolliert. "
            "Der ungarische Ministerpräsident kritisierte das.")
    borders = {p.id: [m.passage for m in p.mentions] for p in places(text, "de") if p.kind == "border"}
    assert set(borders) == {"border:AT-HU", "border:AT-DE"}, borders


def test_the_country_a_border_is_named_with_is_one_side():
    german = "Frankreich und Deutschland beraten in Paris. Frankreich sagte, die Grenze zu Polen bleibe offen."
    assert [p.id for p in places(german, "de") if p.kind == "border"] == ["border:DE-PL"]
    english = ("Poland and Lithuania met in Vilnius. Lithuania said the border with Belarus stays closed. "
               "Lithuania and Poland agreed.")
    assert [p.id for p in places(english, "en") if p.kind == "border"] == ["border:BY-LT"]


def test_stated_length_picks_the_border():
    text = ("Russland, Weissrussland und die Ukraine: Lukaschenko schickte Truppen an die "
            "gemeinsame, rund 1000 Kilometer lange Grenze mit der Ukraine.")
    border = next(p for p in places(text) if p.kind == "border")
    assert border.id == "border:BY-UA"


def test_codes_are_not_matched_but_usa_is():
    found = names("The MSQ flight left the USA for the UK.")
    assert "MSQ" not in found and {"USA", "UK"} <= found


def test_context_picks_the_right_namesake():
    near_texas = place_named("Paris, Texas, lies near Dallas and Houston.", "Paris")
    assert near_texas.candidate.country == "US"
    in_france = place_named("Paris, Lyon und Marseille melden Streiks.", "Paris")
    assert in_france.candidate.country == "FR"


# A namesake several times bigger damps nearness (graded rival, RIVAL_GAP … FAMOUS_MARGIN), and a
# town whose own name is the bare name and a bracket defers to a bigger namesake.
@pytest.mark.parametrize("text, surface, expected", [
    ("Die Delegation reiste von Berlin nach Frankfurt.", "Frankfurt", "geonames:2925533"),  # not (Oder)
    ("Von Dresden nach Frankfurt sind es fünf Stunden.", "Frankfurt", "geonames:2925533"),
    ("Er pendelt zwischen Köln und Frankfurt.", "Frankfurt", "geonames:2925533"),
    ("Die Brücke in Frankfurt (Oder) führt nach Słubice.", "Frankfurt (Oder)", "geonames:2925535"),
    ("Von Leipzig nach Halle sind es 40 Kilometer.", "Halle", "geonames:2911522"),  # Halle (Saale), the biggest
    ("In Zürich wurde gewählt.", "Zürich", "geonames:2657896"),  # the city, not «Zürich (Kreis 11)»
])
def test_a_bigger_namesake_outweighs_nearness_and_a_bracketed_name_defers(text, surface, expected):
    found = place_named(text, surface)
    assert found is not None and found.id == expected, (found and (found.id, found.name))


# A town whose name looks inflected (Olten: «Olt» + -en; Baden: dative of «Bade») is that town:
# an inflected reading needs an adjective key (russischen) or a country's plural (Niederlanden).
@pytest.mark.parametrize("town, country", [
    ("Olten", "CH"), ("Baden", "AT"), ("Wittenberge", "DE"), ("Springe", "DE"), ("Kamen", "DE"),
    ("Dillingen", "DE"), ("Bönen", "DE"),
])
def test_a_town_is_not_read_as_an_inflected_other_name(town, country):
    found = place_named(f"Die Züge nach {town} fallen heute aus.", town, lang="de")
    assert found is not None and found.name == town and found.candidate.country == country


@pytest.mark.parametrize("text, country", [
    ("In den Niederlanden regnet es.", "country:NL"), ("Auf den Seychellen urlauben viele.", "country:SC"),
    ("Die weissrussischen Truppen standen an der Grenze.", "country:BY"),
])
def test_inflected_country_names_and_adjectives_still_count(text, country):
    assert [p.id for p in places(text, "de")] == [country]


def test_a_place_name_before_street_or_avenue_is_a_street():
    result = geoparse("The crash happened on Washington Drive near Texas Avenue in Arlington.", lang="en")
    streets = {m.text for m in result.unresolved}
    assert {"Washington Drive", "Texas Avenue"} <= streets
    assert not {"Washington", "Texas"} & {m.text for p in result.places for m in p.mentions}
    assert place_named("The Florida Highway Patrol closed the road.", "Florida").candidate.id == "admin1:US:florida"


@pytest.mark.parametrize("text, street, town", [
    ("Der Unfall geschah auf der Wiener Bundesstraße bei Linz.", "Wiener Bundesstraße", "Linz"),
    ("Der Stau auf der Leipziger Straße in Berlin wuchs.", "Leipziger Straße", "Berlin"),
    ("In der Zürcher Hauptgasse von Olten brannte es.", "Zürcher Hauptgasse", "Olten"),
])
def test_a_city_adjective_before_a_street_word_names_a_street(text, street, town):
    result = geoparse(text, lang="de")
    assert street in {m.text for m in result.unresolved}
    assert [p.display_name for p in result.places] == [town]


def test_an_institution_named_after_its_town_mentions_the_town():
    result = geoparse("She studied at Youngstown State University and lived on Oxford Road.", lang="en")
    youngstown = [p for p in result.places if p.name == "Youngstown"]
    assert youngstown and [m.text for m in youngstown[0].mentions] == ["Youngstown"]
    assert "Oxford Road" in {m.text for m in result.unresolved}
    assert not any(p.name == "Oxford" for p in result.places)


@pytest.mark.parametrize("text, surface, place_id", [
    ("He was flown to the Pine County Hospital on Monday.", "Pine County", "county:US:27115"),
    ("Snow closed Otter Tail County Road 80 near Perham.", "Otter Tail County", "county:US:27111"),
    ("Freestone County Road 1124 reopened after the flood.", "Freestone County", "county:US:48161"),
    ("She was moved to St. Cloud Hospital on Tuesday.", "St. Cloud", "geonames:5044407"),
])
def test_a_county_building_or_road_and_a_dotted_saint_town_name_their_place(text, surface, place_id):
    found = place_named(text, surface, "en")
    assert found is not None and found.candidate.id == place_id


def test_a_saints_hospital_and_a_road_named_after_a_town_name_no_town():
    result = geoparse("He died at St. Mary's Hospital after a crash on Oxford Road.", lang="en")
    assert {"St. Mary's Hospital", "Oxford Road"} <= {m.text for m in result.unresolved}
    assert result.places == ()


@pytest.mark.parametrize("text, surface, place_id", [
    ("Trucks crossed the New York border near West Stockbridge, Massachusetts.", "New York", "admin1:US:new-york"),
    ("Smugglers reached the Texas border town of Laredo.", "Texas", "admin1:US:texas"),
    ("The Mexico border was closed on Monday.", "Mexico", "country:MX"),
])
def test_a_border_belongs_to_a_state_or_a_country_not_a_city(text, surface, place_id):
    assert place_named(text, surface, "en").candidate.id == place_id


def test_state_after_a_politicians_party_letter():
    text = "Rep. Nick Rahall, D-W. Va., met Sen. John Kerry, D-Mass., and Sen. Mitch McConnell, R-Ky."
    ids = {p.id for p in places(text, "en")}
    assert {"admin1:US:west-virginia", "admin1:US:massachusetts", "admin1:US:kentucky"} <= ids
    assert "admin1:US:virginia" not in ids


@pytest.mark.parametrize("text, surface, expected", [
    ("Farmers in the state of Washington expect rain.", "Washington", "admin1:US:washington"),
    ("He moved to Washington state last year.", "Washington", "admin1:US:washington"),
    ("Talks in Washington resumed on Monday.", "Washington", "geonames:4140963"),
    ("New York Gov. Andrew Cuomo signed the bill.", "New York", "admin1:US:new-york"),
])
def test_cue_words_say_state_or_city(text, surface, expected):
    place = place_named(text, surface, "en")
    assert place is not None and place.id == expected, place


def test_a_title_before_a_name_is_no_cue():
    assert not places("Governor Bush visited the plant on Monday.", "en")


def test_a_town_named_like_a_state_needs_its_county_or_state_named():
    state = place_named("Voters in Pittsburgh and Erie said California should pay.", "California", "en")
    assert state.id == "admin1:US:california"
    town = place_named("Farmers in Audrain County near Columbia and Fulton said prices in Mexico had risen.",
                       "Mexico", "en")
    assert town.candidate.kind == "city" and town.candidate.country == "US"  # Mexico, Missouri


def test_a_town_and_the_county_it_lies_in_choose_each_other():
    result = geoparse("The Walker County Fair Queen met students of Huntsville High School. "
                      "The Walker County Fairgrounds in Huntsville were full.", lang="en")
    ids = {p.id for p in result.places}
    assert {"county:US:48471", "geonames:4699540"} <= ids  # Walker County and Huntsville, Texas


def test_german_country_names_are_not_english_words():
    english = {p.id for p in places("Boats sailed past the Farallon Islands and Long Island.", "en")}
    assert "country:IS" not in english
    german = {p.id for p in places("Die Regierung von Island tagte in Reykjavik.", "de")}
    assert "country:IS" in german


@pytest.mark.parametrize("text, surface, expected", [
    ("The Dublin City Council met in Dublin, Ohio.", "Dublin", "Dublin"),
    ("Springfield City Hall closed early.", "Springfield", "Springfield"),
    ("The Kansas City Council voted.", "Kansas City", "Kansas City"),
    ("Mexico City Police arrested him.", "Mexico City", "Mexico City"),
])
def test_city_council_belongs_to_the_town(text, surface, expected):
    place = place_named(text, surface, "en")
    assert place is not None and place.name == expected and place.kind == "city", names(text, "en")


def test_english_plurals_are_demonyms_only():
    result = geoparse("Russians and Canadians met at the Riverbanks Zoo near CAMBRIDGE'S docks.", lang="en")
    found = {p.id: [m.text for m in p.mentions] for p in result.places}
    assert found.get("country:RU") == ["Russians"] and found.get("country:CA") == ["Canadians"]
    assert not any(p.name == "Riverbank" for p in result.places)
    assert any(m.text == "CAMBRIDGE'S" for p in result.places for m in p.mentions)


def test_dateline_in_capitals_and_the_display_name():
    result = geoparse("KYIV, Ukraine (AP) — Russia's army shelled Kyiv again. ROME said nothing.", lang="en")
    kyiv = next(p for p in result.places if p.name == "Kyiv")
    assert [m.text for m in kyiv.mentions] == ["KYIV", "Kyiv"] and kyiv.display_name == "Kyiv"
    assert next(p for p in result.places if p.id == "country:RU").display_name == "Russia"
    assert not any(m.text == "ROME" for p in result.places for m in p.mentions)  # no Rome written
    beijing = place_named("BEIJING — China held drills on Monday.", "BEIJING", "en")
    assert beijing is not None and beijing.display_name == "Beijing"


def test_a_state_after_a_town_is_the_state_even_where_the_name_is_a_river():
    text = ("Barges moved along the Mississippi and the Missouri River. "
            "The Army Corps office in Vicksburg, Mississippi, stayed open.")
    found = {p.id: [m.text for m in p.mentions] for p in places(text, "en")}
    assert found.get("physical:mississippi-river") == ["Mississippi"]
    assert found.get("admin1:US:mississippi") == ["Mississippi"]
    assert "physical:missouri-river" in found


def test_a_list_of_towns_is_no_town_and_its_state():
    found = {p.id for p in places("We had volunteers from Crockett, Palestine and Houston, Texas.", "en")}
    assert "country:PS" not in found and "admin1:US:texas" in found


def test_one_sense_per_article():
    result = geoparse("Minsk ist die Hauptstadt. In Minsk regnet es. Minsk wächst.")
    assert len([p for p in result.places if p.name == "Minsk"]) == 1
    assert len(result.places[0].mentions) == 3


def test_a_region_cue_splits_a_name_into_the_region_and_its_namesake_town():
    """A cue (or a plural cue before a list) marks the region; the bare name is its town."""
    result = geoparse("Gekämpft wurde in den Provinzen Ninive, Kirkuk und Anbar. "
                      "In Kirkuk explodierte am Abend eine Autobombe.", lang="de")
    kinds = sorted(p.candidate.kind for p in result.places if "Kirkuk" in {m.text for m in p.mentions})
    assert kinds == ["city", "region"]
    region = next(p for p in result.places if p.candidate.kind == "region" and p.mentions[0].text == "Kirkuk")
    assert region.mentions[0].start < 60  # the listed one is the province
    same = geoparse("In Kirkuk explodierte eine Bombe. Kirkuk ist eine Ölstadt.", lang="de")
    assert [p.candidate.kind for p in same.places if p.name == "Kirkuk"] == ["city"]


@pytest.mark.parametrize("text, surface", [
    # a name a region cue marks wherever it stands is the region, even beside its namesake's
    # neighbours (Kursk, the city, is nearer to Charkiw than the oblast's centre)
    ("Der Bürgermeister von Charkiw zählte die Toten. Über der westrussischen Region Kursk fielen "
     "Trümmer einer Drohne.", "Kursk"),
    ("Der Gouverneur von Belgorod meldete Schäden in mehreren Dörfern.", "Belgorod"),
    ("Im Dorf Vilshana schlug eine Rakete ein. Der Gouverneur von Charkiw rief zur Ruhe auf.", "Charkiw"),
])
def test_a_name_every_mention_of_which_a_region_cue_marks_is_the_region(text, surface):
    places = [p for p in geoparse(text, lang="de").places if surface in {m.text for m in p.mentions}]
    assert [p.candidate.kind for p in places] == ["region"]


@pytest.mark.parametrize("text, surface, kind", [
    # German news names the town bare and the region after its town with a cue word, even when
    # the region holds the article's other places
    ("Der Zug fuhr von Salzburg nach Hallein.", "Salzburg", "city"),
    ("Der Bus hält in Zug und in Baar.", "Zug", "city"),
    ("Mehrere Dörfer bei Luzern und Kriens wurden geräumt.", "Luzern", "city"),
    ("In São Paulo und Campinas regnete es.", "São Paulo", "city"),
    ("Im Land Salzburg und in Tirol schneite es.", "Salzburg", "region"),
    ("Angriffe in der Provinz Idlib und in Aleppo.", "Idlib", "region"),
    ("Nachteulen aus dem Kanton Zug fahren heim.", "Kanton Zug", "region"),
    # … but a list of states is one of states
    ("Salzburg, Tirol und Vorarlberg melden Lawinengefahr.", "Salzburg", "region"),
    ("Zug, Uri und Obwalden einigten sich auf ein Konkordat.", "Zug", "region"),
    ("Die Kantone Zug, Schwyz und Uri einigten sich.", "Schwyz", "region"),
    # … and a list of towns named like their regions is one of towns
    ("Die Delegation reiste von Mailand nach Venedig und Neapel.", "Venedig", "city"),
    ("Die Armee beschoss Donezk, Luhansk und Cherson.", "Cherson", "city"),
    # the oblast by its cue, in its town's German spelling
    ("Im Gebiet Charkiw und in der Oblast Donezk wird gekämpft.", "Charkiw", "region"),
])
def test_a_bare_name_is_the_town_a_region_is_named_after(text, surface, kind):
    place = place_named(text, surface, "de")
    assert place is not None and place.candidate.kind == kind, (surface, place and place.candidate.id)


def test_an_english_bare_state_name_keeps_the_state():
    """English news writes "Quebec" and "New York" for the province and the state."""
    place = place_named("Voters in Quebec and Montreal went to the polls.", "Quebec", "en")
    assert place is not None and place.candidate.kind == "region"


@pytest.mark.parametrize("text, surface, lat, lon", [
    ("Der Flüela ist wegen Schnee gesperrt, der Ofenpass bleibt offen.", "Flüela", 46.75, 9.95),
    ("Der Flüela ist wegen Schnee gesperrt, der Ofenpass bleibt offen.", "Ofenpass", 46.64, 10.29),
    ("Am Grossen St. Bernhard fiel viel Regen.", "Grossen St. Bernhard", 45.87, 7.17),
    ("Die Pasterze verlor im Sommer drei Meter Eis.", "Pasterze", 47.09, 12.72),
    ("Das Weltcuprennen auf dem Rettenbachferner wurde abgesagt.", "Rettenbachferner", 46.93, 10.93),
    ("Forscher vermessen den Dachsteingletscher.", "Dachsteingletscher", 47.48, 13.62),
])
def test_alpine_passes_and_glaciers(text, surface, lat, lon):
    place_near(text, surface, lat, lon, 5)


@pytest.mark.parametrize("text, surface, lat, lon", [
    ("Im Dischma und im Sertigtal gingen Lawinen nieder.", "Dischma", 46.74, 9.91),
    ("Wanderer im Stillachtal wurden von einem Gewitter überrascht.", "Stillachtal", 47.36, 10.27),
    ("Der Vinschgau und das Passeiertal meldeten Murenabgänge.", "Passeiertal", 46.80, 11.24),
])
def test_side_valleys_of_the_alps(text, surface, lat, lon):
    """Side valleys of Davos, Oberstdorf and South Tyrol (landscapes.csv)."""
    place_near(text, surface, lat, lon, 10)


@pytest.mark.parametrize("text, surface, lat, lon", [
    ("Bei Frauenfeld trat die Thur über die Ufer.", "Thur", 47.55, 8.95),
    ("Die Feuerwehr beobachtet den Linthkanal und den Walensee.", "Linthkanal", 47.18, 9.02),
    ("Nach dem Starkregen trat die Naab in Schwandorf über die Ufer.", "Naab", 49.33, 12.11),
    ("Das Hochwasser an der Ahr zerstörte viele Brücken.", "Ahr", 50.53, 7.05),
])
def test_rivers_of_regional_news(text, surface, lat, lon):
    place_near(text, surface, lat, lon, 30)


@pytest.mark.parametrize("text, surface, lat, lon", [
    ("YB gewann im Stadion Wankdorf gegen den FC Basel.", "Stadion Wankdorf", 46.96, 7.47),
    ("Im St.-Jakob-Park waren 30 000 Zuschauer.", "St.-Jakob-Park", 47.54, 7.62),
    ("Die Bayern verloren in der Allianz Arena.", "Allianz Arena", 48.22, 11.62),
    # a namesake stadium is chosen by the places around it
    ("RB Leipzig spielte in Leipzig vor vollen Rängen in der Red Bull Arena.", "Red Bull Arena", 51.35, 12.35),
    ("In Salzburg war die Red Bull Arena ausverkauft.", "Red Bull Arena", 47.82, 13.00),
    # exhibition grounds by name and as «Messegelände» + city
    ("Vor einem Lokal im Messegelände Graz wurde ein Radfahrer kontrolliert.", "Messegelände Graz", 47.06, 15.46),
    ("Die Uhrenmesse fand in der Messe Basel statt.", "Messe Basel", 47.56, 7.60),
])
def test_football_stadiums_and_exhibition_grounds(text, surface, lat, lon):
    assert place_near(text, surface, lat, lon, 5).candidate.kind == "facility"


def test_nested_names_in_compounds():
    result = geoparse("Der Unionsstaat Weissrussland-Russland ist ein Papiertiger.")
    ids = {p.id for p in result.places}
    assert {"region:union-state", "country:BY", "country:RU"} <= ids


def test_confidence_and_alternatives():
    result = geoparse("Sie fuhren von Paris nach Lyon.")
    paris = next(p for p in result.places if p.name == "Paris")
    assert 0.5 < paris.confidence <= 1
    assert paris.alternatives and all(a.id != paris.id for a in paris.alternatives)


def test_random_input_never_crashes():
    """Fuzz: random characters, shuffled place words and random bytes give a result or InputError."""
    import random

    from geo.errors import InputError
    from geo.export import feature_collection

    rnd = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüßÄÖÜ .,;:!?'\"«»-–—()[]/\n\t0123456789ſ’\u00ad<>&#"
    words = ["Minsk", "St.", "Petersburg", "New", "York", "Grenze", "Flughafen", "AKW", "der", "in", "nach",
             "Wladimir", "Putin", "Ky.", ",", "Paris", "Texas", "-", "Russlands", "Minsker", "Schwarzen", "Meer",
             "the", "border", "airport", "U.S.", "\n\n"]
    for _ in range(300):
        mode = rnd.random()
        if mode < 0.4:
            source = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 300)))
        elif mode < 0.8:
            source = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 80)))
        else:
            source = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 400)))
        try:
            result = geoparse(source)
        except InputError:
            continue
        feature_collection(result)
        for place in result.places:
            for m in place.mentions:
                assert result.article.text[m.start:m.end] == m.text


def test_a_names_candidate_facts_are_kept_read_only_and_as_made_afresh(gazetteer):
    """The resolver keeps what a name's candidates are (`_name_facts`) across articles: the same
    object for the same name and candidates, equal to one made afresh, its arrays read-only."""
    import numpy as np

    from geo.resolve import _Group, _name_facts, _NameFacts

    ranked = gazetteer.ranked_rows("paris")[:25]
    kept = _name_facts(_Group("paris", [], list(ranked)), gazetteer, 25)
    assert _name_facts(_Group("paris", [], list(ranked)), gazetteer, 25) is kept
    fresh = _NameFacts("paris", [r for r, _ in ranked], [p for _, p in ranked], False, gazetteer)
    for name in _NameFacts.__slots__:
        assert np.array_equal(getattr(kept, name), getattr(fresh, name)), name
    with pytest.raises(ValueError):
        kept.priors[0] = 0.0
    forced = _Group("paris", [], list(ranked), choice=ranked[1][0], forced=True)
    assert _name_facts(forced, gazetteer, 25).rows.tolist() == [ranked[1][0]]


def test_the_reason_names_the_first_of_the_nearest_believed_places():
    """`_Evidence.nearest_other`: of the other groups' believed places, the nearest to the
    candidate (the first of equals), none when none is near at all."""
    import numpy as np

    from geo.resolve import _Evidence

    evidence = _Evidence.__new__(_Evidence)
    evidence.starts = np.array([0, 2, 3, 5])
    evidence.near = np.zeros((6, 6))
    evidence.contained = np.array([], dtype=int), np.array([], dtype=int)
    believed = evidence.starts + np.array([1, 0, 1, 0])  # pool rows 1, 2, 4, 5
    evidence.near[0, [1, 2, 4, 5]] = [0.9, 0.4, 0.7, 0.7]  # its own group (0) does not count
    assert evidence.nearest_other(0, 0, believed) == 2  # row 4 before row 5 at 0.7
    evidence.contained = np.array([0]), np.array([2])  # row 2 (group 1) holds it: named first
    evidence.lat, evidence.lon = np.zeros(6), np.zeros(6)
    assert evidence.nearest_other(0, 0, believed) == 1
    evidence.contained = np.array([], dtype=int), np.array([], dtype=int)
    evidence.near[0, 4] = 0.0
    assert evidence.nearest_other(0, 0, believed) == 3
    evidence.near[0] = 0.0
    assert evidence.nearest_other(0, 0, believed) is None


def test_a_district_named_holds_the_namesake_nearest_its_point():
    """Austrian and Swiss towns carry no code of their Bezirk: a town lies in the named district
    whose point is the nearest district point to it (within DISTRICT_KM), and that counts as
    containment (`_district_pairs`). The Grünbach just beyond Linz-Land's point lies in Wels-Land."""
    text = ("In Oberösterreich brannte es in Gmunden, Pettenbach und Kematen an der Krems, auch im "
            "Bezirk Linz-Land. Im Bezirk Freistadt beschäftigte ein Wiesenbrand die Polizei. Ein Bub "
            "hatte in Grünbach ein Feuer gesehen.")
    place = place_near(text, "Grünbach", 48.54, 14.54, 10)  # Grünbach bei Freistadt
    assert "Freistadt" in place.reason
    place_near("In Wels und Gmunden brannte es. Im Bezirk Freistadt stürzte in Grünbach ein Baum um.",
               "Grünbach", 48.54, 14.54, 10)


def test_a_town_lies_in_the_district_of_the_nearest_point_only(gazetteer):
    from geo.resolve import _district_of

    linz_land = gazetteer.row_of("admin2:AT:2772396")
    grunbach_wels_land = gazetteer.row_of("postal:AT:4623:grunbach")  # 25 km from Linz-Land's point
    assert _district_of(grunbach_wels_land, gazetteer) not in (None, linz_land)
    freistadt = gazetteer.row_of("admin2:AT:2779274")
    assert _district_of(gazetteer.row_of("geonames:2777456"), gazetteer) == freistadt


@pytest.mark.parametrize("text", [
    "In Leibnitz und Straß stieg die Sulm über die Ufer.",
    "Im Bezirk Leibnitz stand in Straß ein Keller unter Wasser.",
    "In der Südsteiermark traten Bäche über die Ufer. In Straß stand ein Keller unter Wasser, in Leibnitz auch.",
])
def test_a_namesake_past_the_candidate_cap_is_kept_beside_another_place(text):
    """«Straß» has fifty entries; Straß in Steiermark (an alternate name, weak prior) ranks past
    the recogniser's 25 and the resolver's cap. `_beside_the_others` keeps a few of those past the
    cap that lie beside another name's best-known place, so nearness can choose it."""
    place_near(text, "Straß", 46.73, 15.62, 10)


def test_a_feature_noun_before_a_name_starts_no_person():
    assert place_named("Der Vulkan Ätna auf Sizilien spuckt wieder Lava.", "Ätna", "de") is not None


def test_a_rivers_point_is_where_the_article_is():
    """The line stays the whole river; its point (label, marker, table) is the stretch beside the towns."""
    place_near("In Günzburg an der Donau stieg das Wasser.", "Donau", 48.46, 10.28, 10)
    place_near("Bei Schaffhausen ertrank ein Schwimmer im Rhein.", "Rhein", 47.70, 8.63, 10)
    river = place_named("Der Rhein ist lang.", "Rhein", "de")
    assert river is not None and river.candidate.feature == "RIVER"  # no town: the river's own point


@pytest.mark.parametrize("text, surface, expected, lang", [
    # the regions of Italy, Spain, France and Belgium as unions of their provinces (curated/regions.csv)
    ("Waldbrände in der Toskana und in Katalonien zerstörten Tausende Hektar.", "Toskana", "region:tuscany", "de"),
    ("Waldbrände in der Toskana und in Katalonien zerstörten Tausende Hektar.", "Katalonien", "region:catalonia", "de"),
    ("In Andalusien und im Baskenland wird am Sonntag gewählt.", "Andalusien", "region:andalusia", "de"),
    ("In Andalusien und im Baskenland wird am Sonntag gewählt.", "Baskenland", "region:basque-country", "de"),
    ("Der Sturm traf die Bretagne und die Normandie mit voller Wucht.", "Bretagne", "region:brittany", "de"),
    ("Der Sturm traf die Bretagne und die Normandie mit voller Wucht.", "Normandie", "region:normandy", "de"),
    ("Hochwasser in der Emilia-Romagna, Unwetter in Kalabrien und Apulien.", "Emilia-Romagna", "region:emilia-romagna", "de"),
    ("Hochwasser in der Emilia-Romagna, Unwetter in Kalabrien und Apulien.", "Kalabrien", "region:calabria", "de"),
    ("Hochwasser in der Emilia-Romagna, Unwetter in Kalabrien und Apulien.", "Apulien", "region:apulia", "de"),
    ("Im Piemont, in Ligurien und in Venetien schneite es bis in die Täler.", "Piemont", "region:piedmont", "de"),
    ("Im Piemont, in Ligurien und in Venetien schneite es bis in die Täler.", "Ligurien", "region:liguria", "de"),
    ("Im Piemont, in Ligurien und in Venetien schneite es bis in die Täler.", "Venetien", "region:veneto", "de"),
    ("Die Regierungen von Flandern und Wallonien stritten über das Budget.", "Flandern", "region:flanders", "de"),
    ("Die Regierungen von Flandern und Wallonien stritten über das Budget.", "Wallonien", "region:wallonia", "de"),
    ("Floods in Emilia-Romagna and Brittany forced thousands from their homes.", "Emilia-Romagna", "region:emilia-romagna", "en"),
    ("Floods in Emilia-Romagna and Brittany forced thousands from their homes.", "Brittany", "region:brittany", "en"),
    ("Wildfires spread across Tuscany and Catalonia this week.", "Tuscany", "region:tuscany", "en"),
    ("Wildfires spread across Tuscany and Catalonia this week.", "Catalonia", "region:catalonia", "en"),
    ("Farmers in Lombardy and Normandy protested on Monday.", "Lombardy", "region:lombardy", "en"),
    ("Farmers in Lombardy and Normandy protested on Monday.", "Normandy", "region:normandy", "en"),
])
def test_regions_of_italy_spain_france_and_belgium(text, surface, expected, lang):
    place = place_named(text, surface, lang)
    assert place is not None and place.candidate.id == expected, (surface, place and place.candidate.id)
