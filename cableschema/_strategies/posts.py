"""The posts generated cables come from: ID token, Origin display name, the post as printed in
captions and page markers, the FM address, the country's geographic tag and name.

The tokens and display names are the release's (``cableschema/data``); the caption, FM and
country columns follow the release's conventions (``AMEMBASSY X`` / ``AMCONSUL X``, the post name
with its spaces, FIPS 10-4 country tags as State used them). Tokens the release uses only for
oddities (``FESTTWO``, ``PARTO``, ``DAMASCCUS``, ``BONN``...) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import vocab


@dataclass(frozen=True)
class Post:
    token: str  # in the reference ID: ADDISABABA
    origin: str  # Origin display name: Embassy Addis Ababa
    printed: str  # in captions and page markers: ADDIS ABABA
    fm: str  # the FM address: AMEMBASSY ADDIS ABABA
    geo: str | None  # geographic tag of the host country: ET
    country: str  # Ethiopia; for missions the organisation or city
    indicator: str  # routing indicator of the DE line: RUEHDS
    weight: int  # cables in the release (origins-in-release.tsv)
    kind: str  # embassy, consulate, mission, department

    @property
    def is_department(self) -> bool:
        return self.kind == "department"


# TOKEN:GEO:Country (FIPS 10-4 codes as State's TAGS use them)
_COUNTRIES = """
ABIDJAN:IV:Cote d'Ivoire ABUDHABI:AE:the UAE ABUJA:NI:Nigeria ACCRA:GH:Ghana ADANA:TU:Turkey
ADDISABABA:ET:Ethiopia AITTAIPEI:TW:Taiwan ALEXANDRIA:EG:Egypt ALGIERS:AG:Algeria ALMATY:KZ:Kazakhstan
AMMAN:JO:Jordan AMSTERDAM:NL:the Netherlands ANKARA:TU:Turkey ANTANANARIVO:MA:Madagascar APIA:WS:Samoa
ASHGABAT:TX:Turkmenistan ASMARA:ER:Eritrea ASTANA:KZ:Kazakhstan ASUNCION:PA:Paraguay ATHENS:GR:Greece
AUCKLAND:NZ:New Zealand BAGHDAD:IZ:Iraq BAKU:AJ:Azerbaijan BAMAKO:ML:Mali BANDARSERIBEGAWAN:BX:Brunei
BANGKOK:TH:Thailand BANGUI:CT:the Central African Republic BANJUL:GA:The Gambia BARCELONA:SP:Spain
BASRAH:IZ:Iraq BEIJING:CH:China BEIRUT:LE:Lebanon BELFAST:UK:Northern Ireland BELGRADE:SR:Serbia
BELMOPAN:BH:Belize BERLIN:GM:Germany BERN:SZ:Switzerland BISHKEK:KG:Kyrgyzstan BOGOTA:CO:Colombia
BRASILIA:BR:Brazil BRATISLAVA:LO:Slovakia BRAZZAVILLE:CF:the Republic of the Congo BRIDGETOWN:BB:Barbados
BRUSSELS:BE:Belgium BUCHAREST:RO:Romania BUDAPEST:HU:Hungary BUENOSAIRES:AR:Argentina BUJUMBURA:BY:Burundi
CAIRO:EG:Egypt CALGARY:CA:Canada CANBERRA:AS:Australia CAPETOWN:SF:South Africa CARACAS:VE:Venezuela
CASABLANCA:MO:Morocco CHENGDU:CH:China CHENNAI:IN:India CHIANGMAI:TH:Thailand CHISINAU:MD:Moldova
CIUDADJUAREZ:MX:Mexico COLOMBO:CE:Sri Lanka CONAKRY:GV:Guinea COPENHAGEN:DA:Denmark COTONOU:BN:Benin
CURACAO:NT:the Netherlands Antilles DAKAR:SG:Senegal DAMASCUS:SY:Syria DARESSALAAM:TZ:Tanzania
DHAHRAN:SA:Saudi Arabia DHAKA:BG:Bangladesh DILI:TT:Timor-Leste DJIBOUTI:DJ:Djibouti DOHA:QA:Qatar
DUBAI:AE:the UAE DUBLIN:EI:Ireland DURBAN:SF:South Africa DUSHANBE:TI:Tajikistan DUSSELDORF:GM:Germany
FLORENCE:IT:Italy FRANKFURT:GM:Germany FREETOWN:SL:Sierra Leone FUKUOKA:JA:Japan GABORONE:BC:Botswana
GENEVA:SZ:Geneva GEORGETOWN:GY:Guyana GRENADA:GJ:Grenada GUADALAJARA:MX:Mexico GUANGZHOU:CH:China
GUATEMALA:GT:Guatemala GUAYAQUIL:EC:Ecuador HALIFAX:CA:Canada HAMBURG:GM:Germany HANOI:VM:Vietnam
HARARE:ZI:Zimbabwe HAVANA:CU:Cuba HELSINKI:FI:Finland HERMOSILLO:MX:Mexico HILLAH:IZ:Iraq
HOCHIMINHCITY:VM:Vietnam HONGKONG:HK:Hong Kong HYDERABAD:IN:India IRANRPODUBAI:IR:Iran ISLAMABAD:PK:Pakistan
ISTANBUL:TU:Turkey IZMIR:TU:Turkey JAKARTA:ID:Indonesia JEDDAH:SA:Saudi Arabia JERUSALEM:IS:Jerusalem
JOHANNESBURG:SF:South Africa KABUL:AF:Afghanistan KADUNA:NI:Nigeria KAMPALA:UG:Uganda KARACHI:PK:Pakistan
KATHMANDU:NP:Nepal KHARTOUM:SU:Sudan KIEV:UP:Ukraine KIGALI:RW:Rwanda KINGSTON:JM:Jamaica
KINSHASA:CG:the DRC KIRKUK:IZ:Iraq KOLKATA:IN:India KOLONIA:FM:Micronesia KOROR:PS:Palau KRAKOW:PL:Poland
KUALALUMPUR:MY:Malaysia KUWAIT:KU:Kuwait KYIV:UP:Ukraine LAGOS:NI:Nigeria LAHORE:PK:Pakistan LAPAZ:BL:Bolivia
LEIPZIG:GM:Germany LIBREVILLE:GB:Gabon LILONGWE:MI:Malawi LIMA:PE:Peru LISBON:PO:Portugal
LJUBLJANA:SI:Slovenia LOME:TO:Togo LONDON:UK:the United Kingdom LUANDA:AO:Angola LUSAKA:ZA:Zambia
LUXEMBOURG:LU:Luxembourg MADRID:SP:Spain MAJURO:RM:the Marshall Islands MALABO:EK:Equatorial Guinea
MANAGUA:NU:Nicaragua MANAMA:BA:Bahrain MANILA:RP:the Philippines MAPUTO:MZ:Mozambique MARSEILLE:FR:France
MASERU:LT:Lesotho MATAMOROS:MX:Mexico MBABANE:WZ:Swaziland MELBOURNE:AS:Australia MERIDA:MX:Mexico
MEXICO:MX:Mexico MILAN:IT:Italy MINSK:BO:Belarus MOGADISHU:SO:Somalia MONROVIA:LI:Liberia MONTERREY:MX:Mexico
MONTEVIDEO:UY:Uruguay MONTREAL:CA:Canada MOSCOW:RS:Russia MOSUL:IZ:Iraq MUMBAI:IN:India MUNICH:GM:Germany
MUSCAT:MU:Oman NAGOYA:JA:Japan NAHA:JA:Japan NAIROBI:KE:Kenya NAPLES:IT:Italy NASSAU:BF:The Bahamas
NDJAMENA:CD:Chad NEWDELHI:IN:India NIAMEY:NG:Niger NICOSIA:CY:Cyprus NOGALES:MX:Mexico NOUAKCHOTT:MR:Mauritania
NUEVOLAREDO:MX:Mexico OSAKAKOBE:JA:Japan OSLO:NO:Norway OTTAWA:CA:Canada OUAGADOUGOU:UV:Burkina Faso
PANAMA:PM:Panama PARAMARIBO:NS:Suriname PARIS:FR:France PERTH:AS:Australia PESHAWAR:PK:Pakistan
PHNOMPENH:CB:Cambodia PODGORICA:MW:Montenegro PONTADELGADA:PO:the Azores PORTAUPRINCE:HA:Haiti
PORTLOUIS:MP:Mauritius PORTMORESBY:PP:Papua New Guinea PORTOFSPAIN:TD:Trinidad and Tobago PRAGUE:EZ:the Czech Republic
PRAIA:CV:Cape Verde PRETORIA:SF:South Africa PRISTINA:KV:Kosovo QUEBEC:CA:Canada QUITO:EC:Ecuador
RABAT:MO:Morocco RANGOON:BM:Burma RECIFE:BR:Brazil REYKJAVIK:IC:Iceland RIGA:LG:Latvia RIODEJANEIRO:BR:Brazil
RIYADH:SA:Saudi Arabia ROME:IT:Italy SANAA:YM:Yemen SANJOSE:CS:Costa Rica SANSALVADOR:ES:El Salvador
SANTIAGO:CI:Chile SANTODOMINGO:DR:the Dominican Republic SAOPAULO:BR:Brazil SAPPORO:JA:Japan
SARAJEVO:BK:Bosnia and Herzegovina SEOUL:KS:South Korea SHANGHAI:CH:China SHENYANG:CH:China
SINGAPORE:SN:Singapore SKOPJE:MK:Macedonia SOFIA:BU:Bulgaria STOCKHOLM:SW:Sweden STPETERSBURG:RS:Russia
STRASBOURG:FR:France SURABAYA:ID:Indonesia SUVA:FJ:Fiji SYDNEY:AS:Australia TAIPEI:TW:Taiwan TALLINN:EN:Estonia
TASHKENT:UZ:Uzbekistan TBILISI:GG:Georgia TEGUCIGALPA:HO:Honduras TELAVIV:IS:Israel THEHAGUE:NL:the Netherlands
THESSALONIKI:GR:Greece TIJUANA:MX:Mexico TIRANA:AL:Albania TOKYO:JA:Japan TORONTO:CA:Canada TRIPOLI:LY:Libya
TUNIS:TS:Tunisia ULAANBAATAR:MG:Mongolia UNROME:IT:the UN agencies in Rome UNVIEVIENNA:AU:the IAEA
USEUBRUSSELS:EUN:the European Union USNATO:NATO:NATO USOSCE:OSCE:the OSCE USUNNEWYORK:UNSC:the UN
VALLETTA:MT:Malta VANCOUVER:CA:Canada VATICAN:VT:the Holy See VIENNA:AU:Austria VIENTIANE:LA:Laos
VILNIUS:LH:Lithuania VLADIVOSTOK:RS:Russia WARSAW:PL:Poland WELLINGTON:NZ:New Zealand WINDHOEK:WA:Namibia
YAOUNDE:CM:Cameroon YEKATERINBURG:RS:Russia YEREVAN:AM:Armenia ZAGREB:HR:Croatia
CDGENEVA:SZ:the Conference on Disarmament
STATE::the Department
"""

# Posts whose display name, printed form or FM address does not follow from the token.
# TOKEN: (origin, printed, fm, kind)
_SPECIAL: dict[str, tuple[str, str, str, str]] = {
    "STATE": ("Secretary of State", "STATE", "SECSTATE WASHDC", "department"),
    "AITTAIPEI": ("American Institute Taiwan, Taipei", "AIT TAIPEI", "AIT TAIPEI", "mission"),
    "TAIPEI": ("American Institute Taiwan, Taipei", "TAIPEI", "AIT TAIPEI", "mission"),
    "HAVANA": ("US Interests Section Havana", "HAVANA", "USINT HAVANA", "mission"),
    "IRANRPODUBAI": ("Iran RPO Dubai", "IRAN RPO DUBAI", "IRAN RPO DUBAI", "mission"),
    "KIEV": ("Embassy Kyiv", "KIEV", "AMEMBASSY KIEV", "embassy"),
    "UNVIEVIENNA": ("UNVIE", "UNVIE VIENNA", "USMISSION UNVIE VIENNA", "mission"),
    "GENEVA": ("Mission Geneva", "GENEVA", "USMISSION GENEVA", "mission"),
    "CDGENEVA": ("US Mission CD Geneva", "CD GENEVA", "USMISSION CD GENEVA", "mission"),
    "USNATO": ("Mission USNATO", "USNATO", "USMISSION USNATO", "mission"),
    "USOSCE": ("Mission USOSCE", "USOSCE", "USMISSION USOSCE", "mission"),
    "USUNNEWYORK": ("USUN New York", "USUN NEW YORK", "USMISSION USUN NEW YORK", "mission"),
    "USEUBRUSSELS": ("USEU Brussels", "USEU BRUSSELS", "USEU BRUSSELS", "mission"),
    "UNROME": ("UN Rome", "UN ROME", "USMISSION UN ROME", "mission"),
    "ALMATY": ("US Office Almaty", "ALMATY", "USOFFICE ALMATY", "mission"),
    "BASRAH": ("REO Basrah", "BASRAH", "REO BASRAH", "mission"),
    "HILLAH": ("REO Hillah", "HILLAH", "REO HILLAH", "mission"),
    "KIRKUK": ("REO Kirkuk", "KIRKUK", "REO KIRKUK", "mission"),
    "MOSUL": ("REO Mosul", "MOSUL", "REO MOSUL", "mission"),
    "HYDERABAD": ("American Consulate Hyderabad", "HYDERABAD", "AMCONSUL HYDERABAD", "consulate"),
}
_PREFIXES = re.compile(r"^(?:Embassy|Consulate) ")


def _indicator(token: str) -> str:
    """A routing indicator for the post: ``RUEH`` and two letters of its name (RUEHC for State).

    Real indicators are assigned by the ACP 117 book, which the release does not carry; these
    have the same shape and are stable per post.
    """
    if token == "STATE":
        return "RUEHC"
    letters = [c for c in token if c.isalpha()]
    consonants = [c for c in letters[1:] if c not in "AEIOU"] or letters[1:] or ["X"]
    return "RUEH" + letters[0] + consonants[len(token) % len(consonants)]


@cache
def all_posts() -> tuple[Post, ...]:
    """Every post the generators use, the most prolific first (embassies before the Department,
    so that Hypothesis shrinks towards an ordinary embassy cable)."""
    names = vocab.origin_names()
    by_squeezed: dict[str, str] = {}
    for name in sorted(names):
        stripped = _PREFIXES.sub("", name)
        by_squeezed.setdefault(stripped.upper().replace(" ", ""), name)
    counts = vocab.origins_in_release()
    countries: dict[str, tuple[str | None, str]] = {}
    for chunk in re.findall(
        r"([A-Z]+):([A-Z]*):(.+?)(?=\s+[A-Z]+:[A-Z]*:|\s*$)", _COUNTRIES.strip().replace("\n", " ")
    ):
        token, geo, country = chunk
        countries[token] = (geo or None, country.strip())
    posts: list[Post] = []
    for token, (geo, country) in countries.items():
        if token not in counts:
            continue
        if token in _SPECIAL:
            origin, printed, fm, kind = _SPECIAL[token]
        else:
            origin = by_squeezed.get(token, "")
            if not origin:
                continue
            place = _PREFIXES.sub("", origin).upper()
            printed = place
            kind = "consulate" if origin.startswith("Consulate") else "embassy"
            fm = ("AMCONSUL " if kind == "consulate" else "AMEMBASSY ") + place
        if origin not in names:
            continue
        tags = vocab.tags()
        posts.append(
            Post(
                token=token,
                origin=origin,
                printed=printed,
                fm=fm,
                geo=geo if geo and geo in tags else None,
                country=country,
                indicator=_indicator(token),
                weight=counts[token],
                kind=kind,
            )
        )
    posts.sort(key=lambda p: (p.is_department, -p.weight, p.token))
    return tuple(posts)


@cache
def by_token() -> dict[str, Post]:
    return {post.token: post for post in all_posts()}
