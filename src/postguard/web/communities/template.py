"""The Community Policy a community starts from, following the IBLCE addendum
"Professional Boundaries in Online Communities" (2022): boundaries and expectations
in line with professional behaviour, provisions on profanity, biased statements and
other unacceptable behaviour, consequences from warnings to suspension and a ban, and
the split between disputes among members (this policy, in good faith) and complaints
about how an IBCLC treats clients (IBLCE). Administrators edit it before publishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TITLE = "Community Policy"

PREAMBLE = (
    "This community is for professionals to network and share professional information. "
    "Its administrators maintain and manage it in alignment with this Community Policy. "
    "What is posted here can be copied and shared beyond the group, so post as you would "
    "in public. Breaches are handled by warnings, then a suspension, then a ban; some "
    "breaches skip steps. Every decision cites a provision and can be appealed."
)


@dataclass(frozen=True, slots=True)
class ProvisionData:
    number: int
    title: str
    text: str
    category: str = ""
    detect: str = ""
    terms: list[str] = field(default_factory=list)
    severity: str = "review"
    skip_to: str = ""
    example_violating: str = ""
    example_compliant: str = ""


PROVISIONS: tuple[ProvisionData, ...] = (
    ProvisionData(
        1,
        "Respect for one another",
        "Treat other members with respect. Do not harass, insult, mock or victimise anyone; "
        "disagree with ideas, not with people.",
        category="language.harassment",
        detect="builtin",
        example_violating="Honestly you are too thick to understand any of this research.",
        example_compliant="I read that study differently; here is why I think so.",
    ),
    ProvisionData(
        2,
        "No profanity",
        "Express views in a respectful manner, without vulgar language.",
        category="language.profanity",
        detect="builtin",
        example_violating="This is complete bullshit and you know it.",
        example_compliant="I strongly disagree with this advice.",
    ),
    ProvisionData(
        3,
        "No biased statements",
        "Do not make biased statements about people by ability or disability, gender "
        "identity, sexual orientation, sex, ethnicity, race, national origin, political "
        "persuasion, marital status, geographic location, religion, socioeconomic status "
        "or age.",
        category="language.bias",
        detect="builtin",
        skip_to="suspend",
        example_violating="Single mothers are too irresponsible to keep breastfeeding.",
        example_compliant="We have new resources for single parents.",
    ),
    ProvisionData(
        4,
        "Clients' privacy",
        "Never post anything that identifies a client or their family: names, photos, "
        "contact details, dates, places of care or health details. A closed group is not "
        "private.",
        category="privacy.person",
        detect="builtin",
        severity="block",
        skip_to="suspend",
        example_violating="My client Sarah Jones at St Mary's had a tongue tie released today.",
        example_compliant="A client this week had a tongue tie released; here is what helped.",
    ),
    ProvisionData(
        5,
        "Declare commercial interests",
        "Clearly identify any financial or commercial interest in what you share.",
        category="commercial.undisclosed_interest",
        detect="builtin",
        example_violating="Loving my new nursing bras from MamaWear, use code MILK20 for 20% off!",
        example_compliant="#ad Paid partnership with MamaWear: their bras come in 40 sizes.",
    ),
    ProvisionData(
        6,
        "Resolving disagreements",
        "Members resolve disagreements with one another in good faith: first directly and "
        "privately, then with the help of a moderator. Disputes between members are handled "
        "under this policy, not by IBLCE.",
    ),
    ProvisionData(
        7,
        "Complaints about care of clients",
        "A complaint about how an IBCLC treats a client is not decided in this community; "
        "the moderators will give you IBLCE's complaint route.",
    ),
    ProvisionData(
        8,
        "Consequences and appeals",
        "A breach is met with a warning, then a suspension, then a ban; a warning counts "
        "for a set time. Any member sanctioned may appeal, and a different moderator decides.",
    ),
)

COMPLAINT_TEMPLATE = (
    "Thank you for telling us. A complaint about how an IBCLC treated you or your baby as "
    "a client is a matter for IBLCE, which certifies IBCLCs, not for this community: under "
    "IBLCE's Code of Professional Conduct it is IBLCE that considers such complaints. You "
    'can file a complaint with IBLCE through its website (iblce.org, "Discipline" / '
    '"File a complaint"). We have recorded your report and told the committee chair.'
)
