"""Deterministic distractor articles for bench_scale: reports on other attacks, as an archive of nearby news holds.

Each generated article is one report on one invented event: another city, another venue (and kind
of venue), another date, another toll. Events are covered by REPORTS_PER_EVENT articles each
(different outlets, published on different days after the event, with tolls that differ and rise
as real reports' do). Like a real article, a report names its event in the title, in the lead and
in many later sentences ("the attack on the Aurora Concert Hall", "in Samara"), and has sentences
that name nothing and lean on the ones before ("Officials said the toll could rise."). What makes
them hard distractors: the vocabulary of the real corpus (gunmen, concert hall, death toll, claimed
responsibility, Islamic State, ISIS-K, arrests, the Taliban), counts of the same kind and size, and
background paragraphs on the same groups.

Nothing here reads the real corpus, and `distractor(i)` depends on i alone: article i is the same
whatever N is, and writing 10,000 of them takes well under a second per thousand.
"""

from __future__ import annotations

import datetime as dt
import random

REPORTS_PER_EVENT = 3
# Cities and countries the real corpus does not name: another event, never a new source on one of its own.
CITIES = [("Kazan", "Russia"), ("Tbilisi", "Georgia"), ("Almaty", "Kazakhstan"), ("Yerevan", "Armenia"),
          ("Baku", "Azerbaijan"), ("Minsk", "Belarus"), ("Riga", "Latvia"), ("Vilnius", "Lithuania"),
          ("Tashkent", "Uzbekistan"), ("Bishkek", "Kyrgyzstan"), ("Dushanbe", "Tajikistan"), ("Samara", "Russia"),
          ("Omsk", "Russia"), ("Perm", "Russia"), ("Ufa", "Russia"), ("Sochi", "Russia"), ("Tver", "Russia"),
          ("Novosibirsk", "Russia"), ("Volgograd", "Russia"), ("Astana", "Kazakhstan"), ("Shymkent", "Kazakhstan"),
          ("Osh", "Kyrgyzstan"), ("Khujand", "Tajikistan"), ("Batumi", "Georgia"), ("Gyumri", "Armenia"),
          ("Ganja", "Azerbaijan"), ("Kaunas", "Lithuania"), ("Tallinn", "Estonia"), ("Tartu", "Estonia"),
          ("Chelyabinsk", "Russia"), ("Tyumen", "Russia"), ("Saratov", "Russia")]
VENUE_NAMES = ["Aurora", "Globe", "Riverside", "Central", "Union", "Grand", "Victoria", "Pearl", "Lotus", "Polar",
               "Sunrise", "Harbour", "Crystal", "Meridian", "Olympic", "Summit"]
VENUE_KINDS = {"Concert Hall": "concert-goers", "Theatre": "the audience", "Shopping Centre": "shoppers",
               "Railway Station": "passengers", "Stadium": "spectators", "Hotel": "guests", "Market": "shoppers",
               "Cinema": "the audience", "Arena": "spectators", "Exhibition Centre": "visitors"}  # kind → who was there
GROUPS = ["Islamic State", "ISIS-K", "the Eastern Brigade", "the Free Steppe Movement", "the Northern Front"]
OUTLETS = ["Caspian Herald", "Steppe Daily", "Baltic Wire", "Volga Courier", "Silk Road Times", "Continental Post",
           "Evening Ledger", "Northern Observer", "Global Dispatch", "Mountain Gazette", "Harbour News"]
FLOOR = ["at least", "more than", "nearly", "about", "some", ""]

