"""Small built-in word lists the demo provider is made of; every combination is fictitious."""

from __future__ import annotations

import random

# (city, state, area code, first three digits of the ZIP code)
CITIES = (
    ("Austin", "TX", "512", "787"),
    ("Denver", "CO", "303", "802"),
    ("Portland", "OR", "503", "972"),
    ("Columbus", "OH", "614", "432"),
    ("Raleigh", "NC", "919", "276"),
    ("Madison", "WI", "608", "537"),
    ("Tucson", "AZ", "520", "857"),
    ("Boise", "ID", "208", "837"),
    ("Albany", "NY", "518", "122"),
    ("Omaha", "NE", "402", "681"),
    ("Richmond", "VA", "804", "232"),
    ("Sacramento", "CA", "916", "958"),
    ("Spokane", "WA", "509", "992"),
    ("Knoxville", "TN", "865", "379"),
    ("Tampa", "FL", "813", "336"),
    ("Burlington", "VT", "802", "054"),
)
OTHER_AREA_CODES = (
    "212",
    "415",
    "312",
    "617",
    "202",
    "713",
    "305",
    "404",
    "206",
    "612",
    "702",
    "215",
)
FIRST_NAMES = (
    "Ada",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Ines",
    "Jamal",
    "Keiko",
    "Liam",
    "Maya",
    "Noor",
    "Oscar",
    "Priya",
    "Quinn",
    "Rosa",
    "Samuel",
    "Tara",
    "Umar",
    "Vera",
    "Wendell",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Alvaro",
    "Bea",
    "Colm",
    "Dalia",
    "Emeka",
    "Freya",
    "Gus",
    "Hana",
    "Ivo",
    "June",
    "Kofi",
    "Lena",
    "Marco",
    "Nadia",
)
LAST_NAMES = (
    "Abernathy",
    "Brightwater",
    "Castellano",
    "Dunmore",
    "Esposito",
    "Fairbanks",
    "Goldberg",
    "Halvorsen",
    "Ibarra",
    "Jablonski",
    "Kowalczyk",
    "Lindqvist",
    "Marchetti",
    "Nakamura",
    "Okafor",
    "Pemberton",
    "Quintero",
    "Rasmussen",
    "Sorensen",
    "Thibodeaux",
    "Underhill",
    "Valdivia",
    "Whitcombe",
    "Yamamoto",
    "Zielinski",
    "Achterberg",
    "Bellweather",
    "Cardenas",
    "Delacroix",
    "Everhart",
    "Fitzgerald",
    "Greenhalgh",
    "Hollister",
    "Iverson",
    "Jorgensen",
    "Kimura",
    "Lockwood",
    "Montague",
    "Novak",
    "Oyelaran",
)
STREET_NAMES = (
    "Maple",
    "Cedar",
    "Juniper",
    "Harbor",
    "Willow",
    "Summit",
    "Orchard",
    "Quarry",
    "Lantern",
    "Meadow",
    "Copper",
    "Falcon",
    "Riverbend",
    "Birchwood",
    "Granite",
    "Larkspur",
    "Millrace",
    "Sparrow",
)
STREET_KINDS = ("St", "Ave", "Rd", "Ln", "Way", "Ct", "Blvd", "Dr")
TRADES = (
    "Plumbing",
    "Roofing",
    "Bakery",
    "Law Office",
    "Accounting",
    "Landscaping",
    "Auto Repair",
    "Realty",
    "Design Studio",
    "Brewing Co.",
    "Insurance Agency",
    "Veterinary Hospital",
)
PRACTICES = (
    "Family Clinic",
    "Dental Care",
    "Pediatrics",
    "Physical Therapy",
    "Dermatology",
    "Eye Associates",
    "Counseling Center",
    "Urgent Care",
)
LEGAL_FORMS = ("LLC", "Inc.", "& Sons", "Group", "Partners", "")
RESELLERS = ("Bluewater Hosted Voice LLC", "Summit PBX Partners Inc.")
CARRIERS = ("Demo Telecom CLEC", "Example Numbering Services", "Fictional Bandwidth Co.")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
SUPPORT_AGENTS = (
    "agent.rivera",
    "agent.chen",
    "agent.okonkwo",
    "agent.larsen",
    "agent.haddad",
    "agent.moreau",
)
SMS_BODIES = (
    "Running 10 minutes late, sorry!",
    "Can you call me back when you get a chance?",
    "Your appointment is confirmed for tomorrow at 9:30.",
    "Thanks, got it.",
    "See you at 6?",
    "Reminder: the team meeting moved to Thursday.",
    "Package delivered to the front desk.",
    "Happy birthday!!",
    "Is the invoice ready?",
    "On my way.",
    "Please reply YES to confirm.",
    "Call the office when you land.",
    "Parking is on the north side of the building.",
    "Lunch order is in.",
    "Who has the keys to the storage room?",
    "Sounds good, talk soon.",
)
COMMENT_TEXTS = (
    "Customer called about voicemail PIN reset; verified by CPNI password, reset done.",
    "Requested a copy of last month's invoice; sent to the e-mail on file.",
    "Reported choppy audio on outbound calls; opened carrier trouble ticket.",
    "Asked to add a second line; quoted the business bundle.",
    "Port-in request received from the losing carrier; awaiting FOC date.",
    "Updated the E911 address after the office move.",
    "Disputed a late fee; courtesy credit applied once.",
    "Card on file expired; customer updated the payment method by phone.",
    "Asked how long call recordings are kept; pointed to the privacy notice.",
    "Fax to a pharmacy failed twice; resent successfully after line check.",
    "Customer opted out of marketing calls.",
    "Requested account closure; final bill explained.",
)
CHAT_LINES = (
    ("customer", "Hi, my desk phone shows 'No service' since this morning."),
    ("agent", "Sorry about that! Let me check the registration status of your line."),
    ("agent", "I see the device dropped its registration. Could you power-cycle it?"),
    ("customer", "Done, it works again. Thanks!"),
    ("customer", "How do I forward calls to my mobile after hours?"),
    ("agent", "You can set a time-based forward in the portal under Call Routing."),
)