TITLES = [
    "Gunmen kill {killed_n} at the {venue} in {city}",
    "{city} attack: what we know about the assault on the {venue}",
    "Death toll from {venue} attack in {city} rises to {killed_n}",
    "{group} claims responsibility for {city} {kind} attack",
    "Why was the {venue} in {city} targeted?",
]
LEAD = [
    "Armed men stormed the {venue} in {city} on {weekday}, {day} {month} {year}, opening fire on {crowd}.",
    "{Killed} people were killed and {injured} injured, {officials} said.",
    "The attack on the {venue} was the deadliest in {country} since {earlier}.",
]
BODY = [  # one template a sentence; {…} fields come from the event and the report
    "The gunmen entered the {kind_l} shortly after {hour} in the evening, witnesses in {city} said.",
    "They fired automatic weapons at {crowd} and set fire to the building.",
    "The fire spread quickly through the {kind_l}, trapping people inside.",
    "By {next_weekday} morning the death toll from the {city} attack stood at {killed}.",
    "Officials said the toll was likely to rise as rescuers searched the rubble.",
    "{Injured} people were taken to hospitals in {city}, {critical} of them in a critical condition.",
    "Among the dead were {children} children, the regional health ministry said.",
    "The {venue} can hold about {capacity} people and was close to full that night.",
    "Police in {country} arrested {arrested} suspects within two days of the attack on the {venue}.",
    "{attackers} of the men arrested are accused of carrying out the shooting itself.",
    "The suspects appeared in court in {city} on {next_weekday} and were held in custody.",
    "{group} claimed responsibility for the attack in a statement carried by its news channel.",
    "Analysts said the claim by {group} was credible, pointing to the way the assault was carried out.",
    "{group} has between {fighters_lo} and {fighters_hi} fighters, according to a United Nations report.",
    "The group has recruited heavily in Central Asia since {earlier}, {officials} in {country} said.",
    "Islamic State lost the last of its territory in Syria in 2019, but its affiliates have kept attacking, "
    "as the shooting at the {venue} showed.",
    "ISIS-K, the Afghanistan affiliate of the Islamic State founded in 2015, has been linked to {plots} plots "
    "in {country} since {earlier}.",
    "The Taliban, who took power in Kabul in 2021, have fought ISIS-K in Afghanistan, and {country} has "
    "{deported} some of its citizens held there.",
    "The government of {country} declared {mourning} a day of mourning for the victims.",
    "Flags flew at half mast in {city} and across {country}.",
    "Security was tightened at stations, markets and concert venues in {country} after the attack.",
    "Foreign embassies had warned their citizens to avoid large gatherings in {city} {warn_days} days earlier.",
    "The attack on the {venue} came {weeks} weeks before a national election in {country}.",
    "Residents of {city} queued to give blood on the morning after the shooting.",
    "{Killed} people died in the attack, {outlet} reported, citing the emergencies ministry.",
    "The attackers fled in a white car and were stopped on a highway about {km} kilometres from {city}.",
    "The {city} attack was the worst on a {kind_l} in the region since {earlier}, when {earlier_killed} people died.",
    "Investigators said the men had visited the {venue} {visits} times in the weeks before the attack.",
    "Several of those killed were members of the band that was due to play that night.",
    "The president of {country} called the attack on the {venue} a barbaric act of terrorism.",
    "Survivors described hiding in the {kind_l}'s basement for more than an hour.",
    "The emergencies ministry said {missing} people were still missing on {next_weekday}.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _qualified(rng: random.Random, n: int) -> str:
    q = rng.choice(FLOOR)
    return f"{q} {n:,}" if q else f"{n:,}"


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def _event(e: int) -> dict[str, object]:
    """The facts of event e, shared by its reports."""
    rng = random.Random(f"event-{e}")
    city, country = CITIES[e % len(CITIES)]
    kind = rng.choice(sorted(VENUE_KINDS))
    when = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
    return {
        "city": city, "country": country, "kind": kind, "kind_l": kind.lower(), "crowd": VENUE_KINDS[kind],
        "venue": f"{rng.choice(VENUE_NAMES)} {kind}", "group": rng.choice(GROUPS), "when": when,
        "killed": rng.randint(8, 220), "injured": rng.randint(20, 400), "arrested": rng.randint(3, 14),
        "earlier": rng.randint(1999, when.year - 1), "capacity": f"{rng.randrange(1500, 9000, 100):,}",
    }


def distractor(i: int, sentences: int = 32) -> str:
    """Article i: report i % REPORTS_PER_EVENT on event i // REPORTS_PER_EVENT, as a corpus file. Deterministic."""
    k, ev = i % REPORTS_PER_EVENT, _event(i // REPORTS_PER_EVENT)
    rng = random.Random(f"report-{i}")
    when: dt.date = ev["when"]  # type: ignore[assignment]
    published = when + dt.timedelta(days=1 + 2 * k + rng.randrange(2))
    killed = int(ev["killed"]) + k * rng.randint(0, 12)  # later reports, higher tolls, as real ones
    injured = int(ev["injured"]) + rng.randint(-15, 30)
    f = {
        **ev, "year": when.year, "day": when.day, "month": MONTHS[when.month - 1],
        "weekday": WEEKDAYS[when.weekday()], "next_weekday": WEEKDAYS[(when.weekday() + 1 + k) % 7],
        "killed_n": killed, "killed": _qualified(rng, killed), "injured": _qualified(rng, injured),
        "officials": rng.choice(["officials", "the health ministry", "the regional governor", "the police"]),
        "hour": rng.randint(6, 9), "critical": rng.randint(5, 60), "children": rng.randint(2, 9),
        "attackers": rng.choice(["Two", "Three", "Four", "Five"]), "fighters_lo": f"{rng.randrange(1000, 4000, 500):,}",
        "fighters_hi": f"{rng.randrange(4500, 9000, 500):,}", "mourning": WEEKDAYS[(when.weekday() + 2) % 7],
        "warn_days": rng.randint(3, 20), "weeks": rng.randint(2, 8), "km": rng.randint(40, 400),
        "earlier_killed": rng.randint(10, 150), "visits": rng.randint(2, 5), "missing": rng.randint(5, 90),
        "plots": rng.randint(2, 30), "deported": rng.choice(["brought home", "tried", "deported"]),
        "outlet": OUTLETS[(i * 7 + k) % len(OUTLETS)],
    }
    f.update(Killed=_capital(str(f["killed"])), Injured=_capital(str(f["injured"])))
    body = rng.sample(BODY, min(len(BODY), max(0, sentences - len(LEAD))))
    lines = [_capital(t.format(**f)) for t in [*LEAD, *body]]
    paras = [" ".join(lines[:3])] + [" ".join(lines[p : p + 4]) for p in range(3, len(lines), 4)]
    title = TITLES[(i + k) % len(TITLES)].format(**f)
    return (f"---\ntitle: '{title}'\noutlet: {f['outlet']}\npublished: '{published.isoformat()}'\n---\n\n"
            + "\n\n".join(paras) + "\n")