def company_name(rng: random.Random, last_name: str, city: str, *, medical: bool) -> str:
    """A fictitious business name."""
    if medical:
        return f"{rng.choice((city, last_name, 'Riverside', 'Northgate'))} {rng.choice(PRACTICES)}"
    form = rng.choice(LEGAL_FORMS)
    return f"{last_name} {rng.choice(TRADES)}{' ' + form if form else ''}"


def email(rng: random.Random, first: str, last: str, company: str) -> str:
    """An address at a reserved example domain."""
    local = (company.split()[0] + ".office") if company else f"{first}.{last}{rng.randint(1, 99)}"
    return f"{local.lower().replace('&', 'and')}@{rng.choice(EMAIL_DOMAINS)}"


def street(rng: random.Random) -> str:
    """A house number and a synthetic street."""
    return f"{rng.randint(10, 9899)} {rng.choice(STREET_NAMES)} {rng.choice(STREET_KINDS)}"


def counterpart_number(rng: random.Random) -> str:
    """A number outside the provider (lines 6000-9999 of a 555 exchange), in E.164."""
    area = rng.choice(OTHER_AREA_CODES) if rng.random() < 0.3 else rng.choice(CITIES)[2]
    return f"+1{area}555{rng.randint(6000, 9999):04d}"


# hours to add to local time for UTC (standard time), per area code of CITIES
UTC_SHIFT = {
    "512": 6,
    "303": 7,
    "503": 8,
    "614": 5,
    "919": 5,
    "608": 6,
    "520": 7,
    "208": 7,
    "518": 5,
    "402": 6,
    "804": 5,
    "916": 8,
    "509": 8,
    "865": 5,
    "813": 5,
    "802": 5,
}
